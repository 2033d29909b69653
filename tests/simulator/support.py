"""In-test stand-ins for the simulator's surroundings: a Directory and the fixture handlers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.calls.service import CallService
from emulator.directory import PhoneNumberView, SipMediaApplicationView, SipRuleView, TargetView
from pstn.local_lambda import HandlerSpec
from tests.simulator.fixtures.scenarios import NUMBERS
from tests.simulator.plans import write_plan

FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT_ID = "123456789012"
CALLER = "+15557654321"

# function name -> (fixture file, function)
HANDLERS = {
    "speak-hangup": ("basic.py", "speak_hangup"),
    "backup": ("basic.py", "backup"),
    "raises": ("basic.py", "raises"),
    "sleeps": ("basic.py", "sleeps"),
    "not-json": ("basic.py", "not_json"),
    "tutorial": ("basic.py", "tutorial"),
    "probe": ("basic.py", "context_probe"),
    "scenarios": ("scenarios.py", "handler"),
    "uses-import": ("uses_import.py", "handler"),
    "planned": ("planned.py", "handler"),
    "slow-after-first": ("basic.py", "slow_after_first"),
    "guide-end-to-end": ("guide_examples.py", "end_to_end"),
    "guide-update": ("guide_examples.py", "update_sample"),
    "guide-attributes": ("guide_examples.py", "transaction_attributes"),
    "guide-caller-input": ("guide_examples.py", "receiving_caller_input"),
    "guide-call-and-bridge": ("guide_examples.py", "call_and_bridge"),
    "guide-outbound": ("guide_examples.py", "outbound"),
}


def handler_specs() -> list[HandlerSpec]:
    return [HandlerSpec(name, str(FIXTURES / file), function) for name, (file, function) in HANDLERS.items()]


def handler_flags() -> list[str]:
    flags: list[str] = []
    for name, (file, function) in HANDLERS.items():
        flags += ["--handler", f"{name}={FIXTURES / file}:{function}"]
    return flags


def function_arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}"


@dataclass
class FakeDirectory:
    """Routing state as the API side would expose it, built directly by the test."""

    rules: list[SipRuleView] = field(default_factory=list)
    smas: dict[tuple[str, str], SipMediaApplicationView] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def account_id(self) -> str:
        return ACCOUNT_ID

    def enabled_sip_rules(self, trigger_type: str, trigger_value: str) -> list[SipRuleView]:
        def matches(rule: SipRuleView) -> bool:
            if trigger_type == "RequestUriHostname":
                return rule.trigger_value.lower() == trigger_value.lower()
            return rule.trigger_value == trigger_value

        return [r for r in self.rules if not r.disabled and r.trigger_type == trigger_type and matches(r)]

    def sip_media_application(
        self, region: str, sip_media_application_id: str
    ) -> SipMediaApplicationView | None:
        return self.smas.get((region, sip_media_application_id))

    def inventory_phone_number(self, e164_phone_number: str) -> PhoneNumberView | None:
        if e164_phone_number in self.numbers:
            return PhoneNumberView(e164_phone_number, "SipMediaApplicationDialIn", "Assigned")
        return None

    def clear(self) -> None:
        self.rules.clear()
        self.smas.clear()
        self.numbers.clear()

    def add_sma(self, function_name: str, region: str = "us-east-1") -> str:
        sma_id = f"sma-{next(self._ids)}"
        self.smas[(region, sma_id)] = SipMediaApplicationView(
            sma_id, region, sma_id, function_arn(function_name, region)
        )
        return sma_id

    def add_rule(
        self,
        trigger_value: str,
        targets: list[tuple[str, str, int]],
        trigger_type: str = "ToPhoneNumber",
        disabled: bool = False,
    ) -> str:
        """targets: (sip_media_application_id, region, priority)."""
        rule_id = f"rule-{next(self._ids)}"
        views = tuple(sorted((TargetView(s, p, r) for s, r, p in targets), key=lambda t: t.priority))
        self.rules.append(
            SipRuleView(rule_id, "us-east-1", rule_id, trigger_type, trigger_value, disabled, views)
        )
        if trigger_type == "ToPhoneNumber":
            self.numbers.add(trigger_value)
        return rule_id

    def route(
        self, number: str, *functions: str, regions: tuple[str, ...] = ("us-east-1", "us-west-2")
    ) -> str:
        """A ToPhoneNumber rule for `number`: one SMA per function, priority 1, 2, ... in distinct Regions."""
        targets = []
        for priority, (function, region) in enumerate(zip(functions, regions, strict=False), start=1):
            targets.append((self.add_sma(function, region), region, priority))
        return self.add_rule(number, targets)


def place_call(service: CallService, to: str, caller: str = CALLER, **extra: Any) -> dict[str, Any]:
    status, record = service.handle_admin("POST", "/_emulator/calls", {"to": to, "from": caller, **extra})
    assert status == 201
    return dict(record)


def event_types(record: dict[str, Any]) -> list[str]:
    return [i["eventType"] for i in record["invocations"]]


def spoken(record: dict[str, Any]) -> list[str]:
    return [a["detail"] for a in record["actions"] if a["type"] == "Speak" and a["outcome"] == "succeeded"]


def call_scenario(service: CallService, directory: FakeDirectory, flow: str, **extra: Any) -> dict[str, Any]:
    """Route the scenario handler's number for `flow` (fixtures/scenarios.py) and call it."""
    directory.route(NUMBERS[flow], "scenarios")
    return place_call(service, NUMBERS[flow], **extra)


def call_record(service: CallService, transaction_id: str, wait: str = "") -> dict[str, Any]:
    """`GET /_emulator/calls/{id}[/settled|/ended]`: the call's record, once it has reached `wait`."""
    path = f"/_emulator/calls/{transaction_id}" + (f"/{wait}" if wait else "")
    status, record = service.handle_admin("GET", path, None)
    assert status == 200
    return dict(record)


def admin_post(service: CallService, transaction_id: str, what: str, body: dict[str, Any]) -> dict[str, Any]:
    """`POST /_emulator/calls/{id}/{what}` (digits, hangup): the call's record afterwards."""
    status, record = service.handle_admin("POST", f"/_emulator/calls/{transaction_id}/{what}", body)
    assert status == 200
    return dict(record)


def update_and_settle(
    service: CallService, record: dict[str, Any], arguments: dict[str, str]
) -> dict[str, Any]:
    """UpdateSipMediaApplicationCall on a placed call; its record once the update has run."""
    service.update_call("us-east-1", record["sipMediaApplicationId"], record["transactionId"], arguments)
    return call_record(service, record["transactionId"], "settled")


def planned_call(
    service: CallService, directory: FakeDirectory, number: str, *rules: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """Route `number` to the planned handler with these rules (tests/simulator/plans.py) and call it."""
    write_plan(number, *rules)
    directory.route(number, "planned")
    return place_call(service, number, **extra)


def invocation(record: dict[str, Any], event_type: str, index: int = 0) -> dict[str, Any]:
    """The `index`-th event of that type the Lambda got."""
    return [i["event"] for i in record["invocations"] if i["eventType"] == event_type][index]
