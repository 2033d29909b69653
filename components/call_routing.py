"""CallRouting: the whole topology of one stack.

Phone numbers; one RegionalTarget (handler, SIP media application, deployment gate) per Region,
the primary and an optional backup; one SIP rule per number plus one for the Voice Connector host,
each targeting the primary application (priority 1) and the backup (priority 2), created only once
every Region's deployment gate has passed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pulumi

from components.bundle import Bundle
from components.regional_provider import regional_provider
from components.regional_target import RegionalTarget, RegionalTargetArgs
from components.settings import PhoneNumberSpec
from providers.phone_number import PhoneNumber, PhoneNumberArgs, PhoneNumberSearch
from providers.sip_rule import SipRule, SipRuleArgs

PRODUCT_TYPE = "SipMediaApplicationDialIn"  # the only product type SIP rules accept


@dataclass(frozen=True)
class RegionArgs:
    """One Region's call handler: where it runs, its Lambda's name, what it says."""

    region: str
    function_name: str
    greeting: str
    voice_id: str
    # An existing function, alias or version to route to instead of building the handler here.
    handler_arn: str | None = None
    # The SNS topic (in `region`) the handler's alarms notify.
    alarm_topic_arn: str | None = None
    # A published version to hold the `live` alias on (a rollback) instead of the one just published.
    live_version: str | None = None


@dataclass(frozen=True)
class BackupArgs(RegionArgs):
    # `aws:` settings the backup Region's explicit provider repeats from the stack's own.
    aws_config: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class CallRoutingArgs:
    name_prefix: str  # "<project>-<stack>": names the SIP media applications and SIP rules
    primary: RegionArgs  # in the stack's own Region (its default aws provider)
    backup: BackupArgs | None
    engine: str  # Polly engine of both handlers
    language_code: str  # Polly language of both handlers
    phone_numbers: Sequence[PhoneNumberSpec]
    voice_connector_hostname: str | None
    protect_phone_numbers: bool
    log_retention_days: int
    bundle: Bundle
    smoke_locally: bool  # the chime endpoint is the local emulator: gates run the handler files
    sip_media_application_logs: bool = False  # every application's message logs on (managed either way)


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
    primary: RegionalTarget
    backup: RegionalTarget | None
    rules: list[SipRule]
    # What the stack exports, directly.
    phone_numbers: pulumi.Output[list[str]]
    sip_media_application_id: pulumi.Output[str]
    backup_sip_media_application_id: pulumi.Output[str] | None
    sip_rule_ids: pulumi.Output[list[str]]
    call_handler_arn: pulumi.Output[str]
    backup_call_handler_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: CallRoutingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("chime-pstn-routing:components:CallRouting", name, None, opts)
        region = args.primary.region
        code = args.bundle.archive()

        self.numbers = []
        slugs: list[str] = []
        names = _Names()
        # Searches never take a listed number: both may be ordered at the same moment.
        listed = [spec.e164 for spec in args.phone_numbers if spec.e164]
        for spec in args.phone_numbers:
            slug = names.unique(number_slug(spec))
            slugs.append(slug)
            self.numbers.append(PhoneNumber(
                f"{name}-number-{slug}",
                PhoneNumberArgs(
                    e164_phone_number=spec.e164,
                    search=cast(PhoneNumberSearch, spec.search.as_input()) if spec.search else None,
                    product_type=PRODUCT_TYPE,
                    region=region,
                    avoid_numbers=listed if spec.search and listed else None,
                ),
                # Numbers cost money and cannot always be re-ordered: never release one by accident.
                opts=pulumi.ResourceOptions(parent=self, protect=args.protect_phone_numbers),
            ))

        self.primary = self._regional(f"{name}-primary", args, args.primary, priority=1,
                                      handler="call_handler.handler", application_name=args.name_prefix,
                                      code=code, provider=None)
        self.backup = None
        if args.backup is not None:
            # Only a handler built here needs an aws provider in the backup Region.
            provider = None if args.backup.handler_arn else regional_provider(
                f"{name}-backup-aws", args.backup.region, args.backup.aws_config,
                opts=pulumi.ResourceOptions(parent=self))
            self.backup = self._regional(f"{name}-backup", args, args.backup, priority=2,
                                         handler="backup_handler.handler",
                                         application_name=f"{args.name_prefix}-backup", code=code,
                                         provider=provider)

        regionals = [self.primary] + ([self.backup] if self.backup else [])
        targets = [r.target for r in regionals]
        after_gates = [resource for r in regionals for resource in r.ready]

        self.rules = []
        for slug, number in zip(slugs, self.numbers, strict=True):
            self.rules.append(SipRule(
                f"{name}-rule-{slug}",
                SipRuleArgs(name=f"{args.name_prefix}-{slug}", trigger_type="ToPhoneNumber",
                            trigger_value=number.e164_phone_number, targets=targets, region=region),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[number, *after_gates]),
            ))
        if args.voice_connector_hostname:
            self.rules.append(SipRule(
                f"{name}-rule-voice-connector",
                SipRuleArgs(name=f"{args.name_prefix}-voice-connector", trigger_type="RequestUriHostname",
                            trigger_value=args.voice_connector_hostname, targets=targets, region=region),
                opts=pulumi.ResourceOptions(parent=self, depends_on=after_gates),
            ))

        self.phone_numbers = pulumi.Output.all(*[n.e164_phone_number for n in self.numbers])
        self.sip_rule_ids = pulumi.Output.all(*[r.sip_rule_id for r in self.rules])
        self.sip_media_application_id = self.primary.sip_media_application_id
        self.call_handler_arn = self.primary.function_arn
        self.backup_sip_media_application_id = self.backup.sip_media_application_id if self.backup else None
        self.backup_call_handler_arn = self.backup.function_arn if self.backup else None
        self.register_outputs({
            "phoneNumbers": self.phone_numbers,
            "sipMediaApplicationId": self.sip_media_application_id,
            "backupSipMediaApplicationId": self.backup_sip_media_application_id,
            "sipRuleIds": self.sip_rule_ids,
            "callHandlerArn": self.call_handler_arn,
            "backupCallHandlerArn": self.backup_call_handler_arn,
        })

    def _regional(self, name: str, args: CallRoutingArgs, where: RegionArgs, *, priority: int, handler: str,
                  application_name: str, code: pulumi.Archive,
                  provider: pulumi.ProviderResource | None) -> RegionalTarget:
        environment = {"GREETING": where.greeting, "VOICE_ID": where.voice_id, "ENGINE": args.engine,
                       "LANGUAGE_CODE": args.language_code}
        return RegionalTarget(name, RegionalTargetArgs(
            region=where.region, priority=priority, application_name=application_name,
            function_name=where.function_name, handler=handler, environment=environment,
            code=code, bundle_sha256=args.bundle.sha256, existing_function_arn=where.handler_arn,
            alarm_topic_arn=where.alarm_topic_arn, pinned_version=where.live_version,
            log_retention_days=args.log_retention_days, smoke_locally=args.smoke_locally,
            sip_media_application_logs=args.sip_media_application_logs, moved_from=self,
        ), opts=pulumi.ResourceOptions(parent=self, providers=[provider] if provider else None))
