"""CallHandler: one PSTN audio call-handler Lambda with least-privilege IAM, logs, alarms, and the
`live` alias that calls reach it through, with its invoke grant.

Built in two steps. The constructor declares the role, log group, alarms and the function, which
publishes a new version whenever its code or configuration changes (`version_arn`). `release(gate)`
then declares the `live` alias at the version that gate passed, and the invoke grant scoped to that
alias: the alias, and every call, moves only once the gate's smoke test of the new version passed.

Pass `opts=ResourceOptions(providers=[aws_provider])` to build it in another Region: every child and
the caller-identity lookup resolve the `aws` provider through this component.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from awsutil.arn import parse_arn
from providers.deployment_gate import DeploymentGate

CHIME_VOICE_PRINCIPAL = "voiceconnector.chime.amazonaws.com"
RUNTIME = "python3.13"
ARCHITECTURE = "arm64"
# PSTN audio waits 5 s for a Lambda's answer before it retries the invocation, and hangs up after 20 s
# without one: a handler still running at 5 s would be answered twice, so the function must give up
# before that.
SERVICE_WAIT_SECONDS = 5
TIMEOUT_SECONDS = 4
# The duration alarm fires on any answer slower than this: 3 s is 1 s short of the function's own
# timeout (reaching it is an error) and 2 s short of the service's retry.
SLOW_ANSWER_MS = 3000
# The alias the SIP media application invokes; it moves to a new version only after the gate passed.
LIVE_ALIAS = "live"


@dataclass
class CallHandlerArgs:
    function_name: str  # explicit: the emulator's --handler maps a function name to a handler file
    handler: str  # "<module>.<function>" inside the bundle, e.g. "call_handler.handler"
    region: str  # the Region of the provider this component uses (for the invoke grant's source ARN)
    code: pulumi.Input[pulumi.Archive]
    environment: Mapping[str, pulumi.Input[str]]
    log_retention_days: int  # the stack's setting (components/settings.py holds its default)
    timeout_seconds: int = TIMEOUT_SECONDS
    memory_size: int = 128
    # An SNS topic in `region` the alarms notify when they fire and when they recover (none: no actions).
    alarm_topic_arn: str | None = None
    # A published version to put live instead of the one this deployment publishes (a rollback).
    pinned_version: str | None = None


def lambda_trust_policy() -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }],
    })


def published_version(version_arn: str) -> str:
    """The version number a version ARN (`...:function:NAME:7`) names; ValueError for anything else,
    such as an alias or $LATEST, which the `live` alias must never follow."""
    arn = parse_arn(version_arn)
    _, _, version = arn.resource_id.partition(":") if arn is not None else ("", "", "")
    if arn is None or arn.service != "lambda" or arn.resource_type != "function" or not version.isdigit():
        raise ValueError(f"{version_arn!r} is not the ARN of a published Lambda version")
    return version


def log_writer_policy(log_group_arn: str) -> str:
    """Only what a running function needs: its own log group exists already (declared here)."""
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:*",
        }],
    })


class CallHandler(pulumi.ComponentResource):
    role: aws.iam.Role
    log_group: aws.cloudwatch.LogGroup
    log_policy: aws.iam.RolePolicy
    function: aws.lambda_.Function
    errors_alarm: aws.cloudwatch.MetricAlarm
    throttles_alarm: aws.cloudwatch.MetricAlarm
    duration_alarm: aws.cloudwatch.MetricAlarm
    function_arn: pulumi.Output[str]  # unqualified: $LATEST, which nothing routes calls to
    function_name: pulumi.Output[str]
    # The version to put live next, which the gate must test: the one this deployment published (the
    # last one when nothing changed), or `pinned_version`.
    version_arn: pulumi.Output[str]
    # Declared by release():
    alias: aws.lambda_.Alias
    invoke_permission: aws.lambda_.Permission
    live_arn: pulumi.Output[str]  # the alias: what the SIP media application invokes

    def __init__(self, name: str, args: CallHandlerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("chime-pstn-routing:components:CallHandler", name, None, opts)
        self._name, self._region = name, args.region
        self._actions = [args.alarm_topic_arn] if args.alarm_topic_arn else None
        child = pulumi.ResourceOptions(parent=self)

        self.role = aws.iam.Role(f"{name}-role", assume_role_policy=lambda_trust_policy(),
                                 description=f"Runs the {args.function_name} PSTN audio handler", opts=child)
        # Declared (not left to Lambda to create) so that retention applies and the role needs no
        # logs:CreateLogGroup.
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group", name=f"/aws/lambda/{args.function_name}",
            retention_in_days=args.log_retention_days, opts=child)
        self.log_policy = aws.iam.RolePolicy(
            f"{name}-log-policy", role=self.role.id,
            policy=self.log_group.arn.apply(log_writer_policy), opts=child)
        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=args.function_name,
            role=self.role.arn,
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            handler=args.handler,
            code=args.code,
            timeout=args.timeout_seconds,
            memory_size=args.memory_size,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=args.environment),
            # Every change to code or configuration becomes a new immutable version; calls reach one
            # only through the alias, and only after the gate tested it.
            publish=True,
            # The first invocation must find its log group and be allowed to write to it.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.log_group, self.log_policy]),
        )
        self.errors_alarm = self._alarm(name, "Errors", "raised an error or timed out")
        self.throttles_alarm = self._alarm(name, "Throttles", "was throttled: calls fail over or drop")
        self.duration_alarm = self._alarm(
            name, "Duration", f"took over {SLOW_ANSWER_MS} ms to answer, close to the service's "
                              f"{SERVICE_WAIT_SECONDS} s wait", statistic="Maximum", threshold=SLOW_ANSWER_MS)
        self.function_arn = self.function.arn
        self.function_name = self.function.name
        self.version_arn = self.function.qualified_arn if args.pinned_version is None else \
            pulumi.Output.concat(self.function.arn, ":", args.pinned_version)

    def release(self, gate: DeploymentGate) -> None:
        """Point the `live` alias at the version `gate` smoke-tested, and let PSTN audio invoke it.

        The alias's version is read from the gate's own outputs, so the engine cannot move the alias
        before the gate's create or update succeeded, and a failing gate leaves it where it was."""
        self.alias = aws.lambda_.Alias(
            f"{self._name}-{LIVE_ALIAS}",
            name=LIVE_ALIAS,
            function_name=self.function.name,
            function_version=gate.function_arn.apply(published_version),
            description="What PSTN audio invokes: the last version the deployment gate passed",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[gate]),
        )
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        self.invoke_permission = aws.lambda_.Permission(
            f"{self._name}-chime-invoke",
            action="lambda:InvokeFunction",
            function=self.function.name,
            # The grant covers the alias alone: neither $LATEST nor an untested version can be invoked.
            qualifier=self.alias.name,
            principal=CHIME_VOICE_PRINCIPAL,
            source_account=account_id,
            # Only this account's SIP media applications in this Region may invoke it.
            source_arn=pulumi.Output.concat("arn:aws:chime:", self._region, ":", account_id, ":sma/*"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.live_arn = self.alias.arn
        self.register_outputs({"functionArn": self.function_arn, "functionName": self.function_name,
                               "versionArn": self.version_arn, "liveArn": self.live_arn})

    def _alarm(self, name: str, metric: str, what: str, statistic: str = "Sum",
               threshold: float = 0) -> aws.cloudwatch.MetricAlarm:
        # Every invocation counts, through the alias or not (the gate's smoke test of a new version too).
        return aws.cloudwatch.MetricAlarm(
            f"{name}-{metric.lower()}-alarm",
            alarm_description=pulumi.Output.concat("Call handler ", self.function.name, f" {what}"),
            namespace="AWS/Lambda",
            metric_name=metric,
            dimensions={"FunctionName": self.function.name},
            statistic=statistic,
            period=60,
            evaluation_periods=1,
            threshold=threshold,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            # On alarm and on recovery, so whoever was paged also hears that it is over.
            alarm_actions=self._actions,
            ok_actions=self._actions,
            opts=pulumi.ResourceOptions(parent=self),
        )
