"""CallRouting: the whole topology of one stack.

Phone numbers, one CallHandler + SIP media application per Region (primary, optional backup), one
SIP rule per number plus one for the Voice Connector host, each rule targeting the primary
application (priority 1) and the backup (priority 2), and a deployment gate per handler that must
pass before any rule is created or changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

import pulumi
import pulumi_command as command

from components.bundle import Bundle
from components.deployment_gate import GateArgs, deployment_gate
from components.handler_function import CallHandler, CallHandlerArgs
from components.regional_provider import regional_provider
from components.settings import PhoneNumberSpec, Settings
from providers.phone_number import PhoneNumber, PhoneNumberArgs, PhoneNumberSearch
from providers.sip_media_application import SipMediaApplication, SipMediaApplicationArgs
from providers.sip_rule import SipRule, SipRuleArgs, SipRuleTarget

PRODUCT_TYPE = "SipMediaApplicationDialIn"  # the only product type SIP rules accept


@dataclass
class CallRoutingArgs:
    settings: Settings
    bundle: Bundle


@dataclass
class RegionalStack:
    """What one Region contributes: its handler, its application and the handler's gate."""

    region: str
    handler: CallHandler
    application: SipMediaApplication
    gate: command.local.Command
    priority: int


@dataclass
class _Names:
    taken: dict[str, int] = field(default_factory=dict)

    def unique(self, slug: str) -> str:
        count = self.taken.get(slug, 0) + 1
        self.taken[slug] = count
        return slug if count == 1 else f"{slug}-{count}"


def number_slug(spec: PhoneNumberSpec) -> str:
    """A name from what the item IS, not its position, so reordering the list replaces nothing."""
    if spec.e164 is not None:
        return spec.e164.lstrip("+")
    assert spec.search is not None
    words = "-".join(spec.search.as_input().values())
    return "search-" + re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")


class CallRouting(pulumi.ComponentResource):
    numbers: list[PhoneNumber]
    primary: RegionalStack
    backup: RegionalStack | None
    rules: list[SipRule]

    def __init__(self, name: str, args: CallRoutingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("chime-pstn-routing:components:CallRouting", name, None, opts)
        settings = args.settings
        prefix = f"{settings.project}-{settings.stack}"
        code = args.bundle.archive()
        language = settings.language_code

        self.numbers = []
        slugs: list[str] = []
        names = _Names()
        for spec in settings.phone_numbers:
            slug = names.unique(number_slug(spec))
            slugs.append(slug)
            self.numbers.append(PhoneNumber(
                f"{name}-number-{slug}",
                PhoneNumberArgs(
                    e164_phone_number=spec.e164,
                    search=cast(PhoneNumberSearch, spec.search.as_input()) if spec.search else None,
                    product_type=PRODUCT_TYPE,
                    region=settings.region,
                ),
                # Numbers cost money and cannot always be re-ordered: never release one by accident.
                opts=pulumi.ResourceOptions(parent=self, protect=settings.protect_phone_numbers),
            ))

        self.primary = self._regional(
            f"{name}-primary", args, region=settings.region, priority=1,
            function_name=settings.function_name, handler="call_handler.handler",
            environment={"GREETING": settings.greeting, "VOICE_ID": settings.voice_id,
                         "ENGINE": settings.engine, "LANGUAGE_CODE": language},
            application_name=prefix, code=code, provider=None)
        self.backup = None
        if settings.backup_region:
            provider = regional_provider(f"{name}-backup-aws", settings.backup_region,
                                         settings.backup_provider_config,
                                         opts=pulumi.ResourceOptions(parent=self))
            self.backup = self._regional(
                f"{name}-backup", args, region=settings.backup_region, priority=2,
                function_name=settings.backup_function_name, handler="backup_handler.handler",
                environment={"GREETING": settings.backup_greeting, "VOICE_ID": settings.backup_voice_id,
                             "ENGINE": settings.engine, "LANGUAGE_CODE": language},
                application_name=f"{prefix}-backup", code=code, provider=provider)

        regionals = [self.primary] + ([self.backup] if self.backup else [])
        targets = [SipRuleTarget(sip_media_application_id=r.application.sip_media_application_id,
                                 priority=r.priority, region=r.region) for r in regionals]
        after_gates: list[pulumi.Resource] = [r.application for r in regionals] + [r.gate for r in regionals]

        self.rules = []
        for slug, number in zip(slugs, self.numbers, strict=True):
            self.rules.append(SipRule(
                f"{name}-rule-{slug}",
                SipRuleArgs(name=f"{prefix}-{slug}", trigger_type="ToPhoneNumber",
                            trigger_value=number.e164_phone_number, targets=targets,
                            region=settings.region),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[number, *after_gates]),
            ))
        if settings.voice_connector_hostname:
            self.rules.append(SipRule(
                f"{name}-rule-voice-connector",
                SipRuleArgs(name=f"{prefix}-voice-connector", trigger_type="RequestUriHostname",
                            trigger_value=settings.voice_connector_hostname, targets=targets,
                            region=settings.region),
                opts=pulumi.ResourceOptions(parent=self, depends_on=after_gates),
            ))

        self.phone_numbers = pulumi.Output.all(*[n.e164_phone_number for n in self.numbers])
        self.sip_rule_ids = pulumi.Output.all(*[r.sip_rule_id for r in self.rules])
        self.register_outputs({
            "phoneNumbers": self.phone_numbers,
            "sipMediaApplicationId": self.primary.application.sip_media_application_id,
            "backupSipMediaApplicationId": self.backup.application.sip_media_application_id
            if self.backup else None,
            "sipRuleIds": self.sip_rule_ids,
        })

    def _regional(self, name: str, args: CallRoutingArgs, *, region: str, priority: int,
                  function_name: str, handler: str, environment: dict[str, str], application_name: str,
                  code: pulumi.Archive, provider: pulumi.ProviderResource | None) -> RegionalStack:
        settings = args.settings
        handler_opts = pulumi.ResourceOptions(parent=self, providers=[provider] if provider else None)
        call_handler = CallHandler(name, CallHandlerArgs(
            function_name=function_name, handler=handler, region=region, code=code,
            environment=environment, log_retention_days=settings.log_retention_days), opts=handler_opts)
        application = SipMediaApplication(
            f"{name}-sma",
            SipMediaApplicationArgs(name=application_name, lambda_arn=call_handler.function_arn,
                                    region=region),
            # The service checks that it may invoke the Lambda when the application is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[call_handler.invoke_permission]),
        )
        # With a chimeEndpoint (the local emulator) there is no real Lambda runtime to invoke (moto
        # runs functions only with Docker); the emulator runs the handler files themselves, so the
        # gate smokes the same file, with the same environment, in a subprocess.
        local = settings.chime_endpoint is not None
        gate = deployment_gate(f"{name}-gate", GateArgs(
            function_arn=call_handler.function_arn, region=region, bundle_sha256=args.bundle.sha256,
            handler_file=f"handlers/{handler.split('.')[0]}.py:{handler.split('.')[1]}" if local else None,
            environment=environment if local else None,
        ), opts=pulumi.ResourceOptions(parent=self, depends_on=[call_handler.function]))
        return RegionalStack(region=region, handler=call_handler, application=application, gate=gate,
                             priority=priority)
