"""The program under the real Pulumi engine, one stack through its life: preview, up, calls and
failover, a no-change up, drift, a stack rename, a number replaced, protection, destroy.

One stack (two Regions, a searched and a named number, handlers brought by ARN and run by the
emulator) is shared by the tests of this module, in order (`--dist loadfile` gives a file to one
worker): each test starts from where the previous one left the stack, as a user's next command
would. Every AWS endpoint variable, the chime-sdk-voice one included, leads to a tripwire: the stack
config's chimeEndpoint is the only way to the emulator, and `test_nothing_reached_aws` checks that
nothing tried another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from engine import tooling
from testbed.pulumi_cli import PulumiCli
from tests.engine import probe
from tests.engine.engine_world import (
    BACKUP_FN,
    BACKUP_HANDLER_SAYS,
    BACKUP_REGION,
    CALL_HANDLER_SAYS,
    FAILING_HANDLER,
    HANDLERS,
    KEY,
    PRIMARY_FN,
    PRIMARY_REGION,
    EngineWorld,
    function_arn,
    resources,
)

probe.engine_or_skip()

pytestmark = pytest.mark.timeout(300)

STACK = "lifecycle"
NAMED_NUMBER = "+12062370000"  # one the emulator's default pool sells
SEARCH = {"phoneNumberType": "TollFree", "country": "US", "tollFreePrefix": "844"}
PHONE = "pulumi-python:dynamic/chime:PhoneNumber"
SMA = "pulumi-python:dynamic/chime:SipMediaApplication"
RULE = "pulumi-python:dynamic/chime:SipRule"
GATE = "pulumi-python:dynamic/gate:DeploymentGate"
REGIONAL = "chime-pstn-routing:components:RegionalTarget"
ROUTING = "chime-pstn-routing:components:CallRouting"


def stack_config(world: EngineWorld, **overrides: Any) -> dict[str, Any]:
    return {
        "aws:region": PRIMARY_REGION,
        f"{KEY}chimeEndpoint": world.url,
        f"{KEY}handlerArn": function_arn(PRIMARY_FN, PRIMARY_REGION),
        f"{KEY}backupRegion": BACKUP_REGION,
        f"{KEY}backupHandlerArn": function_arn(BACKUP_FN, BACKUP_REGION),
        f"{KEY}protectPhoneNumbers": False,
        f"{KEY}phoneNumbers": [{"search": SEARCH}, {"e164": NAMED_NUMBER}],
        **{f"{KEY}{k}": v for k, v in overrides.items()},
    }


class Lifecycle:
    """The module's shared stack and what the tests learn about it as they go."""

    def __init__(self, world: EngineWorld, cli: PulumiCli) -> None:
        self.world = world
        self.cli = cli
        self.outputs: dict[str, Any] = {}

    def urn(self, type_: str, name: str) -> str:
        state = self.cli.stack_export()
        (found,) = [r["urn"] for r in resources(state, type_) if r["urn"].endswith(f"::{name}")]
        return str(found)


@pytest.fixture(scope="module")
def stack(pulumi_engine: tooling.Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lifecycle]:
    world = EngineWorld(pulumi_engine, tmp_path_factory.mktemp("lifecycle"), ["--order-delay", "0"])
    try:
        world.start_emulator(HANDLERS)
        cli = world.new_stack(STACK, stack_config(world))
        yield Lifecycle(world, cli)
        print("\n" + cli.report())
    finally:
        world.close()


def _names(steps: list[tuple[str, str]]) -> Counter[str]:
    return Counter(f"{op} {urn.split('::')[2].rsplit('$', 1)[-1]}" for op, urn in steps)


def test_preview_of_a_new_stack_lists_every_resource_and_calls_no_api(stack: Lifecycle) -> None:
    stack.world.emu.reset_requests()
    preview = stack.cli.ok_events("preview")
    planned = _names(preview.changed(done=False))
    assert planned == Counter({
        "create pulumi:pulumi:Stack": 1, f"create {ROUTING}": 1, f"create {REGIONAL}": 2,
        f"create {PHONE}": 2, f"create {SMA}": 2, f"create {GATE}": 2, f"create {RULE}": 2,
    }), preview.text()
    assert stack.world.operations() == []  # Check only: not one request, not even a read
    assert preview.summary()["resourceChanges"] == {"create": 12}


def test_up_creates_everything_and_the_outputs_are_the_emulators_state(stack: Lifecycle) -> None:
    up = stack.cli.ok_events("up", "--yes", "--skip-preview")
    assert Counter(op for op, _ in up.changed()) == Counter({"create": 12}), up.text()
    outputs = stack.cli.outputs()
    world = stack.world.world()
    # Numbers: the named one and one the search found, both ours and routed.
    assert len(outputs["phoneNumbers"]) == 2 and outputs["phoneNumbers"][1] == NAMED_NUMBER
    assert outputs["phoneNumbers"][0].startswith("+1844")
    assert set(outputs["phoneNumbers"]) == world.live_numbers()
    assert all(world.numbers[n]["Status"] == "Assigned" for n in outputs["phoneNumbers"])
    # Applications: one per Region, each invoking the function its stack config names.
    primary = world.applications[outputs["sipMediaApplicationId"]]
    backup = world.applications[outputs["backupSipMediaApplicationId"]]
    assert set(world.applications) == {primary["SipMediaApplicationId"], backup["SipMediaApplicationId"]}
    assert (primary["Region"], backup["Region"]) == (PRIMARY_REGION, BACKUP_REGION)
    assert primary["Endpoints"] == [{"LambdaArn": function_arn(PRIMARY_FN, PRIMARY_REGION)}]
    assert backup["Endpoints"] == [{"LambdaArn": function_arn(BACKUP_FN, BACKUP_REGION)}]
    assert outputs["callHandlerArn"] == function_arn(PRIMARY_FN, PRIMARY_REGION)
    assert outputs["backupCallHandlerArn"] == function_arn(BACKUP_FN, BACKUP_REGION)
    # Rules: one per number, in config order, each to the primary (1) then the backup (2).
    assert set(outputs["sipRuleIds"]) == set(world.rules)
    for number, rule_id in zip(outputs["phoneNumbers"], outputs["sipRuleIds"], strict=True):
        rule = world.rules[rule_id]
        assert (rule["TriggerType"], rule["TriggerValue"], rule["Disabled"]) == (
            "ToPhoneNumber", number, False)
        targets = [(t["SipMediaApplicationId"], t["Priority"], t["AwsRegion"])
                   for t in rule["TargetApplications"]]
        assert targets == [(primary["SipMediaApplicationId"], 1, PRIMARY_REGION),
                           (backup["SipMediaApplicationId"], 2, BACKUP_REGION)]
    # The state holds the same ids.
    state = stack.cli.stack_export()
    assert {r["id"] for r in resources(state, PHONE)} == set(outputs["phoneNumbers"])
    assert {r["id"] for r in resources(state, RULE)} == set(outputs["sipRuleIds"])
    assert {r["id"] for r in resources(state, SMA)} == set(world.applications)
    stack.outputs = outputs


def test_a_call_to_each_number_is_answered_by_the_primary_handler(stack: Lifecycle) -> None:
    for number in stack.outputs["phoneNumbers"]:
        answer = stack.world.call(number)
        assert answer.status == "completed", answer.record
        assert (answer.sip_media_application_id, answer.region, answer.priority) == (
            stack.outputs["sipMediaApplicationId"], PRIMARY_REGION, 1)
        assert answer.said == [CALL_HANDLER_SAYS]


def test_a_failing_primary_fails_over_to_the_backup_region(stack: Lifecycle) -> None:
    # The primary's function now fails every invocation: PSTN audio tries priority 2.
    stack.world.start_emulator({**HANDLERS, PRIMARY_FN: FAILING_HANDLER})
    try:
        for number in stack.outputs["phoneNumbers"]:
            answer = stack.world.call(number)
            assert answer.status == "completed", answer.record
            assert (answer.sip_media_application_id, answer.region, answer.priority) == (
                stack.outputs["backupSipMediaApplicationId"], BACKUP_REGION, 2)
            assert answer.said == [BACKUP_HANDLER_SAYS]
    finally:
        stack.world.start_emulator(HANDLERS)


def test_a_second_up_and_a_preview_change_nothing_and_send_no_mutating_request(stack: Lifecycle) -> None:
    stack.world.emu.reset_requests()
    up = stack.cli.ok_events("up", "--yes", "--skip-preview")
    assert up.changed() == [], up.text()
    assert stack.world.mutations() == []
    preview = stack.cli("preview", "--expect-no-changes")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert stack.world.mutations() == []
    assert stack.cli.outputs() == stack.outputs


def test_drift_is_found_by_refresh_and_repaired_by_up(stack: Lifecycle) -> None:
    searched, named = stack.outputs["phoneNumbers"]
    primary = stack.outputs["sipMediaApplicationId"]
    chime = stack.world.emu.client(PRIMARY_REGION)
    before = stack.world.world()
    disabled, deleted = before.rule_for(searched), before.rule_for(named)
    original_name = before.applications[primary]["Name"]
    chime.update_sip_rule(SipRuleId=disabled["SipRuleId"], Name=disabled["Name"], Disabled=True)
    chime.update_sip_media_application(SipMediaApplicationId=primary, Name="renamed-by-hand")
    chime.update_sip_rule(SipRuleId=deleted["SipRuleId"], Name=deleted["Name"], Disabled=True)
    chime.delete_sip_rule(SipRuleId=deleted["SipRuleId"])

    refresh = stack.cli.ok_events("refresh", "--yes", "--skip-preview")
    state = {r.get("id"): r for r in resources(stack.cli.stack_export())}
    assert state[disabled["SipRuleId"]]["outputs"]["disabled"] is True
    assert state[primary]["outputs"]["name"] == "renamed-by-hand"
    assert deleted["SipRuleId"] not in state  # gone from the state as from the service
    refreshed = Counter(op for op, _ in refresh.steps() if op != "same")
    assert refreshed["update"] >= 2 and refreshed["delete"] == 1, refresh.text()

    stack.world.emu.reset_requests()
    up = stack.cli.ok_events("up", "--yes", "--skip-preview")
    assert _names(up.changed()) == Counter({f"update {RULE}": 1, f"update {SMA}": 1, f"create {RULE}": 1}), \
        up.text()
    after = stack.world.world()
    assert after.rule_for(searched)["Disabled"] is False
    assert after.applications[primary]["Name"] == original_name
    recreated = after.rule_for(named)
    assert recreated["SipRuleId"] != deleted["SipRuleId"] and recreated["Disabled"] is False
    assert stack.world.call(named).said == [CALL_HANDLER_SAYS]
    stack.outputs = stack.cli.outputs()
    assert stack.outputs["sipRuleIds"] == [after.rule_for(searched)["SipRuleId"], recreated["SipRuleId"]]


def test_renaming_the_stack_renames_applications_and_rules_in_place(stack: Lifecycle) -> None:
    before = stack.world.world()
    stack.cli.ok("stack", "rename", "renamed")
    stack.cli.stack = "renamed"
    stack.world.emu.reset_requests()
    up = stack.cli.ok_events("up", "--yes", "--skip-preview")
    # Names follow the stack (chime-pstn-routing-<stack>...): every application and rule is updated,
    # nothing is replaced, and the numbers (whose order marker also names the stack) are untouched.
    assert _names(up.changed()) == Counter({f"update {SMA}": 2, f"update {RULE}": 2}), up.text()
    assert Counter(stack.world.mutations()) == Counter({"UpdateSipMediaApplication": 2, "UpdateSipRule": 2})
    after = stack.world.world()
    assert set(after.applications) == set(before.applications) and set(after.rules) == set(before.rules)
    assert sorted(a["Name"] for a in after.applications.values()) == [
        "chime-pstn-routing-renamed", "chime-pstn-routing-renamed-backup"]
    assert all(r["Name"].startswith("chime-pstn-routing-renamed-") for r in after.rules.values())
    assert stack.cli.outputs() == stack.outputs


def test_a_new_number_replaces_its_rule_delete_first(stack: Lifecycle) -> None:
    searched, named = stack.outputs["phoneNumbers"]
    number_urn = stack.urn(PHONE, "routing-number-search-tollfree-us-844")
    rule_urn = stack.urn(RULE, "routing-rule-search-tollfree-us-844")
    old_rule = stack.world.world().rule_for(searched)
    stack.world.emu.reset_requests()
    with stack.world.watching_rules() as samples:
        # A different number for the same entry: the rule's trigger changes under the same rule.
        up = stack.cli.ok_events("up", "--yes", "--skip-preview", "--replace", number_urn)
    ops = [op for op, urn in up.steps() if urn == rule_urn]
    # Delete first: the old rule goes before the new one exists.
    assert ops == ["delete-replaced", "replace", "create-replacement"], up.text()
    number_ops = [op for op, urn in up.steps() if urn == number_urn]
    assert number_ops == ["create-replacement", "replace", "delete-replaced"], up.text()
    requests = stack.world.operations()
    assert requests.index("DeleteSipRule") < requests.index("CreateSipRule")
    # Whatever the sampling caught: never two rules of one name (the rule and its replacement), never
    # two rules on one number.
    assert samples and all(len(ids) == 1 for sample in samples for ids in sample.values())
    outputs = stack.cli.outputs()
    new_number = outputs["phoneNumbers"][0]
    world = stack.world.world()
    assert new_number != searched and outputs["phoneNumbers"][1] == named
    assert world.numbers[searched]["Status"] == "ReleaseInProgress"  # the replaced number was released
    new_rule = world.rule_for(new_number)
    assert new_rule["SipRuleId"] != old_rule["SipRuleId"] and new_rule["Name"] == old_rule["Name"]
    assert stack.world.call(new_number).said == [CALL_HANDLER_SAYS]
    stack.outputs = outputs


def test_replacing_a_named_number_releases_it_before_taking_it_back(stack: Lifecycle) -> None:
    # `pulumi up --replace` asks the provider no diff, so only the resource option makes the engine
    # delete first here: the old resource releases the number (its rule goes first), the new one
    # restores it from the deletion queue. Created first, it would adopt the number, and the old
    # resource's delete would then fail on it (assigned) in this and every later `up`.
    searched, named = stack.outputs["phoneNumbers"]
    number_urn = stack.urn(PHONE, "routing-number-12062370000")
    stack.world.emu.reset_requests()
    up = stack.cli.ok_events("up", "--yes", "--skip-preview", "--replace", number_urn)
    assert [op for op, urn in up.steps() if urn == number_urn] == [
        "delete-replaced", "replace", "create-replacement"], up.text()
    requests = stack.world.operations()
    assert "CreatePhoneNumberOrder" not in requests
    assert requests.index("DeleteSipRule") < requests.index("DeletePhoneNumber") \
        < requests.index("RestorePhoneNumber") < requests.index("CreateSipRule")
    assert not [r for r in resources(stack.cli.stack_export()) if r.get("delete")]  # nothing left pending
    outputs = stack.cli.outputs()
    assert outputs["phoneNumbers"] == [searched, named]
    assert stack.world.world().numbers[named]["Status"] == "Assigned"
    assert stack.world.call(named).said == [CALL_HANDLER_SAYS]
    stack.outputs = outputs


def test_protected_numbers_survive_destroy_and_exclude_protected_removes_the_rest(stack: Lifecycle) -> None:
    assert stack.cli.stack is not None
    stack.world.set_config(stack.cli, stack_config(stack.world, protectPhoneNumbers=True))
    stack.world.emu.reset_requests()
    protect = stack.cli.ok_events("up", "--yes", "--skip-preview")
    assert protect.changed() == [] and stack.world.mutations() == []  # only the state's protect flags
    assert all(r.get("protect") for r in resources(stack.cli.stack_export(), PHONE))
    numbers = set(stack.outputs["phoneNumbers"])

    kept = stack.cli.ok_events("destroy", "--yes", "--skip-preview", "--exclude-protected")
    assert _names(kept.changed()) == Counter({
        f"delete {RULE}": 2, f"delete {SMA}": 2, f"delete {GATE}": 2, f"delete {REGIONAL}": 2}), kept.text()
    after = stack.world.world()
    assert after.rules == {} and after.applications == {}
    assert after.live_numbers() == numbers
    assert {after.numbers[n]["Status"] for n in numbers} == {"Unassigned"}
    assert {r["id"] for r in resources(stack.cli.stack_export(), PHONE)} == numbers

    # A plain destroy refuses each protected number and fails; none is released. (With other
    # resources still there it would have deleted those first: the engine continues past a protected
    # delete, pkg/resource/deploy/step_executor.go, to report every one.)
    stack.world.emu.reset_requests()
    refused = stack.cli.events("destroy", "--yes", "--skip-preview")
    assert refused.returncode != 0
    assert refused.text().count("cannot be deleted\nbecause it is protected") == 2, refused.text()
    assert stack.world.mutations() == []
    assert stack.world.world().live_numbers() == numbers
    assert {r["id"] for r in resources(stack.cli.stack_export(), PHONE)} == numbers


def test_nothing_reached_aws(stack: Lifecycle) -> None:
    # The chime-sdk-voice endpoint variable led to the tripwire too: every request the providers
    # sent went where the stack config's chimeEndpoint said.
    assert stack.world.tripwire.hits == []
    assert stack.cli.env["AWS_ENDPOINT_URL_CHIME_SDK_VOICE"] == stack.world.tripwire.url


def test_refresh_uses_the_endpoint_of_the_last_up_unless_it_runs_the_program(stack: Lifecycle) -> None:
    # The engine keeps the dynamic provider's configuration (the whole stack config) in the state and
    # refreshes with it: with chimeEndpoint gone from the stack config, `refresh` still reads from the
    # emulator. `--run-program` configures the providers from the current config: the endpoint
    # variable's tripwire then gets the reads, and the refresh fails. (Also the proof that the
    # tripwire catches a request that escapes.)
    assert stack.cli.stack is not None
    config = stack_config(stack.world, protectPhoneNumbers=True)
    del config[f"{KEY}chimeEndpoint"]
    stack.world.set_config(stack.cli, config)
    try:
        stack.world.emu.reset_requests()
        recorded = stack.cli.events("preview", "--refresh")
        assert recorded.returncode == 0, recorded.text()
        assert Counter(stack.world.operations())["GetPhoneNumber"] == 2
        assert stack.world.tripwire.hits == []
        # (Retry waits shrunk further: every read is retried until the providers give up.)
        current = stack.cli.events("preview", "--refresh", "--run-program",
                                   env={"CHIME_PSTN_RETRY_BASE_SECONDS": "0.0001"})
    finally:
        stack.world.set_config(stack.cli, stack_config(stack.world, protectPhoneNumbers=True))
    assert current.returncode != 0
    assert any(hit.startswith("GET /phone-numbers/") for hit in stack.world.tripwire.hits), current.text()
    stack.world.tripwire.hits.clear()
