"""SipMediaApplication's own loops and checks in process, with a scripted client: the delete's
conflict retries and its give-up, adoption by marker, tag reconciling, and the `logging` input
(set after create, undone when it fails, read on refresh)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from awsutil.retry import PROVISIONING
from providers import adoptions
from providers.errors import ProviderError
from providers.sip_media_application import (
    _DELETE_CONFLICT_ATTEMPTS,
    MARKER_TAG,
    SipMediaApplicationProvider,
)
from providers.sip_media_application_logging import (
    MESSAGE_LOGS,
    logging_after_create,
    logging_failures,
    put_logging,
    read_logging,
    wanted_logging,
)
from tests.providers.scripted import (
    CONFLICT,
    FATAL,
    NOT_FOUND,
    THROTTLED,
    ScriptedClient,
    ScriptedConnection,
    error,
)

SMA_ID = "00000000-0000-4000-8000-000000000001"
ARN = f"arn:aws:chime:us-east-1:123456789012:sma/{SMA_ID}"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:call-handler"
MARKER = "chime-pstn-routing.test.app"
ON = {MESSAGE_LOGS: True}


@pytest.fixture(autouse=True)
def fast_waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PROVISIONING.base_env, "0.001")
    adoptions.forget()
    yield


def sma(**fields: Any) -> dict[str, Any]:
    return {
        "SipMediaApplicationId": SMA_ID,
        "SipMediaApplicationArn": ARN,
        "Name": "app",
        "AwsRegion": "us-east-1",
        "Endpoints": [{"LambdaArn": LAMBDA}],
        **fields,
    }


def client_with(
    listed: list[dict[str, Any]] | None = None, tags: dict[str, str] | None = None, **scripts: list[Any]
) -> ScriptedClient:
    return ScriptedClient(
        defaults={
            "create_sip_media_application": lambda p: {"SipMediaApplication": sma(Name=p["Name"])},
            "update_sip_media_application": lambda p: {
                "SipMediaApplication": sma(Name=p["Name"], Endpoints=p["Endpoints"])
            },
            "list_sip_media_applications": lambda p: {"SipMediaApplications": listed or []},
            "list_tags_for_resource": lambda p: {
                "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
            },
            "get_sip_media_application": lambda p: {"SipMediaApplication": sma()},
            "put_sip_media_application_logging_configuration": lambda p: {
                "SipMediaApplicationLoggingConfiguration": p["SipMediaApplicationLoggingConfiguration"]
            },
        },
        **scripts,
    )


def provider(client: ScriptedClient) -> SipMediaApplicationProvider:
    p = SipMediaApplicationProvider()
    p._connection = ScriptedConnection(client)
    return p


PROPS: dict[str, Any] = {
    "name": "app",
    "lambda_arn": LAMBDA,
    "region": "us-east-1",
    "resource_marker": MARKER,
}


# --- delete ------------------------------------------------------------------------------------------


def test_delete_retries_a_conflict_until_the_rule_is_gone() -> None:
    client = client_with(delete_sip_media_application=[CONFLICT, CONFLICT])
    provider(client).delete(SMA_ID, PROPS)
    assert client.names() == ["delete_sip_media_application"] * 3


def test_delete_gives_up_with_an_error_after_its_conflict_attempts() -> None:
    client = client_with(delete_sip_media_application=[CONFLICT] * (_DELETE_CONFLICT_ATTEMPTS + 3))
    with pytest.raises(
        ProviderError,
        match=f"cannot delete SIP media application {SMA_ID}: .*gave up after "
        f"{_DELETE_CONFLICT_ATTEMPTS} attempts",
    ):
        provider(client).delete(SMA_ID, PROPS)
    assert (
        client.names()
        == ["delete_sip_media_application"] * _DELETE_CONFLICT_ATTEMPTS
        == 6 * ["delete_sip_media_application"]
    )


def test_delete_raises_any_other_error_at_once_and_treats_not_found_as_done() -> None:
    for failure in (FATAL, THROTTLED):  # throttling is the retrying client's job, not this loop's
        client = client_with(delete_sip_media_application=[failure])
        with pytest.raises(ClientError):
            provider(client).delete(SMA_ID, PROPS)
        assert len(client.calls) == 1
    client = client_with(delete_sip_media_application=[NOT_FOUND])
    provider(client).delete(SMA_ID, PROPS)
    assert len(client.calls) == 1


def test_delete_leaves_an_application_its_replacement_took_over() -> None:
    token = adoptions.new_token()
    adoptions.took_over("SipMediaApplication", SMA_ID, "other")
    client = client_with()
    provider(client).delete(SMA_ID, {**PROPS, "create_token": token})
    assert client.calls == []


# --- create ------------------------------------------------------------------------------------------


def test_create_tags_what_it_makes_with_its_marker_and_the_user_tags_sorted() -> None:
    client = client_with()
    result = provider(client).create({**PROPS, "tags": {"team": "voice", "cost": "pstn"}})
    [(_, request)] = [c for c in client.calls if c[0] == "create_sip_media_application"]
    assert request == {
        "AwsRegion": "us-east-1",
        "Name": "app",
        "Endpoints": [{"LambdaArn": LAMBDA}],
        "Tags": [
            {"Key": MARKER_TAG, "Value": MARKER},
            {"Key": "cost", "Value": "pstn"},
            {"Key": "team", "Value": "voice"},
        ],
    }
    assert result.outs is not None and result.outs["tags"] == {"team": "voice", "cost": "pstn"}
    assert result.outs["resource_marker"] == MARKER and result.outs["logging"] is None
    assert "put_sip_media_application_logging_configuration" not in client.names()


def test_create_without_marker_or_tags_sends_no_tags() -> None:
    client = client_with()
    result = provider(client).create({"name": "app", "lambda_arn": LAMBDA})
    assert "Tags" not in client.calls[-1][1] and client.names() == ["create_sip_media_application"]
    assert result.outs is not None and result.outs["tags"] is None


def test_create_adopts_the_application_carrying_its_marker_and_aligns_it() -> None:
    other = sma(SipMediaApplicationId="other", SipMediaApplicationArn=ARN + "-other")
    mine = sma(Name="old name", Endpoints=[{"LambdaArn": LAMBDA + "-old"}])
    client = client_with(listed=[other, mine], tags={MARKER_TAG: MARKER, "stale": "x", "team": "old"})
    client.scripts["list_tags_for_resource"] = [{"Tags": []}]  # `other` carries no marker
    result = provider(client).create({**PROPS, "tags": {"team": "voice"}})
    assert result.id == SMA_ID and "create_sip_media_application" not in client.names()
    updates = [p for n, p in client.calls if n == "update_sip_media_application"]
    assert updates == [{"SipMediaApplicationId": SMA_ID, "Name": "app", "Endpoints": [{"LambdaArn": LAMBDA}]}]
    assert [p for n, p in client.calls if n == "untag_resource"] == [
        {"ResourceARN": ARN, "TagKeys": ["stale"]}
    ]
    assert [p for n, p in client.calls if n == "tag_resource"] == [
        {"ResourceARN": ARN, "Tags": [{"Key": "team", "Value": "voice"}]}
    ]


def test_an_adopted_application_already_in_line_is_left_alone() -> None:
    client = client_with(listed=[sma()], tags={MARKER_TAG: MARKER})
    provider(client).create(PROPS)
    assert set(client.names()) == {"list_sip_media_applications", "list_tags_for_resource"}


def test_create_sets_logging_and_undoes_the_create_when_that_fails() -> None:
    client = client_with()
    result = provider(client).create({**PROPS, "logging": ON})
    assert result.outs is not None and result.outs["logging"] == ON
    client = client_with(put_sip_media_application_logging_configuration=[FATAL])
    with pytest.raises(ProviderError, match="it was deleted again"):
        provider(client).create({**PROPS, "logging": ON})
    assert client.names()[-1] == "delete_sip_media_application"


def test_logging_after_create_says_when_the_undo_failed_too() -> None:
    client = client_with(
        put_sip_media_application_logging_configuration=[FATAL], delete_sip_media_application=[FATAL]
    )
    with pytest.raises(ProviderError, match=r"nor delete it again .*: delete it by hand"):
        logging_after_create(client, SMA_ID, ON)
    client = client_with(
        put_sip_media_application_logging_configuration=[FATAL], delete_sip_media_application=[NOT_FOUND]
    )
    with pytest.raises(ProviderError, match="it was deleted again"):
        logging_after_create(client, SMA_ID, ON)
    assert logging_after_create(client_with(), SMA_ID, None) is None


# --- logging values ----------------------------------------------------------------------------------


def test_logging_input_checks() -> None:
    assert (
        logging_failures(None) == []
        and logging_failures(ON) == []
        and logging_failures({MESSAGE_LOGS: False}) == []
    )
    assert logging_failures("on")[0].reason.startswith("logging must be a mapping")
    assert logging_failures({MESSAGE_LOGS: True, "x": 1})[0].reason.startswith(
        "logging has unknown field(s) x"
    )
    [missing] = logging_failures({})
    assert missing.property == f"logging.{MESSAGE_LOGS}" and "is required" in missing.reason
    assert logging_failures({MESSAGE_LOGS: "yes"})[0].property == f"logging.{MESSAGE_LOGS}"


def test_logging_values_read_and_put() -> None:
    assert wanted_logging(None) is None and wanted_logging({MESSAGE_LOGS: 1}) == ON
    client = ScriptedClient(get_sip_media_application_logging_configuration=[{}])
    assert read_logging(client, SMA_ID) == {MESSAGE_LOGS: False}  # unset reads as off
    client = ScriptedClient(put_sip_media_application_logging_configuration=[{}])
    assert put_logging(client, SMA_ID, {"enable_sip_media_application_message_logs": True}) == ON  # no echo
    assert client.calls == [
        (
            "put_sip_media_application_logging_configuration",
            {
                "SipMediaApplicationId": SMA_ID,
                "SipMediaApplicationLoggingConfiguration": {"EnableSipMediaApplicationMessageLogs": True},
            },
        )
    ]


# --- update, read, check, diff -----------------------------------------------------------------------


def test_update_sends_only_what_changed() -> None:
    olds = {**PROPS, "arn": ARN, "tags": {"a": "1", "b": "2"}, "logging": ON}
    client = client_with()
    out = provider(client).update(SMA_ID, olds, {**PROPS, "tags": {"a": "1", "b": "2"}, "logging": ON})
    assert client.calls == [] and out.outs is not None and out.outs["tags"] == {"a": "1", "b": "2"}
    client = client_with()
    out = provider(client).update(
        SMA_ID, olds, {**PROPS, "name": "new", "tags": {"a": "9", "c": "3"}, "logging": {MESSAGE_LOGS: False}}
    )
    assert client.names() == [
        "update_sip_media_application",
        "untag_resource",
        "tag_resource",
        "put_sip_media_application_logging_configuration",
    ]
    assert client.calls[1][1] == {"ResourceARN": ARN, "TagKeys": ["b"]}
    assert client.calls[2][1]["Tags"] == [{"Key": "a", "Value": "9"}, {"Key": "c", "Value": "3"}]
    assert out.outs is not None and out.outs["logging"] == {MESSAGE_LOGS: False} and out.outs["name"] == "new"
    client = client_with()
    out = provider(client).update(SMA_ID, olds, {**PROPS, "tags": None, "logging": None})
    assert client.names() == ["untag_resource"] and out.outs is not None
    assert out.outs["tags"] is None and out.outs["logging"] is None


def test_read_pays_for_tags_and_logging_only_when_managed() -> None:
    client = client_with()
    result = provider(client).read(SMA_ID, PROPS)
    assert client.names() == ["get_sip_media_application"]
    assert result.outs is not None and result.outs["logging"] is None
    client = client_with(
        tags={MARKER_TAG: MARKER, "team": "voice"},
        get_sip_media_application_logging_configuration=[
            {"SipMediaApplicationLoggingConfiguration": {"EnableSipMediaApplicationMessageLogs": True}}
        ],
    )
    result = provider(client).read(SMA_ID, {**PROPS, "tags": {"team": "x"}, "logging": ON})
    assert result.outs is not None
    assert result.outs["tags"] == {"team": "voice"} and result.outs["logging"] == ON
    assert provider(client_with(get_sip_media_application=[NOT_FOUND])).read(SMA_ID, PROPS).id == ""
    gone = client_with(get_sip_media_application_logging_configuration=[NOT_FOUND])
    assert provider(gone).read(SMA_ID, {**PROPS, "logging": ON}).id == ""
    with pytest.raises(ClientError):
        provider(client_with(get_sip_media_application_logging_configuration=[FATAL])).read(
            SMA_ID, {**PROPS, "logging": ON}
        )
    with pytest.raises(ClientError):
        provider(client_with(get_sip_media_application=[FATAL])).read(SMA_ID, PROPS)


def test_check_tags_leave_room_for_the_marker() -> None:
    p = provider(client_with())
    assert p.check({}, {**PROPS, "tags": {f"k{i}": "v" for i in range(49)}}).failures == []
    [full] = p.check({}, {**PROPS, "tags": {f"k{i}": "v" for i in range(50)}}).failures
    assert full.reason == f"tags may hold at most 49 tags: the provider adds {MARKER_TAG}"
    assert (
        p.check({}, {**PROPS, "resource_marker": None, "tags": {f"k{i}": "v" for i in range(50)}}).failures
        == []
    )
    [own] = p.check({}, {**PROPS, "tags": {MARKER_TAG: "x"}}).failures
    assert own.reason == f"tags: {MARKER_TAG} is the provider's own tag"


def test_check_lambda_in_the_applications_region() -> None:
    p = provider(client_with())
    assert p.check({}, PROPS).failures == []
    [wrong] = p.check({}, {**PROPS, "region": "us-west-2"}).failures
    assert (
        wrong.reason
        == "lambda_arn must be a function in the application's Region us-west-2; got one in us-east-1"
    )
    assert [f.property for f in p.check({}, {}).failures] == ["name", "lambda_arn"]
    assert [f.property for f in p.check({}, {**PROPS, "region": "mars-1", "name": ""}).failures] == [
        "name",
        "region",
        "lambda_arn",
    ]


def test_diff() -> None:
    p = provider(client_with())
    olds = {**PROPS, "tags": {"team": "voice", MARKER_TAG: MARKER}, "logging": ON}
    assert not p.diff(SMA_ID, olds, {**PROPS, "tags": {"team": "voice"}, "logging": ON}).changes
    moved = p.diff(SMA_ID, olds, {**PROPS, "region": "us-west-2", "tags": {"team": "voice"}, "logging": ON})
    assert moved.replaces == ["region"] and not moved.delete_before_replace
    same = {**PROPS, "tags": {"team": "voice"}, "logging": ON}
    for change in (
        {"name": "new"},
        {"lambda_arn": LAMBDA + "2"},
        {"tags": {"team": "data"}},
        {"tags": None},
        {"logging": None},
        {"logging": {MESSAGE_LOGS: False}},
    ):
        changed = p.diff(SMA_ID, olds, {**same, **change})
        assert changed.changes and changed.replaces == [], change


def wire(value: Any) -> Any:
    """`value` as a client hands it back: parsed from JSON, so no string is the test's own object."""
    return json.loads(json.dumps(value))


def test_a_create_whose_answer_was_lost_adopts_only_the_look_alike_it_made() -> None:
    # No marker: the look-alike must have this name, this Region and this Lambda, all three.
    lost = error("ServiceFailureException", 500)
    listed = wire([sma(SipMediaApplicationId="other-name", Name="app-2"),
                   sma(SipMediaApplicationId="other-region", AwsRegion="us-west-2"),
                   sma(SipMediaApplicationId="other-lambda", Endpoints=[{"LambdaArn": LAMBDA + "-2"}]),
                   sma()])
    client = client_with(listed=listed, create_sip_media_application=[lost])
    result = provider(client).create({"name": "app", "lambda_arn": LAMBDA, "region": "us-east-1"})
    assert result.id == SMA_ID and client.names().count("create_sip_media_application") == 1


def test_of_two_applications_carrying_its_marker_the_one_with_its_name_is_adopted() -> None:
    # Both carry the marker (an earlier run's and a hand-made copy): the name decides, so nothing
    # needs renaming. "a-app" sorts before "app".
    listed = wire([sma(SipMediaApplicationId="renamed", Name="a-app"), sma()])
    client = client_with(listed=listed, tags={MARKER_TAG: MARKER})
    result = provider(client).create(PROPS)
    assert result.id == SMA_ID and "update_sip_media_application" not in client.names()


def test_update_goes_to_the_region_the_application_is_in() -> None:
    p = provider(client_with())
    olds = {**PROPS, "region": "us-west-2", "arn": ARN, "tags": None, "logging": None}
    p.update(SMA_ID, olds, {**PROPS, "region": None, "name": "new", "tags": None, "logging": None})
    assert p._connection.regions == ["us-west-2"]  # type: ignore[attr-defined]
