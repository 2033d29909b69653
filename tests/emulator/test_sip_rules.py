"""SIP rules and Voice Connectors through boto3: triggers, targets, assignment, conflicts, pagination."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import DIAL_IN, acquire, create_sma, raises_code, rule_for, unvalidated


def _target(sma: dict[str, Any], priority: int, region: str | None = None) -> dict[str, Any]:
    target: dict[str, Any] = {"SipMediaApplicationId": sma["SipMediaApplicationId"], "Priority": priority}
    if region:
        target["AwsRegion"] = region
    return target


def test_phone_number_rule_assigns_the_number_and_delete_unassigns(chime: Any) -> None:
    (number,) = acquire(chime, 1)
    sma = create_sma(chime)
    response = chime.create_sip_rule(
        Name="inbound", TriggerType="ToPhoneNumber", TriggerValue=number, TargetApplications=[_target(sma, 1)]
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    rule = response["SipRule"]
    assert rule["Disabled"] is False and rule["TriggerValue"] == number
    # A target without AwsRegion is in the Region of the request.
    assert rule["TargetApplications"] == [_target(sma, 1, "us-east-1")]
    assert set(rule) == {
        "SipRuleId",
        "Name",
        "Disabled",
        "TriggerType",
        "TriggerValue",
        "TargetApplications",
        "CreatedTimestamp",
        "UpdatedTimestamp",
    }
    assert chime.get_sip_rule(SipRuleId=rule["SipRuleId"])["SipRule"] == rule
    phone = chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]
    assert phone["Status"] == "Assigned"
    assert [(a["Name"], a["Value"]) for a in phone["Associations"]] == [("SipRuleId", rule["SipRuleId"])]
    # Enabled rules cannot be deleted; UpdateSipRule needs Name even to disable.
    with raises_code("ConflictException", status=409, mentions="disable"):
        chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])
    disabled = chime.update_sip_rule(SipRuleId=rule["SipRuleId"], Name="inbound", Disabled=True)
    assert disabled["ResponseMetadata"]["HTTPStatusCode"] == 202 and disabled["SipRule"]["Disabled"] is True
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Assigned"
    assert chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])["ResponseMetadata"]["HTTPStatusCode"] == 204
    phone = chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]
    assert phone["Status"] == "Unassigned" and phone["Associations"] == []
    with raises_code("NotFoundException", status=404):
        chime.get_sip_rule(SipRuleId=rule["SipRuleId"])
    with raises_code("NotFoundException"):
        chime.update_sip_rule(SipRuleId=rule["SipRuleId"], Name="x")
    with raises_code("NotFoundException"):
        chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])


def test_trigger_number_must_be_an_unused_dial_in_inventory_number(chime: Any) -> None:
    sma = create_sma(chime)
    (number,) = acquire(chime, 1)
    (voice_connector_number,) = acquire(chime, 1, product="VoiceConnector", AreaCode="303")
    with raises_code("BadRequestException", mentions="inventory"):
        rule_for(chime, "+12065550100", sma["SipMediaApplicationId"])
    with raises_code("BadRequestException", mentions="SipMediaApplicationDialIn"):
        rule_for(chime, voice_connector_number, sma["SipMediaApplicationId"])
    rule_for(chime, number, sma["SipMediaApplicationId"])
    with raises_code("ConflictException", status=409, mentions="another SIP rule"):
        rule_for(chime, number, sma["SipMediaApplicationId"], name="second")
    # Product type changes make a number usable.
    chime.update_phone_number(PhoneNumberId=voice_connector_number, ProductType=DIAL_IN)
    rule_for(chime, voice_connector_number, sma["SipMediaApplicationId"], name="third")


def test_targets_exist_one_per_region_distinct_priorities(emulator: RunningEmulator) -> None:
    chime, west = emulator.client(), emulator.client("us-west-2")
    (number,) = acquire(chime, 1)
    primary, same_region = create_sma(chime, "primary"), create_sma(chime, "backup")
    backup = create_sma(west, "backup", region="us-west-2")

    def create(targets: list[dict[str, Any]]) -> Any:
        return unvalidated(chime).create_sip_rule(
            Name="r", TriggerType="ToPhoneNumber", TriggerValue=number, TargetApplications=targets
        )

    with raises_code("BadRequestException", mentions="one SIP media application per AWS Region"):
        create([_target(primary, 1), _target(same_region, 2)])
    with raises_code("BadRequestException", mentions="does not exist"):
        create([_target(backup, 1)])  # no AwsRegion: looked for in us-east-1
    with raises_code("BadRequestException", mentions="distinct priority"):
        create([_target(primary, 1), _target(backup, 1, "us-west-2")])
    with raises_code("BadRequestException", mentions="priority"):
        create([{**_target(primary, 1), "Priority": 0}])
    with raises_code("BadRequestException", mentions="targetApplications"):
        create([])
    assert chime.list_phone_numbers(Status="Assigned")["PhoneNumbers"] == []  # nothing changed
    rule = create([_target(backup, 2, "us-west-2"), _target(primary, 1, "us-east-1")])["SipRule"]
    # Targets come back lowest priority first.
    assert [t["Priority"] for t in rule["TargetApplications"]] == [1, 2]
    assert rule["TargetApplications"][1]["AwsRegion"] == "us-west-2"
    # Rules are per Region.
    with raises_code("NotFoundException"):
        west.get_sip_rule(SipRuleId=rule["SipRuleId"])
    assert west.list_sip_rules()["SipRules"] == []


def test_update_changes_name_targets_and_disabled_never_the_trigger(chime: Any) -> None:
    (number,) = acquire(chime, 1)
    one, two = create_sma(chime, "one"), create_sma(chime, "two")
    rule = rule_for(chime, number, one["SipMediaApplicationId"], Disabled=True)
    assert rule["Disabled"] is True
    updated = chime.update_sip_rule(
        SipRuleId=rule["SipRuleId"], Name="renamed", Disabled=False, TargetApplications=[_target(two, 5)]
    )["SipRule"]
    assert updated["Name"] == "renamed" and updated["Disabled"] is False
    assert updated["TargetApplications"] == [_target(two, 5, "us-east-1")]
    assert (updated["TriggerType"], updated["TriggerValue"]) == ("ToPhoneNumber", number)
    with raises_code("BadRequestException", mentions="does not exist"):
        chime.update_sip_rule(
            SipRuleId=rule["SipRuleId"],
            Name="x",
            TargetApplications=[{"SipMediaApplicationId": "nope", "Priority": 1}],
        )
    assert chime.get_sip_rule(SipRuleId=rule["SipRuleId"])["SipRule"]["Name"] == "renamed"
    # Name is required by the model; botocore refuses before sending.
    raw = unvalidated(chime)
    with raises_code("BadRequestException", mentions="'name'"):
        raw.update_sip_rule(SipRuleId=rule["SipRuleId"], Disabled=True)


def test_list_sip_rules_paginates(chime: Any) -> None:
    sma = create_sma(chime)
    chime.create_voice_connector(Name="vc", RequireEncryption=True)
    hosts = [vc["OutboundHostName"] for vc in chime.list_voice_connectors()["VoiceConnectors"]]
    numbers = acquire(chime, 4)
    for i, number in enumerate(numbers):
        rule_for(chime, number, sma["SipMediaApplicationId"], name=f"rule-{i}")
    chime.create_sip_rule(
        Name="host",
        TriggerType="RequestUriHostname",
        TriggerValue=hosts[0],
        TargetApplications=[_target(sma, 1)],
    )
    pages = list(chime.get_paginator("list_sip_rules").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert [r["Name"] for p in pages for r in p["SipRules"]] == [f"rule-{i}" for i in range(4)] + ["host"]


def test_voice_connectors_and_hostname_rules(emulator: RunningEmulator) -> None:
    chime = emulator.client()
    created = chime.create_voice_connector(Name="pbx", RequireEncryption=True, AwsRegion="us-east-1")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    vc = created["VoiceConnector"]
    ident = vc["VoiceConnectorId"]
    assert len(ident) == 22 and ident.isalnum() and ident.lower() == ident
    assert vc["OutboundHostName"] == f"{ident}.voiceconnector.chime.aws"
    assert vc["VoiceConnectorArn"].endswith(f":vc/{ident}") and vc["RequireEncryption"] is True
    assert chime.get_voice_connector(VoiceConnectorId=ident)["VoiceConnector"] == vc
    sma = create_sma(chime)
    with raises_code("BadRequestException", mentions="outbound host name"):
        chime.create_sip_rule(
            Name="h",
            TriggerType="RequestUriHostname",
            TriggerValue="example.voiceconnector.chime.aws",
            TargetApplications=[_target(sma, 1)],
        )
    rule = chime.create_sip_rule(
        Name="h",
        TriggerType="RequestUriHostname",
        TriggerValue=vc["OutboundHostName"].upper(),
        TargetApplications=[_target(sma, 1)],
    )["SipRule"]
    with raises_code("ConflictException"):
        chime.create_sip_rule(
            Name="h2",
            TriggerType="RequestUriHostname",
            TriggerValue=vc["OutboundHostName"],
            TargetApplications=[_target(sma, 1)],
        )
    with raises_code("ConflictException", mentions=rule["SipRuleId"]):
        chime.delete_voice_connector(VoiceConnectorId=ident)
    chime.create_voice_connector(Name="two", RequireEncryption=False)
    chime.create_voice_connector(Name="three", RequireEncryption=False)
    with raises_code("ResourceLimitExceededException"):
        chime.create_voice_connector(Name="four", RequireEncryption=False)
    assert len(chime.list_voice_connectors()["VoiceConnectors"]) == 3
    first = chime.list_voice_connectors(MaxResults=2)
    rest = chime.list_voice_connectors(MaxResults=2, NextToken=first["NextToken"])
    assert [v["Name"] for v in first["VoiceConnectors"] + rest["VoiceConnectors"]] == ["pbx", "two", "three"]
    assert emulator.client("eu-west-2").list_voice_connectors()["VoiceConnectors"] == []
    with raises_code("BadRequestException", mentions="awsRegion"):
        emulator.client("eu-west-2").create_voice_connector(
            Name="x", RequireEncryption=True, AwsRegion="us-east-1"
        )
    with raises_code("BadRequestException", mentions="awsRegion us-east-1"):  # the documented default
        emulator.client("eu-west-2").create_voice_connector(Name="x", RequireEncryption=True)
    west_vc = emulator.client("eu-west-2").create_voice_connector(
        Name="x", RequireEncryption=True, AwsRegion="eu-west-2")["VoiceConnector"]
    assert west_vc["AwsRegion"] == "eu-west-2" and ":eu-west-2:" in west_vc["VoiceConnectorArn"]
    chime.tag_resource(ResourceARN=vc["VoiceConnectorArn"], Tags=[{"Key": "k", "Value": "v"}])
    assert chime.list_tags_for_resource(ResourceARN=vc["VoiceConnectorArn"])["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]
    chime.update_sip_rule(SipRuleId=rule["SipRuleId"], Name="h", Disabled=True)
    chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])
    assert chime.delete_voice_connector(VoiceConnectorId=ident)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with raises_code("NotFoundException"):
        chime.get_voice_connector(VoiceConnectorId=ident)


def test_concurrent_rules_for_one_number_exactly_one_wins(emulator: RunningEmulator) -> None:
    chime = emulator.client()
    (number,) = acquire(chime, 1)
    sma = create_sma(chime)

    def attempt(i: int) -> str:
        try:
            rule_for(emulator.client(), number, sma["SipMediaApplicationId"], name=f"r{i}")
        except ClientError as err:
            return str(err.response["Error"]["Code"])
        return "created"

    with ThreadPoolExecutor(8) as pool:
        outcomes = sorted(pool.map(attempt, range(8)))
    assert outcomes == ["ConflictException"] * 7 + ["created"]
    assert len(chime.list_sip_rules()["SipRules"]) == 1
