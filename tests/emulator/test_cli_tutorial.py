"""The AWS CLI runs the tutorial's chime-sdk-voice commands, unchanged but for the endpoint.

Each tutorial block runs in bash, where `aws` is `.venv/bin/aws --endpoint-url <emulator>`; blocks
that do not depend on each other run at the same time (the CLI takes ~0.5 s to start). Where the
tutorial's own commands are invalid per the API reference, the test asserts the service's error:
- `update-sip-rule` without `--name` (Name is required) and with two targets in one Region;
- `delete-sip-rule` on an enabled rule ("You must disable SIP rules before you can delete them"),
  and so `delete-sip-media-application` of the application that rule still targets;
- `delete-phone-number` of the number the rule still uses;
- the placeholder order id (not a GUID), the placeholder Voice Connector host and transaction id.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.model import ListShape, Shape, StructureShape

from awsutil.service_model import service_model
from testbed.emulator_process import ROOT, RunningEmulator
from tests.emulator import tutorial_commands as tut
from tests.emulator.helpers import lambda_arn

AWS = str(Path(ROOT) / ".venv" / "bin" / "aws")
GUID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


@dataclass
class Ran:
    rc: int
    stdout: str
    stderr: str
    captured: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.stdout)


def _bash(url: str, script: str, env: dict[str, str], capture: tuple[str, ...] = ()) -> Ran:
    preamble = f'aws() {{ "{AWS}" --endpoint-url "{url}" "$@"; }}\n'
    # Harness only: report the variables the block set, after the tutorial's own lines.
    trailer = "".join(f'\nrc=$?; echo "@@{name}=${{{name}}}" >&2; (exit $rc)' for name in capture)
    done = subprocess.run(
        ["bash", "-c", preamble + script + trailer],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    captured = dict(re.findall(r"^@@(\w+)=(.*)$", done.stderr, flags=re.M))
    stderr = re.sub(r"^@@\w+=.*\n?", "", done.stderr, flags=re.M)
    return Ran(done.returncode, done.stdout, stderr, captured)


def _together(url: str, env: dict[str, str], *steps: tuple[str, tuple[str, ...]]) -> list[Ran]:
    with ThreadPoolExecutor(len(steps)) as pool:
        return list(pool.map(lambda s: _bash(url, s[0], env, s[1]), steps))


def _conforms(shape: Shape, value: Any, where: str = "") -> None:
    """The CLI's JSON has exactly the model's member names and types, recursively."""
    if isinstance(shape, StructureShape):
        assert isinstance(value, dict) and set(value) <= set(shape.members), (where, value)
        for key, item in value.items():
            _conforms(shape.members[key], item, f"{where}.{key}")
    elif isinstance(shape, ListShape):
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            _conforms(shape.member, item, f"{where}[{i}]")
    elif shape.type_name in ("string", "timestamp"):
        assert isinstance(value, str), where
    elif shape.type_name == "boolean":
        assert isinstance(value, bool), where
    elif shape.type_name == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), where


def _output(operation: str) -> Shape:
    shape = service_model().operation_model(operation).output_shape
    assert shape is not None
    return shape


def test_tutorial_commands_through_the_aws_cli(emulator: RunningEmulator) -> None:
    url = emulator.url
    env = {
        **os.environ,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_PAGER": "",
        "LAMBDA_ARN": lambda_arn(name="ChimeSDKCallHandler"),
        "BACKUP_LAMBDA_ARN": lambda_arn(name="ChimeSDKBackupHandler"),
    }

    # The tutorial says to order "an actual available phone number from your search results": the
    # search is deterministic, so the test knows that number up front and orders it alongside.
    number = emulator.client().search_available_phone_numbers(
        PhoneNumberType="TollFree", Country="US", TollFreePrefix="844", MaxResults=1
    )["E164PhoneNumbers"][0]

    # 1. Search and order; create both applications; the placeholder order id.
    search, ordered, main_app, backup_app, placeholder_get = _together(
        url,
        env,
        (tut.SEARCH, ()),
        (tut.ORDER.replace(tut.REPLACE["ordered_number"], number), ()),
        (tut.CREATE_SMA + tut.GET_SMA_ID, ("SIP_MEDIA_APP_ID",)),
        (tut.CREATE_BACKUP_SMA, ("BACKUP_SIP_MEDIA_APP_ID",)),
        (tut.GET_ORDER, ()),
    )
    assert search.rc == 0, search.stderr
    _conforms(_output("SearchAvailablePhoneNumbers"), search.json())
    found = search.json()["E164PhoneNumbers"]
    assert len(found) == 5 and all(n.startswith("+1844") for n in found)
    assert found[0] == number or number not in found  # ordered numbers leave the search results
    assert ordered.rc == 0, ordered.stderr
    _conforms(_output("CreatePhoneNumberOrder"), ordered.json())
    order = ordered.json()["PhoneNumberOrder"]
    assert order["Status"] == "Processing" and GUID.fullmatch(order["PhoneNumberOrderId"])
    assert order["OrderedPhoneNumbers"] == [{"E164PhoneNumber": number, "Status": "Processing"}]
    assert main_app.rc == 0, main_app.stderr
    created_app = json.loads(main_app.stdout.split("SIP Media Application ID:")[0])
    _conforms(_output("CreateSipMediaApplication"), created_app)
    sma = created_app["SipMediaApplication"]
    assert sma["Name"] == "MyCallHandlerApp" and sma["Endpoints"] == [{"LambdaArn": env["LAMBDA_ARN"]}]
    sma_id = main_app.captured["SIP_MEDIA_APP_ID"]
    assert sma_id == sma["SipMediaApplicationId"] and f"SIP Media Application ID: {sma_id}" in main_app.stdout
    assert backup_app.rc == 0, backup_app.stderr
    backup_id = backup_app.captured["BACKUP_SIP_MEDIA_APP_ID"]
    assert GUID.fullmatch(backup_id) and backup_id != sma_id
    assert placeholder_get.rc != 0 and "BadRequestException" in placeholder_get.stderr
    assert "at 'phoneNumberOrderId'" in placeholder_get.stderr

    # 2. The order has completed (--order-delay 0.2): check it, list what is unassigned, make the
    #    phone-number rule; the placeholder hostname and transaction id fail.
    app_env = {**env, "SIP_MEDIA_APP_ID": sma_id, "BACKUP_SIP_MEDIA_APP_ID": backup_id}
    get_order, unassigned, rule_run, host_rule, update_call = _together(
        url,
        app_env,
        (tut.GET_ORDER.replace(tut.REPLACE["order_id"], order["PhoneNumberOrderId"]), ()),
        (tut.LIST_UNASSIGNED, ()),
        (tut.PHONE_NUMBER_RULE, ("PHONE_NUMBER",)),
        (tut.HOSTNAME_RULE, ()),
        (tut.UPDATE_CALL, ()),
    )
    assert get_order.rc == 0, get_order.stderr
    _conforms(_output("GetPhoneNumberOrder"), get_order.json())
    assert get_order.json()["PhoneNumberOrder"]["Status"] == "Successful"
    assert get_order.json()["PhoneNumberOrder"]["OrderedPhoneNumbers"] == [
        {"E164PhoneNumber": number, "Status": "Acquired"}
    ]
    assert unassigned.rc == 0 and unassigned.json() in ([number], [])  # [] if the rule came first
    assert rule_run.rc == 0, rule_run.stderr
    assert rule_run.captured["PHONE_NUMBER"] == number and f"Using phone number: {number}" in rule_run.stdout
    created_rule = json.loads(rule_run.stdout.split("\n", 1)[1])
    _conforms(_output("CreateSipRule"), created_rule)
    rule = created_rule["SipRule"]
    rule_id = rule["SipRuleId"]
    assert rule["TriggerValue"] == number and rule["Disabled"] is False
    assert rule["TargetApplications"] == [
        {"SipMediaApplicationId": sma_id, "Priority": 1, "AwsRegion": "us-east-1"}
    ]
    assert (
        host_rule.rc != 0 and "BadRequestException" in host_rule.stderr and "triggerValue" in host_rule.stderr
    )
    assert update_call.rc != 0 and "NotFoundException" in update_call.stderr

    # 3. The rule id by the tutorial's query; the backup update; the outbound call; clean-up as
    #    written. Every outcome here is the same in any order: the rule stays enabled throughout.
    rule_env = {**app_env, "PHONE_NUMBER": number, "SIP_RULE_ID": rule_id}
    update_as_written, update_with_name, call, delete_rule, delete_apps, release = _together(
        url,
        rule_env,
        (tut.GET_RULE_ID + tut.UPDATE_RULE, ("SIP_RULE_ID",)),
        (
            tut.UPDATE_RULE.replace("update-sip-rule \\\n", 'update-sip-rule --name "IncomingCallRule" \\\n'),
            (),
        ),
        (tut.OUTBOUND_CALL, ()),
        (tut.DELETE_RULE, ()),
        (tut.DELETE_SMAS, ()),
        (tut.RELEASE_NUMBERS, ()),
    )
    assert update_as_written.captured["SIP_RULE_ID"] == rule_id
    # As written: the CLI itself refuses (Name is required); with a name: two targets in one Region.
    assert update_as_written.rc == 2 and "--name" in update_as_written.stderr
    assert update_with_name.rc != 0 and "BadRequestException" in update_with_name.stderr
    assert "one SIP media application per AWS Region" in update_with_name.stderr
    assert call.rc == 0, call.stderr
    _conforms(_output("CreateSipMediaApplicationCall"), call.json())
    assert GUID.fullmatch(call.json()["SipMediaApplicationCall"]["TransactionId"])
    # Clean-up as written: the rule is still enabled, so it, its application and its number stay.
    assert (
        delete_rule.rc != 0 and "ConflictException" in delete_rule.stderr and "disable" in delete_rule.stderr
    )
    assert delete_apps.rc == 0 and delete_apps.stderr.count("ConflictException") == 1
    assert release.rc != 0 and "BadRequestException" in release.stderr
    _conforms(_output("ListPhoneNumbers"), json.loads(release.stdout))
    assert json.loads(release.stdout)["PhoneNumbers"][0]["Status"] == "Assigned"

    chime = emulator.client()
    assert [
        s["SipMediaApplicationId"] for s in chime.list_sip_media_applications()["SipMediaApplications"]
    ] == [sma_id]
    assert chime.get_sip_rule(SipRuleId=rule_id)["SipRule"]["Disabled"] is False
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Assigned"
