"""The rule for a CloudWatch alarm's SNS action, which no service model states: an SNS topic ARN in
the alarm's own Region (PutMetricAlarm refuses a topic in another Region with "Invalid region ...
specified"), its name as SNS allows it (1-256 letters, digits, hyphens, underscores; `.fifo` for a
FIFO topic).
"""

from __future__ import annotations

import re

from awsutil.arn import parse_arn

_TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}(\.fifo)?")
_ACCOUNT = re.compile(r"\d{12}")
TOPIC_ARN_EXAMPLE = "arn:aws:sns:us-east-1:123456789012:pstn-alarms"


def alarm_topic_problem(value: object, region: str) -> str | None:
    """None when `value` is an SNS topic ARN in `region`, the only Region an alarm there may notify;
    else what is wrong, quoting the value."""
    arn = parse_arn(value)
    if (arn is None or not arn.partition.startswith("aws") or arn.service != "sns"
            or not _ACCOUNT.fullmatch(arn.account) or not _TOPIC_NAME.fullmatch(arn.resource)):
        return (f"{value!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC, "
                f"e.g. {TOPIC_ARN_EXAMPLE})")
    if arn.region != region:
        return (f"is in {arn.region or 'no Region'}; CloudWatch alarms in {region} can notify only an SNS "
                f"topic in {region}")
    return None
