"""SipRule's own loops and checks, driven in process with a scripted client: the retrying client
underneath hides them from the end-to-end tests, so here each call fails exactly as the test says
(throttled, fatal, conflict, not found) and the attempts the provider makes are counted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pulumi.dynamic import CheckFailure
from pulumi.runtime.rpc import UNKNOWN

from awsutil.retry import PROVISIONING
from providers import adoptions
from providers.errors import ProviderError
from providers.sip_rule import (
    _DELETE_ATTEMPTS,
    _TRANSIENT_BAD_REQUEST_ATTEMPTS,
    SipRuleProvider,
    _same_trigger,
    _target_failures,
)
from tests.providers import scripted
from tests.providers.scripted import (
    BAD_REQUEST,
    CONFLICT,
    FATAL,
    NOT_FOUND,
    THROTTLED,
    ScriptedConnection,
    as_sent,
    error,
)

SMA = "00000000-0000-4000-8000-000000000001"
SMA2 = "00000000-0000-4000-8000-000000000002"
RULE_ID = "11111111-0000-4000-8000-000000000001"


class ScriptedClient(scripted.ScriptedClient):
    """A scripted client whose unscripted rule calls answer like the service: `rules` is what
    ListSipRules lists."""

    def __init__(self, **scripts: list[Any]) -> None:
        super().__init__(
            {
                "update_sip_rule": lambda p: {"SipRule": rule(**p)},
                "create_sip_rule": lambda p: {"SipRule": rule(SipRuleId=RULE_ID, **p)},
                "list_sip_rules": lambda p: {"SipRules": self.rules},
                "get_sip_rule": lambda p: {"SipRule": rule(SipRuleId=p["SipRuleId"])},
            },
            **scripts,
        )
        self.rules: list[dict[str, Any]] = []


def rule(**fields: Any) -> dict[str, Any]:
    return {
        "SipRuleId": RULE_ID,
        "Name": "my-rule",
        "TriggerType": "ToPhoneNumber",
        "TriggerValue": "+18445550100",
        "Disabled": False,
        "TargetApplications": [{"SipMediaApplicationId": SMA, "Priority": 1, "AwsRegion": "us-east-1"}],
        **fields,
    }


@pytest.fixture(autouse=True)
def fast_waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PROVISIONING.base_env, "0.001")
    adoptions.forget()
    yield


def provider(client: ScriptedClient) -> SipRuleProvider:
    p = SipRuleProvider()
    p._connection = ScriptedConnection(client)
    return p


PROPS = as_sent({  # as the engine hands them over
    "name": "my-rule",
    "trigger_type": "ToPhoneNumber",
    "trigger_value": "+18445550100",
    "disabled": False,
    "targets": [{"sip_media_application_id": SMA, "priority": 1.0, "region": "us-east-1"}],
    "region": "us-east-1",
})


# --- delete ------------------------------------------------------------------------------------------


def test_delete_disables_an_enabled_rule_then_deletes_it() -> None:
    client = ScriptedClient()
    provider(client).delete(RULE_ID, PROPS)
    assert client.calls == [
        ("update_sip_rule", {"SipRuleId": RULE_ID, "Name": "my-rule", "Disabled": True}),
        ("delete_sip_rule", {"SipRuleId": RULE_ID}),
    ]


def test_delete_of_a_disabled_rule_deletes_at_once() -> None:
    client = ScriptedClient()
    provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
    assert client.names() == ["delete_sip_rule"]


def test_delete_retries_a_throttled_call_instead_of_giving_up_on_the_first() -> None:
    client = ScriptedClient(delete_sip_rule=[THROTTLED, THROTTLED])
    provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
    assert client.names() == ["delete_sip_rule"] * 3


def test_delete_does_not_disable_again_after_the_disable_succeeded() -> None:
    client = ScriptedClient(delete_sip_rule=[THROTTLED])
    provider(client).delete(RULE_ID, PROPS)
    assert client.names() == ["update_sip_rule", "delete_sip_rule", "delete_sip_rule"]


def test_delete_raises_a_fatal_error_at_once_without_retrying_it() -> None:
    client = ScriptedClient(delete_sip_rule=[FATAL])
    with pytest.raises(ProviderError, match=f"cannot delete SIP rule {RULE_ID}: .*ForbiddenException"):
        provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
    assert client.names() == ["delete_sip_rule"]


def test_delete_gives_up_with_an_error_when_its_attempts_run_out() -> None:
    client = ScriptedClient(delete_sip_rule=[THROTTLED] * (_DELETE_ATTEMPTS + 5))
    with pytest.raises(
        ProviderError, match=f"cannot delete SIP rule {RULE_ID}: .*gave up after {_DELETE_ATTEMPTS} attempts"
    ):
        provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
    assert client.names() == ["delete_sip_rule"] * _DELETE_ATTEMPTS and _DELETE_ATTEMPTS == 6


def test_delete_of_a_rule_re_enabled_outside_pulumi_disables_it_and_retries() -> None:
    for refusal in (CONFLICT, BAD_REQUEST):
        client = ScriptedClient(delete_sip_rule=[refusal])
        provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
        assert client.names() == ["delete_sip_rule", "update_sip_rule", "delete_sip_rule"]


def test_delete_of_a_rule_already_gone_is_done() -> None:
    client = ScriptedClient(delete_sip_rule=[NOT_FOUND])
    provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
    assert client.names() == ["delete_sip_rule"]
    client = ScriptedClient(update_sip_rule=[NOT_FOUND])
    provider(client).delete(RULE_ID, PROPS)
    assert client.names() == ["update_sip_rule"]


def test_delete_leaves_a_rule_its_replacement_took_over() -> None:
    token = adoptions.new_token()
    adoptions.took_over("SipRule", RULE_ID, "another-token")
    client = ScriptedClient()
    provider(client).delete(RULE_ID, {**PROPS, "create_token": token})
    assert client.calls == []


# --- create ------------------------------------------------------------------------------------------


def test_create_retries_a_transient_bad_request_and_stops_at_the_bound() -> None:
    client = ScriptedClient(create_sip_rule=[BAD_REQUEST] * 2)
    result = provider(client).create(PROPS)
    assert result.id == RULE_ID and client.names().count("create_sip_rule") == 3
    client = ScriptedClient(create_sip_rule=[BAD_REQUEST] * (_TRANSIENT_BAD_REQUEST_ATTEMPTS + 3))
    with pytest.raises(ClientError, match="BadRequestException"):
        provider(client).create(PROPS)
    assert client.names().count("create_sip_rule") == _TRANSIENT_BAD_REQUEST_ATTEMPTS == 5


def test_create_raises_a_fatal_error_once() -> None:
    client = ScriptedClient(create_sip_rule=[FATAL])
    with pytest.raises(ClientError, match="ForbiddenException"):
        provider(client).create(PROPS)
    assert client.names().count("create_sip_rule") == 1


def test_create_sends_the_targets_sorted_with_integer_priorities() -> None:
    client = ScriptedClient()
    targets = [
        {"sip_media_application_id": SMA2, "priority": 2.0, "region": "us-west-2"},
        {"sip_media_application_id": SMA, "priority": 1.0, "region": "us-east-1"},
    ]
    result = provider(client).create({**PROPS, "targets": targets, "disabled": True})
    [(_, sent)] = [c for c in client.calls if c[0] == "create_sip_rule"]
    assert sent == {
        "Name": "my-rule",
        "TriggerType": "ToPhoneNumber",
        "TriggerValue": "+18445550100",
        "Disabled": True,
        "TargetApplications": [
            {"SipMediaApplicationId": SMA, "Priority": 1, "AwsRegion": "us-east-1"},
            {"SipMediaApplicationId": SMA2, "Priority": 2, "AwsRegion": "us-west-2"},
        ],
    }
    assert result.outs is not None
    assert result.outs["targets"] == [
        {"sip_media_application_id": SMA, "priority": 1, "region": "us-east-1"},
        {"sip_media_application_id": SMA2, "priority": 2, "region": "us-west-2"},
    ]
    assert result.outs["disabled"] is True and result.outs["create_token"]


def test_create_adopts_its_own_rule_and_aligns_only_what_differs() -> None:
    client = ScriptedClient()
    client.rules = [rule(TriggerValue="18445550100")]  # listed without its +
    result = provider(client).create(PROPS)
    assert result.id == RULE_ID and client.names() == ["list_sip_rules"]
    client = ScriptedClient()
    client.rules = [rule(Disabled=True)]
    provider(client).create(PROPS)
    assert client.names() == ["list_sip_rules", "update_sip_rule"]
    client = ScriptedClient()
    client.rules = [rule(TargetApplications=[])]
    provider(client).create(PROPS)
    assert client.names() == ["list_sip_rules", "update_sip_rule"]
    extra = {"SipMediaApplicationId": SMA2, "Priority": 2, "AwsRegion": "us-west-2"}
    client = ScriptedClient()
    client.rules = [rule(TargetApplications=[*rule()["TargetApplications"], extra])]  # one target too many
    provider(client).create(PROPS)
    assert client.names() == ["list_sip_rules", "update_sip_rule"]


def test_create_refuses_a_rule_on_the_trigger_with_another_name() -> None:
    # Names sorting before and after this resource's ("my-rule"): any other name is someone else's rule.
    for other in ("by-hand", "z-by-hand"):
        client = ScriptedClient()
        client.rules = [rule(Name=other)]
        with pytest.raises(
            ProviderError,
            match=f"SIP rule {RULE_ID} \\(name '{other}'\\) already routes ToPhoneNumber \\+18445550100",
        ):
            provider(client).create(PROPS)
        assert "create_sip_rule" not in client.names() and "update_sip_rule" not in client.names()


def test_same_trigger_compares_numbers_without_plus_and_hosts_in_any_case() -> None:
    assert _same_trigger(rule(TriggerValue="18445550100"), "ToPhoneNumber", "+18445550100")
    assert not _same_trigger(rule(TriggerValue="+18445550101"), "ToPhoneNumber", "+18445550100")
    host = rule(TriggerType="RequestUriHostname", TriggerValue="ABC.voiceconnector.chime.aws")
    assert _same_trigger(host, "RequestUriHostname", "abc.VoiceConnector.chime.aws")
    assert not _same_trigger(host, "ToPhoneNumber", "abc.voiceconnector.chime.aws")


# --- read, update, diff ------------------------------------------------------------------------------


def test_read_of_a_deleted_rule_is_empty_and_other_errors_raise() -> None:
    assert provider(ScriptedClient(get_sip_rule=[NOT_FOUND])).read(RULE_ID, PROPS).id == ""
    with pytest.raises(ClientError):
        provider(ScriptedClient(get_sip_rule=[FATAL])).read(RULE_ID, PROPS)
    result = provider(ScriptedClient()).read(RULE_ID, {**PROPS, "create_token": "t"})
    assert result.id == RULE_ID and result.outs is not None and result.outs["create_token"] == "t"
    assert result.inputs is not None and set(result.inputs) == {
        "name",
        "trigger_type",
        "trigger_value",
        "targets",
        "disabled",
        "region",
    }


def test_update_always_sends_the_name() -> None:
    client = ScriptedClient()
    out = provider(client).update(RULE_ID, {**PROPS, "create_token": "t"}, {**PROPS, "disabled": True})
    assert client.calls[0][1]["Name"] == "my-rule" and client.calls[0][1]["Disabled"] is True
    assert out.outs is not None and out.outs["create_token"] == "t"


def test_diff_replaces_on_a_trigger_change_only() -> None:
    p = provider(ScriptedClient())
    outs = {**PROPS, "targets": [{"sip_media_application_id": SMA, "priority": 1, "region": "us-east-1"}]}
    assert not p.diff(RULE_ID, outs, PROPS).changes
    changed = p.diff(RULE_ID, outs, {**PROPS, "trigger_value": "+18445550101"})
    assert changed.replaces == ["trigger_value"] and changed.delete_before_replace
    renamed = p.diff(RULE_ID, outs, {**PROPS, "name": "s", "disabled": True})
    assert renamed.changes and renamed.replaces == [] and not renamed.delete_before_replace
    moved = p.diff(RULE_ID, outs, {**PROPS, "region": "us-west-2"})
    assert moved.replaces == ["region"]
    retargeted = p.diff(
        RULE_ID,
        outs,
        {**PROPS, "targets": [{"sip_media_application_id": SMA2, "priority": 1.0, "region": "us-east-1"}]},
    )
    assert retargeted.changes and retargeted.replaces == []


# --- check: the targets ------------------------------------------------------------------------------


def target(i: int = 0, **fields: Any) -> dict[str, Any]:
    regions = [
        "us-east-1",
        "us-west-2",
        "ca-central-1",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
    ]
    return {"sip_media_application_id": SMA, "priority": i + 1, "region": regions[i % len(regions)], **fields}


def reasons(failures: list[CheckFailure]) -> list[str]:
    assert all(f.property == "targets" for f in failures)
    return [f.reason for f in failures]


def test_exactly_25_targets_is_the_model_maximum() -> None:
    # Distinct Regions are a separate rule: 25 targets necessarily repeat some.
    many = [target(i) for i in range(25)]
    assert not [r for r in reasons(_target_failures(many)) if "list of" in r]
    assert reasons(_target_failures([*many, target(25)]))[0] == (
        "targets must be a list of 1 to 25 SIP media application targets"
    )
    assert reasons(_target_failures([])) == [
        "targets must be a list of 1 to 25 SIP media application targets"
    ]
    assert reasons(_target_failures({"0": target()}))[0].startswith("targets must be a list")
    assert _target_failures([target(0), target(1)]) == []


@pytest.mark.parametrize("blank", ["", "   ", None, 5])
def test_an_empty_or_blank_application_id_fails(blank: Any) -> None:
    assert reasons(_target_failures([target(sip_media_application_id=blank)])) == [
        "targets[0].sip_media_application_id is required"
    ]


def test_entries_after_an_unknown_or_non_object_target_are_still_checked() -> None:
    found = reasons(_target_failures(["x", target(0, colour="red"), target(1, priority=0)]))
    assert found == [
        "targets[0] must be an object",
        "targets[1] has unknown keys ['colour']",
        "targets[2].priority must be an integer >= 1; got 0",
    ]
    # A target not known yet (preview) is skipped, and the ones after it are still checked.
    assert reasons(_target_failures([UNKNOWN, target(1, priority=0)])) == [
        "targets[1].priority must be an integer >= 1; got 0"
    ]


def test_priorities_start_at_1_and_do_not_repeat() -> None:
    assert _target_failures([target(0, priority=1.0)]) == []
    assert reasons(_target_failures([target(0, priority=2.5)])) == [
        "targets[0].priority must be an integer >= 1; got 2.5"
    ]
    assert reasons(_target_failures([target(0, priority=True)]))[0].startswith("targets[0].priority must be")
    assert reasons(_target_failures([target(0), target(1, priority=1)])) == [
        "targets[1].priority 1 repeats targets[0]'s"
    ]


def test_each_target_needs_its_own_pstn_audio_region() -> None:
    assert reasons(_target_failures([target(0, region=None)])) == ["targets[0].region is required"]
    assert reasons(_target_failures([target(0, region="sa-east-1")]))[0].startswith(
        "targets[0].region must be"
    )
    assert reasons(_target_failures([target(0), target(1, region="us-east-1")])) == [
        "targets[1].region us-east-1 repeats targets[0]'s: one application per Region per rule"
    ]


def test_check_names_each_missing_or_bad_input() -> None:
    p = provider(ScriptedClient())
    assert p.check({}, PROPS).failures == []
    missing = p.check({}, {})
    assert [f.property for f in missing.failures] == ["name", "trigger_type", "trigger_value", "targets"]
    bad = p.check(
        {},
        {
            **PROPS,
            "trigger_value": "18445550100",
            "disabled": "yes",
            "region": "mars-1",
            "name": "no/slashes",
        },
    )
    assert [f.property for f in bad.failures] == ["name", "trigger_value", "disabled", "region"]
    host = p.check({}, {**PROPS, "trigger_type": "RequestUriHostname", "trigger_value": "x" * 254})
    assert [f.property for f in host.failures] == ["trigger_value"]
    wrong_type = p.check({}, {**PROPS, "trigger_type": "FromPhoneNumber"})
    assert [f.property for f in wrong_type.failures] == ["trigger_type"]


# --- what the mutation run found untested ------------------------------------------------------------


def test_create_after_a_lost_answer_adopts_only_a_rule_with_its_own_name() -> None:
    from botocore.exceptions import ReadTimeoutError

    lost = ReadTimeoutError(endpoint_url="http://127.0.0.1:1")
    mine = ScriptedClient(create_sip_rule=[lost])
    mine.scripts["list_sip_rules"] = [{"SipRules": []}, {"SipRules": [rule(Name="my-rule")]}]
    assert provider(mine).create(PROPS).id == RULE_ID
    assert mine.names().count("create_sip_rule") == 1  # found after the lost answer: not sent again
    for name in ("a", "zz"):  # names sorting before and after ours: neither is ours, created again
        other = ScriptedClient(create_sip_rule=[lost])
        listed = [rule(Name=name, SipRuleId="other")]
        other.scripts["list_sip_rules"] = [{"SipRules": []}, {"SipRules": listed}]
        assert provider(other).create(PROPS).id == RULE_ID
        assert other.names().count("create_sip_rule") == 2


def test_create_raises_any_other_refusal_at_once() -> None:
    for code in ("AccessDeniedException", "ForbiddenException", "ResourceLimitExceededException"):
        client = ScriptedClient(create_sip_rule=[error(code, 400)])
        with pytest.raises(ClientError, match=code):
            provider(client).create(PROPS)
        assert client.names().count("create_sip_rule") == 1


def test_same_trigger_is_equality_not_order() -> None:
    assert not _same_trigger(rule(TriggerValue="+18445550099"), "ToPhoneNumber", "+18445550100")
    assert not _same_trigger(rule(TriggerValue="+18445550101"), "ToPhoneNumber", "+18445550100")
    host = "abc.voiceconnector.chime.aws"
    for listed in ("abb.voiceconnector.chime.aws", "abd.voiceconnector.chime.aws"):
        assert not _same_trigger(
            rule(TriggerType="RequestUriHostname", TriggerValue=listed), "RequestUriHostname", host
        )


def test_update_keeps_the_region_the_rule_was_made_in() -> None:
    client = ScriptedClient()
    out = provider(client).update(RULE_ID, {**PROPS, "region": "us-west-2"}, {**PROPS, "region": None})
    assert out.outs is not None and out.outs["region"] == "us-west-2"


def test_rules_are_enabled_unless_said_otherwise() -> None:
    from providers.base import resource_props
    from providers.sip_rule import SipRuleArgs

    args = SipRuleArgs(name="r", trigger_type="ToPhoneNumber", trigger_value="+18445550100", targets=[])
    assert resource_props(args)["disabled"] is False
    listed = rule()
    del listed["Disabled"]
    result = provider(ScriptedClient(get_sip_rule=[{"SipRule": listed}])).read(RULE_ID, PROPS)
    assert result.outs is not None and result.outs["disabled"] is False


def test_a_target_missing_a_key_is_told_that_and_not_of_unknown_keys() -> None:
    assert reasons(_target_failures([{"sip_media_application_id": SMA, "priority": 1}])) == [
        "targets[0].region is required"
    ]


def test_create_re_disables_an_adopted_rule_that_is_enabled() -> None:
    client = ScriptedClient()
    client.rules = [rule(Disabled=False)]
    provider(client).create({**PROPS, "disabled": True})
    assert client.names() == ["list_sip_rules", "update_sip_rule"]
    assert client.calls[1][1]["Disabled"] is True


def test_delete_retries_an_ambiguous_error_too() -> None:
    # A 5xx may or may not have deleted the rule: it is sent again (a rule already gone is done).
    client = ScriptedClient(delete_sip_rule=[error("ServiceFailureException", 500), NOT_FOUND])
    provider(client).delete(RULE_ID, {**PROPS, "disabled": True})
    assert client.names() == ["delete_sip_rule"] * 2


def test_the_trigger_value_is_checked_only_for_a_known_trigger_type() -> None:
    # Types sorting after each known one: the value is not read as a number or a host for them.
    p = provider(ScriptedClient())
    for trigger_type, value in (("Zebra", "not a number"), ("SipHeader", "+18445550100")):
        failures = p.check({}, {**PROPS, "trigger_type": trigger_type, "trigger_value": value}).failures
        assert [f.property for f in failures] == ["trigger_type"], failures


def test_a_state_without_disabled_is_an_enabled_rule() -> None:
    # States written before `disabled` was stored: the rule is enabled, as rules are by default.
    old_state = {k: v for k, v in PROPS.items() if k != "disabled"}
    assert not provider(ScriptedClient()).diff(RULE_ID, old_state, PROPS).changes
    client = ScriptedClient()
    provider(client).delete(RULE_ID, old_state)
    assert client.names() == ["update_sip_rule", "delete_sip_rule"]  # disabled first


def test_targets_not_known_yet_are_a_change_and_not_an_error() -> None:
    p = provider(ScriptedClient())
    for targets in ([UNKNOWN], UNKNOWN, [{**PROPS["targets"][0], "sip_media_application_id": UNKNOWN}]):
        assert p.diff(RULE_ID, PROPS, {**PROPS, "targets": targets}).changes
