"""SQLite state: it survives a restart, and `kill -9` mid-burst loses no acknowledged write."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from testbed.emulator_process import running_emulator, start_emulator
from tests.emulator.helpers import DIAL_IN, create_sma, lambda_arn, raises_code, rule_for, wait_order

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1"]


OTHER_ACCOUNT = "111122223333"


def test_state_survives_a_restart_and_orders_complete_while_down(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")
    flags = ["--state", state, "--order-delay", "0.3", "--phone-number-quota", "2",
             "--account-id", OTHER_ACCOUNT]
    with running_emulator(flags) as first:
        chime = first.client()
        numbers = chime.search_available_phone_numbers(AreaCode="206", MaxResults=2)["E164PhoneNumbers"]
        first_order = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=numbers[:1])
        wait_order(chime, first_order["PhoneNumberOrder"]["PhoneNumberOrderId"])
        sma = create_sma(chime, account=OTHER_ACCOUNT)
        assert f":{OTHER_ACCOUNT}:sma/" in sma["SipMediaApplicationArn"]
        rule = rule_for(chime, numbers[0], sma["SipMediaApplicationId"])
        vc = chime.create_voice_connector(Name="pbx", RequireEncryption=True)["VoiceConnector"]
        chime.tag_resource(ResourceARN=sma["SipMediaApplicationArn"], Tags=[{"Key": "k", "Value": "v"}])
        pending = chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=numbers[1:])
        pending_id = pending["PhoneNumberOrder"]["PhoneNumberOrderId"]
        assert pending["PhoneNumberOrder"]["Status"] == "Processing"
    time.sleep(0.35)  # the order's delay passes while nothing runs
    with running_emulator(flags) as second:
        chime = second.client()
        assert (
            chime.get_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])[
                "SipMediaApplication"
            ]
            == sma
        )
        assert chime.get_sip_rule(SipRuleId=rule["SipRuleId"])["SipRule"] == rule
        assert chime.get_voice_connector(VoiceConnectorId=vc["VoiceConnectorId"])["VoiceConnector"] == vc
        assert chime.list_tags_for_resource(ResourceARN=sma["SipMediaApplicationArn"])["Tags"] == [
            {"Key": "k", "Value": "v"}
        ]
        assert (
            chime.get_phone_number_order(PhoneNumberOrderId=pending_id)["PhoneNumberOrder"]["Status"]
            == "Successful"
        )
        statuses = {n["E164PhoneNumber"]: n["Status"] for n in chime.list_phone_numbers()["PhoneNumbers"]}
        assert statuses == {numbers[0]: "Assigned", numbers[1]: "Unassigned"}
        # --phone-number-quota 2: both numbers are held, a third is refused.
        third = chime.search_available_phone_numbers(AreaCode="206", MaxResults=1)["E164PhoneNumbers"]
        with raises_code("ResourceLimitExceededException", mentions="quota of 2"):
            chime.create_phone_number_order(ProductType=DIAL_IN, E164PhoneNumbers=third)
        # The request log is not state: a restart starts it empty.
        assert [r["operation"] for r in second.requests()] == [
            "GetSipMediaApplication",
            "GetSipRule",
            "GetVoiceConnector",
            "ListTagsForResource",
            "GetPhoneNumberOrder",
            "ListPhoneNumbers",
            "SearchAvailablePhoneNumbers",
            "CreatePhoneNumberOrder",
        ]


def test_kill_9_mid_burst_loses_no_acknowledged_write(tmp_path: Path) -> None:
    state = str(tmp_path / "state.db")
    emulator = start_emulator(["--state", state])
    acknowledged: dict[str, list[str]] = {region: [] for region in REGIONS}
    stop = threading.Event()

    def writer(region: str) -> None:
        chime = emulator.client(region)
        for i in range(30):  # the per-Region quota
            if stop.is_set():
                return
            try:
                sma = chime.create_sip_media_application(
                    AwsRegion=region, Name=f"burst-{i}", Endpoints=[{"LambdaArn": lambda_arn(region)}]
                )
            except (BotoCoreError, ClientError):
                return  # the process died under us: this write was never acknowledged
            acknowledged[region].append(sma["SipMediaApplication"]["SipMediaApplicationId"])

    threads = [threading.Thread(target=writer, args=(r,)) for r in REGIONS]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while sum(map(len, acknowledged.values())) < 60 and time.monotonic() < deadline:
        time.sleep(0.005)
    emulator.stop(kill=True)  # SIGKILL while the writers are still going
    stop.set()
    for t in threads:
        t.join()
    total = sum(map(len, acknowledged.values()))
    assert 60 <= total < 30 * len(REGIONS), "the kill must land mid-burst"
    with running_emulator(["--state", state]) as restarted:
        for region, ids in acknowledged.items():
            stored = _all_ids(restarted.client(region))
            assert set(ids) <= set(stored), region
            assert len(stored) - len(ids) <= 1  # at most the one in flight when the process died


def _all_ids(chime: Any) -> list[str]:
    pages = chime.get_paginator("list_sip_media_applications").paginate()
    return [s["SipMediaApplicationId"] for p in pages for s in p["SipMediaApplications"]]
