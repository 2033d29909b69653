"""Bad stack config: one SettingsError naming the key and the problem, and no resource declared."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from components import settings
from components.settings import LOG_RETENTION_DAYS, SettingsError
from testbed.program_mocks import evaluate, stack_config

KEY = "chime-pstn-routing:"
ARABIC_INDIC = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
FULL_WIDTH = str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
TOLL_FREE = {"phoneNumberType": "TollFree", "country": "US", "tollFreePrefix": "844"}


def _numbers(*items: Any) -> dict[str, str]:
    return {f"{KEY}phoneNumbers": json.dumps(list(items))}


CASES: list[tuple[str, dict[str, str], str, str]] = [
    # id, config overrides on top of the dev stack, key named, fragment of the message
    ("e164-letters", _numbers({"e164": "+1844abc0100"}), "phoneNumbers[0].e164", "not an E.164"),
    ("e164-unquoted-yaml", _numbers({"e164": 18445550100}), "phoneNumbers[0].e164", "quote it in YAML"),
    ("e164-no-plus", _numbers({"e164": "18445550100"}), "phoneNumbers[0].e164", "not an E.164"),
    ("e164-too-long", _numbers({"e164": "+1234567890123456"}), "phoneNumbers[0].e164", "not an E.164"),
    # `$` alone would accept a trailing newline (a YAML block scalar) that the providers' check refuses.
    ("e164-trailing-newline", _numbers({"e164": "+18445550100\n"}), "phoneNumbers[0].e164", "not an E.164"),
    ("search-prefix-newline", _numbers({"search": {**TOLL_FREE, "tollFreePrefix": "844\n"}}),
     "phoneNumbers[0].search.tollFreePrefix", "not a toll-free prefix"),
    ("search-country-newline", _numbers({"search": {**TOLL_FREE, "country": "US\n"}}),
     "phoneNumbers[0].search.country", "two-letter upper-case"),
    ("search-area-code-newline", _numbers({"search": {"phoneNumberType": "Local", "areaCode": "206\n"}}),
     "phoneNumbers[0].search.areaCode", "not an area code"),
    ("both", _numbers({"e164": "+18445550100", "search": TOLL_FREE}), "phoneNumbers[0]", "exactly one"),
    ("neither", _numbers({}), "phoneNumbers[0]", "exactly one"),
    ("item-unknown-field", _numbers({"e164": "+18445550100", "areaCode": "206"}), "phoneNumbers[0]",
     "unknown field(s) areaCode"),
    ("item-not-mapping", _numbers("+18445550100"), "phoneNumbers[0]", "expected a mapping"),
    ("duplicate", _numbers({"e164": "+18445550100"}, {"e164": "+18445550100"}), "phoneNumbers[1].e164",
     "already listed at phoneNumbers[0]"),
    ("not-a-list", {f"{KEY}phoneNumbers": json.dumps({"e164": "+18445550100"})}, "phoneNumbers",
     "expected a list"),
    ("not-json", {f"{KEY}phoneNumbers": "+18445550100"}, "phoneNumbers", "expected a YAML/JSON list"),
    ("search-unknown-field", _numbers({"search": {**TOLL_FREE, "zip": "98101"}}),
     "phoneNumbers[0].search.zip", "unknown search field"),
    ("search-country", _numbers({"search": {**TOLL_FREE, "country": "usa"}}),
     "phoneNumbers[0].search.country", "two-letter upper-case"),
    ("search-prefix", _numbers({"search": {**TOLL_FREE, "tollFreePrefix": "845"}}),
     "phoneNumbers[0].search.tollFreePrefix", "not a toll-free prefix"),
    ("search-type", _numbers({"search": {**TOLL_FREE, "phoneNumberType": "Mobile"}}),
     "phoneNumbers[0].search.phoneNumberType", "not one of: Local, TollFree"),
    ("search-local-prefix", _numbers({"search": {**TOLL_FREE, "phoneNumberType": "Local"}}),
     "phoneNumbers[0].search.tollFreePrefix", "cannot be combined with phoneNumberType Local"),
    ("search-area-code", _numbers({"search": {"phoneNumberType": "Local", "areaCode": "2o6"}}),
     "phoneNumbers[0].search.areaCode", "not an area code"),
    ("search-toll-free-area-code", _numbers({"search": {**TOLL_FREE, "areaCode": "206"}}),
     "phoneNumbers[0].search.areaCode", "cannot be combined with phoneNumberType TollFree"),
    ("search-city-no-state", _numbers({"search": {"phoneNumberType": "Local", "city": "Seattle"}}),
     "phoneNumbers[0].search.city", "also needs state"),
    ("search-empty", _numbers({"search": {}}), "phoneNumbers[0].search", "expected a mapping"),
    ("second-item-index", _numbers({"e164": "+18445550100"}, {"search": {"country": "U1"}}),
     "phoneNumbers[1].search.country", "two-letter"),
    ("hostname", {f"{KEY}voiceConnectorHostname": "not a host!"}, "voiceConnectorHostname",
     "not a valid host name"),
    ("hostname-label", {f"{KEY}voiceConnectorHostname": "-bad.voiceconnector.chime.aws"},
     "voiceConnectorHostname", "not a valid host name"),
    ("hostname-ip", {f"{KEY}voiceConnectorHostname": "10.0.0.1"}, "voiceConnectorHostname", "IP address"),
    ("hostname-newline", {f"{KEY}voiceConnectorHostname": "abc.voiceconnector.chime.aws\n"},
     "voiceConnectorHostname", "not a valid host name"),
    ("backup-region-unknown", {f"{KEY}backupRegion": "us-east-2"}, "backupRegion",
     "not a Region with the Chime SDK PSTN audio service"),
    ("backup-region-same", {f"{KEY}backupRegion": "us-east-1"}, "backupRegion",
     "must differ from aws:region"),
    ("backup-static-credentials", {f"{KEY}backupRegion": "us-west-2", "aws:accessKey": "AKIDEXAMPLE"},
     "aws:accessKey", "static credentials"),
    ("region-unknown", {"aws:region": "eu-north-1"}, "aws:region", "not a Region with the Chime SDK PSTN"),
    ("retention-zero", {f"{KEY}logRetentionDays": "0"}, "logRetentionDays", "must be positive"),
    ("retention-negative", {f"{KEY}logRetentionDays": "-7"}, "logRetentionDays", "must be positive"),
    ("retention-not-accepted", {f"{KEY}logRetentionDays": "45"}, "logRetentionDays",
     "CloudWatch Logs does not accept 45"),
    ("retention-text", {f"{KEY}logRetentionDays": "month"}, "logRetentionDays", "whole number"),
    ("protect", {f"{KEY}protectPhoneNumbers": "yes"}, "protectPhoneNumbers", "expected true or false"),
    ("sma-logs", {f"{KEY}sipMediaApplicationLogs": "on"}, "sipMediaApplicationLogs",
     "expected true or false"),
    ("engine", {f"{KEY}engine": "generative"}, "engine", "not a Speak engine"),
    ("voice-case", {f"{KEY}voiceId": "joanna"}, "voiceId", "not an Amazon Polly voice"),
    ("backup-voice", {f"{KEY}backupVoiceId": "Robot"}, "backupVoiceId", "not an Amazon Polly voice"),
    ("language", {f"{KEY}languageCode": "english"}, "languageCode", "not an Amazon Polly language"),
    ("greeting-empty", {f"{KEY}greeting": "  "}, "greeting", "must not be empty"),
    ("greeting-long", {f"{KEY}backupGreeting": "x" * 1001}, "backupGreeting", "at most 1000"),
    ("endpoint-scheme", {f"{KEY}chimeEndpoint": "ftp://127.0.0.1:8600"}, "chimeEndpoint", "http(s) URL"),
    ("endpoint-text", {f"{KEY}chimeEndpoint": "localhost"}, "chimeEndpoint", "http(s) URL"),
    ("endpoint-port", {f"{KEY}chimeEndpoint": "http://127.0.0.1:99999"}, "chimeEndpoint", "not a URL"),
    ("endpoint-credentials", {f"{KEY}chimeEndpoint": "http://AKIA:s3cret@127.0.0.1:8600"}, "chimeEndpoint",
     "must not contain credentials"),
    ("unknown-key", {f"{KEY}protectPhoneNumber": "false"}, "protectPhoneNumber", "unknown key"),
    ("handler-arn-text", {f"{KEY}handlerArn": "my-handler"}, "handlerArn", "not a Lambda function"),
    ("handler-arn-not-lambda", {f"{KEY}handlerArn": "arn:aws:sns:us-east-1:123456789012:function:x"},
     "handlerArn", "not a Lambda function"),
    ("handler-arn-region", {f"{KEY}handlerArn": "arn:aws:lambda:us-west-2:123456789012:function:h"},
     "handlerArn", "is in us-west-2; the SIP media application in us-east-1"),
    ("handler-arn-newline", {f"{KEY}handlerArn": "arn:aws:lambda:us-east-1:123456789012:function:h\n"},
     "handlerArn", "not a Lambda function"),
    ("backup-handler-arn-alone",
     {f"{KEY}backupHandlerArn": "arn:aws:lambda:us-west-2:123456789012:function:b"},
     "backupHandlerArn", "needs backupRegion"),
    ("backup-handler-arn-region",
     {f"{KEY}backupRegion": "us-west-2",
      f"{KEY}backupHandlerArn": "arn:aws:lambda:us-east-1:123456789012:function:b"},
     "backupHandlerArn", "is in us-east-1; the SIP media application in us-west-2"),
    ("backup-endpoints", {f"{KEY}backupRegion": "us-west-2", "aws:endpoints": json.dumps([{"nosuch": "x"}])},
     "aws:endpoints", "cannot be repeated for the backup Region"),
    # Digits are ASCII digits: Python's \d, str.isdigit, int() and float() also take others.
    ("e164-arabic-indic", _numbers({"e164": "+1" + "8445550100".translate(ARABIC_INDIC)}),
     "phoneNumbers[0].e164", "not an E.164"),
    ("e164-full-width", _numbers({"e164": "+1" + "8445550100".translate(FULL_WIDTH)}),
     "phoneNumbers[0].e164", "not an E.164"),
    ("search-area-code-arabic-indic",
     _numbers({"search": {"phoneNumberType": "Local", "areaCode": "206".translate(ARABIC_INDIC)}}),
     "phoneNumbers[0].search.areaCode", "not an area code"),
    ("retention-arabic-indic", {f"{KEY}logRetentionDays": "30".translate(ARABIC_INDIC)}, "logRetentionDays",
     "whole number"),
    ("retention-underscore", {f"{KEY}logRetentionDays": "3_0"}, "logRetentionDays", "whole number"),
    ("hostname-kelvin-sign", {f"{KEY}voiceConnectorHostname": "\u212aabc.voiceconnector.chime.aws"},
     "voiceConnectorHostname", "not a valid host name"),
    # Nested or oversized: one line, not a RecursionError or a page-long echo.
    ("numbers-nested-beyond-the-parser", {f"{KEY}phoneNumbers": "[" * 100_000 + "]" * 100_000},
     "phoneNumbers", "nested more than 16 levels"),
    ("numbers-nested", _numbers({"search": json.loads("[" * 40 + "]" * 40)}), "phoneNumbers",
     "nested more than 16 levels"),
    ("numbers-oversized", _numbers(*[{"e164": "+18445550100"}] * 20_000), "phoneNumbers",
     "characters long; at most 262144 are read"),
    ("greeting-oversized", {f"{KEY}greeting": "x" * 300_000}, "greeting", "characters long"),
    ("backup-endpoints-nested",
     {f"{KEY}backupRegion": "us-west-2", "aws:endpoints": "[" * 50_000 + "]" * 50_000},
     "aws:endpoints", "nested more than 16 levels"),
    # chimeEndpoint: a plain http(s) URL.
    ("endpoint-newline", {f"{KEY}chimeEndpoint": "http://127.0.0.1:8600\n"}, "chimeEndpoint", "plain URL"),
    ("endpoint-space", {f"{KEY}chimeEndpoint": "http://127.0.0.1:8600 /"}, "chimeEndpoint", "plain URL"),
    ("endpoint-non-ascii", {f"{KEY}chimeEndpoint": "http://\uff4cocalhost:8600"}, "chimeEndpoint",
     "plain URL"),
    ("endpoint-query", {f"{KEY}chimeEndpoint": "http://127.0.0.1:8600/?X-Amz-Credential=AKIA"},
     "chimeEndpoint", "must not have a query"),
    ("endpoint-fragment", {f"{KEY}chimeEndpoint": "http://127.0.0.1:8600/#token"}, "chimeEndpoint",
     "must not have a query (?...) or fragment"),
    ("endpoint-empty-user", {f"{KEY}chimeEndpoint": "http://@127.0.0.1:8600"}, "chimeEndpoint",
     "must not contain credentials"),
    ("max-retries-text", {"aws:maxRetries": "lots"}, "aws:maxRetries", "whole number of retries"),
    ("max-retries-arabic-indic", {"aws:maxRetries": "\u0663"}, "aws:maxRetries", "whole number of retries"),
    ("max-retries-negative", {"aws:maxRetries": "-1"}, "aws:maxRetries", "whole number of retries"),
    ("deadline-zero", {f"{KEY}apiDeadlineSeconds": "0"}, "apiDeadlineSeconds", "number of seconds from 1"),
    ("deadline-text", {f"{KEY}apiDeadlineSeconds": "soon"}, "apiDeadlineSeconds", "number of seconds"),
    ("deadline-arabic-indic", {f"{KEY}apiDeadlineSeconds": "120".translate(ARABIC_INDIC)},
     "apiDeadlineSeconds", "number of seconds"),
]


@pytest.mark.parametrize(("overrides", "key", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_value_is_named_and_declares_nothing(overrides: dict[str, str], key: str,
                                                     fragment: str) -> None:
    config = {**stack_config("dev"), **overrides}
    run = evaluate("dev", config)
    assert isinstance(run.error, SettingsError), run.error
    full_key = key if key.startswith("aws:") else f"{KEY}{key}"
    matching = [p for p in run.error.problems if p.startswith(f"{full_key}: ")]
    assert matching, run.error.problems
    assert any(fragment in p for p in matching), matching
    assert fragment in str(run.error)
    assert len(str(run.error)) < 1000  # whatever the value's size, the message stays short
    assert "AKIA" not in str(run.error)  # a credential-bearing endpoint is not echoed
    assert run.registrations == []  # not even the CallRouting component


def test_missing_region_is_named() -> None:
    config = {k: v for k, v in stack_config("dev").items() if k != "aws:region"}
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("AWS_REGION", raising=False)
        mp.delenv("AWS_DEFAULT_REGION", raising=False)
        run = evaluate("dev", config)
    assert isinstance(run.error, SettingsError)
    assert any(p.startswith("aws:region: is not set") for p in run.error.problems)
    assert run.registrations == []


def test_stack_name_that_breaks_function_names() -> None:
    run = evaluate("dev.v2", stack_config("dev"))
    assert isinstance(run.error, SettingsError)
    assert "chime-pstn-routing-dev.v2-call-handler" in str(run.error)
    assert run.registrations == []


def test_every_problem_is_reported_at_once() -> None:
    config = {**stack_config("dev"), f"{KEY}engine": "loud", f"{KEY}logRetentionDays": "0",
              **_numbers({"e164": "12"}, {"search": {"country": "us"}})}
    run = evaluate("dev", config)
    assert isinstance(run.error, SettingsError)
    assert [p.split(": ")[0] for p in run.error.problems] == [
        f"{KEY}logRetentionDays", f"{KEY}phoneNumbers[0].e164", f"{KEY}phoneNumbers[1].search.country",
        f"{KEY}engine"]
    assert run.registrations == []


@pytest.mark.parametrize("days", [LOG_RETENTION_DAYS[0], 14, LOG_RETENTION_DAYS[-1]])
def test_accepted_values_declare_the_stack(days: int) -> None:
    config = {**stack_config("dev"), f"{KEY}logRetentionDays": str(days), f"{KEY}engine": "standard",
              f"{KEY}voiceConnectorHostname": "ABCdef1.voiceconnector.chime.aws"}
    run = evaluate("dev", config)
    assert run.error is None, run.error
    assert run.by_name("routing-primary-log-group").inputs["retentionInDays"] == days
    assert run.by_name("routing-primary-function").inputs["environment"]["variables"]["ENGINE"] == "standard"


def test_a_deadline_and_max_retries_in_range_are_accepted() -> None:
    config = {**stack_config("dev"), f"{KEY}apiDeadlineSeconds": "120.5", "aws:maxRetries": "5",
              f"{KEY}chimeEndpoint": "https://chime-voice.example.com:8443/base"}
    run = evaluate("dev", config)
    assert run.error is None, run.error


def test_defaults_apply_when_keys_are_absent() -> None:
    run = evaluate("dev", {"aws:region": "eu-west-2"})
    assert run.error is None, run.error
    env = run.by_name("routing-primary-function").inputs["environment"]["variables"]
    assert env == {"GREETING": "Hello! This is a test call from Amazon Chime SDK PSTN Audio.",
                   "VOICE_ID": "Joanna", "ENGINE": "neural", "LANGUAGE_CODE": "en-US"}
    assert run.by_name("routing-primary-log-group").inputs["retentionInDays"] == 30
    # Message logs off, and said so: a stack that turns them off again gets them off.
    assert run.by_name("routing-primary-sma").inputs["logging"] == {
        "enable_sip_media_application_message_logs": False}
    assert not [r for r in run.registrations if r.type.endswith(":PhoneNumber")]
    assert run.exports["phoneNumbers"] == []
    assert run.exports["sipRuleIds"] == []


def test_defaults_are_written_once_in_the_settings_dataclass(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_settings takes every default from Settings' fields: change them there and they change."""

    @dataclasses.dataclass(frozen=True)
    class OtherDefaults(settings.Settings):
        protect_phone_numbers: bool = False
        log_retention_days: int = 7
        greeting: str = "Other greeting."
        voice_id: str = "Amy"
        engine: str = "standard"
        language_code: str = "en-GB"
        backup_greeting: str = "Other backup greeting."
        backup_voice_id: str = "Brian"
        sip_media_application_logs: bool = True

    monkeypatch.setattr(settings, "Settings", OtherDefaults)
    run = evaluate("dev", {"aws:region": "eu-west-2", f"{KEY}backupRegion": "eu-west-1",
                           f"{KEY}phoneNumbers": json.dumps([{"e164": "+18445550100"}])})
    assert run.error is None, run.error
    for role, greeting, voice in (("primary", "Other greeting.", "Amy"),
                                  ("backup", "Other backup greeting.", "Brian")):
        env = run.by_name(f"routing-{role}-function").inputs["environment"]["variables"]
        assert env == {"GREETING": greeting, "VOICE_ID": voice, "ENGINE": "standard",
                       "LANGUAGE_CODE": "en-GB"}
        assert run.by_name(f"routing-{role}-log-group").inputs["retentionInDays"] == 7
        assert run.by_name(f"routing-{role}-sma").inputs["logging"] == {
            "enable_sip_media_application_message_logs": True}
    assert [r.protect for r in run.registrations if r.type.endswith(":PhoneNumber")] == [False]


@pytest.mark.parametrize(("stack", "value", "expected"), [
    ("dev", None, False), ("dev", "true", True), ("prod", None, True), ("prod", "false", False),
    ("local", "TRUE", True),
])
def test_sip_media_application_logs_reach_every_application(stack: str, value: str | None,
                                                            expected: bool) -> None:
    config = stack_config(stack)
    if value is not None:
        config[f"{KEY}sipMediaApplicationLogs"] = value
    run = evaluate(stack, config)
    assert run.error is None, run.error
    applications = run.of_type("pulumi-python:dynamic/chime:SipMediaApplication")
    assert len(applications) == (1 if stack == "dev" else 2)
    assert [a.inputs["logging"] for a in applications] == [
        {"enable_sip_media_application_message_logs": expected}] * len(applications)
