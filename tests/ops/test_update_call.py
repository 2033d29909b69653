"""`ops update-call` against the emulator: the tutorial's "trigger Lambda during an active call"."""

from __future__ import annotations

import json
import subprocess
import sys

from testbed.emulator_process import ROOT
from tests.ops.conftest import CALLEE, HOLDER, event_types, provision_stack, wait_for_call, write_outputs


def start_held_call(emu, run_ops, tmp_path) -> tuple[str, str]:
    outputs = provision_stack(emu, function=HOLDER)
    outputs_file = write_outputs(tmp_path, outputs)
    started = run_ops("call", "--to", CALLEE, "--outputs-file", outputs_file, "--json")
    assert started.code == 0, started.err
    transaction_id = json.loads(started.out)["TransactionId"]
    record = wait_for_call(emu, transaction_id)  # answered, idling on the line
    assert record["status"] not in ("Completed", "Failed") and "CALL_ANSWERED" in event_types(record)
    return transaction_id, outputs_file


def test_update_a_live_call_then_an_ended_one(ops_emulator, run_ops, tmp_path):
    transaction_id, outputs_file = start_held_call(ops_emulator, run_ops, tmp_path)

    # The tutorial's step: --arguments '{"action":"custom-action"}'
    update = run_ops(
        "update-call", "--transaction-id", transaction_id, "--outputs-file", outputs_file,
        "--arg", "action=custom-action",
    )  # fmt: skip
    assert update.code == 0, update.err
    assert "Update accepted (202)" in update.out
    record = wait_for_call(ops_emulator, transaction_id)
    updates = [
        inv for inv in record["invocations"] if inv["event"]["InvocationEventType"] == "CALL_UPDATE_REQUESTED"
    ]
    assert len(updates) == 1
    assert updates[0]["event"]["ActionData"]["Parameters"]["Arguments"] == {"action": "custom-action"}
    assert updates[0]["response"]["Actions"][0]["Parameters"]["Text"] == "Update received: custom-action"

    hang_up = run_ops(
        "update-call",
        "--transaction-id",
        transaction_id,
        "--outputs-file",
        outputs_file,
        "--arg",
        "action=hangup",
    )
    assert hang_up.code == 0, hang_up.err
    assert wait_for_call(ops_emulator, transaction_id, "ended")["status"] != "InProgress"

    # The call is over: a clear NotFound message, a non-zero exit, no traceback (checked by run_ops).
    late = run_ops(
        "update-call",
        "--transaction-id",
        transaction_id,
        "--outputs-file",
        outputs_file,
        "--arg",
        "action=greet",
    )
    assert late.code == 1
    assert f"no live call {transaction_id}" in late.err and "NotFoundException" in late.err
    assert late.out == ""


def test_unknown_transaction_from_the_real_command_line(ops_emulator, tmp_path):
    outputs = provision_stack(ops_emulator)
    done = subprocess.run(
        [sys.executable, "-m", "ops", "update-call",
         "--transaction-id", "00000000-0000-4000-8000-000000000001",
         "--sip-media-application-id", outputs["sipMediaApplicationId"], "--region", "us-east-1",
         "--arg", "action=custom-action"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "error: no live call 00000000-0000-4000-8000-000000000001" in done.stderr
    assert "Traceback" not in done.stderr


def test_update_call_input_errors(ops_emulator, run_ops, tmp_path):
    bad_arg = run_ops(
        "update-call", "--transaction-id", "t", "--sip-media-application-id", "s", "--arg", "=x"
    )
    assert bad_arg.code == 2 and "--arg: '=x' is not KEY=VALUE" in bad_arg.err
    no_arg = run_ops("update-call", "--transaction-id", "t", "--sip-media-application-id", "s")
    assert no_arg.code == 2  # argparse: --arg is required
    no_sma = run_ops(
        "update-call", "--transaction-id", "t", "--arg", "a=b", "--outputs-file", write_outputs(tmp_path, {})
    )
    assert no_sma.code == 2 and "stack output 'sipMediaApplicationId' is missing" in no_sma.err
    too_many = run_ops(
        "update-call", "--transaction-id", "t", "--sip-media-application-id", "s",
        *[f"--arg=k{i}=v" for i in range(21)],
    )  # fmt: skip
    assert too_many.code == 2 and "at most 20 pairs" in too_many.err
    assert ops_emulator.operations() == []
