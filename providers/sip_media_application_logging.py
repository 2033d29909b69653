"""A SIP media application's `logging` input: its message logs, managed with the service's
Put/GetSipMediaApplicationLoggingConfiguration.

`{"enable_sip_media_application_message_logs": true|false}` is set right after the application is
created, put again only when it changes, and read on refresh: at most one call beyond the
application's own. Left unset (None), the provider never calls either operation and leaves the
application's logging as it is; that includes removing the input, which stops managing it.
"""

from __future__ import annotations

from typing import Any, TypedDict

from pulumi.dynamic import CheckFailure

from awsutil.classify import is_not_found
from providers import input_checks as v
from providers.errors import ProviderError

PROP = "logging"
MESSAGE_LOGS = "enable_sip_media_application_message_logs"
_API_MESSAGE_LOGS = "EnableSipMediaApplicationMessageLogs"
_API_CONFIGURATION = "SipMediaApplicationLoggingConfiguration"


class SipMediaApplicationLogging(TypedDict):
    enable_sip_media_application_message_logs: bool


def logging_failures(value: Any) -> list[CheckFailure]:
    """What is wrong with a `logging` input (None is fine: unmanaged)."""
    if value is None or v.is_unknown(value):
        return []
    if not isinstance(value, dict):
        return [CheckFailure(PROP, f"{PROP} must be a mapping with {MESSAGE_LOGS}; got {value!r}")]
    unknown = sorted(set(value) - {MESSAGE_LOGS})
    if unknown:
        return [CheckFailure(PROP, f"{PROP} has unknown field(s) {', '.join(unknown)}; its one field is "
                                   f"{MESSAGE_LOGS}")]
    if value.get(MESSAGE_LOGS) is None:
        return [CheckFailure(f"{PROP}.{MESSAGE_LOGS}", f"{PROP}.{MESSAGE_LOGS} is required (true or false)")]
    return v.bool_failures(f"{PROP}.{MESSAGE_LOGS}", value[MESSAGE_LOGS])


def wanted_logging(value: Any) -> SipMediaApplicationLogging | None:
    """The checked input as the provider stores it in outputs, or None when unset."""
    if value is None:
        return None
    return SipMediaApplicationLogging(enable_sip_media_application_message_logs=bool(value[MESSAGE_LOGS]))


def put_logging(client: Any, sma_id: str, wanted: SipMediaApplicationLogging) -> SipMediaApplicationLogging:
    """PutSipMediaApplicationLoggingConfiguration (idempotent: the retrying client may resend it)."""
    enabled = wanted["enable_sip_media_application_message_logs"]
    answer = client.put_sip_media_application_logging_configuration(
        SipMediaApplicationId=sma_id, SipMediaApplicationLoggingConfiguration={_API_MESSAGE_LOGS: enabled})
    stored = answer.get(_API_CONFIGURATION, {}).get(_API_MESSAGE_LOGS, enabled)
    return SipMediaApplicationLogging(enable_sip_media_application_message_logs=bool(stored))


def read_logging(client: Any, sma_id: str) -> SipMediaApplicationLogging:
    """GetSipMediaApplicationLoggingConfiguration; an unset flag reads as off."""
    answer = client.get_sip_media_application_logging_configuration(SipMediaApplicationId=sma_id)
    stored = answer.get(_API_CONFIGURATION, {}).get(_API_MESSAGE_LOGS, False)
    return SipMediaApplicationLogging(enable_sip_media_application_message_logs=bool(stored))


def logging_after_create(client: Any, sma_id: str, value: Any) -> SipMediaApplicationLogging | None:
    """Set a new application's logging. If that fails, the application is deleted again before the
    create fails: the engine records nothing of a failed create, so it would be left behind unmanaged."""
    wanted = wanted_logging(value)
    if wanted is None:
        return None
    try:
        return put_logging(client, sma_id, wanted)
    except Exception as exc:
        try:
            client.delete_sip_media_application(SipMediaApplicationId=sma_id)
        except Exception as undo:
            if not is_not_found(undo):
                raise ProviderError(
                    f"created SIP media application {sma_id} but could not set its logging ({exc}), nor "
                    f"delete it again ({undo}): delete it by hand") from exc
        raise ProviderError(f"could not set the logging of new SIP media application {sma_id} ({exc}); "
                            "it was deleted again") from exc
