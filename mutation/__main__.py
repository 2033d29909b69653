"""python -m mutation [MODULE ...]: run the pending mutants of each module, then print the scores.

A mutant's result is kept until it can no longer hold: a killed mutant stays killed while the line
it mutates is unchanged (adding tests cannot revive it), a survivor is run again as soon as the
module or any test changes. `--fresh` forgets everything; `--report` only prints.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shlex
import sys
import time
from pathlib import Path

from cosmic_ray.mutating import mutate_and_test
from cosmic_ray.testing import run_tests
from cosmic_ray.work_item import TestOutcome, WorkerOutcome

from mutation.mutants import Mutant, equivalence, mutants_of, sampled
from mutation.plan import Equivalent, Target, load_equivalents, load_targets
from mutation.store import Result, Store

ROOT = Path.cwd()
STATE = ROOT / ".mutation"
GUARD = STATE / "guard.json"  # the module being mutated, as it was: restored if a run was killed


def sha_of(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def tests_sha() -> str:
    return sha_of(sorted(p for d in ("tests", "testbed") for p in (ROOT / d).rglob("*.py")))


def test_command(target: Target) -> str:
    # -x: the first failure kills the mutant; no hypothesis plugin (2 s of imports per run); one process.
    return shlex.join([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                       "-p", "no:hypothesispytest", f"--timeout={int(target.timeout)}", *target.tests])


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def restore_guarded() -> None:
    """Put back a module that a killed run left mutated (never one a live run is mutating)."""
    if not GUARD.exists():
        return
    saved = json.loads(GUARD.read_text())
    if saved.get("pid") not in (None, os.getpid()) and running(saved["pid"]):
        return
    path = ROOT / saved["module"]
    original = base64.b64decode(saved["source"])
    if path.read_bytes() != original:
        path.write_bytes(original)
        print(f"restored {saved['module']}: an interrupted run had left a mutant in it")
    GUARD.unlink()


def is_reusable(result: Result | None, source: str, tests: str) -> bool:
    if result is None:
        return False
    if result.outcome != "survived":
        return True
    return (result.source_sha, result.tests_sha) == (source, tests)


def run_module(target: Target, equivalents: list[Equivalent], deadline: float, fresh: bool) -> bool:
    """Runs the module's pending mutants; False when the deadline stopped it first."""
    path = ROOT / target.module
    store_path = STATE / (target.module.replace("/", "__") + ".sqlite")
    if fresh and store_path.exists():
        store_path.unlink()
    store = Store(store_path)
    try:
        source, tests = sha_of([path]), tests_sha()
        results = store.results()
        pending = [m for m in mutants_of(path)
                   if sampled(m, target.sample) and equivalence(m, target.module, equivalents) is None
                   and not is_reusable(results.get(m.key), source, tests)]
        if not pending:
            return True
        command = test_command(target)
        if store.baseline(source, tests) is None:
            started = time.monotonic()
            outcome, output = run_tests(command, target.timeout)
            if outcome != TestOutcome.SURVIVED:
                print(f"{target.module}: its tests fail without any mutant; fix them first\n{output[-3000:]}")
                return True
            store.record_baseline(source, tests, time.monotonic() - started)
        print(f"{target.module}: {len(pending)} mutants to run", flush=True)
        GUARD.write_text(json.dumps({"module": target.module, "pid": os.getpid(),
                                     "source": base64.b64encode(path.read_bytes()).decode()}))
        try:
            for mutant in pending:
                if time.monotonic() > deadline:
                    return False
                run_one(store, mutant, command, target, source, tests)
        finally:
            restore_guarded()
        return True
    finally:
        store.close()


def forget_bytecode(module: Path) -> None:
    """Delete the module's cached bytecode. Tests that start an interpreter with an environment of
    their own (a cold start, the local Lambda worker) write it despite PYTHONDONTWRITEBYTECODE; a
    cache keyed on mtime seconds and size could then hand one mutant's code to the next."""
    for cached in module.parent.glob(f"__pycache__/{module.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def run_one(store: Store, mutant: Mutant, command: str, target: Target, source: str, tests: str) -> None:
    started = time.monotonic()
    forget_bytecode(ROOT / target.module)
    try:
        work = mutate_and_test([mutant.spec], command, target.timeout)
    finally:
        forget_bytecode(ROOT / target.module)
    if work.worker_outcome == WorkerOutcome.NO_TEST:
        outcome = "incompetent"
    elif work.test_outcome == TestOutcome.SURVIVED:
        outcome = "survived"
    elif work.test_outcome == TestOutcome.KILLED:
        outcome = "killed"
    else:
        outcome = "incompetent"
    store.record(mutant.key, Result(outcome, mutant.line, mutant.operator, work.diff or "", source, tests,
                                    time.monotonic() - started, first_failure(work.output or "")))


def first_failure(output: str) -> str:
    """The test that killed the mutant, from pytest's short summary (`-ra`): FAILED/ERROR path::name."""
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ", 1)[0]
    return "timeout" if output == "timeout" else ""


def changed_lines(diff: str) -> str:
    lines = [line for line in diff.splitlines() if not line.startswith(("---", "+++"))]
    minus = [line[1:].strip() for line in lines if line.startswith("-")]
    plus = [line[1:].strip() for line in lines if line.startswith("+")]
    return f"{' / '.join(minus)}  →  {' / '.join(plus)}"


def report(target: Target, equivalents: list[Equivalent], fail_under: float,
           killed_by: bool = False) -> tuple[bool, int]:
    path = ROOT / target.module
    store = Store(STATE / (target.module.replace("/", "__") + ".sqlite"))
    try:
        results = store.results()
    finally:
        store.close()
    source, tests = sha_of([path]), tests_sha()
    counts = {"killed": 0, "survived": 0, "pending": 0, "equivalent": 0, "unsampled": 0}
    survivors: list[tuple[Mutant, Result]] = []
    killed: list[tuple[Mutant, Result]] = []
    mutants = mutants_of(path)
    for mutant in mutants:
        result = results.get(mutant.key)
        if equivalence(mutant, target.module, equivalents) is not None:
            counts["equivalent"] += 1
        elif not sampled(mutant, target.sample):
            counts["unsampled"] += 1
        elif not is_reusable(result, source, tests):
            counts["pending"] += 1
        elif result is not None and result.outcome == "survived":
            counts["survived"] += 1
            survivors.append((mutant, result))
        else:
            counts["killed"] += 1
            if killed_by and result is not None:
                killed.append((mutant, result))
    tested = counts["killed"] + counts["survived"]
    score = 100.0 * counts["killed"] / tested if tested else 100.0
    sample = "all" if target.sample >= 1 else f"sample {target.sample:.0%}"
    flag = "" if score >= fail_under or not tested else f"  BELOW {fail_under:g} %"
    print(f"{target.module:44} {score:5.1f} %  killed {counts['killed']}/{tested}  "
          f"({len(mutants)} mutants, {sample}; equivalent {counts['equivalent']}, "
          f"pending {counts['pending']}){flag}")
    for mutant, result in survivors:
        where = f"{target.module}:{mutant.line}:{mutant.column}"
        print(f"    survived {where} {mutant.operator.removeprefix('core/')}: {changed_lines(result.diff)}")
    for mutant, result in killed:
        print(f"    killed {target.module}:{mutant.line} {mutant.operator.removeprefix('core/')} "
              f"by {result.killer or result.outcome}")
    return (not flag, tested)


def stale_equivalents(targets: dict[str, Target], equivalents: list[Equivalent]) -> list[Equivalent]:
    mutants = {t: mutants_of(ROOT / t) for t in targets}
    return [e for e in equivalents if e.module in targets
            and not any(equivalence(m, e.module, [e]) for m in mutants[e.module])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="paths as in mutation/modules.toml (default: all)")
    parser.add_argument("--report", action="store_true", help="print the scores, run nothing")
    parser.add_argument("--killed-by", action="store_true", help="also list each killed mutant's test")
    parser.add_argument("--fresh", action="store_true", help="forget the stored results of these modules")
    parser.add_argument("--max-minutes", type=float, default=0, help="stop after this long (0: no limit)")
    parser.add_argument("--fail-under", type=float, default=85.0, help="score each module must reach")
    args = parser.parse_args(argv)
    targets = load_targets()
    unknown = [m for m in args.modules if m not in targets]
    if unknown:
        parser.error(f"not in mutation/modules.toml: {', '.join(unknown)}")
    chosen = [targets[m] for m in (args.modules or targets)]
    equivalents = load_equivalents()
    STATE.mkdir(exist_ok=True)
    restore_guarded()
    deadline = time.monotonic() + args.max_minutes * 60 if args.max_minutes else float("inf")
    finished = True
    if not args.report:
        for target in chosen:
            if not run_module(target, equivalents, deadline, args.fresh):
                finished = False
                print("time is up: run the same command again to continue")
                break
    ok = True
    for target in chosen:
        ok &= report(target, equivalents, args.fail_under, args.killed_by)[0]
    for entry in stale_equivalents({t.module: t for t in chosen}, equivalents):
        print(f"stale entry in mutation/equivalent.toml: {entry.module}: {entry.operator} on {entry.line!r}")
    return 0 if ok and finished else 1


if __name__ == "__main__":
    sys.exit(main())
