"""Fixtures for the `ops` tests: one private emulator per worker with handlers mapped (so calls run),
`ops` run in-process against it, and a helper that provisions what a deployed stack would own."""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ops.cli import main
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, running_emulator

HERE = Path(__file__).resolve().parent
GREETER = "ops-test-greeter"  # mapped to the project's real call handler
HOLDER = "ops-test-holder"  # mapped to hold_handler.py: keeps the call up for updates
CALLEE = "+12065550102"


def lambda_arn(function: str, region: str = "us-east-1") -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{function}"


@pytest.fixture(autouse=True)
def no_ambient_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ops` honours AWS_REGION (botocore alone does not): a developer's own must not steer these tests
    away from tests/conftest.py's AWS_DEFAULT_REGION."""
    monkeypatch.delenv("AWS_REGION", raising=False)


@pytest.fixture(scope="session")
def ops_emulator_process() -> Iterator[RunningEmulator]:
    args = [
        "--order-delay", "0", "--seed", "7", "--idle-hangup", "20",
        "--handler", f"{GREETER}=handlers/call_handler.py:handler",
        "--handler", f"{HOLDER}={(HERE / 'hold_handler.py').relative_to(HERE.parents[1])}:handler",
    ]  # fmt: skip
    with running_emulator(args) as emu:
        yield emu


@pytest.fixture
def ops_emulator(ops_emulator_process: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> RunningEmulator:
    """The private emulator, reset, and the environment pointing `ops` at it (and never at Pulumi)."""
    ops_emulator_process.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", ops_emulator_process.url)
    monkeypatch.setenv("PULUMI_BIN", "/nonexistent/pulumi")
    monkeypatch.setenv("OPS_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.delenv("OPS_STACK_OUTPUTS_FILE", raising=False)
    return ops_emulator_process


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_ops(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str, handler_traceback: bool = False) -> Result:
        """Run `python -m ops ARGV` in-process. Only a handler's own log may show a traceback."""
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        assert handler_traceback or "Traceback" not in captured.err
        return Result(code, captured.out, captured.err)

    return run


def order_number(chime: Any, **search: str) -> str:
    number = chime.search_available_phone_numbers(MaxResults=1, **search)["E164PhoneNumbers"][0]
    order = chime.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[number]
    )
    order_id = order["PhoneNumberOrder"]["PhoneNumberOrderId"]
    deadline = time.monotonic() + 10
    while (
        chime.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]["Status"]
        != "Successful"
    ):
        assert time.monotonic() < deadline, "order did not complete"
        time.sleep(0.05)
    return str(number)


def create_application(emu: RunningEmulator, name: str, function: str, region: str = "us-east-1") -> str:
    chime = emu.client(region)
    sma = chime.create_sip_media_application(
        AwsRegion=region, Name=name, Endpoints=[{"LambdaArn": lambda_arn(function, region)}]
    )
    return str(sma["SipMediaApplication"]["SipMediaApplicationId"])


def provision_stack(emu: RunningEmulator, function: str = GREETER) -> dict[str, Any]:
    """What `pulumi up` would leave behind for one number, and the outputs the program exports."""
    chime = emu.client()
    number = order_number(chime, PhoneNumberType="TollFree", Country="US", TollFreePrefix="844")
    sma_id = create_application(emu, "ops-test", function)
    rule = chime.create_sip_rule(
        Name="ops-test-rule",
        TriggerType="ToPhoneNumber",
        TriggerValue=number,
        TargetApplications=[{"SipMediaApplicationId": sma_id, "Priority": 1, "AwsRegion": "us-east-1"}],
    )
    return {
        "phoneNumbers": [number],
        "sipMediaApplicationId": sma_id,
        "backupSipMediaApplicationId": None,
        "sipRuleIds": [rule["SipRule"]["SipRuleId"]],
        "callHandlerArn": lambda_arn(function),
        "backupCallHandlerArn": None,
    }


def write_outputs(tmp_path: Path, outputs: dict[str, Any]) -> str:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    return str(path)


def wait_for_call(emu: RunningEmulator, transaction_id: str, until: str = "settled") -> dict[str, Any]:
    """The simulator's record of a call once it has settled (waiting on the caller) or ended."""
    record: dict[str, Any] = emu.admin("GET", f"/_emulator/calls/{transaction_id}/{until}")
    return record


def event_types(record: dict[str, Any]) -> list[str]:
    return [inv["event"]["InvocationEventType"] for inv in record["invocations"]]


def fake_pulumi(tmp_path: Path, outputs: dict[str, object] | None, stderr: str = "") -> str:
    """A stand-in `pulumi` executable: prints outputs for `stack output --json --stack dev`."""
    script = tmp_path / "pulumi"
    body = json.dumps(outputs) if outputs is not None else ""
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        f"  *'stack output --json'*'--stack dev'*) printf '%s' '{body}'; exit 0 ;;\n"
        "esac\n"
        f"echo '{stderr or 'error: no stack named this'}' >&2; exit 255\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)
