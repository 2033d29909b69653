"""The providers' small shared pieces in process: input checks at their model limits, the diff's
normal form, the reconciled create's paths, and the connection's fallbacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from awsutil.retry import PROVISIONING
from providers import input_checks as v
from providers.client import Connection, RetryingClient, call_with_retries
from providers.diffing import differs
from providers.errors import ProviderError
from providers.reconcile import create_reconciled, created_since, find_created


@pytest.fixture(autouse=True)
def fast_waits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(PROVISIONING.base_env, "0.001")
    yield


def error(code: str, status: int) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "Op")


# --- input_checks ------------------------------------------------------------------------------------


def test_unknowns_are_recognised_in_both_spellings_and_inside_containers() -> None:
    assert v.is_unknown(Unknown()) and v.is_unknown(UNKNOWN)
    sent = UNKNOWN.encode().decode()  # as the engine's message decodes it: equal, but another object
    assert sent is not UNKNOWN and v.is_unknown(sent)
    assert not v.is_unknown("x") and not v.is_unknown(None)
    assert v.contains_unknown({"a": [1, {"b": UNKNOWN}]}) and v.contains_unknown((1, Unknown()))
    assert not v.contains_unknown({"a": [1, {"b": "c"}]}) and not v.contains_unknown("x")


def test_string_lengths_at_min_and_max_pass_and_one_past_fails() -> None:
    limits = {"min": 2, "max": 4}
    assert v.string_failures("p", "ab", limits) == [] and v.string_failures("p", "abcd", limits) == []
    [short] = v.string_failures("p", "a", limits)
    assert (short.property, short.reason) == ("p", "p must be at least 2 characters long")
    [long] = v.string_failures("p", "abcde", limits)
    assert long.reason == "p must be at most 4 characters long"
    assert v.string_failures("p", "", {"max": 4}) == []


def test_strings_against_enum_and_whole_pattern() -> None:
    assert v.string_failures("p", "a", {"enum": ["a", "b"]}) == []
    assert v.string_failures("p", "c", {"enum": ["a", "b"]})[0].reason == "p must be one of a, b; got 'c'"
    assert v.string_failures("p", "ab", {"pattern": "[a-z]+"}) == []
    assert v.string_failures("p", "ab1", {"pattern": "[a-z]+"})[0].reason == (
        "p 'ab1' does not match the pattern [a-z]+"
    )
    assert v.string_failures("p", 5, {})[0].reason == "p must be a string, got int"
    assert v.string_failures("p", UNKNOWN, {"min": 5}) == []


def test_e164_hostname_region_and_bool() -> None:
    longest = "+1" + "5" * 14
    assert v.e164_failures("n", longest) == [] and v.e164_failures("n", UNKNOWN) == []
    assert v.e164_failures("n", longest + "5")[0].reason.startswith("n must be an E.164 number")
    host = "a" * (253 - len(".voiceconnector.chime.aws")) + ".voiceconnector.chime.aws"
    assert v.hostname_failures("h", "abc.voiceconnector.chime.aws") == []
    assert v.hostname_failures("h", host)[0].reason.startswith("h: ")
    assert v.hostname_failures("h", 5)[0].reason == "h must be a string, got int"
    assert v.hostname_failures("h", UNKNOWN) == []
    assert v.region_failures("r", "us-west-2") == [] and v.region_failures("r", "sa-east-1")
    assert v.bool_failures("b", False) == [] and v.bool_failures("b", UNKNOWN) == []
    assert v.bool_failures("b", "true")[0].reason == "b must be true or false; got 'true'"


def test_as_int_takes_the_engines_whole_floats_only() -> None:
    assert v.as_int(2) == 2 and v.as_int(2.0) == 2 and isinstance(v.as_int(2.0), int)
    for value in (2.5, True, "2", None):
        assert v.as_int(value) is None


def test_tags_at_the_model_limits() -> None:
    assert v.tags_failures("tags", {f"k{i}": "v" for i in range(50)}) == []
    assert (
        v.tags_failures("tags", {f"k{i}": "v" for i in range(51)})[0].reason
        == "tags may hold at most 50 tags"
    )
    assert v.tags_failures("tags", ["k"])[0].reason == "tags must be a mapping of tag keys to values"
    assert v.tags_failures("tags", {"k" * 128: "v" * 256}) == []
    assert v.tags_failures("tags", {"k" * 129: "v"})[0].reason == "tags must be at most 128 characters long"
    assert v.tags_failures("tags", {"": "v"})[0].reason == "tags must be at least 1 characters long"
    [value] = v.tags_failures("tags", {"k": "v" * 257, "j": UNKNOWN})
    assert value.reason == "tags[k] must be at most 256 characters long"
    assert v.tags_failures("tags", UNKNOWN) == []


# --- diffing -----------------------------------------------------------------------------------------


def test_differs_modulo_the_engines_floats_and_dropped_nones() -> None:
    assert not differs({"a": 1, "b": None, "c": [2]}, {"a": 1.0, "c": [2.0]})
    assert not differs((1, 2), [1, 2])
    assert differs({"a": 1}, {"a": 1.5}) and differs({"a": 1}, {"a": 2}) and differs([1], [1, 2])
    assert differs(True, False) and not differs(True, True)
    assert differs(False, None) and not differs(None, None)
    assert differs("x", UNKNOWN) and differs({"a": 1}, {"a": Unknown()})
    assert not differs("x", "x") and differs("x", "X")


# --- reconcile ---------------------------------------------------------------------------------------


class Script:
    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


LOST = ReadTimeoutError(endpoint_url="http://127.0.0.1:1")
UNSENT = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")


def test_a_throttled_create_is_sent_again_without_a_lookup() -> None:
    create, lookup = Script(error("ThrottledClientException", 429), "made"), Script()
    assert create_reconciled(create, lookup, "Create") == "made"
    assert (create.calls, lookup.calls) == (2, 0)


def test_a_lost_answer_is_looked_up_before_sending_again() -> None:
    create, lookup = Script(LOST), Script("found")
    assert create_reconciled(create, lookup, "Create") == "found"
    assert (create.calls, lookup.calls) == (1, 1)
    create, lookup = Script(LOST, "made"), Script(None)
    assert create_reconciled(create, lookup, "Create") == "made"
    assert (create.calls, lookup.calls) == (2, 1)
    create, lookup = Script(UNSENT, "made"), Script()
    assert create_reconciled(create, lookup, "Create") == "made" and lookup.calls == 0


def test_a_fatal_create_error_is_raised_as_is() -> None:
    create = Script(error("BadRequestException", 400))
    with pytest.raises(ClientError):
        create_reconciled(create, Script(), "Create")
    assert create.calls == 1


def test_a_create_that_keeps_failing_gives_up_by_its_deadline_with_an_error() -> None:
    create = Script(*[error("ThrottledClientException", 429)] * 1000)
    with pytest.raises(ProviderError, match="Create: gave up after"):
        create_reconciled(create, Script(), "Create", deadline=0.05)
    assert create.calls >= 2


def test_a_look_alike_counts_only_within_the_adopt_window() -> None:
    sent = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    # Five minutes of clock skew between us and the service, and not a second more.
    five_minutes = dt.timedelta(minutes=5)
    assert created_since({"CreatedTimestamp": sent - five_minutes}, sent)
    assert not created_since({"CreatedTimestamp": sent - five_minutes - dt.timedelta(seconds=1)}, sent)
    assert created_since({}, sent) and created_since({"CreatedTimestamp": "yesterday"}, sent)
    listed: list[dict[str, Any]] = [
        {"Name": "a", "CreatedTimestamp": sent - dt.timedelta(hours=1)},
        {"Name": "a", "Id": 2},
        {"Name": "b"},
    ]
    assert find_created(listed, sent, lambda item: item["Name"] == "a") == {"Name": "a", "Id": 2}
    assert find_created(listed, sent, lambda item: item["Name"] == "c") is None


# --- client ------------------------------------------------------------------------------------------


def test_connection_reads_the_stack_config_keys() -> None:
    connection = Connection.from_config(
        {
            "chime-pstn-routing:chimeEndpoint": "http://127.0.0.1:8600",
            "aws:region": "eu-west-2",
            "chime-pstn-routing:apiDeadlineSeconds": "12.5",
        }
    )
    assert connection == Connection(
        region="eu-west-2", endpoint_url="http://127.0.0.1:8600", deadline_seconds=12.5
    )
    assert Connection.from_config(None) == Connection() == Connection.from_config({})
    with pytest.raises(ProviderError, match="chime-pstn-routing:chimeEndpoint: "):
        Connection.from_config({"chime-pstn-routing:chimeEndpoint": "ftp://x"})
    for bad in ("0", "ten", "-1", "1e3"):
        with pytest.raises(ProviderError, match="apiDeadlineSeconds: expected a number of seconds"):
            Connection.from_config({"chime-pstn-routing:apiDeadlineSeconds": bad})


def test_region_falls_back_from_the_resource_to_config_to_aws_region_to_aws_default_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    assert Connection(region="us-west-2").resolve_region("ca-central-1") == "ca-central-1"
    assert Connection(region="us-west-2").resolve_region("") == "us-west-2"
    assert Connection().resolve_region() == "eu-west-2"
    monkeypatch.delenv("AWS_REGION")
    assert Connection().resolve_region() == "eu-west-1"
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(ProviderError, match="no AWS Region"):
        Connection().resolve_region()


def test_inventory_is_the_endpoint_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert Connection().inventory() == "aws"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://generic")
    assert Connection().inventory() == "http://generic"
    monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", "http://chime")
    assert Connection().inventory() == "http://chime"
    assert Connection(endpoint_url="http://mine").inventory() == "http://mine"


class FakeBotoClient:
    class meta:  # botocore's attribute name
        method_to_api_mapping = {"get_sip_rule": "GetSipRule"}

    def __init__(self, *answers: Any) -> None:
        self.script = Script(*answers)
        self.region = "us-east-1"

    def get_sip_rule(self, **params: Any) -> Any:
        return self.script()

    def get_paginator(self, name: str) -> str:
        return f"paginator {name}"


def test_the_retrying_client_retries_reads_and_passes_the_rest_through() -> None:
    raw = FakeBotoClient(error("ServiceUnavailableException", 503), {"SipRule": {}})
    client = RetryingClient(raw, deadline=5)
    assert client.get_sip_rule(SipRuleId="x") == {"SipRule": {}} and raw.script.calls == 2
    assert client.once is raw and client.deadline == 5.0
    assert client.get_paginator("list") == "paginator list" and client.region == "us-east-1"
    fatal = FakeBotoClient(error("NotFoundException", 404))
    with pytest.raises(ClientError):
        RetryingClient(fatal).get_sip_rule(SipRuleId="x")
    assert fatal.script.calls == 1


def test_call_with_retries_gives_up_with_a_provider_error_naming_the_operation() -> None:
    script = Script(*[error("ThrottledClientException", 429)] * 1000)
    with pytest.raises(ProviderError, match="GetSipRule: gave up after"):
        call_with_retries(script, "GetSipRule", deadline=0.05)
    assert script.calls >= 2
