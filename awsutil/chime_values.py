"""Rules for chime-sdk-voice values that the service model states loosely or not at all, each
written once: E.164 numbers (the model's pattern; inventory ids also carry the plus sign), Voice
Connector host names (the model says only NonEmptyString) and the Regions PSTN audio runs in.
"""

from __future__ import annotations

import re

from awsutil.service_model import compiled_pattern, enum, shape

_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
HOSTNAME_EXAMPLE = "abcdef1ghij2klmno3pqr4.voiceconnector.chime.aws"


def is_e164(value: object, plus_required: bool = True) -> bool:
    """Whether `value` is an E.164 number by the model's E164PhoneNumber pattern (its plus sign is
    optional there); with `plus_required`, as the inventory writes numbers: `+` first."""
    if not isinstance(value, str) or (plus_required and not value.startswith("+")):
        return False
    return compiled_pattern(shape("E164PhoneNumber")["pattern"]).fullmatch(value) is not None


def hostname_problem(value: str) -> str | None:
    """None when `value` is a DNS host name (two or more labels of letters, digits and hyphens, not
    an IP address), else what is wrong, quoting the value."""
    # ASCII first: str.lower() maps some other characters onto ASCII letters (the Kelvin sign to k).
    host = value.lower() if value.isascii() else ""
    labels = host.split(".")
    well_formed = all(_HOST_LABEL.fullmatch(label) for label in labels)
    if not host or len(host) > 253 or len(labels) < 2 or not well_formed:
        return (f"{value!r} is not a valid host name (dot-separated labels of letters, digits and "
                f"hyphens, e.g. {HOSTNAME_EXAMPLE})")
    if labels[-1].isdecimal():
        return f"{value!r} looks like an IP address; a Voice Connector host name is expected"
    return None


def pstn_audio_regions() -> tuple[str, ...]:
    """The Regions where PSTN audio (SIP media applications, SIP rules) runs: the model's
    VoiceConnectorAwsRegion enum."""
    return enum("VoiceConnectorAwsRegion")


def handler_arn_problem(value: object, region: str) -> str | None:
    """None when `value` is a Lambda function, alias or version ARN (Lambda's FunctionArn pattern)
    in `region`, the only Region a SIP media application there can invoke; else what is wrong."""
    pattern = compiled_pattern(shape("FunctionArn", "lambda")["pattern"])
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        return (f"{value!r} is not a Lambda function, alias or version ARN (arn:aws:lambda:REGION:"
                "ACCOUNT:function:NAME, optionally :ALIAS or :VERSION)")
    function_region = value.split(":")[3]
    if function_region != region:
        return (f"is in {function_region}; the SIP media application in {region} can invoke only a "
                "Lambda function in its own Region")
    return None
