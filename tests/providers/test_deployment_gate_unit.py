"""DeploymentGate in process: its checks at their limits, the `ops smoke` command line it builds, and
what it makes of the smoke test's exit code and output (subprocess.run replaced by a recorder)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from providers import deployment_gate as gate
from providers.deployment_gate import DEFAULT_TIMEOUT_SECONDS, DeploymentGateProvider, smoke_argv
from providers.errors import ProviderError

ARN = "arn:aws:lambda:us-east-1:123456789012:function:call-handler"
PROPS: dict[str, Any] = {"function_arn": ARN + ":live", "region": "us-east-1"}


def failures(**news: Any) -> list[tuple[str, str]]:
    result = DeploymentGateProvider().check({}, {**PROPS, **news})
    return [(f.property, f.reason) for f in result.failures]


def test_valid_inputs_and_unknowns_pass() -> None:
    assert failures() == []
    assert (
        failures(
            function_arn=ARN,
            triggers=["abc", UNKNOWN],
            environment={"A": "1", "B": UNKNOWN},
            handler_file="handlers/call_handler.py:handler",
            event_type="CALL_ANSWERED",
            timeout_seconds=60,
        )
        == []
    )
    assert (
        failures(
            function_arn=UNKNOWN,
            region=UNKNOWN,
            triggers=UNKNOWN,
            handler_file=UNKNOWN,
            environment=UNKNOWN,
            event_type=UNKNOWN,
            timeout_seconds=UNKNOWN,
        )
        == []
    )


def test_a_function_name_of_64_characters_is_the_longest() -> None:
    assert failures(function_arn="f" * 64) == []
    assert failures(function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{'f' * 64}:7") == []
    for bad in (
        "f" * 65,
        f"arn:aws:lambda:us-east-1:123456789012:function:{'f' * 65}",
        "arn:aws:sns:us-east-1:123456789012:topic",
        "arn:aws:lambda:us-east-1:123456789012:layer:x",
        "arn:aws:states:us-east-1:123456789012:function:x",  # a function of another service
        5,
        "has space",
    ):
        [(prop, reason)] = failures(function_arn=bad)
        assert prop == "function_arn" and reason.endswith(f"got {bad!r}")


def test_region_triggers_environment_event_type() -> None:
    assert failures(region="sa-east-1") == [("region", "region must be a PSTN audio Region; got 'sa-east-1'")]
    assert failures(triggers="abc") == [("triggers", "triggers must be a list of strings")]
    assert failures(triggers=["a", 1]) == [("triggers", "triggers must be a list of strings")]
    assert failures(environment={"A": 1}) == [("environment", "environment must map names to strings")]
    assert failures(environment=["A"]) == [("environment", "environment must map names to strings")]
    assert failures(event_type="new_inbound_call")[0][0] == "event_type"
    assert failures(event_type="X" * 65)[0][0] == "event_type" and failures(event_type="X" * 64) == []


@pytest.mark.parametrize("timeout", [0, -1, 60.5, True, "5"])
def test_timeout_is_above_0_and_at_most_60_seconds(timeout: Any) -> None:
    [(prop, reason)] = failures(timeout_seconds=timeout)
    assert prop == "timeout_seconds" and reason.endswith(f"got {timeout!r}")


def test_handler_file_must_name_an_existing_file_and_a_function() -> None:
    assert failures(handler_file="handlers/nothing.py:handler") == [
        (
            "handler_file",
            "handler_file handlers/nothing.py is not a file (relative paths start at the project root)",
        )
    ]
    absolute = str(gate.PROJECT_ROOT / "handlers" / "call_handler.py") + ":handler"
    assert failures(handler_file=absolute) == []
    for bad in ("handlers/call_handler.py", "handlers/call_handler.py:1handler", 5):
        assert failures(handler_file=bad)[0][0] == "handler_file"


def test_diff_is_a_change_never_a_replace() -> None:
    p = DeploymentGateProvider()
    assert not p.diff("g", {**PROPS, "verdict": "valid"}, PROPS).changes
    changed = p.diff("g", PROPS, {**PROPS, "triggers": ["new hash"]})
    assert changed.changes and changed.replaces == [] and not changed.delete_before_replace


def test_the_smoke_command_line() -> None:
    assert smoke_argv(PROPS) == [
        sys.executable,
        "-m",
        "ops",
        "smoke",
        "--function-name",
        ARN + ":live",
        "--region",
        "us-east-1",
        "--event-type",
        "NEW_INBOUND_CALL",
        "--timeout",
        "5",
    ]
    argv = smoke_argv(
        {
            **PROPS,
            "event_type": "CALL_ANSWERED",
            "timeout_seconds": 2.5,
            "handler_file": "handlers/call_handler.py:handler",
        }
    )
    assert argv[-5:] == [
        "CALL_ANSWERED",
        "--timeout",
        "2.5",
        "--handler-file",
        "handlers/call_handler.py:handler",
    ]
    assert DEFAULT_TIMEOUT_SECONDS == 5.0


class Recorder:
    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = "", hang: bool = False) -> None:
        self.result = subprocess.CompletedProcess([], returncode, stdout, stderr)
        self.hang = hang
        self.calls: list[dict[str, Any]] = []

    def __call__(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append({"argv": argv, **kwargs})
        if self.hang:
            raise subprocess.TimeoutExpired(argv, kwargs["timeout"])
        return self.result


def test_a_passing_smoke_test_gives_its_last_valid_line(monkeypatch: pytest.MonkeyPatch) -> None:
    run = Recorder(stdout="starting\nvalid: first\nnoise\nvalid: Speak, Hangup\n")
    monkeypatch.setattr(gate.subprocess, "run", run)
    monkeypatch.setenv("FROM_PROVIDER", "yes")
    created = DeploymentGateProvider().create(
        {**PROPS, "environment": {"GREETING": "hi"}, "timeout_seconds": 3}
    )
    assert created.outs is not None and created.outs["verdict"] == "valid: Speak, Hangup"
    assert created.id.startswith("gate-")
    [call] = run.calls
    assert call["cwd"] == gate.PROJECT_ROOT and call["timeout"] == 3 + 120.0
    assert call["env"]["GREETING"] == "hi" and call["env"]["FROM_PROVIDER"] == "yes"
    assert call["check"] is False and call["capture_output"] is True
    monkeypatch.setattr(gate.subprocess, "run", Recorder(stdout="ok\n\n", stderr="warm\n"))
    updated = DeploymentGateProvider().update("g", PROPS, PROPS)
    assert updated.outs is not None and updated.outs["verdict"] == "ok\nwarm"


def test_a_failing_smoke_test_fails_with_the_end_of_its_output(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "".join(f"line {i}\n" for i in range(30))
    monkeypatch.setattr(
        gate.subprocess, "run", Recorder(returncode=1, stdout=lines, stderr="invalid: Hangup\n")
    )
    with pytest.raises(ProviderError) as raised:
        DeploymentGateProvider().create(PROPS)
    message = str(raised.value)
    assert message.startswith(f"deployment gate failed for {ARN}:live (ops smoke exit 1)")
    assert (
        message.endswith("line 29\ninvalid: Hangup") and "line 10\n" not in message and "line 11\n" in message
    )


def test_the_last_stdout_line_and_the_first_stderr_line_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        gate.subprocess, "run", Recorder(returncode=2, stdout="checking", stderr="Traceback\n")
    )
    with pytest.raises(ProviderError) as raised:
        DeploymentGateProvider().create(PROPS)
    assert str(raised.value).endswith(":\nchecking\nTraceback")


def test_a_hung_smoke_test_or_an_unknown_input_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate.subprocess, "run", Recorder(hang=True))
    with pytest.raises(ProviderError, match="did not finish"):
        DeploymentGateProvider().create(PROPS)
    with pytest.raises(ProviderError, match="an input is still unknown"):
        DeploymentGateProvider().create({**PROPS, "triggers": [UNKNOWN]})


def test_read_and_delete_touch_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_smoke_test(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("read and delete must not run the smoke test")

    monkeypatch.setattr(gate.subprocess, "run", no_smoke_test)
    p = DeploymentGateProvider()
    result = p.read("g", {**PROPS, "verdict": "valid"})
    assert result.id == "g" and result.outs is not None and result.outs["verdict"] == "valid"
    assert (
        result.inputs is not None
        and "verdict" not in result.inputs
        and result.inputs["region"] == "us-east-1"
    )
    p.delete("g", PROPS)
