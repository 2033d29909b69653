"""`ops call` against the emulator: the tutorial's outbound call, defaults from stack outputs, errors."""

from __future__ import annotations

import json

import pytest

from testbed.emulator_process import RunningEmulator
from tests.ops.conftest import CALLEE, event_types, fake_pulumi, provision_stack, wait_for_call, write_outputs


def test_call_uses_the_stack_outputs_and_the_simulator_runs_the_handler(ops_emulator, run_ops, tmp_path):
    outputs = provision_stack(ops_emulator)
    result = run_ops(
        "call", "--to", CALLEE, "--outputs-file", write_outputs(tmp_path, outputs),
        "--arg", "campaign=spring",
        "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    answer = json.loads(result.out)
    assert answer["FromPhoneNumber"] == outputs["phoneNumbers"][0]
    assert answer["SipMediaApplicationId"] == outputs["sipMediaApplicationId"]
    assert answer["Region"] == "us-east-1"  # from callHandlerArn

    record = wait_for_call(ops_emulator, answer["TransactionId"], "ended")
    assert record["direction"] == "Outbound"
    assert (record["from"], record["to"]) == (outputs["phoneNumbers"][0], CALLEE)
    kinds = event_types(record)
    assert kinds[:3] == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"]
    first = record["invocations"][0]["event"]
    assert first["ActionData"]["Parameters"]["Arguments"] == {"campaign": "spring"}
    # The project's handler answered CALL_ANSWERED with the greeting and a clean hang-up.
    answered = record["invocations"][2]["response"]
    assert [a["Type"] for a in answered["Actions"]] == ["Speak", "Hangup"]
    assert ops_emulator.operations().count("CreateSipMediaApplicationCall") == 1


def test_flags_replace_the_stack_so_pulumi_is_not_needed(ops_emulator, run_ops):
    outputs = provision_stack(ops_emulator)
    result = run_ops(
        "call", "--to", CALLEE, "--from", outputs["phoneNumbers"][0],
        "--sip-media-application-id", outputs["sipMediaApplicationId"], "--region", "us-east-1",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Call started." in result.out
    transaction_id = next(
        line.split()[-1] for line in result.out.splitlines() if line.startswith("TransactionId")
    )
    assert wait_for_call(ops_emulator, transaction_id, "ended")["from"] == outputs["phoneNumbers"][0]


def test_call_reads_outputs_through_the_pulumi_cli(ops_emulator, run_ops, tmp_path, monkeypatch):
    outputs = provision_stack(ops_emulator)
    monkeypatch.setenv("PULUMI_BIN", fake_pulumi(tmp_path, outputs))
    result = run_ops("call", "--to", CALLEE, "--stack", "dev", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["FromPhoneNumber"] == outputs["phoneNumbers"][0]

    failed = run_ops("call", "--to", CALLEE, "--stack", "nope")
    assert failed.code == 2
    assert "cannot read the outputs of stack 'nope': error: no stack named this" in failed.err


def test_without_pulumi_or_flags_the_message_says_what_to_do(ops_emulator, run_ops):
    result = run_ops("call", "--to", CALLEE)
    assert result.code == 2
    assert "the Pulumi CLI is not installed" in result.err and "--outputs-file" in result.err
    assert "CreateSipMediaApplicationCall" not in ops_emulator.operations()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--to", "12-34"], "--to: '12-34' is not an E.164 phone number"),
        (["--to", CALLEE, "--from", "+0123"], "--from: '+0123' is not an E.164 phone number"),
        (["--to", CALLEE, "--arg", "novalue"], "--arg: 'novalue' is not KEY=VALUE"),
        (["--to", CALLEE, "--sip-media-application-id", " "], "--sip-media-application-id must not be empty"),
    ],
)
def test_bad_input_is_refused_before_any_request(ops_emulator, run_ops, argv, message):
    result = run_ops("call", *argv)
    assert result.code == 2
    assert message in result.err
    assert ops_emulator.operations() == []


def test_a_missing_stack_output_is_named(ops_emulator, run_ops, tmp_path):
    path = write_outputs(tmp_path, {"phoneNumbers": ["+18445550100"]})
    result = run_ops("call", "--to", CALLEE, "--outputs-file", path)
    assert result.code == 2
    assert "stack output 'sipMediaApplicationId' is missing" in result.err
    assert "--sip-media-application-id" in result.err

    missing_file = run_ops("call", "--to", CALLEE, "--outputs-file", str(tmp_path / "absent.json"))
    assert missing_file.code == 2 and "does not exist" in missing_file.err


def test_service_errors_are_reported_without_a_traceback(ops_emulator: RunningEmulator, run_ops):
    outputs = provision_stack(ops_emulator)
    # Caller ID must be an inventory number: the service refuses any other.
    result = run_ops(
        "call", "--to", CALLEE, "--from", "+12065550123", "--sip-media-application-id",
        outputs["sipMediaApplicationId"], "--region", "us-east-1",
    )  # fmt: skip
    assert result.code == 1
    assert result.err.startswith("error: CreateSipMediaApplicationCall failed: ")
    unknown = run_ops(
        "call", "--to", CALLEE, "--from", outputs["phoneNumbers"][0],
        "--sip-media-application-id", "00000000-0000-4000-8000-000000000000", "--region", "us-east-1",
    )  # fmt: skip
    assert unknown.code == 1
    assert unknown.err.startswith("error: CreateSipMediaApplicationCall failed: ")
    assert "00000000-0000-4000-8000-000000000000" in unknown.err
