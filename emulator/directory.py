"""What the call simulator may read of the API's state: the contract between `emulator/` (the
chime-sdk-voice API and its store) and `emulator/calls/` (the PSTN call simulator).

The API side implements `Directory`; the simulator only reads through it, so the two can change
inside without touching each other. Views are immutable snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class TargetView:
    sip_media_application_id: str
    priority: int
    region: str


@dataclass(frozen=True)
class SipRuleView:
    sip_rule_id: str
    region: str
    name: str
    trigger_type: str  # "ToPhoneNumber" | "RequestUriHostname"
    trigger_value: str
    disabled: bool
    targets: tuple[TargetView, ...]  # sorted by priority, lowest first


@dataclass(frozen=True)
class SipMediaApplicationView:
    sip_media_application_id: str
    region: str
    name: str
    lambda_arn: str


@dataclass(frozen=True)
class PhoneNumberView:
    e164_phone_number: str
    product_type: str
    status: str


class Directory(Protocol):
    @property
    def account_id(self) -> str: ...

    def enabled_sip_rules(self, trigger_type: str, trigger_value: str) -> list[SipRuleView]:
        """Enabled rules in any Region whose trigger matches exactly (hostnames case-insensitively)."""
        ...

    def sip_media_application(
        self, region: str, sip_media_application_id: str
    ) -> SipMediaApplicationView | None:
        ...

    def inventory_phone_number(self, e164_phone_number: str) -> PhoneNumberView | None:
        """The account's number, if it is in inventory (not released / in the deletion queue)."""
        ...
