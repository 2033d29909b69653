"""Alarm actions: `alarmTopicArn` / `backupAlarmTopicArn` make every handler alarm in that Region notify
the topic on alarm and on recovery; each topic must be an SNS topic in its alarms' own Region."""

from __future__ import annotations

import pytest

from awsutil.alarm_values import alarm_topic_problem
from components.handler_function import SERVICE_WAIT_SECONDS, SLOW_ANSWER_MS, TIMEOUT_SECONDS
from components.settings import SettingsError
from testbed.program_mocks import ACCOUNT_ID, ProgramRun, evaluate, stack_config

KEY = "chime-pstn-routing:"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
EAST = f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:pstn-alarms"
WEST = f"arn:aws:sns:us-west-2:{ACCOUNT_ID}:pstn-alarms-west"


def _run(stack: str, **overrides: str) -> ProgramRun:
    return evaluate(stack, {**stack_config(stack), **{f"{KEY}{k}": v for k, v in overrides.items()}})


def test_each_regions_alarms_notify_its_own_topic_on_alarm_and_on_recovery() -> None:
    run = _run("prod", alarmTopicArn=EAST, backupAlarmTopicArn=WEST)
    assert run.error is None, run.error
    alarms = run.of_type(ALARM)
    assert sorted(a.name for a in alarms) == sorted(
        f"routing-{role}-{metric}-alarm" for role in ("primary", "backup")
        for metric in ("errors", "throttles", "duration"))
    backup_provider = run.urn("routing-backup-aws")
    for alarm in alarms:
        backup = alarm.name.startswith("routing-backup-")
        topic = WEST if backup else EAST
        assert alarm.inputs["alarmActions"] == [topic] and alarm.inputs["okActions"] == [topic], alarm.name
        # Created in the topic's Region: the backup alarms through the backup Region's provider.
        assert alarm.provider.startswith(backup_provider + "::") if backup else alarm.provider == ""


def test_one_region_alone() -> None:
    run = _run("dev", alarmTopicArn=EAST)
    assert run.error is None, run.error
    assert {tuple(a.inputs["alarmActions"]) for a in run.of_type(ALARM)} == {(EAST,)}
    assert len(run.of_type(ALARM)) == 3


def test_a_backup_built_alone_takes_the_backup_topic_alone() -> None:
    primary = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:team-handler:live"
    run = _run("prod", handlerArn=primary, backupAlarmTopicArn=WEST)
    assert run.error is None, run.error
    assert [a.inputs["okActions"] for a in run.of_type(ALARM)] == [[WEST]] * 3


def test_the_duration_alarm_fires_before_the_timeout_and_the_services_wait() -> None:
    run = _run("dev")
    duration = run.by_name("routing-primary-duration-alarm").inputs
    assert (duration["metricName"], duration["statistic"], duration["threshold"]) == (
        "Duration", "Maximum", SLOW_ANSWER_MS)
    timeout_ms = run.by_name("routing-primary-function").inputs["timeout"] * 1000
    assert SLOW_ANSWER_MS < timeout_ms == TIMEOUT_SECONDS * 1000 < SERVICE_WAIT_SECONDS * 1000


SNS_CASES: list[tuple[str, dict[str, str], str, str]] = [
    ("not-an-arn", {"alarmTopicArn": "pstn-alarms"}, "alarmTopicArn", "is not an SNS topic ARN"),
    ("not-sns", {"alarmTopicArn": f"arn:aws:sqs:us-east-1:{ACCOUNT_ID}:q"}, "alarmTopicArn",
     "is not an SNS topic ARN"),
    ("bad-account", {"alarmTopicArn": "arn:aws:sns:us-east-1:123:t"}, "alarmTopicArn",
     "is not an SNS topic ARN"),
    ("bad-name", {"alarmTopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:a b"}, "alarmTopicArn",
     "is not an SNS topic ARN"),
    ("newline", {"alarmTopicArn": EAST + "\n"}, "alarmTopicArn", "is not an SNS topic ARN"),
    ("other-region", {"alarmTopicArn": WEST}, "alarmTopicArn",
     "is in us-west-2; CloudWatch alarms in us-east-1 can notify only an SNS topic in us-east-1"),
    ("backup-without-region", {"backupAlarmTopicArn": WEST}, "backupAlarmTopicArn", "needs backupRegion"),
    ("backup-other-region", {"backupRegion": "us-west-2", "alarmTopicArn": EAST, "backupAlarmTopicArn": EAST},
     "backupAlarmTopicArn", "is in us-east-1; CloudWatch alarms in us-west-2"),
    ("backup-missing", {"backupRegion": "us-west-2", "alarmTopicArn": EAST}, "backupAlarmTopicArn",
     "is needed as well"),
    ("primary-missing", {"backupRegion": "us-west-2", "backupAlarmTopicArn": WEST}, "alarmTopicArn",
     "is needed as well"),
    ("with-handler-arn", {"alarmTopicArn": EAST,
                          "handlerArn": f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:h"},
     "alarmTopicArn", "has no effect with handlerArn"),
]


@pytest.mark.parametrize(("overrides", "key", "fragment"), [c[1:] for c in SNS_CASES],
                         ids=[c[0] for c in SNS_CASES])
def test_invalid_topic_is_named_and_declares_nothing(overrides: dict[str, str], key: str,
                                                     fragment: str) -> None:
    run = _run("dev", **overrides)
    assert isinstance(run.error, SettingsError), run.error
    problems = run.error.problems
    assert any(p.startswith(f"{KEY}{key}: ") and fragment in p for p in problems), problems
    assert run.registrations == []


def test_topic_rule() -> None:
    assert alarm_topic_problem(EAST, "us-east-1") is None
    assert alarm_topic_problem(f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:paging.fifo", "us-east-1") is None
    assert alarm_topic_problem(None, "us-east-1") == (
        "None is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC, e.g. "
        "arn:aws:sns:us-east-1:123456789012:pstn-alarms)")
