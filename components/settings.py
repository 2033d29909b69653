"""Stack config (`chime-pstn-routing:<key>`, `aws:region`) → one validated, typed `Settings`.

Everything is checked before the program declares a resource, and every problem found is reported
together in one `SettingsError` whose lines each name the full config key (`chime-pstn-routing:
phoneNumbers[1].search.country`) and what is wrong with it. The limits come from the service
models (chime-sdk-voice search criteria and PSTN audio Regions, Polly voices and languages) and
the AWS docs (CloudWatch Logs retention values, the Speak action), not from guesses.
"""

from __future__ import annotations

import json
import os
import re
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import pulumi

from awsutil import number_search
from awsutil.alarm_values import alarm_topic_problem
from awsutil.chime_values import handler_arn_problem, hostname_problem, is_e164, pstn_audio_regions
from awsutil.endpoint_url import endpoint_problem
from awsutil.retry import deadline_problem
from awsutil.service_model import compiled_pattern, shape

PROJECT = "chime-pstn-routing"

# The only values CloudWatch Logs accepts for a log group's retentionInDays (PutRetentionPolicy).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653)
# The PSTN audio Speak action accepts only these two Polly engines.
SPEAK_ENGINES = ("standard", "neural")
KNOWN_KEYS = ("phoneNumbers", "voiceConnectorHostname", "backupRegion", "protectPhoneNumbers",
              "alarmTopicArn", "backupAlarmTopicArn", "liveVersion", "backupLiveVersion",
              "logRetentionDays", "greeting", "voiceId", "engine", "languageCode", "backupGreeting",
              "backupVoiceId", "chimeEndpoint", "handlerArn", "backupHandlerArn",
              "sipMediaApplicationLogs", "apiDeadlineSeconds")
# `aws:` keys an explicit provider for the backup Region must repeat: an explicit aws.Provider reads
# none of the stack's `aws:` config, so without these it would use other credentials or endpoints.
FORWARDED_AWS_KEYS = ("profile", "endpoints", "skipCredentialsValidation", "skipRequestingAccountId",
                      "skipMetadataApiCheck", "skipRegionValidation", "s3UsePathStyle",
                      "allowedAccountIds", "forbiddenAccountIds", "sharedConfigFiles",
                      "sharedCredentialsFiles", "assumeRoles", "maxRetries", "stsRegion")
# Static credentials in stack config are not forwarded: they would be copied into the backup
# provider's state. With backupRegion they are refused, so both Regions use one credential chain.
STATIC_CREDENTIAL_KEYS = ("accessKey", "secretKey", "token")

DEFAULT_GREETING = "Hello! This is a test call from Amazon Chime SDK PSTN Audio."
DEFAULT_BACKUP_GREETING = "Hello! This is the backup handler for Amazon Chime SDK PSTN Audio."
SPEAK_TEXT_MAX = 1000  # Speak action: Text is at most 1,000 characters

# Used with fullmatch: `$` alone would let a trailing newline through (the providers refuse it).
# Digits are spelt [0-9]: Python's \d and int() also take Arabic-Indic or full-width digits.
_LAMBDA_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
# Lambda's Version pattern without $LATEST (published versions count from 1): an alias must point
# at an immutable, published version.
_PUBLISHED_VERSION = re.compile(r"[1-9][0-9]{0,1023}")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# The longest config value read (a `phoneNumbers` list of hundreds of numbers fits) and the
# deepest nesting a structured value may have (`phoneNumbers` needs 3): beyond them, one clear
# error instead of a parser's RecursionError or a memory spike.
MAX_VALUE_CHARS = 256 * 1024
MAX_DEPTH = 16
_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist, _SHOWN.maxdict = 3, 60, 60, 4, 4


def _shown(value: Any) -> str:
    """A value quoted in a message: short, whatever its size or nesting."""
    return _SHOWN.repr(value)


def _depth(value: Any) -> int:
    """How deeply lists and mappings nest in a parsed value (without recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, list | dict):
            level += 1
            if level > MAX_DEPTH:
                return level
            stack.extend((child, level) for child in (item.values() if isinstance(item, dict) else item))
        deepest = max(deepest, level)
    return deepest


class SettingsError(pulumi.RunError, ValueError):
    """Invalid stack config; RunError makes Pulumi print the message without a traceback."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid stack configuration:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class NumberSearch:
    """One `phoneNumbers` item's search: the criteria given, as (provider input key, value) pairs
    in `awsutil.number_search.FIELDS` order."""

    criteria: tuple[tuple[str, str], ...] = ()

    def as_input(self) -> dict[str, str]:
        """The provider's `search` dict: snake_case keys, only the criteria given."""
        return dict(self.criteria)


@dataclass(frozen=True)
class PhoneNumberSpec:
    """One `phoneNumbers` item: exactly one of `e164` and `search`."""

    e164: str | None = None
    search: NumberSearch | None = None


@dataclass(frozen=True)
class Settings:
    project: str
    stack: str
    region: str
    phone_numbers: tuple[PhoneNumberSpec, ...] = ()
    voice_connector_hostname: str | None = None
    backup_region: str | None = None
    protect_phone_numbers: bool = True
    log_retention_days: int = 30
    greeting: str = DEFAULT_GREETING
    voice_id: str = "Joanna"
    engine: str = "neural"
    language_code: str = "en-US"
    backup_greeting: str = DEFAULT_BACKUP_GREETING
    backup_voice_id: str = "Matthew"
    chime_endpoint: str | None = None
    # Bring-your-own handlers: an existing function, alias or version the application invokes; the
    # program then declares no Lambda, role, log group, alarm or permission for that Region.
    handler_arn: str | None = None
    backup_handler_arn: str | None = None
    sip_media_application_logs: bool = False  # the SIP media applications' message logs
    # SNS topics each Region's handler alarms notify (alarm actions must be in the alarm's Region).
    alarm_topic_arn: str | None = None
    backup_alarm_topic_arn: str | None = None
    # A published version to hold each Region's `live` alias on instead of the newest (a rollback).
    live_version: str | None = None
    backup_live_version: str | None = None
    api_deadline_seconds: float | None = None  # None: the providers' own default
    # `aws:` config forwarded to the backup Region's explicit provider (see FORWARDED_AWS_KEYS).
    backup_provider_config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def function_name(self) -> str:
        # Fixed names: the local stack's emulator maps them to handler files (--handler NAME=FILE).
        return f"{self.project}-{self.stack}-call-handler"

    @property
    def backup_function_name(self) -> str:
        return f"{self.project}-{self.stack}-backup-handler"


@cache
def _polly_enums() -> tuple[frozenset[str], frozenset[str]]:
    """Polly's VoiceId and LanguageCode enums from botocore's model (loaded only when needed)."""
    return (frozenset(shape("VoiceId", "polly")["enum"]), frozenset(shape("LanguageCode", "polly")["enum"]))


def _key(name: str) -> str:
    return f"{PROJECT}:{name}"


class _Reader:
    """Reads raw config strings and collects problems instead of stopping at the first."""

    def __init__(self, config: pulumi.Config) -> None:
        self.config = config
        self.problems: list[str] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def raw(self, name: str) -> str | None:
        """The value as configured; an oversized one is reported and read as absent."""
        value = self.config.get(name)
        if value is not None and len(value) > MAX_VALUE_CHARS:
            self.fail(_key(name), f"is {len(value)} characters long; at most {MAX_VALUE_CHARS} are read")
            return None
        return value

    def text(self, name: str, default: str, check: Callable[[str], str | None]) -> str:
        value = self.raw(name)
        if value is None:
            return default
        problem = check(value)
        if problem:
            self.fail(_key(name), problem)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        self.fail(_key(name), f"expected true or false, got {_shown(value)}")
        return default

    def structured(self, name: str) -> Any:
        value = self.raw(name)
        return None if value is None else parse_structured(_key(name), value, self, "a YAML/JSON list")


def parse_structured(key: str, value: str, reader: _Reader, expected: str) -> Any:
    """A structured config value (YAML reaches the program as JSON), or None after reporting why
    it cannot be read: not JSON, or nested deeper than MAX_DEPTH."""
    try:
        parsed = json.loads(value)
    except RecursionError:
        reader.fail(key, f"is nested more than {MAX_DEPTH} levels deep")
        return None
    except ValueError:
        reader.fail(key, f"expected {expected}, got {_shown(value)}")
        return None
    if _depth(parsed) > MAX_DEPTH:
        reader.fail(key, f"is nested more than {MAX_DEPTH} levels deep")
        return None
    return parsed


def _check_speak_text(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    if len(value) > SPEAK_TEXT_MAX:
        return f"is {len(value)} characters; the Speak action allows at most {SPEAK_TEXT_MAX}"
    return None


def _check_voice(value: str) -> str | None:
    voices, _ = _polly_enums()
    if value not in voices:
        return (f"{_shown(value)} is not an Amazon Polly voice (e.g. Joanna, Matthew; names are "
                "case-sensitive)")
    return None


def _check_language(value: str) -> str | None:
    _, languages = _polly_enums()
    if value not in languages:
        return f"{_shown(value)} is not an Amazon Polly language code (e.g. en-US)"
    return None


def _check_engine(value: str) -> str | None:
    if value not in SPEAK_ENGINES:
        return f"{_shown(value)} is not a Speak engine; use one of: {', '.join(SPEAK_ENGINES)}"
    return None


def _check_deadline(value: str) -> str | None:
    problem = deadline_problem(value)
    return f"{problem}, got {_shown(value)}" if problem else None


def _check_region(key: str, value: str, reader: _Reader) -> None:
    regions = pstn_audio_regions()
    if value not in regions:
        reader.fail(key, f"{_shown(value)} is not a Region with the Chime SDK PSTN audio service; use one "
                         f"of: {', '.join(sorted(regions))}")


def _search_value_problem(field: number_search.SearchField, value: str) -> str | None:
    """What the service model says is wrong with one criterion's value, if anything."""
    constraints = field.constraints()
    allowed = constraints.get("enum")
    if allowed is not None and value not in allowed:
        return f"{_shown(value)} is not one of: {', '.join(allowed)}"
    pattern = constraints.get("pattern")
    if pattern is not None and not compiled_pattern(pattern).fullmatch(value):
        return f"{_shown(value)} is not {field.description}"
    return None


def _parse_search(where: str, raw: Any, reader: _Reader) -> NumberSearch | None:
    known = ", ".join(number_search.BY_CONFIG_KEY)
    if not isinstance(raw, dict) or not raw:
        reader.fail(where, f"expected a mapping of search fields ({known})")
        return None
    values: dict[str, str] = {}  # by member
    for name, value in raw.items():
        field_key = f"{where}.{name}"
        search_field = number_search.BY_CONFIG_KEY.get(name)
        if search_field is None:
            reader.fail(f"{where}.{str(name)[:60]}", f"unknown search field; known fields: {known}")
            continue
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            reader.fail(field_key, f"expected a non-empty string, got {_shown(value)}")
            continue
        values[search_field.member] = str(value)
    kind = values.get(number_search.NUMBER_TYPE.member)
    for search_field in number_search.FIELDS:
        value = values.get(search_field.member)
        if value is None:
            continue
        field_key = f"{where}.{search_field.config_key}"
        problem = _search_value_problem(search_field, value)
        if problem:
            reader.fail(field_key, problem)
        if search_field.only_for is not None and kind is not None and kind != search_field.only_for:
            reader.fail(field_key, f"{search_field.config_key} searches {search_field.only_for} numbers; it "
                                   f"cannot be combined with {number_search.NUMBER_TYPE.config_key} {kind}")
        if search_field.needs is not None and search_field.needs not in values:
            needed = number_search.BY_MEMBER[search_field.needs].config_key
            reader.fail(field_key, f"a {search_field.config_key} search also needs {needed}")
    narrowing = [f for f in number_search.FIELDS if f is not number_search.NUMBER_TYPE]
    if not any(f.member in values for f in narrowing):
        reader.fail(where, f"needs at least one of {', '.join(f.config_key for f in narrowing)}")
    return NumberSearch(tuple((f.input_key, values[f.member]) for f in number_search.FIELDS
                              if f.member in values))


def _parse_numbers(raw: Any, reader: _Reader) -> tuple[PhoneNumberSpec, ...]:
    key = _key("phoneNumbers")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.fail(key, f"expected a list of {{e164: ...}} or {{search: {{...}}}} items, got {_shown(raw)}")
        return ()
    specs: list[PhoneNumberSpec] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        where = f"{key}[{index}]"
        if not isinstance(item, dict):
            reader.fail(where, f"expected a mapping with e164 or search, got {_shown(item)}")
            continue
        unknown = sorted(set(item) - {"e164", "search"})
        if unknown:
            names = ", ".join(name[:60] for name in unknown)
            reader.fail(where, f"unknown field(s) {names}; an item has e164 or search")
        if ("e164" in item) == ("search" in item):
            reader.fail(where, "needs exactly one of e164 and search")
            continue
        if "e164" in item:
            number = item["e164"]
            if not isinstance(number, str) or not is_e164(number):
                hint = "; quote it in YAML, where a bare +1... is read as a number" \
                    if isinstance(number, int) else ""
                reader.fail(f"{where}.e164", f"{_shown(number)} is not an E.164 number ('+', then 2-15 "
                                             f"digits, the first not 0, e.g. \"+18445550100\"){hint}")
                continue
            if number in seen:
                reader.fail(f"{where}.e164", f"{number} is already listed at phoneNumbers[{seen[number]}]")
                continue
            seen[number] = index
            specs.append(PhoneNumberSpec(e164=number))
        else:
            search = _parse_search(f"{where}.search", item["search"], reader)
            if search is not None:
                specs.append(PhoneNumberSpec(search=search))
    return tuple(specs)


def _unknown_keys() -> list[str]:
    """Keys in our namespace that the program does not read: almost always a typo."""
    from pulumi.runtime import config as runtime_config

    present = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    prefix = f"{PROJECT}:"
    return sorted(k for k in present if k.startswith(prefix) and k[len(prefix):] not in KNOWN_KEYS)


def _backup_provider_config(aws: pulumi.Config, reader: _Reader) -> dict[str, Any]:
    from components.regional_provider import provider_args  # imports pulumi_aws: only when needed

    for name in STATIC_CREDENTIAL_KEYS:
        if aws.get(name) is not None:
            reader.fail(f"aws:{name}", "static credentials in stack config cannot reach the backupRegion's "
                                       "provider; use a profile, environment variables or a role instead")
    forwarded: dict[str, Any] = {}
    for name in FORWARDED_AWS_KEYS:
        value = aws.get(name)
        if value is None:
            continue
        if len(value) > MAX_VALUE_CHARS:
            reader.fail(f"aws:{name}", f"is {len(value)} characters long; at most {MAX_VALUE_CHARS} are read")
            continue
        try:
            parsed = json.loads(value)
        except RecursionError:
            reader.fail(f"aws:{name}", f"is nested more than {MAX_DEPTH} levels deep")
            continue
        except ValueError:
            parsed = value  # a plain string such as a profile name
        if _depth(parsed) > MAX_DEPTH:
            reader.fail(f"aws:{name}", f"is nested more than {MAX_DEPTH} levels deep")
            continue
        try:
            provider_args({name: parsed})
        except (TypeError, ValueError, AttributeError) as exc:
            reader.fail(f"aws:{name}", f"cannot be repeated for the backup Region's provider ({exc})")
            continue
        forwarded[name] = parsed
    return forwarded


class _RegionKeys(NamedTuple):
    """One Region's release and alarm keys, and whether the program builds a handler there."""

    topic_key: str
    version_key: str
    region: str | None  # None: no such Region configured (no backupRegion); "": aws:region is missing
    arn_key: str  # the bring-your-own key; when it is set the program builds no handler there
    arn: str | None


def _region_settings(reader: _Reader, regions: tuple[_RegionKeys, ...]) -> dict[str, str | None]:
    """`alarmTopicArn`/`backupAlarmTopicArn` and `liveVersion`/`backupLiveVersion`, each checked for
    the Region it applies to; by key (None when unset)."""
    values = {key: reader.raw(key) for r in regions for key in (r.topic_key, r.version_key)}
    for r in regions:
        for key in (r.topic_key, r.version_key):
            value = values[key]
            if value is None:
                continue
            if r.region is None:
                reader.fail(_key(key), "needs backupRegion: it is the backup Region's setting")
            elif r.arn is not None:
                reader.fail(_key(key), f"has no effect with {r.arn_key}: the program then builds no handler, "
                                       "alarm or alias in that Region")
            elif key == r.version_key:
                if not _PUBLISHED_VERSION.fullmatch(value):
                    reader.fail(_key(key), f"{value!r} is not a published Lambda version number such as 7 "
                                           "($LATEST is refused: the alias would follow untested code)")
            elif r.region:
                problem = alarm_topic_problem(value, r.region)
                if problem:
                    reader.fail(_key(key), problem)
    # An alarm that notifies no one is easily missed: a topic for one Region needs one for the other.
    built = [r for r in regions if r.region is not None and r.arn is None]
    if any(values[r.topic_key] is not None for r in built):
        for r in built:
            if values[r.topic_key] is None:
                where = r.region or "aws:region"
                reader.fail(_key(r.topic_key), f"is needed as well: alarms can notify only a topic in "
                                               f"their own Region, so the handler alarms in {where} "
                                               "would notify no one")
    return values


def _check_max_retries(aws: pulumi.Config, reader: _Reader) -> None:
    """`aws:maxRetries` is a whole number of retries: pulumi-aws would fail on anything else only
    once it starts, and the backup Region's provider repeats it."""
    value = aws.get("maxRetries")
    if value is not None and not re.fullmatch(r"[0-9]{1,4}", value.strip()):
        reader.fail("aws:maxRetries", f"expected a whole number of retries (0-9999), got {_shown(value)}")


def load_settings(project: str | None = None, stack: str | None = None) -> Settings:
    """Read and validate the stack's config; raise one SettingsError listing every problem."""
    project = project or pulumi.get_project()
    stack = stack or pulumi.get_stack()
    reader = _Reader(pulumi.Config(PROJECT))
    for unknown in _unknown_keys():
        reader.fail(unknown, f"unknown key; known keys: {', '.join(KNOWN_KEYS)}")

    aws = pulumi.Config("aws")
    region = aws.get("region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not region:
        reader.fail("aws:region", "is not set (pulumi config set aws:region us-east-1)")
        region = ""
    else:
        _check_region("aws:region", region, reader)

    backup_region = reader.raw("backupRegion")
    if backup_region is not None:
        _check_region(_key("backupRegion"), backup_region, reader)
        if backup_region == region:
            reader.fail(_key("backupRegion"), f"must differ from aws:region ({region}): a SIP rule "
                                              "can target only one SIP media application per Region")

    hostname = reader.raw("voiceConnectorHostname")
    if hostname is not None:
        problem = hostname_problem(hostname)
        if problem:
            reader.fail(_key("voiceConnectorHostname"), problem)

    # Settings' own field defaults are the only ones: every value not configured is taken from here.
    defaults = Settings(project=project, stack=stack, region=region)

    retention_raw = reader.raw("logRetentionDays")
    retention = defaults.log_retention_days
    if retention_raw is not None:
        if not _WHOLE_NUMBER.fullmatch(retention_raw.strip()):
            reader.fail(_key("logRetentionDays"),
                        f"expected a whole number of days, got {_shown(retention_raw)}")
        else:
            retention = int(retention_raw)
            if retention <= 0:
                reader.fail(_key("logRetentionDays"), f"must be positive, got {retention}")
            elif retention not in LOG_RETENTION_DAYS:
                reader.fail(_key("logRetentionDays"), f"CloudWatch Logs does not accept {retention}; use "
                                                      f"one of: {', '.join(map(str, LOG_RETENTION_DAYS))}")

    endpoint = reader.text("chimeEndpoint", "", endpoint_problem) or defaults.chime_endpoint
    deadline_raw = reader.text("apiDeadlineSeconds", "", _check_deadline)
    deadline = float(deadline_raw) if deadline_raw and not _check_deadline(deadline_raw) \
        else defaults.api_deadline_seconds
    _check_max_retries(aws, reader)

    handler_arn = reader.raw("handlerArn")
    if handler_arn is not None and region:
        problem = handler_arn_problem(handler_arn, region)
        if problem:
            reader.fail(_key("handlerArn"), problem)
    backup_handler_arn = reader.raw("backupHandlerArn")
    if backup_handler_arn is not None:
        if backup_region is None:
            reader.fail(_key("backupHandlerArn"), "needs backupRegion: it is the backup Region's handler")
        else:
            problem = handler_arn_problem(backup_handler_arn, backup_region)
            if problem:
                reader.fail(_key("backupHandlerArn"), problem)

    per_region = _region_settings(reader, (
        _RegionKeys("alarmTopicArn", "liveVersion", region, "handlerArn", handler_arn),
        _RegionKeys("backupAlarmTopicArn", "backupLiveVersion", backup_region, "backupHandlerArn",
                    backup_handler_arn),
    ))

    function_names = (f"{project}-{stack}-call-handler", f"{project}-{stack}-backup-handler")
    for function_name in function_names:
        if not _LAMBDA_NAME.fullmatch(function_name):
            reader.fail(f"stack name {stack!r}", f"gives the Lambda function name {function_name!r}, which "
                                                 "must be 1-64 letters, digits, hyphens or underscores")
            break

    settings = Settings(
        project=project,
        stack=stack,
        region=region,
        phone_numbers=_parse_numbers(reader.structured("phoneNumbers"), reader),
        voice_connector_hostname=hostname,
        backup_region=backup_region,
        protect_phone_numbers=reader.boolean("protectPhoneNumbers", defaults.protect_phone_numbers),
        log_retention_days=retention,
        greeting=reader.text("greeting", defaults.greeting, _check_speak_text),
        voice_id=reader.text("voiceId", defaults.voice_id, _check_voice),
        engine=reader.text("engine", defaults.engine, _check_engine),
        language_code=reader.text("languageCode", defaults.language_code, _check_language),
        backup_greeting=reader.text("backupGreeting", defaults.backup_greeting, _check_speak_text),
        backup_voice_id=reader.text("backupVoiceId", defaults.backup_voice_id, _check_voice),
        chime_endpoint=endpoint,
        handler_arn=handler_arn,
        backup_handler_arn=backup_handler_arn,
        sip_media_application_logs=reader.boolean("sipMediaApplicationLogs",
                                                  defaults.sip_media_application_logs),
        alarm_topic_arn=per_region["alarmTopicArn"],
        backup_alarm_topic_arn=per_region["backupAlarmTopicArn"],
        live_version=per_region["liveVersion"],
        backup_live_version=per_region["backupLiveVersion"],
        api_deadline_seconds=deadline,
        # Only a backup handler the program builds needs an explicit aws provider in that Region.
        backup_provider_config=_backup_provider_config(aws, reader)
        if backup_region and not backup_handler_arn else defaults.backup_provider_config,
    )
    if reader.problems:
        raise SettingsError(reader.problems)
    return settings
