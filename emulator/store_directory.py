"""`Directory` over the emulator's store: the call simulator's read-only view of routing state."""

from __future__ import annotations

from emulator.backend import relations
from emulator.backend.context import Ctx
from emulator.backend.kinds import REQUEST_URI_HOSTNAME, RULE
from emulator.backend.service_config import Config
from emulator.backend.settling import settle
from emulator.directory import PhoneNumberView, SipMediaApplicationView, SipRuleView, TargetView
from emulator.store import Store


class StoreDirectory:
    def __init__(self, store: Store, config: Config) -> None:
        self._store = store
        self._config = config

    @property
    def account_id(self) -> str:
        return self._config.account_id

    def enabled_sip_rules(self, trigger_type: str, trigger_value: str) -> list[SipRuleView]:
        wanted = trigger_value.lower() if trigger_type == REQUEST_URI_HOSTNAME else trigger_value
        with self._store.transaction() as tx:
            rules = tx.list_with_region(RULE)
        views: list[SipRuleView] = []
        for region, rule in rules:
            value = rule["TriggerValue"]
            if trigger_type == REQUEST_URI_HOSTNAME:
                value = value.lower()
            if rule["Disabled"] or rule["TriggerType"] != trigger_type or value != wanted:
                continue
            targets = tuple(
                TargetView(t["SipMediaApplicationId"], int(t["Priority"]), t["AwsRegion"])
                for t in sorted(rule["TargetApplications"], key=lambda t: t["Priority"])
            )
            views.append(SipRuleView(rule["SipRuleId"], region, rule["Name"], rule["TriggerType"],
                                     rule["TriggerValue"], bool(rule["Disabled"]), targets))
        return views

    def sip_media_application(
        self, region: str, sip_media_application_id: str
    ) -> SipMediaApplicationView | None:
        with self._store.transaction() as tx:
            sma = relations.sip_media_application(tx, region, sip_media_application_id)
        if sma is None:
            return None
        return SipMediaApplicationView(sma["SipMediaApplicationId"], sma["AwsRegion"], sma["Name"],
                                       sma["Endpoints"][0]["LambdaArn"])

    def inventory_phone_number(self, e164_phone_number: str) -> PhoneNumberView | None:
        with self._store.transaction() as tx:
            settle(tx, Ctx(self._config, ""))
            number = relations.inventory_number(tx, e164_phone_number)
        if number is None:
            return None
        return PhoneNumberView(number["E164PhoneNumber"], number["ProductType"], number["Status"])
