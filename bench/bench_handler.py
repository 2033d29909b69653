"""Call handler: cold start, warm per-event latency and import cost, against the tutorial's Node.js
handler run by this machine's `node`, side by side in one run.

- cold start: a fresh interpreter that loads the handler and answers one NEW_INBOUND_CALL
  (spawn to exit), the closest local stand-in for a Lambda cold start;
- warm: per-event latency of the loaded handler (its log output goes to /dev/null for both);
- imports: what loading the handler adds to a bare interpreter start (wall clock, and
  `python -X importtime`'s cumulative time for the handler module).

Python is measured twice, on temporary copies of handlers/: compiled from source (what a Lambda
bundle without matching __pycache__ does on every cold start, since /var/task is read-only) and
with bytecode precompiled (`compileall`).

The tutorial's JavaScript is extracted at run time from the seed tutorial (TUTORIAL_MD, default
/work/shared/seed/tutorial-routing-calls-to-lambda.md) into a temporary directory; it is not kept
in the repository. Targets: Python cold start no slower than node's, warm p50 under 50 µs, imports
under 10 ms.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANDLERS = ROOT / "handlers"
TUTORIAL = Path(os.environ.get("TUTORIAL_MD", "/work/shared/seed/tutorial-routing-calls-to-lambda.md"))
COLD_RUNS = 15
WARM_EVENTS = 20000
WARMUP_EVENTS = 2000

# The Developer Guide's NEW_INBOUND_CALL sample (PSTN audio: "Understanding telephony events").
EVENT = {
    "SchemaVersion": "1.0", "Sequence": 1, "InvocationEventType": "NEW_INBOUND_CALL",
    "CallDetails": {
        "TransactionId": "transaction-id", "AwsAccountId": "aws-account-id", "AwsRegion": "us-east-1",
        "SipRuleId": "sip-rule-id", "SipApplicationId": "sip-application-id",
        "Participants": [{"CallId": "call-id-1", "ParticipantTag": "LEG-A", "To": "+11234567890",
                          "From": "+19876543210", "Direction": "Inbound",
                          "StartTimeInMilliseconds": "159700958834234", "Status": "Connected"}],
    },
}



def py_prelude(bundle: Path) -> str:
    return f"import sys; sys.path.insert(0, {str(bundle)!r})"


def py_cold(bundle: Path) -> str:
    return f"{py_prelude(bundle)}; import call_handler; call_handler.handler({EVENT!r}, None)"


def py_import(bundle: Path) -> str:
    return f"{py_prelude(bundle)}; import call_handler"


PY_WARM = f"""{py_prelude(HANDLERS)}
import json, os, time
import call_handler
event = {EVENT!r}
sys.stdout = open(os.devnull, "w")
handler = call_handler.handler
for _ in range({WARMUP_EVENTS}):
    handler(event, None)
clock = time.perf_counter_ns
samples = []
for _ in range({WARM_EVENTS}):
    started = clock()
    handler(event, None)
    samples.append(clock() - started)
with open(sys.argv[1], "w") as out:
    json.dump(samples, out)
"""
NODE_COLD = "require({path!r}).handler({event}).then(() => {{}})"
NODE_WARM = """
const fs = require("fs");
const {{ handler }} = require({path!r});
const event = {event};
(async () => {{
  for (let i = 0; i < {warmup}; i++) await handler(event);
  const samples = [];
  for (let i = 0; i < {count}; i++) {{
    const started = process.hrtime.bigint();
    await handler(event);
    samples.push(Number(process.hrtime.bigint() - started));
  }}
  fs.writeFileSync(process.argv[2], JSON.stringify(samples));
}})();
"""


def extract_tutorial_handler(markdown: str) -> str:
    """The body of `cat > lambda/index.js << EOF ... EOF` in the tutorial."""
    match = re.search(r"cat > lambda/index\.js << EOF\n(.*?)\nEOF\n", markdown, re.S)
    if match is None:
        raise RuntimeError(f"no `cat > lambda/index.js << EOF` block in {TUTORIAL}")
    return match.group(1) + "\n"


# Never write bytecode next to the copies: the "source" copy must stay source-only.
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def wall_ms(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=60, env=ENV)
    return (time.perf_counter() - started) * 1000.0


def interleaved_medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so machine noise hits all alike."""
    for cmd in commands.values():  # warm the OS caches once
        wall_ms(cmd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(wall_ms(cmd))
    return {name: statistics.median(values) for name, values in samples.items()}


def percentiles_us(samples_ns: list[int]) -> tuple[float, float]:
    ordered = sorted(samples_ns)
    return ordered[len(ordered) // 2] / 1000.0, ordered[int(len(ordered) * 0.99)] / 1000.0


def warm(cmd: list[str], out: Path) -> tuple[float, float]:
    subprocess.run([*cmd, str(out)], stdout=subprocess.DEVNULL, check=True, timeout=120, env=ENV)
    return percentiles_us(json.loads(out.read_text()))


def importtime_ms(bundle: Path, runs: int = 7) -> float:
    """Median cumulative `-X importtime` of the call_handler module (everything it pulls in)."""
    values = []
    for _ in range(runs):
        cmd = [sys.executable, "-X", "importtime", "-c", py_import(bundle)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60, env=ENV)
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[2] == "call_handler":
                values.append(int(parts[1]) / 1000.0)
    return statistics.median(values)


def import_cpu_ms(bundle: Path, runs: int = 7) -> float:
    """Median CPU time of `import call_handler` in a fresh interpreter: the least load-sensitive view."""
    code = (f"import time; started = time.process_time(); {py_prelude(bundle)}; import call_handler; "
            "print((time.process_time() - started) * 1000)")
    values = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              timeout=60, env=ENV)
        values.append(float(done.stdout.split()[-1]))
    return statistics.median(values)


def bundles(work: Path) -> dict[str, Path]:
    """Two copies of handlers/: source only, and with bytecode compiled by this interpreter."""
    copies = {}
    for name in ("source", "bytecode"):
        copies[name] = work / name
        shutil.copytree(HANDLERS, copies[name], ignore=shutil.ignore_patterns("__pycache__"))
    compile_all = [sys.executable, "-m", "compileall", "-q", str(copies["bytecode"])]
    subprocess.run(compile_all, check=True, timeout=120)
    return copies


def main() -> None:
    node = shutil.which("node")
    nan = float("nan")
    with tempfile.TemporaryDirectory(prefix="bench-handler-") as tmp:
        work = Path(tmp)
        python = sys.executable
        code = bundles(work)
        cold_cmds = {"py_bare": [python, "-c", "pass"]}
        for kind, bundle in code.items():
            cold_cmds[f"py_import_{kind}"] = [python, "-c", py_import(bundle)]
            cold_cmds[f"py_cold_{kind}"] = [python, "-c", py_cold(bundle)]
        node_js: Path | None = None
        if node is None or not TUTORIAL.exists():
            print(f"node comparison skipped: node={node}, tutorial exists={TUTORIAL.exists()}")
        else:
            node_js = work / "index.js"
            node_js.write_text(extract_tutorial_handler(TUTORIAL.read_text()))
            cold_cmds["node_bare"] = [node, "-e", ""]
            node_code = NODE_COLD.format(path=str(node_js), event=json.dumps(EVENT))
            cold_cmds["node_cold"] = [node, "-e", node_code]
        cold = interleaved_medians(cold_cmds, COLD_RUNS)

        py_p50, py_p99 = warm([python, "-c", PY_WARM], work / "py.json")
        node_p50 = node_p99 = nan
        if node_js is not None and node is not None:
            script = work / "warm.js"
            script.write_text(NODE_WARM.format(path=str(node_js), event=json.dumps(EVENT),
                                               warmup=WARMUP_EVENTS, count=WARM_EVENTS))
            node_p50, node_p99 = warm([node, str(script)], work / "node.json")
        import_ms = {kind: importtime_ms(bundle) for kind, bundle in code.items()}
        import_cpu = {kind: import_cpu_ms(bundle) for kind, bundle in code.items()}

    node_cold = cold.get("node_cold", nan)
    rows = [
        ("cold start, from source (ms)", cold["py_cold_source"], node_cold),
        ("cold start, bytecode precompiled (ms)", cold["py_cold_bytecode"], node_cold),
        ("bare interpreter start (ms)", cold["py_bare"], cold.get("node_bare", nan)),
        ("warm latency per event, p50 (µs)", py_p50, node_p50),
        ("warm latency per event, p99 (µs)", py_p99, node_p99),
    ]
    print("cold start = spawn a fresh interpreter, load the handler, answer one NEW_INBOUND_CALL, exit")
    print(f"{'metric':<44}{'python':>10}{'node':>10}{'py/node':>10}")
    for label, py_value, node_value in rows:
        print(f"{label:<44}{py_value:>10.2f}{node_value:>10.2f}{py_value / node_value:>10.2f}")
    print(f"\n{'handler import over a bare python start (ms)':<44}{'wall':>10}{'x bare':>10}"
          f"{'importtime':>12}{'CPU':>8}")
    added = {}
    for kind in code:
        added[kind] = cold[f"py_import_{kind}"] - cold["py_bare"]
        print(f"{'  ' + kind:<44}{added[kind]:>10.2f}{cold[f'py_import_{kind}'] / cold['py_bare']:>10.2f}"
              f"{import_ms[kind]:>12.2f}{import_cpu[kind]:>8.2f}")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print("\ntargets: cold start py/node <= 1 (from source): "
          + verdict(cold["py_cold_source"] <= node_cold)
          + f"; warm p50 < 50 µs: {verdict(py_p50 < 50)}"
          + f"; imports < 10 ms (by -X importtime): bytecode {verdict(import_ms['bytecode'] < 10)}, "
          + f"source {verdict(import_ms['source'] < 10)}")
    print(f"({COLD_RUNS} interleaved cold runs per command, medians; {WARM_EVENTS} warm events after "
          f"{WARMUP_EVENTS} warm-up; both handlers' log output to /dev/null; {python}, node {node}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
