"""Lost create responses, deterministically: the change is committed, the answer never arrives.

The emulator draws one fault per API request from `random.Random(--seed)`. We pick a seed whose
draws drop exactly the three create requests of the sequence below and nothing else, so each
provider must find what it created (by number, name or trigger) instead of creating it again.
"""

from __future__ import annotations

from emulator.faults import DROP, FaultInjector
from providers.phone_number import PhoneNumberProvider
from providers.sip_media_application import SipMediaApplicationProvider
from providers.sip_rule import SipRuleProvider
from testbed.emulator_process import running_emulator
from tests.providers.conftest import REGION, configured, lambda_arn

DROP_RATE = 0.25
# The API requests, in order, and which of them must lose their response.
SEQUENCE = [
    ("SearchAvailablePhoneNumbers", False),  # the test picks a number
    ("GetPhoneNumber", False),  # PhoneNumber.create: not in inventory
    ("ListPhoneNumberOrders", False),  # no order in flight for it
    ("GetPhoneNumber", False),  # nor one that completed meanwhile
    ("CreatePhoneNumberOrder", True),  # committed, answer lost
    ("ListPhoneNumberOrders", False),  # found again (the order settles at once: --order-delay 0)
    ("GetPhoneNumber", False),
    ("ListSipMediaApplications", False),  # no earlier attempt's application (none carries the marker)
    ("CreateSipMediaApplication", True),
    ("ListSipMediaApplications", False),  # found again by its marker tag
    ("ListTagsForResource", False),
    ("ListSipRules", False),  # no earlier attempt's rule on the trigger
    ("CreateSipRule", True),
    ("ListSipRules", False),
    ("ListPhoneNumberOrders", False),  # the test's own checks
    ("ListSipMediaApplications", False),
    ("ListSipRules", False),
]


def seed_for_sequence() -> int:
    for seed in range(100_000):
        faults = FaultInjector(seed, drop_rate=DROP_RATE)
        if all((faults.next() == DROP) == dropped for _, dropped in SEQUENCE):
            return seed
    raise AssertionError("no seed drops exactly the planned requests")


def test_lost_create_responses_are_found_not_repeated(fast_retries: None) -> None:
    seed = seed_for_sequence()
    args = ["--drop-rate", str(DROP_RATE), "--seed", str(seed), "--order-delay", "0"]
    with running_emulator(args) as emulator:
        numbers = configured(PhoneNumberProvider(), emulator)
        apps = configured(SipMediaApplicationProvider(), emulator)
        rules = configured(SipRuleProvider(), emulator)
        chime = emulator.client()
        e164 = chime.search_available_phone_numbers(AreaCode="425", MaxResults=1)["E164PhoneNumbers"][0]

        number = numbers.create({"e164_phone_number": e164, "product_type": "SipMediaApplicationDialIn"})
        app = apps.create({"name": "app", "lambda_arn": lambda_arn(), "resource_marker": "p.s.app"})
        target = {"sip_media_application_id": app.id, "priority": 1, "region": REGION}
        rule = rules.create({"name": "rule", "trigger_type": "ToPhoneNumber", "trigger_value": e164,
                             "targets": [target]})

        orders = chime.list_phone_number_orders()["PhoneNumberOrders"]
        assert [o["PhoneNumberOrderId"] for o in orders] == [number.outs and number.outs["order_id"]]
        apps_left = chime.list_sip_media_applications()["SipMediaApplications"]
        assert [a["SipMediaApplicationId"] for a in apps_left] == [app.id]
        assert [r["SipRuleId"] for r in chime.list_sip_rules()["SipRules"]] == [rule.id]
        log = emulator.requests()
        assert [(r["operation"], r["fault"] == DROP) for r in log] == SEQUENCE
        assert number.id == e164 and app.outs and app.outs["arn"].endswith(app.id)
