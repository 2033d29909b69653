"""`ops logs` against moto's CloudWatch Logs on loopback, holding lines the project's real call handler
wrote (run as a Lambda would run it): rows, one call's lines, the backup handler, following, and the
error paths (no stack, no log group, throttling, service errors)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import time
import urllib.request
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path
from typing import Any

import boto3
import pytest

from ops import inputs, synthetic_events
from ops.commands import logs as logs_command
from pstn.local_lambda import HandlerSpec, LocalWorker
from testbed.emulator_process import ACCOUNT_ID
from tests.ops.conftest import fake_pulumi, lambda_arn, write_outputs
from tests.ops.fault_proxy import fault_proxy

ROOT = Path(__file__).resolve().parents[2]
PRIMARY = "chime-pstn-routing-dev-call-handler"
BACKUP = "chime-pstn-routing-dev-backup-handler"
CALL_A = "aaaaaaaa-1111-4111-8111-111111111111"
CALL_B = "bbbbbbbb-2222-4222-8222-222222222222"
CALLER, CALLEE = "+12065550199", "+18445550123"  # logged masked: ***0199, ***0123


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """moto's server on a free loopback port, in this process (one per test module and worker)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """moto, emptied, with `ops` aimed at it and never at Pulumi."""
    reset = urllib.request.Request(moto_url + "/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=10).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", moto_url)
    monkeypatch.setenv("PULUMI_BIN", "/nonexistent/pulumi")
    monkeypatch.setenv("OPS_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.delenv("OPS_STACK_OUTPUTS_FILE", raising=False)
    return moto_url


def event(event_type: str, transaction_id: str) -> dict[str, Any]:
    built = deepcopy(synthetic_events.build(event_type, "us-east-1"))
    built["CallDetails"]["TransactionId"] = transaction_id
    for participant in built["CallDetails"]["Participants"]:
        participant["From"], participant["To"] = CALLER, CALLEE
    return built


@pytest.fixture(scope="module")
def handler_lines() -> dict[str, list[str]]:
    """What the project's call handler printed for a few events of two calls (its real log lines)."""
    worker = LocalWorker(HandlerSpec(PRIMARY, str(ROOT / "handlers" / "call_handler.py"), "handler"),
                         "us-east-1", ACCOUNT_ID, 10)
    found: dict[str, list[str]] = {}
    try:
        for key, (event_type, call) in {
            "a-inbound": ("NEW_INBOUND_CALL", CALL_A),
            "b-inbound": ("NEW_INBOUND_CALL", CALL_B),
            "b-update": ("CALL_UPDATE_REQUESTED", CALL_B),
            "a-failed": ("ACTION_FAILED", CALL_A),
        }.items():
            result = worker.invoke(lambda_arn(PRIMARY), event(event_type, call))
            assert result.ok, result
            found[key] = [line for line in result.logs.splitlines() if line.strip()]
    finally:
        worker.close()
    invocation = '{"level":"INFO","message":"invocation"'
    assert all(lines and lines[-1].startswith(invocation) for lines in found.values())
    return found


def put(region: str, function: str, stream: str, lines: list[tuple[int, str]], create: bool = True) -> None:
    client = boto3.client("logs", region_name=region)
    group = f"/aws/lambda/{function}"
    if create:
        with contextlib.suppress(client.exceptions.ResourceAlreadyExistsException):
            client.create_log_group(logGroupName=group)
        client.create_log_stream(logGroupName=group, logStreamName=stream)
    client.put_log_events(logGroupName=group, logStreamName=stream,
                          logEvents=[{"timestamp": ts, "message": text} for ts, text in lines])


def now_ms() -> int:
    return int(time.time() * 1000)


def stack(backup: bool = True) -> dict[str, Any]:
    return {
        "phoneNumbers": [CALLEE],
        "callHandlerArn": lambda_arn(PRIMARY),
        "backupCallHandlerArn": lambda_arn(BACKUP, "us-west-2") if backup else None,
    }


def lambda_lines(request_id: str, record: list[str]) -> list[str]:
    """A Lambda invocation as the service logs it: START, the function's lines, END and REPORT."""
    return [f"START RequestId: {request_id} Version: $LATEST", *record, f"END RequestId: {request_id}",
            f"REPORT RequestId: {request_id}\tDuration: 1.52 ms\tBilled Duration: 2 ms"]


def rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


ROW = re.compile(r"(?P<time>\S+ \S+Z)  (?P<level>[A-Z]+) +(?P<handler>\S+)  (?P<tx>\S+)  (?P<what>.*)")


def parsed(line: str) -> dict[str, str]:
    """A row of one of the handler's JSON lines: time, level, handler, transaction, the rest."""
    found = ROW.fullmatch(line)
    assert found, line
    return found.groupdict()


def test_rows_in_time_order_numbers_masked_old_lines_left_out(moto, run_ops, tmp_path, handler_lines):
    base = now_ms() - 60_000
    put("us-east-1", PRIMARY, "2026/05/01/[$LATEST]one", [
        (base - 3 * 3600_000, handler_lines["a-inbound"][-1]),  # before --since
        *[(base + i, line) for i, line in enumerate(lambda_lines("r-1", handler_lines["a-inbound"]))],
        (base + 3000, handler_lines["a-failed"][0]),
    ])  # fmt: skip
    put("us-east-1", PRIMARY, "2026/05/01/[$LATEST]two",
        [(base + 1500, line) for line in handler_lines["b-update"]])

    result = run_ops("logs", "--outputs-file", write_outputs(tmp_path, stack()), "--since", "1h")
    assert result.code == 0, result.err
    lines = rows(result.out)
    assert len(lines) == 4 + 2 + 1  # call A's invocation in Lambda's frame, call B's two, call A's warning
    assert lines[0].endswith("START RequestId: r-1 Version: $LATEST")
    invocation = parsed(lines[1])
    assert (invocation["level"], invocation["handler"], invocation["tx"]) == ("INFO", "call-handler", CALL_A)
    assert re.fullmatch(r"NEW_INBOUND_CALL #1 -> Speak, Hangup \([0-9.]+ ms\) \*\*\*0199 -> \*\*\*0123  "
                        r"request_id=[0-9a-f-]{36}", invocation["what"]), invocation["what"]
    assert lines[3].endswith("REPORT RequestId: r-1\tDuration: 1.52 ms\tBilled Duration: 2 ms")
    warning, update = lines[4], lines[5]
    assert parsed(warning)["tx"] == CALL_B and parsed(warning)["level"] == "WARNING"
    assert parsed(warning)["what"].startswith("call update ignored: unknown verb")
    assert warning.endswith("verb=-")
    assert parsed(update)["what"].startswith("CALL_UPDATE_REQUESTED #3 -> keeps the pending actions (")
    assert parsed(lines[6])["what"] == ("action failed  action=Speak error_type=SystemException "
                                        'error_message="System error while running action" '
                                        'then="fallback speech, then hang up"')
    times = [line[:24] for line in lines]
    assert times == sorted(times) and times[0] != times[-1]  # UTC, fixed width: time order is text order
    # As logged: masked, never the whole number.
    assert CALLER not in result.out and CALLEE not in result.out and "2065550199" not in result.out
    assert result.err == ""


def test_one_calls_lines_only(moto, run_ops, tmp_path, handler_lines):
    base = now_ms() - 10_000
    put("us-east-1", PRIMARY, "s1", [(base + i, line) for i, line in enumerate(
        lambda_lines("r-1", handler_lines["a-inbound"]) + handler_lines["b-inbound"])])
    put("us-east-1", PRIMARY, "s2", [(base + 100 + i, line) for i, line in enumerate(
        handler_lines["b-update"] + handler_lines["a-failed"])])
    # Another call's line that merely mentions B's id: the service's term search finds it, ops drops it.
    mention = json.dumps({"level": "INFO", "message": f"see {CALL_B}", "transaction_id": CALL_A})
    put("us-east-1", PRIMARY, "s3", [(base + 200, mention)])

    result = run_ops("logs", "--outputs-file", write_outputs(tmp_path, stack()), "--transaction-id", CALL_B)
    assert result.code == 0, result.err
    lines = rows(result.out)
    assert len(lines) == 3 and all(f"  {CALL_B}  " in line for line in lines)
    assert "NEW_INBOUND_CALL #1" in lines[0] and "call update ignored" in lines[1]
    assert "RequestId" not in result.out and f"see {CALL_B}" not in result.out

    none = run_ops("logs", "--outputs-file", write_outputs(tmp_path, stack()), "--transaction-id", "nope-1")
    assert none.code == 0 and none.out == ""
    assert none.err.startswith(f"No log lines of call nope-1 in /aws/lambda/{PRIMARY} (us-east-1) since ")


def test_backup_handler_in_its_own_region(moto, run_ops, tmp_path, handler_lines):
    base = now_ms() - 5_000
    put("us-east-1", PRIMARY, "p", [(base, handler_lines["a-inbound"][-1])])
    backup_line = handler_lines["b-inbound"][-1].replace("call-handler", "backup-handler")
    put("us-west-2", BACKUP, "b", [(base, backup_line)])
    outputs = write_outputs(tmp_path, stack())

    backup = run_ops("logs", "--outputs-file", outputs, "--backup")
    assert backup.code == 0, backup.err
    assert len(rows(backup.out)) == 1 and f"backup-handler  {CALL_B}" in backup.out
    assert CALL_A not in backup.out

    no_backup = run_ops("logs", "--outputs-file", write_outputs(tmp_path, stack(backup=False)), "--backup")
    assert no_backup.code == 2
    assert "has no backup handler (its backupCallHandlerArn output is empty" in no_backup.err


def test_a_function_named_by_arn_or_name(moto, run_ops, handler_lines):
    # A handler brought with its own ARN: its name and Region come from the ARN.
    own = "my-own-handler"
    put("eu-west-1", own, "s", [(now_ms() - 1000, handler_lines["a-inbound"][-1])])
    by_arn = run_ops("logs", "--function-name", lambda_arn(own, "eu-west-1") + ":live")
    assert by_arn.code == 0, by_arn.err
    assert f"  {CALL_A}  NEW_INBOUND_CALL #1" in by_arn.out
    by_name = run_ops("logs", "--function-name", own, "--region", "eu-west-1", "--json")
    assert by_name.code == 0, by_name.err
    (record,) = [json.loads(line) for line in rows(by_name.out)]
    assert record["transaction_id"] == CALL_A and record["from"] == "***0199" and record["to"] == "***0123"
    assert record["logStreamName"] == "s" and record["timestamp"].endswith("Z")
    assert record["actions"] == ["Speak", "Hangup"] and record["level"] == "INFO"


def test_stack_outputs_through_the_pulumi_cli(moto, run_ops, tmp_path, monkeypatch, handler_lines):
    put("us-east-1", PRIMARY, "s", [(now_ms() - 1000, handler_lines["a-inbound"][-1])])
    monkeypatch.setenv("PULUMI_BIN", fake_pulumi(tmp_path, stack()))
    result = run_ops("logs", "--stack", "dev")
    assert result.code == 0, result.err
    assert f"call-handler  {CALL_A}" in result.out


def test_follow_prints_new_and_late_lines_once(moto, run_ops, tmp_path, monkeypatch, handler_lines):
    base = now_ms() - 20_000
    put("us-east-1", PRIMARY, "s", [(base, handler_lines["a-inbound"][-1])])
    polls: list[int] = []

    def between_polls(seconds: float) -> None:
        assert seconds == logs_command.POLL_SECONDS
        polls.append(1)
        if len(polls) == 1:
            # A new line, and one that arrives late: stamped before the newest line already printed.
            put("us-east-1", PRIMARY, "s", [(base + 5000, handler_lines["b-inbound"][-1])], create=False)
        elif len(polls) == 2:
            put("us-east-1", PRIMARY, "s2", [(base - 2000, handler_lines["a-failed"][0])])
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(logs_command, "_sleep", between_polls)
    result = run_ops("logs", "--outputs-file", write_outputs(tmp_path, stack()), "--follow")
    assert result.code == 130  # Ctrl-C ends following
    lines = rows(result.out)
    assert len(polls) == 3
    assert [parsed(line)["tx"] for line in lines] == [CALL_A, CALL_B, CALL_A]
    assert "NEW_INBOUND_CALL" in lines[0] and "NEW_INBOUND_CALL" in lines[1] and "action failed" in lines[2]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the Pulumi CLI is not installed (needed to read the stack's outputs)"),
        (["--stack", "nope"], "cannot read the outputs of stack 'nope'"),
        (["--outputs-file", "OUT:{}"],
         "stack output 'callHandlerArn' is missing from outputs file"),
        (["--outputs-file", 'OUT:{"callHandlerArn": "not-an-arn"}'], "is not a Lambda function ARN"),
        (["--function-name", "bad name!"],
         "--function-name: 'bad name!' is not a Lambda function name or ARN"),
        (["--function-name", "arn:aws:chime:us-east-1:123456789012:sma/x"], "is not a Lambda function"),
        (["--function-name", "f", "--backup"], "give it or --function-name, not both"),
        (["--function-name", lambda_arn("f"), "--region", "us-west-2"],
         "--region us-west-2 differs from the Region of f's ARN (us-east-1)"),
        (["--function-name", "f", "--since", "yesterday"], "--since: 'yesterday' is neither a duration"),
        (["--function-name", "f", "--since", "2999-01-01T00:00:00Z"],
         "--since: '2999-01-01T00:00:00Z' is in the future"),
        (["--function-name", "f", "--transaction-id", 'x" OR "y'], "must not contain quotes or spaces"),
    ],
)  # fmt: skip
def test_no_stack_or_bad_input_is_refused_before_any_request(
    moto, run_ops, tmp_path, monkeypatch, argv, message
):
    if argv[:1] == ["--stack"]:
        monkeypatch.setenv("PULUMI_BIN", fake_pulumi(tmp_path, stack()))
    argv = [write_outputs(tmp_path, json.loads(a[4:])) if a.startswith("OUT:") else a for a in argv]
    with fault_proxy(moto) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", proxy.url)
        result = run_ops("logs", *argv)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1 and result.err.startswith("error: ")
    assert proxy.seen == []


def test_no_log_group_is_one_line_and_exit_1(moto, run_ops):
    result = run_ops("logs", "--function-name", "never-deployed", "--region", "us-east-1")
    assert result.code == 1
    assert result.err.startswith("error: no log group /aws/lambda/never-deployed in us-east-1 (")
    assert "is never-deployed deployed in that Region?" in result.err
    assert len(result.err.strip().splitlines()) == 1 and result.out == ""


def test_throttling_is_retried_with_the_operator_budget(moto, run_ops, monkeypatch, handler_lines):
    put("us-east-1", PRIMARY, "s", [(now_ms() - 1000, handler_lines["a-inbound"][-1])])
    with fault_proxy(moto, ["throttle", "throttle", "error"]) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", proxy.url)
        result = run_ops("logs", "--function-name", PRIMARY)
    assert result.code == 0, result.err
    assert f"  {CALL_A}  NEW_INBOUND_CALL #1" in result.out
    assert proxy.seen == [("FilterLogEvents", "throttle"), ("FilterLogEvents", "throttle"),
                          ("FilterLogEvents", "error"), ("FilterLogEvents", None)]


@pytest.mark.parametrize(("fault", "line"), [
    ("throttle", "ThrottlingException: Rate exceeded"),
    ("error", "ServiceUnavailableException: Service unavailable"),
])  # fmt: skip
def test_a_persistent_fault_is_one_line_and_exit_1(moto, run_ops, monkeypatch, fault, line):
    monkeypatch.setenv("OPS_API_DEADLINE_SECONDS", "1")  # the operator budget, shrunk for the test
    with fault_proxy(moto, [fault] * 500) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", proxy.url)
        result = run_ops("logs", "--function-name", PRIMARY)
    assert result.code == 1
    gave_up = re.fullmatch(r"error: FilterLogEvents: gave up after (\d+) attempts in [0-9.]+ s "
                           r"\(deadline 1 s\); "
                           rf"last error: {line}", result.err.strip())
    assert gave_up, result.err
    attempts = int(gave_up.group(1))
    assert attempts > 1 and proxy.operations() == ["FilterLogEvents"] * attempts


NOW = dt.datetime(2026, 5, 1, 12, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30s", NOW - dt.timedelta(seconds=30)),
        ("10m", NOW - dt.timedelta(minutes=10)),
        ("2h", NOW - dt.timedelta(hours=2)),
        ("1d", NOW - dt.timedelta(days=1)),
        ("1w", NOW - dt.timedelta(weeks=1)),
        ("2026-05-01T09:30:00Z", dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)),
        ("2026-05-01T09:30:00", dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)),  # no offset: UTC
        ("2026-05-01T11:30:00+02:00", dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)),
    ],
)
def test_since_takes_durations_and_iso_times(value: str, expected: dt.datetime) -> None:
    assert inputs.since("--since", value, NOW) == int(expected.timestamp() * 1000)
