"""`load_settings` read directly: the value each key becomes, its default, and every problem collected
(the program-level tests in test_settings.py see the same through the declared resources)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from components.settings import (
    DEFAULT_BACKUP_GREETING,
    DEFAULT_GREETING,
    SPEAK_TEXT_MAX,
    NumberSearch,
    PhoneNumberSpec,
    Settings,
    SettingsError,
    load_settings,
)

KEY = "chime-pstn-routing:"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms"
BACKUP_TOPIC = "arn:aws:sns:us-west-2:123456789012:alarms"


@pytest.fixture(autouse=True)
def clean_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    yield
    pulumi.runtime.set_all_config({})


def load(config: dict[str, str] | None = None, region: str | None = "us-east-1", **keys: Any) -> Settings:
    values = dict(config or {})
    if region is not None:
        values["aws:region"] = region
    for name, value in keys.items():
        values[f"{KEY}{name}"] = value if isinstance(value, str) else json.dumps(value)
    pulumi.runtime.set_all_config(values)
    return load_settings("chime-pstn-routing", "dev")


def problems(
    config: dict[str, str] | None = None, region: str | None = "us-east-1", **keys: Any
) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        load(config, region, **keys)
    assert str(raised.value).startswith("invalid stack configuration:\n  ")
    return list(raised.value.problems)


def test_every_default() -> None:
    settings = load()
    assert settings == Settings(project="chime-pstn-routing", stack="dev", region="us-east-1")
    assert settings.protect_phone_numbers is True
    assert settings.sip_media_application_logs is False
    assert (settings.log_retention_days, settings.greeting, settings.backup_greeting) == (
        30,
        DEFAULT_GREETING,
        DEFAULT_BACKUP_GREETING,
    )
    assert (settings.voice_id, settings.backup_voice_id, settings.engine, settings.language_code) == (
        "Joanna",
        "Matthew",
        "neural",
        "en-US",
    )
    assert settings.chime_endpoint is None and settings.phone_numbers == ()
    assert settings.backup_provider_config == {}
    assert settings.function_name == "chime-pstn-routing-dev-call-handler"
    assert settings.backup_function_name == "chime-pstn-routing-dev-backup-handler"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("True", True), (" TRUE ", True), ("false", False), ("FALSE", False), (" false", False)],
)
def test_protect_phone_numbers_reads_true_and_false_in_any_case(raw: str, expected: bool) -> None:
    assert load(protectPhoneNumbers=raw).protect_phone_numbers is expected
    assert load(sipMediaApplicationLogs=raw).sip_media_application_logs is expected


@pytest.mark.parametrize("raw", ["yes", "1", "", "truee"])
def test_anything_else_is_a_problem_naming_the_key(raw: str) -> None:
    assert problems(protectPhoneNumbers=raw) == [
        f"{KEY}protectPhoneNumbers: expected true or false, got {raw!r}"
    ]


def test_aws_region_falls_back_to_aws_region_then_aws_default_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert load(region=None).region == "eu-west-1"
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    assert load(region=None).region == "eu-west-2"
    assert load(region="us-west-2").region == "us-west-2"  # the stack's own aws:region wins


def test_a_region_without_pstn_audio_is_named() -> None:
    [problem] = problems(region="sa-east-1")
    assert problem.startswith("aws:region: 'sa-east-1' is not a Region with the Chime SDK PSTN audio")
    assert "us-east-1" in problem


def test_a_valid_search_becomes_a_number_spec_in_field_order() -> None:
    settings = load(
        phoneNumbers=[
            {"search": {"tollFreePrefix": "844", "country": "US", "phoneNumberType": "TollFree"}},
            {"e164": "+18445550100"},
        ]
    )
    assert settings.phone_numbers == (
        PhoneNumberSpec(
            search=NumberSearch(
                (("phone_number_type", "TollFree"), ("country", "US"), ("toll_free_prefix", "844"))
            )
        ),
        PhoneNumberSpec(e164="+18445550100"),
    )
    assert settings.phone_numbers[0].search is not None
    assert settings.phone_numbers[0].search.as_input() == {
        "phone_number_type": "TollFree",
        "country": "US",
        "toll_free_prefix": "844",
    }


def test_an_area_code_search_as_a_number_is_read_as_its_digits() -> None:
    [spec] = load(phoneNumbers=[{"search": {"phoneNumberType": "Local", "areaCode": 206}}]).phone_numbers
    assert spec.search == NumberSearch((("phone_number_type", "Local"), ("area_code", "206")))


def test_area_codes_have_2_to_5_digits() -> None:
    for ok in ("20", "20612"):
        load(phoneNumbers=[{"search": {"phoneNumberType": "Local", "areaCode": ok}}])
    for bad in ("2", "206123"):
        assert problems(phoneNumbers=[{"search": {"phoneNumberType": "Local", "areaCode": bad}}]) == [
            f"{KEY}phoneNumbers[0].search.areaCode: '{bad}' is not an area code of Local numbers "
            "(2-5 digits, e.g. 206)"
        ]


def test_a_search_needs_a_narrowing_field_and_values_must_be_non_empty_strings() -> None:
    assert problems(phoneNumbers=[{"search": {"phoneNumberType": "Local"}}]) == [
        f"{KEY}phoneNumbers[0].search: needs at least one of country, tollFreePrefix, areaCode, city, state"
    ]
    for bad in (True, " ", None, ["US"]):
        found = problems(
            phoneNumbers=[
                {"search": {"phoneNumberType": "TollFree", "country": bad, "tollFreePrefix": "844"}}
            ]
        )
        assert found == [f"{KEY}phoneNumbers[0].search.country: expected a non-empty string, got {bad!r}"]
    assert problems(phoneNumbers=[{"search": {}}])[0].startswith(
        f"{KEY}phoneNumbers[0].search: expected a mapping of search fields"
    )
    assert problems(phoneNumbers=[{"search": "US"}])[0].startswith(
        f"{KEY}phoneNumbers[0].search: expected a mapping of search fields"
    )


def test_a_city_search_needs_a_state() -> None:
    found = problems(phoneNumbers=[{"search": {"phoneNumberType": "Local", "city": "Seattle"}}])
    assert found == [f"{KEY}phoneNumbers[0].search.city: a city search also needs state"]
    load(phoneNumbers=[{"search": {"phoneNumberType": "Local", "city": "Seattle", "state": "WA"}}])


def test_problems_after_the_first_bad_entry_are_still_collected() -> None:
    found = problems(
        phoneNumbers=[
            "+18445550100",  # not a mapping
            {"e164": "+1"},  # too short
            {"search": {"country": "usa", "zip": "1"}},  # two bad fields in one search
            {"e164": "+18445550100"},
            {"e164": "+18445550100"},  # a duplicate after all that
            {},
            {"e164": "+1"},  # and after an item with neither e164 nor search
        ]
    )
    assert [p.split(": ")[0] for p in found] == [
        f"{KEY}phoneNumbers[0]",
        f"{KEY}phoneNumbers[1].e164",
        f"{KEY}phoneNumbers[2].search.zip",
        f"{KEY}phoneNumbers[2].search.country",
        f"{KEY}phoneNumbers[4].e164",
        f"{KEY}phoneNumbers[5]",
        f"{KEY}phoneNumbers[6].e164",
    ]
    assert found[4].endswith("+18445550100 is already listed at phoneNumbers[3]")


@pytest.mark.parametrize(
    ("key", "first"),
    [
        ("aws:profile", "x" * (256 * 1024 + 1)),  # too long to read
        ("aws:profile", "[" * 100_000 + "]" * 100_000),  # too deep for the parser
        ("aws:profile", "[" * 17 + "]" * 17),  # too deep for us
        ("aws:endpoints", "[[]]"),  # read, but not a value the backup Region's provider can take
    ],
)
def test_each_forwarded_aws_key_is_checked_after_a_bad_one(key: str, first: str) -> None:
    # aws:stsRegion is forwarded last: it is still checked after a bad key before it.
    found = problems({key: first, "aws:stsRegion": "[" * 17 + "]" * 17}, backupRegion="us-west-2")
    assert [p.split(": ")[0] for p in found] == [key, "aws:stsRegion"], found


def test_an_item_with_an_unknown_field_is_still_read() -> None:
    found = problems(phoneNumbers=[{"e164": "+18445550100", "zip": "1"}, {"e164": "+18445550100"}])
    assert found == [
        f"{KEY}phoneNumbers[0]: unknown field(s) zip; an item has e164 or search",
        f"{KEY}phoneNumbers[1].e164: +18445550100 is already listed at phoneNumbers[0]",
    ]


def test_a_16_character_e164_number_is_the_longest() -> None:
    longest = "+1" + "5" * 14
    assert load(phoneNumbers=[{"e164": longest}]).phone_numbers == (PhoneNumberSpec(e164=longest),)
    assert problems(phoneNumbers=[{"e164": longest + "5"}])[0].startswith(f"{KEY}phoneNumbers[0].e164: ")


def test_chime_endpoint_is_carried_through() -> None:
    assert load(chimeEndpoint="http://127.0.0.1:8600").chime_endpoint == "http://127.0.0.1:8600"
    assert load(chimeEndpoint="https://chime.example").chime_endpoint == "https://chime.example"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("ftp://127.0.0.1", "is not an http(s) URL"),
        ("http://", "is not an http(s) URL"),
        ("http://127.0.0.1:99999", "is not a URL"),
        ("http://user:secret@127.0.0.1", "must not contain credentials"),
    ],
)
def test_a_bad_chime_endpoint_is_named(value: str, fragment: str) -> None:
    [problem] = problems(chimeEndpoint=value)
    assert problem.startswith(f"{KEY}chimeEndpoint: ") and fragment in problem
    assert "secret" not in problem


def test_a_greeting_of_exactly_1000_characters_is_accepted_and_1001_is_not() -> None:
    assert load(greeting="x" * SPEAK_TEXT_MAX).greeting == "x" * 1000
    assert problems(backupGreeting="x" * 1001) == [
        f"{KEY}backupGreeting: is 1001 characters; the Speak action allows at most 1000"
    ]
    assert problems(greeting="   ") == [f"{KEY}greeting: must not be empty"]


def test_polly_values() -> None:
    settings = load(voiceId="Amy", backupVoiceId="Brian", engine="standard", languageCode="en-GB")
    assert (settings.voice_id, settings.backup_voice_id, settings.engine, settings.language_code) == (
        "Amy",
        "Brian",
        "standard",
        "en-GB",
    )
    found = problems(voiceId="joanna", engine="loud", languageCode="en-XX", backupVoiceId="Nobody")
    assert [p.split(": ")[0] for p in found] == [
        f"{KEY}voiceId",
        f"{KEY}engine",
        f"{KEY}languageCode",
        f"{KEY}backupVoiceId",
    ]


@pytest.mark.parametrize("days", ["1", "3653"])
def test_log_retention_edges(days: str) -> None:
    assert load(logRetentionDays=days).log_retention_days == int(days)


@pytest.mark.parametrize(
    ("days", "fragment"),
    [
        ("0", "must be positive, got 0"),
        ("-1", "must be positive"),
        ("2", "does not accept 2"),
        ("3654", "does not accept 3654"),
        ("ten", "expected a whole number of days"),
    ],
)
def test_log_retention_problems(days: str, fragment: str) -> None:
    [problem] = problems(logRetentionDays=days)
    assert problem.startswith(f"{KEY}logRetentionDays: ") and fragment in problem


def test_backup_region_must_differ_and_exist() -> None:
    assert load(backupRegion="us-west-2").backup_region == "us-west-2"
    assert problems(backupRegion="us-east-1") == [
        f"{KEY}backupRegion: must differ from aws:region (us-east-1): a SIP rule can target only one SIP "
        "media application per Region"
    ]
    assert problems(backupRegion="mars-1")[0].startswith(f"{KEY}backupRegion: 'mars-1' is not a Region")


def test_voice_connector_hostname_of_253_characters() -> None:
    host = "a" * (253 - len(".voiceconnector.chime.aws")) + ".voiceconnector.chime.aws"
    assert len(host) == 253
    assert problems(voiceConnectorHostname=host)[0].startswith(f"{KEY}voiceConnectorHostname: ")
    good = "abcdef1.voiceconnector.chime.aws"
    assert load(voiceConnectorHostname=good).voice_connector_hostname == good


def test_alarm_topics_both_or_neither_and_live_versions() -> None:
    settings = load(
        backupRegion="us-west-2",
        alarmTopicArn=TOPIC,
        backupAlarmTopicArn=BACKUP_TOPIC,
        liveVersion="7",
        backupLiveVersion="1",
    )
    assert (settings.alarm_topic_arn, settings.backup_alarm_topic_arn) == (TOPIC, BACKUP_TOPIC)
    assert (settings.live_version, settings.backup_live_version) == ("7", "1")
    assert problems(backupRegion="us-west-2", alarmTopicArn=TOPIC)[0].startswith(
        f"{KEY}backupAlarmTopicArn: is needed as well"
    )
    assert problems(backupRegion="us-west-2", backupAlarmTopicArn=BACKUP_TOPIC)[0].startswith(
        f"{KEY}alarmTopicArn: is needed as well: alarms can notify only a topic in their own Region, so "
        "the handler alarms in us-east-1"
    )
    assert problems(backupLiveVersion="3") == [
        f"{KEY}backupLiveVersion: needs backupRegion: it is the backup Region's setting"
    ]
    for bad in ("0", "$LATEST", "07"):
        assert problems(liveVersion=bad)[0].startswith(f"{KEY}liveVersion: {bad!r} is not a published")
    assert problems(alarmTopicArn=BACKUP_TOPIC)[0].startswith(f"{KEY}alarmTopicArn: ")


def test_handler_arns_replace_the_handler_and_its_release_keys() -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:mine"
    backup = "arn:aws:lambda:us-west-2:123456789012:function:mine:live"
    settings = load(handlerArn=arn, backupRegion="us-west-2", backupHandlerArn=backup)
    assert (settings.handler_arn, settings.backup_handler_arn) == (arn, backup)
    assert settings.backup_provider_config == {}
    assert problems(handlerArn=arn, liveVersion="3") == [
        f"{KEY}liveVersion: has no effect with handlerArn: the program then builds no handler, alarm or "
        "alias in that Region"
    ]
    assert problems(backupHandlerArn=backup) == [
        f"{KEY}backupHandlerArn: needs backupRegion: it is the backup Region's handler"
    ]
    assert problems(handlerArn=backup)[0].startswith(f"{KEY}handlerArn: ")
    assert problems(backupRegion="us-west-2", backupHandlerArn=arn)[0].startswith(f"{KEY}backupHandlerArn: ")
    # with a bring-your-own backup handler, no topic is needed there
    settings = load(backupRegion="us-west-2", backupHandlerArn=backup, alarmTopicArn=TOPIC)
    assert settings.alarm_topic_arn == TOPIC


def test_backup_provider_config_forwards_aws_keys_and_refuses_static_credentials() -> None:
    settings = load({"aws:profile": "ops", "aws:maxRetries": "5"}, backupRegion="us-west-2")
    assert settings.backup_provider_config == {"profile": "ops", "maxRetries": 5}
    assert load({"aws:profile": "ops"}).backup_provider_config == {}  # no backup Region: nothing to forward
    found = problems({"aws:accessKey": "AKIA", "aws:secretKey": "s"}, backupRegion="us-west-2")
    assert [p.split(": ")[0] for p in found] == ["aws:accessKey", "aws:secretKey"]


def test_an_unknown_key_in_the_namespace_is_named() -> None:
    found = problems(greetng="hi")
    assert found[0].startswith(f"{KEY}greetng: unknown key; known keys: phoneNumbers, ")


def test_a_stack_name_that_breaks_the_function_name() -> None:
    pulumi.runtime.set_all_config({"aws:region": "us-east-1"})
    with pytest.raises(SettingsError) as raised:
        load_settings("chime-pstn-routing", "x" * 40)
    assert raised.value.problems[0].startswith(f"stack name {'x' * 40!r}: gives the Lambda function name")
    assert len(raised.value.problems) == 1  # named once, not once per function


def test_api_deadline_from_1_to_3600_seconds() -> None:
    assert load().api_deadline_seconds is None
    assert load(apiDeadlineSeconds="1").api_deadline_seconds == 1.0
    assert load(apiDeadlineSeconds="3600").api_deadline_seconds == 3600.0
    assert load(apiDeadlineSeconds="2.5").api_deadline_seconds == 2.5
    for bad in ("0.5", "3600.5", "ten", "-1", "1e3"):
        assert problems(apiDeadlineSeconds=bad) == [
            f"{KEY}apiDeadlineSeconds: expected a number of seconds from 1 to 3600, got {bad!r}"
        ]


def test_aws_max_retries_is_a_whole_number_of_up_to_4_digits() -> None:
    for ok in ("0", "9999", " 5 "):
        load({"aws:maxRetries": ok})
    for bad in ("10000", "-1", "three", "1.5"):
        assert problems({"aws:maxRetries": bad}) == [
            f"aws:maxRetries: expected a whole number of retries (0-9999), got {bad!r}"
        ]


def test_an_oversized_value_is_reported_and_read_as_absent() -> None:
    from components.settings import MAX_VALUE_CHARS

    assert load(greeting="x" * 10) and MAX_VALUE_CHARS == 256 * 1024
    found = problems(greeting="x" * (MAX_VALUE_CHARS + 1))
    assert found == [
        f"{KEY}greeting: is {MAX_VALUE_CHARS + 1} characters long; at most {MAX_VALUE_CHARS} are read"
    ]
    assert problems({"aws:profile": "p" * (MAX_VALUE_CHARS + 1)}, backupRegion="us-west-2") == [
        f"aws:profile: is {MAX_VALUE_CHARS + 1} characters long; at most {MAX_VALUE_CHARS} are read"
    ]


def test_structured_values_nested_more_than_16_levels_are_refused() -> None:
    from components.settings import MAX_DEPTH

    assert MAX_DEPTH == 16
    deep_ok = "[" * 16 + "]" * 16  # 16 levels: read, then refused for what it holds
    assert problems(phoneNumbers=deep_ok)[0].startswith(f"{KEY}phoneNumbers[0]: expected a mapping")
    too_deep = "[" * 17 + "]" * 17
    assert problems(phoneNumbers=too_deep) == [f"{KEY}phoneNumbers: is nested more than 16 levels deep"]
    assert problems(phoneNumbers="[" * 100_000 + "]" * 100_000) == [
        f"{KEY}phoneNumbers: is nested more than 16 levels deep"
    ]
    assert problems({"aws:endpoints": too_deep}, backupRegion="us-west-2") == [
        "aws:endpoints: is nested more than 16 levels deep"
    ]
    # 16 levels of an aws: value are read too, then judged on what they hold.
    [held] = problems({"aws:endpoints": deep_ok}, backupRegion="us-west-2")
    assert held.startswith("aws:endpoints: cannot be repeated for the backup Region's provider")


def test_values_quoted_in_messages_are_shortened() -> None:
    [problem] = problems(engine="e" * 500)
    assert len(problem) < 200 and problem.startswith(f"{KEY}engine: 'eeee")
    [problem] = problems(phoneNumbers=[{"search": {"z" * 100: "1", "country": "US"}}])
    assert problem.startswith(f"{KEY}phoneNumbers[0].search.{'z' * 60}: unknown search field")
    [problem] = problems(phoneNumbers=[{"e164": "+18445550100", "z" * 100: 1}])
    assert f"unknown field(s) {'z' * 60}; an item" in problem


def test_a_quoted_value_shows_60_characters_4_items_and_3_levels() -> None:
    from components.settings import _shown

    class Long:
        def __repr__(self) -> str:
            return "x" * 200

    assert len(_shown("e" * 500)) == 60 and len(_shown(Long())) == 60
    assert _shown(list(range(10))) == "[0, 1, 2, 3, ...]"
    assert _shown({i: i for i in range(10)}) == "{0: 0, 1: 1, 2: 2, 3: 3, ...}"
    assert _shown([[[[1]]]]) == "[[[[...]]]]" and _shown([[[1]]]) == "[[[1]]]"


# The retention values CloudWatch Logs' PutRetentionPolicy accepts (its documented enum).
CLOUDWATCH_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def test_every_retention_value_cloudwatch_accepts_and_no_neighbour() -> None:
    for days in CLOUDWATCH_RETENTION_DAYS:
        assert load(logRetentionDays=str(days)).log_retention_days == days
    neighbours = {d + step for d in CLOUDWATCH_RETENTION_DAYS for step in (-1, 1)} - set(
        CLOUDWATCH_RETENTION_DAYS
    )
    for days in sorted(neighbours - {0}):
        assert problems(logRetentionDays=str(days))[0].startswith(
            f"{KEY}logRetentionDays: CloudWatch Logs does not accept {days}; use one of: 1, 3, 5"
        )


def test_values_of_exactly_the_read_limit_are_read() -> None:
    from components.settings import MAX_VALUE_CHARS

    padded = "[" + " " * (MAX_VALUE_CHARS - 2) + "]"  # an empty list, padded to exactly the limit
    assert load(phoneNumbers=padded).phone_numbers == ()
    assert problems(phoneNumbers=padded + " ") == [
        f"{KEY}phoneNumbers: is {MAX_VALUE_CHARS + 1} characters long; at most {MAX_VALUE_CHARS} are read"
    ]
    profile = "p" * MAX_VALUE_CHARS
    assert load({"aws:profile": profile}, backupRegion="us-west-2").backup_provider_config == {
        "profile": profile
    }


def test_an_unknown_key_given_both_in_config_and_the_environment_is_named_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({f"{KEY}greetng": "hi", f"{KEY}colour": "red"}))
    found = problems(greetng="hi")
    assert [p.split(": ")[0] for p in found] == [f"{KEY}colour", f"{KEY}greetng"]


def test_settings_are_an_immutable_value() -> None:
    import dataclasses

    settings = load()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.region = "us-west-2"  # type: ignore[misc]
    assert hash(settings.phone_numbers) == hash(())
    spec = PhoneNumberSpec(e164="+18445550100")
    assert len({spec, PhoneNumberSpec(e164="+18445550100")}) == 1
    assert len({NumberSearch((("country", "US"),)), NumberSearch((("country", "US"),))}) == 1
