"""`ops smoke`: local handler files in a subprocess, and deployed functions via boto3."""

from __future__ import annotations

import subprocess
import sys

import pytest

from testbed.emulator_process import ROOT
from tests.ops.fake_lambda import fake_lambda

CALL_HANDLER = "handlers/call_handler.py:handler"
BACKUP_HANDLER = "handlers/backup_handler.py:handler"
BAD = "tests/ops/bad_handlers.py"
LOCAL_ARN = "arn:aws:lambda:us-east-1:123456789012:function:chime-pstn-routing-local-call-handler"


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # handler paths are relative, as the deployment gate passes them


@pytest.mark.parametrize(
    ("handler", "event_type", "actions"),
    [
        (CALL_HANDLER, "NEW_INBOUND_CALL", "Speak, Hangup"),
        (BACKUP_HANDLER, "NEW_INBOUND_CALL", "Speak, Hangup"),
        (CALL_HANDLER, "CALL_UPDATE_REQUESTED", "no Actions"),  # the smoke event's arguments name no verb
        (CALL_HANDLER, "HANGUP", "an empty action list"),
    ],
)
def test_project_handlers_pass(run_ops, handler, event_type, actions):
    result = run_ops(
        "smoke", "--function-name", LOCAL_ARN, "--handler-file", handler, "--event-type", event_type
    )
    assert result.code == 0, result.out + result.err
    assert result.out.startswith(
        f"valid: {handler} (local, as chime-pstn-routing-local-call-handler) answered "
    )
    assert actions in result.out


def test_the_tutorials_answer_would_fail_its_hangup(run_ops):
    """The service runs the tutorial's answer (its Speak without CallId plays on LEG-A), but its Hangup
    "200" ends in ACTION_FAILED: a verdict apart from a whole answer the service discards."""
    result = run_ops("smoke", "--function-name", "f", "--handler-file", f"{BAD}:tutorial_handler")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"would fail: {BAD}:tutorial_handler (local, as f) answered NEW_INBOUND_CALL with Speak, Hangup; "
        "the service runs it, but Hangup (Actions[1]) ends in ACTION_FAILED InvalidActionParameter: "
        "SipResponseCode parameter value is invalid. (SipResponseCode)"
    )


@pytest.mark.parametrize(
    ("handler", "first_line"),
    [
        (
            "too_many_actions",
            "INVALID_LAMBDA_RESPONSE TooManyActions: Too many actions specified in a response.",
        ),
        ("returns_none", "INVALID_LAMBDA_RESPONSE InvalidLambdaResponse: Response is blank or empty"),
        ("unknown_action", "INVALID_LAMBDA_RESPONSE UnsupportedAction: Unsupported action Dance specified"),
    ],
)
def test_an_answer_discarded_as_a_whole_is_invalid(run_ops, handler, first_line):
    result = run_ops("smoke", "--function-name", "f", "--handler-file", f"{BAD}:{handler}")
    assert result.code == 1
    assert result.out.startswith(f"invalid: {BAD}:{handler} (local, as f) answered NEW_INBOUND_CALL with ")
    assert first_line in result.out and "would fail" not in result.out


def test_every_failing_action_is_named_and_the_first_one_clears_the_rest(run_ops):
    result = run_ops("smoke", "--function-name", "f", "--handler-file", f"{BAD}:two_bad_actions")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("would fail: ") and "Pause (Actions[0]) ends in ACTION_FAILED" in lines[0]
    assert "The Duration parameter is invalid." in lines[0]
    assert lines[1] == "  the actions after it are cleared"
    assert lines[2].startswith("  also: Speak (Actions[2]) would fail with InvalidActionParameter: ")
    assert "VoiceId parameter value is invalid." in lines[2]  # Polly's catalogue, checked too


def test_a_raising_handler_is_invalid(run_ops):
    result = run_ops("smoke", "--function-name", "f", "--handler-file", f"{BAD}:raising_handler",
                     handler_traceback=True)  # fmt: skip
    assert result.code == 1
    assert "Traceback" in result.err  # the handler's log, relayed as Lambda would log it
    assert result.out.startswith(f"invalid: {BAD}:raising_handler raised RuntimeError: boom")


@pytest.mark.parametrize(
    ("handler_file", "message"),
    [
        ("tests/ops/absent.py:handler", "is not an existing .py file"),
        (f"{BAD}:no_such_function", "defines no function 'no_such_function'"),
        (f"{BAD}:NOT_A_FUNCTION", "defines no function 'NOT_A_FUNCTION'"),
        ("handlers/call_handler.py", "is not PATH.py:FUNCTION"),
    ],
)
def test_a_handler_that_cannot_be_invoked_is_exit_2(run_ops, handler_file, message):
    result = run_ops("smoke", "--function-name", "f", "--handler-file", handler_file)
    assert result.code == 2
    assert message in result.err


def test_unknown_event_type_is_a_usage_error(run_ops):
    assert run_ops("smoke", "--function-name", "f", "--event-type", "NEW_CALL").code == 2


@pytest.mark.parametrize(
    ("function", "code", "text"),
    [
        ("good", 0, "valid: arn:aws:lambda:us-west-2:123456789012:function:good answered "
                    "NEW_INBOUND_CALL with Speak, Hangup"),
        ("tutorial", 1, "would fail: tutorial answered NEW_INBOUND_CALL with Speak, Hangup"),
        ("crash", 1, "failed (Unhandled): boom"),
        ("absent", 2, "cannot invoke absent: ResourceNotFoundException: Function not found: absent"),
    ],
)  # fmt: skip
def test_deployed_functions_are_invoked_through_the_lambda_api(run_ops, monkeypatch, function, code, text):
    with fake_lambda() as (url, events):
        monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", url)
        name = (
            f"arn:aws:lambda:us-west-2:123456789012:function:{function}" if function == "good" else function
        )
        result = run_ops("smoke", "--function-name", name, "--region", "us-west-2")
    assert result.code == code
    assert text in result.out + result.err
    assert len(events) == 1
    event = events[0][1]
    assert event["InvocationEventType"] == "NEW_INBOUND_CALL"
    assert event["CallDetails"]["AwsRegion"] == "us-west-2"


def test_a_throttled_invoke_is_retried(run_ops, monkeypatch):
    monkeypatch.setenv("OPS_RETRY_BASE_SECONDS", "0.01")
    with fake_lambda() as (url, events):
        monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", url)
        result = run_ops("smoke", "--function-name", "busy", "--region", "us-east-1")
    assert result.code == 0, result.err
    assert result.out.startswith("valid: busy answered NEW_INBOUND_CALL with Speak, Hangup")
    assert [name for name, _ in events] == ["busy", "busy"]


def test_the_deployment_gate_command_line(tmp_path):
    """Exactly what the deployment gate (providers/deployment_gate.py) runs, as a real process."""
    done = subprocess.run(
        [sys.executable, "-m", "ops", "smoke", "--function-name", LOCAL_ARN, "--region", "us-east-1",
         "--event-type", "NEW_INBOUND_CALL", "--handler-file", CALL_HANDLER],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": "/usr/bin:/bin", "GREETING": "Welcome to the smoke test."},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("valid: ")
