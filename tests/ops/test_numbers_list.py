"""`ops numbers list` against the emulator: every inventory number with its status, product type and
the SIP rule and applications that route it; numbers the stack does not manage are flagged."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ops.inventory import build as build_inventory
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, running_emulator
from tests.ops.conftest import (
    GREETER,
    HOLDER,
    create_application,
    fake_pulumi,
    lambda_arn,
    order_number,
    provision_stack,
    write_outputs,
)

GONE = "+18445550999"  # named by the stack, not in the inventory


def row(out: str, number: str) -> str:
    (line,) = [line for line in out.splitlines() if line.startswith(number + " ")]
    return line


def inventory(emu: RunningEmulator) -> dict[str, Any]:
    """The stack's number routed to a primary and a backup application, a second number routed by a
    disabled rule, and one number nothing routes; only the first is the stack's."""
    stack = provision_stack(emu)
    chime = emu.client()
    backup = create_application(emu, "backup-app", HOLDER, region="us-west-2")
    rule_id = stack["sipRuleIds"][0]
    rule = chime.get_sip_rule(SipRuleId=rule_id)["SipRule"]
    chime.update_sip_rule(SipRuleId=rule_id, Name=rule["Name"], TargetApplications=[
        *rule["TargetApplications"],
        {"SipMediaApplicationId": backup, "Priority": 2, "AwsRegion": "us-west-2"},
    ])  # fmt: skip
    routed_elsewhere = order_number(chime, PhoneNumberType="Local", Country="US", AreaCode="206")
    other_app = create_application(emu, "other-app", GREETER)
    target = {"SipMediaApplicationId": other_app, "Priority": 1, "AwsRegion": "us-east-1"}
    chime.create_sip_rule(Name="other-rule", TriggerType="ToPhoneNumber", TriggerValue=routed_elsewhere,
                          Disabled=True, TargetApplications=[target])
    idle = order_number(chime, PhoneNumberType="TollFree", Country="US", TollFreePrefix="833")
    return {"stack": stack, "backup": backup, "routed_elsewhere": routed_elsewhere, "other_app": other_app,
            "idle": idle}


def test_every_number_with_its_routing_and_the_unmanaged_ones_flagged(ops_emulator, run_ops, tmp_path):
    made = inventory(ops_emulator)
    stack = made["stack"]
    number = stack["phoneNumbers"][0]
    outputs = write_outputs(tmp_path, {**stack, "phoneNumbers": [number, GONE]})
    ops_emulator.reset_requests()

    result = run_ops("numbers", "list", "--outputs-file", outputs)
    assert result.code == 0, result.err
    header = result.out.splitlines()[0].split()
    assert header[:5] == ["Number", "Status", "Product", "type", "Type"] and header[-1] == "Stack"
    assert "Routed by (us-east-1)" in result.out.splitlines()[0]
    mine = row(result.out, number)
    assert mine.split()[1:4] == ["Assigned", "SipMediaApplicationDialIn", "TollFree"]
    assert "ops-test-rule -> ops-test (us-east-1, p1), backup-app (us-west-2, p2)" in mine
    assert mine.endswith("  managed")
    other = row(result.out, made["routed_elsewhere"])
    assert "other-rule [disabled] -> other-app (us-east-1, p1)" in other and other.endswith("NOT MANAGED")
    idle = row(result.out, made["idle"])
    assert idle.split()[1:4] == ["Unassigned", "SipMediaApplicationDialIn", "TollFree"]
    assert "not routed" in idle and idle.endswith("NOT MANAGED")
    footer = result.out.split("\n\n", 1)[1]
    assert f"2 number(s) not managed by outputs file {outputs}, billed all the same: " in footer
    assert made["routed_elsewhere"] in footer and made["idle"] in footer and number not in footer
    assert f"names number(s) the inventory does not hold: {GONE}" in footer

    operations = [(r["operation"], r.get("region")) for r in ops_emulator.requests()]
    names = [op for op, _ in operations]
    assert {"ListPhoneNumbers", "ListSipRules", "ListSipMediaApplications"} <= set(names)
    # Only the backup application lives in another Region: read there, once.
    assert names.count("GetSipMediaApplication") == 1
    assert not {"CreatePhoneNumberOrder", "UpdateSipRule", "DeletePhoneNumber"} & set(names)


def test_json_names_rules_applications_and_lambdas(ops_emulator, run_ops, tmp_path):
    made = inventory(ops_emulator)
    stack = made["stack"]
    result = run_ops("numbers", "list", "--outputs-file", write_outputs(tmp_path, stack), "--json")
    assert result.code == 0, result.err
    answer = json.loads(result.out)
    assert answer["region"] == "us-east-1" and answer["notInInventory"] == []
    by_number = {n["e164PhoneNumber"]: n for n in answer["numbers"]}
    assert list(by_number) == sorted(by_number) and len(by_number) == 3
    mine = by_number[stack["phoneNumbers"][0]]
    assert mine["managed"] is True and mine["routed"] is True
    assert mine["productType"] == "SipMediaApplicationDialIn"
    (rule,) = mine["sipRules"]
    assert rule["sipRuleId"] == stack["sipRuleIds"][0] and rule["disabled"] is False
    assert [(t["sipMediaApplicationId"], t["priority"], t["region"]) for t in rule["targets"]] == [
        (stack["sipMediaApplicationId"], 1, "us-east-1"), (made["backup"], 2, "us-west-2")]
    assert rule["targets"][1]["lambdaArns"] == [f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:"
                                                f"function:{HOLDER}"]
    idle = by_number[made["idle"]]
    assert idle["managed"] is False and idle["routed"] is False and idle["sipRules"] == []


def test_an_empty_inventory_and_a_stack_without_numbers(ops_emulator, run_ops, tmp_path):
    result = run_ops("numbers", "list", "--outputs-file", write_outputs(tmp_path, {"phoneNumbers": []}),
                     "--region", "us-east-1")
    assert result.code == 0, result.err
    assert result.out.strip() == "No phone numbers in the inventory (us-east-1)."


def test_outputs_come_from_the_pulumi_cli(ops_emulator, run_ops, tmp_path, monkeypatch):
    stack = provision_stack(ops_emulator)
    monkeypatch.setenv("PULUMI_BIN", fake_pulumi(tmp_path, stack))
    result = run_ops("numbers", "list", "--stack", "dev")
    assert result.code == 0, result.err
    assert row(result.out, stack["phoneNumbers"][0]).endswith("  managed")
    assert "not managed" not in result.out


@pytest.mark.parametrize(
    ("argv", "outputs", "message"),
    [
        ([], None, "the Pulumi CLI is not installed (needed to read the stack's outputs)"),
        (["--stack", "nope"], "fake", "cannot read the outputs of stack 'nope': error: no stack named this"),
        (["--outputs-file", "/nonexistent/outputs.json"], None,
         "outputs file /nonexistent/outputs.json does not exist"),
        (["--outputs-file", "FILE"], {"sipRuleIds": []},
         "stack output 'phoneNumbers' is missing from outputs file"),
        (["--outputs-file", "FILE"], {"phoneNumbers": "+18445550100"}, "is not a list of numbers"),
    ],
)
def test_no_stack_or_no_outputs_is_refused_before_any_request(
    ops_emulator, run_ops, tmp_path, monkeypatch, argv, outputs, message
):
    if outputs == "fake":
        monkeypatch.setenv("PULUMI_BIN", fake_pulumi(tmp_path, {"phoneNumbers": []}))
    elif outputs is not None:
        argv = [write_outputs(tmp_path, outputs) if a == "FILE" else a for a in argv]
    result = run_ops("numbers", "list", *argv)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1 and result.err.startswith("error: ")
    assert ops_emulator.operations() == []


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A state file holding a stack's inventory, made without faults (faulty emulators start from a
    copy of it)."""
    state = tmp_path_factory.mktemp("inventory") / "state.db"
    with running_emulator(["--order-delay", "0", "--state", str(state)]) as emu:
        return state, inventory(emu)


def faulty(provisioned: tuple[Path, dict[str, Any]], tmp_path: Path, *faults: str) -> Any:
    state = tmp_path / "state.db"
    shutil.copy(provisioned[0], state)
    return running_emulator(["--state", str(state), *faults])


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.setenv("PULUMI_BIN", "/nonexistent/pulumi")


def test_throttled_reads_are_retried(run_ops, tmp_path, monkeypatch, fast_retries, provisioned):
    stack = provisioned[1]["stack"]
    outputs = write_outputs(tmp_path, stack)
    with faulty(provisioned, tmp_path, "--throttle-rate", "0.5", "--seed", "3") as emu:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", emu.url)
        result = run_ops("numbers", "list", "--outputs-file", outputs)
        log = emu.requests()
    assert result.code == 0, result.err
    assert "ops-test-rule -> ops-test (us-east-1, p1), backup-app (us-west-2, p2)" in row(
        result.out, stack["phoneNumbers"][0])
    assert len([line for line in result.out.splitlines() if line.startswith("+")]) == 3
    throttled = {r["operation"] for r in log if r["fault"] == "throttle"}
    assert throttled, "nothing was throttled: the test proves nothing"
    served = {r["operation"] for r in log if r["fault"] is None}
    assert throttled <= served  # every throttled read was sent again and answered


@pytest.mark.parametrize(
    ("fault", "code"),
    [("--throttle-rate", "ThrottledClientException"), ("--error-rate", "ServiceUnavailableException")],
)
def test_a_persistent_fault_is_one_line_and_exit_1_after_the_operator_budget(
    run_ops, tmp_path, monkeypatch, fast_retries, provisioned, fault, code
):
    outputs = write_outputs(tmp_path, provisioned[1]["stack"])
    monkeypatch.setenv("OPS_API_DEADLINE_SECONDS", "1")  # the operator budget, shrunk for the test
    with faulty(provisioned, tmp_path, fault, "1.0") as emu:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", emu.url)
        result = run_ops("numbers", "list", "--outputs-file", outputs)
        log = emu.requests()
    assert result.code == 1
    message = "Rate exceeded" if fault == "--throttle-rate" else "Service unavailable"
    gave_up = re.fullmatch(r"error: ListPhoneNumbers: gave up after (\d+) attempts in [0-9.]+ s "
                           r"\(deadline 1 s\); "
                           rf"last error: {code}: {message} \(injected fault\)", result.err.strip())
    assert gave_up, result.err
    attempts = int(gave_up.group(1))
    assert attempts > 1 and [r["operation"] for r in log] == ["ListPhoneNumbers"] * attempts
    assert result.out == ""


def test_a_rule_of_another_region_is_named_and_read_with_region(ops_emulator, run_ops, tmp_path):
    chime_west = ops_emulator.client("us-west-2")
    number = order_number(ops_emulator.client(), PhoneNumberType="TollFree", Country="US",
                          TollFreePrefix="855")
    app = create_application(ops_emulator, "west-app", HOLDER, region="us-west-2")
    rule = chime_west.create_sip_rule(Name="west-rule", TriggerType="ToPhoneNumber", TriggerValue=number,
                                      TargetApplications=[{"SipMediaApplicationId": app, "Priority": 1,
                                                           "AwsRegion": "us-west-2"}])["SipRule"]["SipRuleId"]
    outputs = write_outputs(tmp_path, {"phoneNumbers": [number], "callHandlerArn": lambda_arn(GREETER)})
    east = run_ops("numbers", "list", "--outputs-file", outputs)
    assert east.code == 0, east.err
    assert f"SIP rule {rule} (not in us-east-1)" in row(east.out, number)
    west = run_ops("numbers", "list", "--outputs-file", outputs, "--region", "us-west-2")
    assert west.code == 0, west.err
    assert "Routed by (us-west-2)" in west.out
    assert "west-rule -> west-app (us-west-2, p1)" in row(west.out, number)


class FakeChime:
    """Just enough of a chime-sdk-voice client for `inventory.build`: one page per list call."""

    def __init__(self, region: str, numbers: list[dict[str, Any]], rules: list[dict[str, Any]]) -> None:
        self.meta = SimpleNamespace(region_name=region)
        self.numbers, self.rules = numbers, rules

    def list_phone_numbers(self, **_: Any) -> dict[str, Any]:
        return {"PhoneNumbers": self.numbers}

    def list_sip_rules(self, **_: Any) -> dict[str, Any]:
        return {"SipRules": self.rules}

    def list_sip_media_applications(self, **_: Any) -> dict[str, Any]:
        return {"SipMediaApplications": [{"SipMediaApplicationId": "app-1", "AwsRegion": "us-east-1",
                                          "Name": "app", "Endpoints": []}]}


def test_a_rule_routes_its_trigger_number_even_without_an_association():
    # The service's rule trigger is what routes a call; an association listed on the number is not needed.
    numbers: list[dict[str, Any]] = [
        {"E164PhoneNumber": "+18445550100", "Status": "Assigned", "ProductType": "SipMediaApplicationDialIn",
         "Type": "TollFree", "Associations": []},
        {"E164PhoneNumber": "+12065550100", "Status": "Assigned", "ProductType": "VoiceConnector",
         "Type": "Local", "Associations": [{"Name": "VoiceConnectorId", "Value": "vc-1"}]},
    ]
    target = {"SipMediaApplicationId": "app-1", "Priority": 1, "AwsRegion": "us-east-1"}
    rules: list[dict[str, Any]] = [{"SipRuleId": "rule-1", "Name": "r", "TriggerType": "ToPhoneNumber",
                                    "TriggerValue": "18445550100", "TargetApplications": [target]}]
    client = FakeChime("us-east-1", numbers, rules)
    found = build_inventory(lambda region: client, "us-east-1", ("+18445550100",))
    by_number = {n.e164: n for n in found.numbers}
    assert [r.rule_id for r in by_number["+18445550100"].rules] == ["rule-1"]
    assert by_number["+18445550100"].managed and by_number["+18445550100"].routed
    voice_connector = by_number["+12065550100"]
    assert voice_connector.rules == () and voice_connector.elsewhere == ("VoiceConnectorId vc-1",)
    assert not by_number["+12065550100"].managed and found.not_in_inventory == ()
