"""`parse_request` in process, at the model's limits: each min and max at its value and one past it,
values read from the query string and URI, the message's wording and what it never echoes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsutil.service_model import service_model
from emulator.errors import BadRequestError
from emulator.request_parser import field_name, parse_request

SMA = "00000000-0000-4000-8000-000000000001"
# URI labels by their wire names
TASK = {"VoiceConnectorId": "abcdefghijklmnopqrstu", "VoiceToneAnalysisTaskId": "t"}


def parse(
    operation: str,
    body: Any = None,
    labels: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> dict[str, Any]:
    model = service_model().operation_model(operation)
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return parse_request(model, labels or {}, query or {}, headers or {}, data)


def refused(operation: str, body: Any = None, **kwargs: Any) -> str:
    with pytest.raises(BadRequestError) as raised:
        parse(operation, body, **kwargs)
    return str(raised.value)


def rule(**overrides: Any) -> dict[str, Any]:
    return {
        "Name": "r",
        "TriggerType": "ToPhoneNumber",
        "TriggerValue": "+18445550100",
        "TargetApplications": [{"SipMediaApplicationId": SMA, "Priority": 1, "AwsRegion": "us-east-1"}],
        **overrides,
    }


def targets(count: int) -> list[dict[str, Any]]:
    return [{"SipMediaApplicationId": SMA, "Priority": i + 1, "AwsRegion": "us-east-1"} for i in range(count)]


def test_exactly_25_targets_pass_and_26_fail() -> None:
    assert len(parse("CreateSipRule", rule(TargetApplications=targets(25)))["TargetApplications"]) == 25
    assert refused("CreateSipRule", rule(TargetApplications=targets(26))).endswith(
        "at 'targetApplications' failed to satisfy constraint: "
        "Member must have length less than or equal to 25"
    )
    assert refused("CreateSipRule", rule(TargetApplications=[])) == (
        "1 validation error detected: Value '[]' at 'targetApplications' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_string_length_limits_of_a_name() -> None:
    assert parse("CreateSipRule", rule(Name="n" * 256))["Name"] == "n" * 256
    assert "Member must have length less than or equal to 256" in refused(
        "CreateSipRule", rule(Name="n" * 257)
    )
    assert "Member must have length greater than or equal to 1" in refused("CreateSipRule", rule(Name=""))


def test_integer_minimum_inside_a_list_names_the_member_path() -> None:
    assert parse("CreateSipRule", rule(TargetApplications=[{**targets(1)[0], "Priority": 1}]))
    message = refused(
        "CreateSipRule", rule(TargetApplications=[targets(1)[0], {**targets(1)[0], "Priority": 0}])
    )
    assert message == (
        "1 validation error detected: Value '0' at 'targetApplications.2.member.priority' failed "
        "to satisfy constraint: Member must have value greater than or equal to 1"
    )


def test_query_integers_at_min_and_max() -> None:
    for ok in ("1", "100"):
        assert parse("ListPhoneNumberOrders", query={"max-results": [ok]})["MaxResults"] == int(ok)
    assert refused("ListPhoneNumberOrders", query={"max-results": ["0"]}).endswith(
        "Member must have value greater than or equal to 1"
    )
    assert refused("ListPhoneNumberOrders", query={"max-results": ["101"]}).endswith(
        "Member must have value less than or equal to 100"
    )
    assert refused("ListPhoneNumberOrders", query={"max-results": ["ten"]}) == (
        "1 validation error detected: Value 'ten' at 'maxResults' failed to satisfy constraint: "
        "Member must be of type integer"
    )


def test_query_booleans_in_any_case_and_the_last_repeat_wins() -> None:
    assert (
        parse(
            "GetVoiceToneAnalysisTask",
            labels=TASK,
            query={"isCaller": ["false", "TRUE"]},
        )["IsCaller"]
        is True
    )
    assert (
        parse(
            "GetVoiceToneAnalysisTask",
            labels=TASK,
            query={"isCaller": ["False"]},
        )["IsCaller"]
        is False
    )
    assert refused(
        "GetVoiceToneAnalysisTask",
        labels=TASK,
        query={"isCaller": ["yes"]},
    ).endswith("Member must be of type boolean")


def test_enum_and_whole_pattern_from_the_query() -> None:
    assert (
        parse("SearchAvailablePhoneNumbers", query={"toll-free-prefix": ["844"]})["TollFreePrefix"] == "844"
    )
    assert "Member must satisfy regular expression pattern" in refused(
        "SearchAvailablePhoneNumbers", query={"toll-free-prefix": ["845"]}
    )
    assert "Member must satisfy enum value set: [Local, TollFree]" in refused(
        "SearchAvailablePhoneNumbers", query={"phone-number-type": ["Mobile"]}
    )
    assert "regular expression" in refused("SearchAvailablePhoneNumbers", query={"country": ["USA"]})


def test_every_violation_is_reported_counted_and_required_members_named() -> None:
    message = refused("CreateSipRule", {"Name": "", "TriggerType": "Nope"})
    assert message.startswith("5 validation errors detected: ")  # the empty Name: length and pattern
    assert "Value null at 'triggerValue' failed to satisfy constraint: Member must not be null" in message
    assert (
        "Value null at 'targetApplications' failed to satisfy constraint: Member must not be null" in message
    )
    assert message.count("; ") == 4


def test_types_of_body_members() -> None:
    assert refused("CreateSipRule", rule(Disabled="yes")).endswith("Member must be of type boolean")
    assert parse("CreateSipRule", rule(Disabled=False))["Disabled"] is False
    assert refused("CreateSipRule", rule(TargetApplications={})).endswith("Member must be a list")
    assert refused("CreateSipRule", rule(TargetApplications=["x"])).endswith("Member must be a structure")
    assert refused("CreateSipRule", rule(Name=5)).endswith("Member must be of type string")
    for bad in (True, 1.5, "1"):
        assert refused(
            "CreateSipRule", rule(TargetApplications=[{**targets(1)[0], "Priority": bad}])
        ).endswith("Member must be of type integer")


def test_maps_at_their_limit_of_20_entries() -> None:
    base = {"FromPhoneNumber": "+18445550100", "ToPhoneNumber": "+18445550101", "SipMediaApplicationId": SMA}
    ok = parse(
        "CreateSipMediaApplicationCall",
        {**base, "ArgumentsMap": {f"k{i}": "v" for i in range(20)}},
        labels={"sipMediaApplicationId": SMA},
    )
    assert len(ok["ArgumentsMap"]) == 20
    assert refused(
        "CreateSipMediaApplicationCall",
        {**base, "ArgumentsMap": {f"k{i}": "v" for i in range(21)}},
        labels={"sipMediaApplicationId": SMA},
    ).endswith("Member must have length less than or equal to 20")
    assert refused(
        "CreateSipMediaApplicationCall",
        {**base, "ArgumentsMap": ["k"]},
        labels={"sipMediaApplicationId": SMA},
    ).endswith("Member must be a map")


def test_sensitive_values_are_never_echoed() -> None:
    echoed = refused("ListTagsForResource", query={"arn": ["not-an-arn secret"]})
    assert "secret" not in echoed and "Value at 'resourceARN' failed to satisfy constraint" in echoed


def test_long_values_are_echoed_cut_at_128_characters() -> None:
    exact = refused("CreateSipRule", rule(Name="*" * 128))
    assert f"Value '{'*' * 128}' at 'name'" in exact
    longer = refused("CreateSipRule", rule(Name="*" * 129))
    assert f"Value '{'*' * 128}...' at 'name'" in longer


def test_the_body_must_be_a_json_object_and_unknown_members_are_ignored() -> None:
    assert refused("CreateSipRule", raw=b"{not json").startswith("The request body is not valid JSON: ")
    assert refused("CreateSipRule", raw=b"[1]") == "The request body must be a JSON object"
    assert refused("CreateSipRule", raw=b"\xff\xfe").startswith("The request body is not valid JSON")
    assert "Colour" not in parse("CreateSipRule", {**rule(), "Colour": "red"})
    assert refused("CreateSipRule", raw=b"   ").startswith(
        "4 validation errors detected"
    )  # blank: all missing


def test_an_operation_without_input_and_uri_labels() -> None:
    assert parse("GetSipMediaApplication", labels={"sipMediaApplicationId": SMA}) == {
        "SipMediaApplicationId": SMA
    }
    assert parse("ListSipRules") == {}
    assert field_name("TargetApplications") == "targetApplications" and field_name("") == ""


# --- shapes this model does not have (yet): a recursive structure, doubles, headers ---------------------


def synthetic(shapes: dict[str, Any], name: str) -> Any:
    """A shape as botocore builds it from a model file: parsed from JSON, so no type name is one of
    the test's own (interned) string literals."""
    import json

    from botocore.model import ShapeResolver

    return ShapeResolver(json.loads(json.dumps(shapes))).get_shape_by_name(name)


def test_sensitivity_is_found_at_any_depth_and_a_recursive_shape_ends() -> None:
    from emulator.request_parser import _sensitive

    shapes = {
        "Node": {"type": "structure", "members": {"Next": {"shape": "Node"}, "Name": {"shape": "Plain"}}},
        "Plain": {"type": "string"},
        "Outer": {"type": "structure", "members": {"Items": {"shape": "Secrets"}}},
        "Secrets": {"type": "list", "member": {"shape": "Secret"}},
        "Secret": {"type": "string", "sensitive": True},
        "ByKey": {"type": "map", "key": {"shape": "Plain"}, "value": {"shape": "Secret"}},
    }
    assert _sensitive(synthetic(shapes, "Node")) is False
    assert _sensitive(synthetic(shapes, "Outer")) is True
    assert _sensitive(synthetic(shapes, "ByKey")) is True
    assert _sensitive(synthetic(shapes, "Plain")) is False


def test_doubles_are_finite_numbers_and_not_booleans() -> None:
    from emulator.request_parser import _check, _Collector

    double = synthetic({"D": {"type": "double"}}, "D")
    for ok, expected in ((1, 1.0), (2.5, 2.5)):
        out = _Collector()
        assert _check(double, ok, "d", out) == expected and out.errors == []
    for bad in (True, float("nan"), float("inf"), "1.5"):
        out = _Collector()
        assert _check(double, bad, "d", out) is None
        assert out.errors[0].endswith("failed to satisfy constraint: Member must be of type double")


def test_a_header_is_read_only_for_a_member_the_model_places_in_a_header() -> None:
    found = parse("ListPhoneNumberOrders", headers={"max-results": "5", "Max-Results": "5"})
    assert "MaxResults" not in found


def test_text_values_become_lists_and_timestamps_pass_as_they_are() -> None:
    from emulator.request_parser import _check, _Collector, _from_text

    numbers = synthetic({"Ns": {"type": "list", "member": {"shape": "N"}}, "N": {"type": "integer"}}, "Ns")
    out = _Collector()
    assert _from_text(numbers, ["1", "2"], "ns", out) == [1, 2] and out.errors == []
    flag = synthetic({"F": {"type": "boolean"}}, "F")
    assert _from_text(flag, ["TRUE"], "f", out) is True and _from_text(flag, ["false"], "f", out) is False
    stamp = synthetic({"T": {"type": "timestamp"}}, "T")
    assert _check(stamp, "2026-01-01T00:00:00Z", "t", out) == "2026-01-01T00:00:00Z" and out.errors == []
