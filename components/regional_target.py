"""RegionalTarget: what one Region contributes to call routing, as one component.

Its call handler (a CallHandler), the SIP media application that invokes it, and the deployment
gate that smoke-tests the handler: together, one target of the stack's SIP rules. A rule may point
at `target` once everything in `ready` exists (the application is created and the gate passed).

For a handler built here the chain is: the function publishes a version → the gate smoke-tests that
version → the `live` alias moves to it (and only then) → the application and the invoke grant name
the alias. A bring-your-own handler has no alias: the gate tests the given ARN, the application
invokes it.

Pass `opts=ResourceOptions(providers=[aws_provider])` to build it in a Region other than the
stack's: the handler's AWS resources resolve their provider through this component.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi

from components.handler_function import CallHandler, CallHandlerArgs
from providers.deployment_gate import DeploymentGate, DeploymentGateArgs
from providers.sip_media_application import SipMediaApplication, SipMediaApplicationArgs
from providers.sip_rule import SipRuleTarget


@dataclass
class RegionalTargetArgs:
    region: str
    priority: int  # this Region's place in every SIP rule's targets; 1 is tried first
    application_name: str  # the SIP media application's name
    function_name: str  # the Lambda's name; the local emulator maps it to a handler file
    handler: str  # "<module>.<function>" inside the bundle, e.g. "call_handler.handler"
    environment: Mapping[str, str]
    code: pulumi.Input[pulumi.Archive]
    bundle_sha256: str  # the gate runs again whenever this changes
    log_retention_days: int
    # The handler's alarms notify this SNS topic (in `region`) on alarm and on recovery.
    alarm_topic_arn: str | None = None
    # Put this published version live instead of the new one (a rollback); the gate tests it first.
    pinned_version: str | None = None
    # The local emulator (a chimeEndpoint) has no Lambda runtime to invoke; like the emulator, the
    # gate then runs the handler file itself, with the function's environment, in a subprocess.
    smoke_locally: bool = False
    # An existing Lambda function, alias or version ARN in this Region: no handler is built here.
    existing_function_arn: str | None = None
    # The application's message logs: always set, so turning them off in config turns them off.
    sip_media_application_logs: bool = False
    # The resource that declared this Region's handler, application and gate itself before this
    # component existed (CallRouting), under the same names: aliases to it let existing stacks
    # adopt them here instead of replacing them.
    moved_from: pulumi.Resource | None = None


class RegionalTarget(pulumi.ComponentResource):
    handler: CallHandler | None  # None when the Region routes to an existing function
    application: SipMediaApplication
    gate: DeploymentGate
    target: SipRuleTarget
    ready: list[pulumi.Resource]
    sip_media_application_id: pulumi.Output[str]
    function_arn: pulumi.Output[str]

    def __init__(self, name: str, args: RegionalTargetArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("chime-pstn-routing:components:RegionalTarget", name, None, opts)
        moved = [pulumi.Alias(parent=args.moved_from)] if args.moved_from is not None else None

        function_arn: pulumi.Input[str]
        if args.existing_function_arn is not None:
            # Bring-your-own handler: its owner deploys it and grants PSTN audio the invoke permission.
            self.handler = None
            function_arn = args.existing_function_arn
            self.gate = self._gate(name, args, function_arn, after=[])
            application_after: list[pulumi.Resource] = []
        else:
            # The handler keeps this component's own name: its children (role, log group, function,
            # alarms, alias, invoke grant) are named after it, and existing stacks know them by those names.
            self.handler = CallHandler(name, CallHandlerArgs(
                function_name=args.function_name, handler=args.handler, region=args.region,
                code=args.code, environment=args.environment,
                log_retention_days=args.log_retention_days, alarm_topic_arn=args.alarm_topic_arn,
                pinned_version=args.pinned_version,
            ), opts=pulumi.ResourceOptions(parent=self, aliases=moved))
            # The gate tests the version about to go live, never the alias (which still serves calls);
            # only its success moves the alias, and the application and the grant name the alias alone.
            self.gate = self._gate(name, args, self.handler.version_arn, after=[self.handler.function])
            self.handler.release(self.gate)
            function_arn = self.handler.live_arn
            # The service checks that it may invoke the Lambda when the application is created.
            application_after = [self.handler.invoke_permission]
        self.application = SipMediaApplication(
            f"{name}-sma",
            SipMediaApplicationArgs(
                name=args.application_name, lambda_arn=function_arn, region=args.region,
                logging={"enable_sip_media_application_message_logs": args.sip_media_application_logs}),
            opts=pulumi.ResourceOptions(parent=self, depends_on=application_after, aliases=moved),
        )

        self.sip_media_application_id = self.application.sip_media_application_id
        self.function_arn = pulumi.Output.from_input(function_arn)
        self.target = SipRuleTarget(sip_media_application_id=self.sip_media_application_id,
                                    priority=args.priority, region=args.region)
        self.ready = [self.application, self.gate]
        self.register_outputs({"sipMediaApplicationId": self.sip_media_application_id,
                               "functionArn": self.function_arn})

    def _gate(self, name: str, args: RegionalTargetArgs, function_arn: pulumi.Input[str],
              after: list[pulumi.Resource]) -> DeploymentGate:
        module, function = args.handler.split(".")
        # No alias: the gate was a pulumi-command Command before, and its type changed with its
        # provider, so existing stacks delete that one (its delete ran nothing) and create this one,
        # which runs the smoke test once more. It owns nothing in the cloud.
        # It runs again when the function (or version) changes, or (when this program builds the
        # handler, or smokes the local file) when the bundle does.
        bundle_matters = args.existing_function_arn is None or args.smoke_locally
        return DeploymentGate(f"{name}-gate", DeploymentGateArgs(
            function_arn=function_arn, region=args.region,
            triggers=[args.bundle_sha256] if bundle_matters else [],
            handler_file=f"handlers/{module}.py:{function}" if args.smoke_locally else None,
            environment=dict(args.environment) if args.smoke_locally else None,
        ), opts=pulumi.ResourceOptions(parent=self, depends_on=after))
