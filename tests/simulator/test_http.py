"""End to end: resources made with boto3 on a private emulator started with `--handler` flags; calls placed
over HTTP (`POST /_emulator/calls`), by CreateSipMediaApplicationCall and by `python -m emulator call`."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from testbed.emulator_process import ROOT, RunningEmulator, running_emulator
from tests.simulator.fixtures.scenarios import NUMBERS
from tests.simulator.support import CALLER, event_types, function_arn, handler_flags, spoken
from tests.support.phone_numbers import acquire


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    flags = [
        *handler_flags(),
        "--lambda-timeout",
        "5",  # generous: no test here is about timeouts, and a loaded machine can be slow
        "--idle-hangup",
        "30",
        "--order-delay",
        "0",
        "--phone-number-quota",
        "50",
    ]
    with running_emulator(flags) as running:
        yield running


@pytest.fixture
def fresh(emu: RunningEmulator) -> RunningEmulator:
    emu.reset()
    return emu


def sma(emu: RunningEmulator, function: str, region: str = "us-east-1") -> str:
    created = emu.client(region).create_sip_media_application(
        AwsRegion=region, Name=f"{function}-app", Endpoints=[{"LambdaArn": function_arn(function, region)}]
    )
    return str(created["SipMediaApplication"]["SipMediaApplicationId"])


def rule(emu: RunningEmulator, number: str, *targets: tuple[str, str]) -> str:
    created = emu.client().create_sip_rule(
        Name=f"rule-{number[1:]}",
        TriggerType="ToPhoneNumber",
        TriggerValue=number,
        TargetApplications=[
            {"SipMediaApplicationId": s, "Priority": p, "AwsRegion": r}
            for p, (s, r) in enumerate(targets, start=1)
        ],
    )
    return str(created["SipRule"]["SipRuleId"])


def test_inbound_call_over_http_fails_over_to_the_backup_region(fresh: RunningEmulator) -> None:
    number = acquire(fresh.client())[0]
    primary, backup = sma(fresh, "raises"), sma(fresh, "backup", "us-west-2")
    rule_id = rule(fresh, number, (primary, "us-east-1"), (backup, "us-west-2"))

    record = fresh.admin("POST", "/_emulator/calls", {"to": number, "from": CALLER})
    assert record["sipRuleId"] == rule_id and record["status"] == "completed"
    assert [(i["sipMediaApplicationId"], i["outcome"]) for i in record["invocations"][:2]] == [
        (primary, "error"),
        (backup, "ok"),
    ]
    assert spoken(record) == ["backup in us-west-2"]
    again = fresh.admin("GET", f"/_emulator/calls/{record['transactionId']}")
    assert again["invocations"] == record["invocations"]


def test_no_rule_is_a_404_with_a_clear_message(fresh: RunningEmulator) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        fresh.admin("POST", "/_emulator/calls", {"to": "+12065559999", "from": CALLER})
    assert raised.value.code == 404
    assert raised.value.headers["x-amzn-ErrorType"].startswith("NotFoundException")
    assert "+12065559999" in json.loads(raised.value.read())["Message"]


def test_outbound_then_update_then_not_found_once_ended(fresh: RunningEmulator) -> None:
    client = fresh.client()
    caller_id = acquire(client)[0]
    app = sma(fresh, "scenarios")
    transaction_id = client.create_sip_media_application_call(
        FromPhoneNumber=caller_id,
        ToPhoneNumber=NUMBERS["idle"],
        SipMediaApplicationId=app,
        ArgumentsMap={"campaign": "spring"},
    )["SipMediaApplicationCall"]["TransactionId"]
    live = fresh.admin("GET", f"/_emulator/calls/{transaction_id}/settled")
    assert event_types(live) == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED", "ACTION_SUCCESSFUL"]
    assert live["invocations"][0]["event"]["ActionData"]["Parameters"]["Arguments"] == {"campaign": "spring"}
    assert live["status"] == "active"

    reply = client.update_sip_media_application_call(
        SipMediaApplicationId=app, TransactionId=transaction_id, Arguments={"message": "moved"}
    )
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 202
    updated = fresh.admin("GET", f"/_emulator/calls/{transaction_id}/settled")
    assert "CALL_UPDATE_REQUESTED" in event_types(updated)
    assert spoken(updated) == ["hold on", "update says moved"]

    ended = fresh.admin("POST", f"/_emulator/calls/{transaction_id}/hangup", {})
    assert ended["status"] == "completed"
    with pytest.raises(client.exceptions.NotFoundException):
        client.update_sip_media_application_call(
            SipMediaApplicationId=app, TransactionId=transaction_id, Arguments={"message": "late"}
        )


def test_tutorial_handler_gets_action_failed_for_its_hangup_over_http(fresh: RunningEmulator) -> None:
    number = acquire(fresh.client())[0]
    rule(fresh, number, (sma(fresh, "tutorial"), "us-east-1"))
    record = fresh.admin("POST", "/_emulator/calls", {"to": number, "from": CALLER})
    assert event_types(record)[:3] == ["NEW_INBOUND_CALL", "ACTION_FAILED", "ACTION_FAILED"]
    failed = record["invocations"][1]["event"]["ActionData"]
    assert (failed["Type"], failed["ErrorType"]) == ("Hangup", "InvalidActionParameter")
    assert failed["ErrorMessage"] == "SipResponseCode parameter value is invalid."
    assert spoken(record)[0].startswith("Hello!") and record["status"] == "failed"


def test_200_concurrent_calls_over_http(fresh: RunningEmulator) -> None:
    number = acquire(fresh.client())[0]
    rule(fresh, number, (sma(fresh, "speak-hangup"), "us-east-1"))
    callers = [f"+1425555{i:04d}" for i in range(200)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        records = list(
            pool.map(lambda c: fresh.admin("POST", "/_emulator/calls", {"to": number, "from": c}), callers)
        )
    for caller, record in zip(callers, records, strict=True):
        assert record["status"] == "completed"
        assert event_types(record) == ["NEW_INBOUND_CALL", "HANGUP"]
        assert spoken(record) == [f"Hello {caller}"]
    assert len({r["transactionId"] for r in records}) == 200


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "emulator", "call", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_call_command_prints_a_transcript(fresh: RunningEmulator) -> None:
    number = acquire(fresh.client())[0]
    rule(fresh, number, (sma(fresh, "scenarios"), "us-east-1"))
    # The scenarios handler picks its flow by the dialled number; this one is not a flow: it hangs up.
    text = run_cli("--endpoint", fresh.url, "--to", number, "--from", CALLER, "--digits", "12#")
    assert text.returncode == 0, text.stderr
    assert f"(Inbound) {CALLER} -> {number}" in text.stdout
    assert "#1 NEW_INBOUND_CALL" in text.stdout and "Hangup on LEG-A succeeded" in text.stdout
    assert "status: completed, SIP 0" in text.stdout

    as_json = run_cli("--endpoint", fresh.url, "--to", number, "--from", CALLER, "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["status"] == "completed"

    refused = run_cli("--endpoint", fresh.url, "--to", "+12065559999", "--from", CALLER)
    assert refused.returncode == 1 and "No enabled SIP rule" in refused.stderr


def test_call_command_sends_sip_headers(fresh: RunningEmulator) -> None:
    number = acquire(fresh.client())[0]
    rule(fresh, number, (sma(fresh, "speak-hangup"), "us-east-1"))
    text = run_cli(
        "--endpoint",
        fresh.url,
        "--to",
        number,
        "--from",
        CALLER,
        "--sip-header",
        "X-Ticket=42",
        "--sip-header",
        "Via=hidden",
        "--json",
    )
    assert text.returncode == 0, text.stderr
    first = json.loads(text.stdout)["invocations"][0]["event"]
    assert first["CallDetails"]["Participants"][0]["SipHeaders"] == {"X-Ticket": "42"}
    bad = run_cli("--endpoint", fresh.url, "--to", number, "--from", CALLER, "--sip-header", "novalue")
    assert bad.returncode == 2 and "--sip-header" in bad.stderr


def test_callee_profiles_objects_bots_and_meetings_over_http(fresh: RunningEmulator) -> None:
    """The admin surface through the real server: each endpoint answers, and a reset forgets them all."""
    assert (
        fresh.admin("PUT", "/_emulator/callees/+15557770000", {"outcome": "busy"})["+15557770000"]["outcome"]
        == "busy"
    )
    assert (
        fresh.admin("PUT", "/_emulator/objects/prompts/a%20b.wav", {"durationSeconds": 2})["key"] == "a b.wav"
    )
    assert (
        fresh.admin("PUT", "/_emulator/buckets/locked", {"writable": False})["buckets"]["locked"]["writable"]
        is False
    )
    bot = {
        "botAliasArn": "arn:aws:lex:us-east-1:123456789012:bot-alias/B/A",
        "intents": [{"name": "I", "utterances": ["hi"]}],
    }
    assert fresh.admin("POST", "/_emulator/bots", bot)["botAliasArn"] == bot["botAliasArn"]
    room = fresh.admin("POST", "/_emulator/meetings", {"attendees": ["ann", "bob"]})
    assert [a["ExternalUserId"] for a in room["Attendees"]] == ["ann", "bob"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        fresh.admin("PUT", "/_emulator/callees/+15557770000", {"outcome": "maybe"})
    assert refused.value.code == 400 and "outcome" in refused.value.read().decode()
    fresh.reset()
    assert fresh.admin("GET", "/_emulator/callees") == {"callees": {}}
    assert fresh.admin("GET", "/_emulator/objects") == {"objects": []}
    assert fresh.admin("GET", "/_emulator/meetings") == {"meetings": []}
