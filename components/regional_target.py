"""RegionalTarget: what one Region contributes to call routing, as one component.

Its call handler (a CallHandler), the SIP media application that invokes it, and the deployment
gate that smoke-tests the handler: together, one target of the stack's SIP rules. A rule may point
at `target` once everything in `ready` exists (the application is created and the gate passed).
Pass `opts=ResourceOptions(providers=[aws_provider])` to build it in a Region other than the
stack's: the handler's AWS resources resolve their provider through this component.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_command as command

from components.deployment_gate import GateArgs, deployment_gate
from components.handler_function import CallHandler, CallHandlerArgs
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
    # The local emulator (a chimeEndpoint) has no Lambda runtime to invoke; like the emulator, the
    # gate then runs the handler file itself, with the function's environment, in a subprocess.
    smoke_locally: bool = False
    # The application's message logs: always set, so turning them off in config turns them off.
    sip_media_application_logs: bool = False
    # The resource that declared this Region's handler, application and gate itself before this
    # component existed (CallRouting), under the same names: aliases to it let existing stacks
    # adopt them here instead of replacing them.
    moved_from: pulumi.Resource | None = None


class RegionalTarget(pulumi.ComponentResource):
    handler: CallHandler
    application: SipMediaApplication
    gate: command.local.Command
    target: SipRuleTarget
    ready: list[pulumi.Resource]
    sip_media_application_id: pulumi.Output[str]
    function_arn: pulumi.Output[str]

    def __init__(self, name: str, args: RegionalTargetArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("chime-pstn-routing:components:RegionalTarget", name, None, opts)
        moved = [pulumi.Alias(parent=args.moved_from)] if args.moved_from is not None else None

        # The handler keeps this component's own name: its children (role, log group, function,
        # alarms, invoke grant) are named after it, and existing stacks know them by those names.
        self.handler = CallHandler(name, CallHandlerArgs(
            function_name=args.function_name, handler=args.handler, region=args.region, code=args.code,
            environment=args.environment, log_retention_days=args.log_retention_days,
        ), opts=pulumi.ResourceOptions(parent=self, aliases=moved))
        self.application = SipMediaApplication(
            f"{name}-sma",
            SipMediaApplicationArgs(
                name=args.application_name, lambda_arn=self.handler.function_arn, region=args.region,
                logging={"enable_sip_media_application_message_logs": args.sip_media_application_logs}),
            # The service checks that it may invoke the Lambda when the application is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.handler.invoke_permission],
                                        aliases=moved),
        )
        module, function = args.handler.split(".")
        self.gate = deployment_gate(f"{name}-gate", GateArgs(
            function_arn=self.handler.function_arn, region=args.region, bundle_sha256=args.bundle_sha256,
            handler_file=f"handlers/{module}.py:{function}" if args.smoke_locally else None,
            environment=args.environment if args.smoke_locally else None,
        ), opts=pulumi.ResourceOptions(parent=self, depends_on=[self.handler.function], aliases=moved))

        self.sip_media_application_id = self.application.sip_media_application_id
        self.function_arn = self.handler.function_arn
        self.target = SipRuleTarget(sip_media_application_id=self.sip_media_application_id,
                                    priority=args.priority, region=args.region)
        self.ready = [self.application, self.gate]
        self.register_outputs({"sipMediaApplicationId": self.sip_media_application_id,
                               "functionArn": self.function_arn})
