"""The Pulumi engine's overhead: the program's preview, first up, no-change up and destroy for 1 and 5
numbers under the real CLI, beside the same provider operations sent straight to the providers.

Engine: `pulumi preview`, `up --skip-preview` (twice: the first creates, the second changes nothing)
and `destroy --skip-preview` of a stack with both Regions' handlers brought by ARN (so the program
declares only what the dynamic providers own: N numbers, 2 applications, 2 gates, N rules), run
offline on a project copy (testbed/pulumi_cli.py) against a private emulator.

Baseline: the same resources, with the inputs the program declares for that stack (evaluated under
mocks, testbed/program_mocks.py), driven through the dynamic-provider gRPC server by
testbed/dynamic_host.py in the engine's call order (Check; Create; Check+Diff; Delete), numbers,
applications and gates side by side, then the rules (the program's dependency order), against a
second emulator. The provider server is started once, outside the timings.

Reported per operation: wall seconds and API requests (the emulator's log) of each, and their ratios
(engine / direct). Needs an engine (`engine.tooling`): without one it says why and measures nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from engine import tooling
from testbed.dynamic_host import UNKNOWN, DynamicHost, ResourceState
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, start_emulator
from testbed.program_mocks import Registration, evaluate
from testbed.pulumi_cli import PulumiCli, Tripwire, copy_project, fake_aws_env, write_stack_config

KEY = "chime-pstn-routing:"
NUMBERS = (1, 5)
OPERATIONS = ("preview", "first up", "no-change up", "destroy")
FAST_ENV = {"CHIME_PSTN_ORDER_POLL_SECONDS": "0.05", "CHIME_PSTN_RETRY_BASE_SECONDS": "0.01"}
EMULATOR_ARGS = ["--order-delay", "0", "--phone-number-quota", "50"]
DYNAMIC = "pulumi-python:dynamic/"
RULE = "pulumi-python:dynamic/chime:SipRule"
PHONE = "pulumi-python:dynamic/chime:PhoneNumber"
SMA = "pulumi-python:dynamic/chime:SipMediaApplication"

Measure = dict[str, tuple[float, int]]  # operation -> (seconds, API requests)


def stack_config(endpoint: str, numbers: int) -> dict[str, Any]:
    """A stack-file config: N toll-free numbers by search, both Regions' handlers by ARN."""
    return {
        "aws:region": "us-east-1",
        f"{KEY}chimeEndpoint": endpoint,
        f"{KEY}handlerArn": f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:bench-call-handler",
        f"{KEY}backupRegion": "us-west-2",
        f"{KEY}backupHandlerArn": f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:bench-backup-handler",
        f"{KEY}protectPhoneNumbers": False,
        f"{KEY}phoneNumbers": [{"search": {"phoneNumberType": "TollFree", "country": "US",
                                           "tollFreePrefix": "844"}}] * numbers,
    }


def _timed(emulator: RunningEmulator, action: Callable[[], Any]) -> tuple[float, int]:
    emulator.reset_requests()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started, len(emulator.requests())


def measure_engine(engine: tooling.Engine, numbers: int, root: Path) -> Measure:
    emulator = start_emulator(EMULATOR_ARGS)
    tripwire = Tripwire()
    try:
        project = copy_project(root / "project")
        for folder in ("state", "home"):
            (root / folder).mkdir()
        env = tooling.offline_env(engine, state_dir=root / "state", home_dir=root / "home",
                                  base=fake_aws_env(os.environ))
        env.update(FAST_ENV, **tripwire.endpoint_env(chime=True))
        write_stack_config(project, "bench", stack_config(emulator.url, numbers))
        cli = PulumiCli(engine.pulumi, project, env, stack="bench")
        cli.ok("stack", "init")
        results = {
            "preview": _timed(emulator, lambda: cli.ok("preview")),
            "first up": _timed(emulator, lambda: cli.ok("up", "--yes", "--skip-preview")),
            "no-change up": _timed(emulator, lambda: cli.ok("up", "--yes", "--skip-preview")),
            "destroy": _timed(emulator, lambda: cli.ok("destroy", "--yes", "--skip-preview")),
        }
        if tripwire.hits:
            raise RuntimeError(f"requests escaped the emulator: {tripwire.hits[:3]}")
        return results
    finally:
        tripwire.close()
        emulator.stop()


class DirectDeployment:
    """The program's dynamic resources, deployed through one provider server as the engine would."""

    def __init__(self, host: DynamicHost, registrations: Iterable[Registration]) -> None:
        self.host = host
        self.resources = [(r, ResourceState(r.type, r.name)) for r in registrations
                          if r.type.startswith(DYNAMIC)]
        self.first = [(r, s) for r, s in self.resources if r.type != RULE]  # no dependencies among them
        self.rules = [(r, s) for r, s in self.resources if r.type == RULE]  # after numbers and applications

    def _rule_inputs(self, registration: Registration, preview: bool) -> dict[str, Any]:
        """A rule's inputs with the mocks' number and application ids swapped for the real ones
        (unknown in a preview of a new stack, as the engine sends them)."""
        real = {str(r.outputs.get(key)): s.outputs.get(key) for r, s in self.first
                for key in ("e164_phone_number", "sip_media_application_id") if r.outputs.get(key)}
        inputs = dict(registration.inputs)
        inputs["trigger_value"] = UNKNOWN if preview else real[inputs["trigger_value"]]
        inputs["targets"] = [{**t, "sip_media_application_id": UNKNOWN if preview else
                              real[t["sip_media_application_id"]]} for t in inputs["targets"]]
        return inputs

    def _inputs(self, registration: Registration, preview: bool = False) -> dict[str, Any]:
        if registration.type == RULE:
            return self._rule_inputs(registration, preview)
        return dict(registration.inputs)

    def _each(self, group: list[tuple[Registration, ResourceState]],
              action: Callable[[Registration, ResourceState], Any]) -> None:
        with ThreadPoolExecutor(4) as pool:  # the provider server's own worker count
            list(pool.map(lambda pair: action(*pair), group))

    def preview(self) -> None:
        for group in (self.first, self.rules):
            self._each(group, lambda r, s: self.host.preview(s, self._inputs(r, preview=True)))

    def up(self) -> None:
        for group in (self.first, self.rules):
            self._each(group, lambda r, s: self.host.up(s, self._inputs(r)))

    def destroy(self) -> None:
        for group in (self.rules, self.first):
            self._each(group, lambda r, s: self.host.destroy(s))


def measure_direct(numbers: int) -> Measure:
    emulator = start_emulator(EMULATOR_ARGS)
    config = {k: v if isinstance(v, str) else json.dumps(v)
              for k, v in stack_config(emulator.url, numbers).items()}
    run = evaluate("bench", config)
    if run.error is not None:
        raise RuntimeError(f"the program failed under mocks: {run.error}")
    host = DynamicHost(env={**fake_aws_env(os.environ), **FAST_ENV})
    try:
        host.configure({"chime-pstn-routing:chimeEndpoint": emulator.url, "aws:region": "us-east-1"})
        deployment = DirectDeployment(host, run.registrations)
        return {
            "preview": _timed(emulator, deployment.preview),
            "first up": _timed(emulator, deployment.up),
            "no-change up": _timed(emulator, deployment.up),
            "destroy": _timed(emulator, deployment.destroy),
        }
    finally:
        host.close()
        emulator.stop()


def _ratio(engine: float, direct: float) -> str:
    if direct == 0:
        return "1.00" if engine == 0 else "inf"
    return f"{engine / direct:.2f}"


def main() -> None:
    found = tooling.find_engine()
    if found.engine is None:
        print(f"skipped: {found.reason}")
        return
    print(f"engine: {found.reason}")
    rows = []
    for numbers in NUMBERS:
        with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
            engine = measure_engine(found.engine, numbers, Path(tmp))
        direct = measure_direct(numbers)
        rows += [(numbers, op, engine[op], direct[op]) for op in OPERATIONS]
    print(f"{'numbers':>7} {'operation':<13} {'engine s':>8} {'direct s':>8} {'x':>6}   "
          f"{'engine req':>10} {'direct req':>10} {'x':>5}")
    for numbers, op, (e_s, e_req), (d_s, d_req) in rows:
        print(f"{numbers:>7} {op:<13} {e_s:>8.2f} {d_s:>8.2f} {_ratio(e_s, d_s):>6}   "
              f"{e_req:>10} {d_req:>10} {_ratio(e_req, d_req):>5}")
    print("(engine: the pulumi CLI, its language host running the program, the provider plugin, state "
          "writes; direct: the same provider calls over gRPC to one already-started provider server)")


if __name__ == "__main__":
    main()
