"""SIP media applications through boto3: lifecycle, Regions, quota, endpoint rules, pagination, tags."""

from __future__ import annotations

from typing import Any

from testbed.emulator_process import ACCOUNT_ID, RunningEmulator
from tests.emulator.helpers import acquire, create_sma, lambda_arn, raises_code, rule_for, unvalidated


def test_create_get_update_delete(chime: Any) -> None:
    response = chime.create_sip_media_application(
        AwsRegion="us-east-1",
        Name="My App",
        Endpoints=[{"LambdaArn": lambda_arn(name="a")}],
        Tags=[{"Key": "team", "Value": "voice"}],
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    sma = response["SipMediaApplication"]
    ident = sma["SipMediaApplicationId"]
    assert sma["SipMediaApplicationArn"] == f"arn:aws:chime:us-east-1:{ACCOUNT_ID}:sma/{ident}"
    assert set(sma) == {
        "SipMediaApplicationId",
        "AwsRegion",
        "Name",
        "Endpoints",
        "CreatedTimestamp",
        "UpdatedTimestamp",
        "SipMediaApplicationArn",
    }
    assert chime.get_sip_media_application(SipMediaApplicationId=ident)["SipMediaApplication"] == sma
    updated = chime.update_sip_media_application(
        SipMediaApplicationId=ident, Name="Renamed", Endpoints=[{"LambdaArn": lambda_arn(name="b:live")}]
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert updated["SipMediaApplication"]["Name"] == "Renamed"
    assert updated["SipMediaApplication"]["Endpoints"] == [{"LambdaArn": lambda_arn(name="b:live")}]
    assert updated["SipMediaApplication"]["UpdatedTimestamp"] >= sma["UpdatedTimestamp"]
    tags = chime.list_tags_for_resource(ResourceARN=sma["SipMediaApplicationArn"])["Tags"]
    assert tags == [{"Key": "team", "Value": "voice"}]
    deleted = chime.delete_sip_media_application(SipMediaApplicationId=ident)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with raises_code("NotFoundException", status=404):
        chime.get_sip_media_application(SipMediaApplicationId=ident)
    with raises_code("NotFoundException"):
        chime.delete_sip_media_application(SipMediaApplicationId=ident)
    with raises_code("NotFoundException"):
        chime.update_sip_media_application(SipMediaApplicationId=ident, Name="x")


def test_applications_are_per_region(emulator: RunningEmulator) -> None:
    east, west = emulator.client("us-east-1"), emulator.client("us-west-2")
    sma = create_sma(east)
    other = create_sma(west, region="us-west-2")
    assert [
        s["SipMediaApplicationId"] for s in east.list_sip_media_applications()["SipMediaApplications"]
    ] == [sma["SipMediaApplicationId"]]
    assert [
        s["SipMediaApplicationId"] for s in west.list_sip_media_applications()["SipMediaApplications"]
    ] == [other["SipMediaApplicationId"]]
    with raises_code("NotFoundException"):
        west.get_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])
    # The AwsRegion named must be the Region the request was signed for.
    with raises_code("BadRequestException", mentions="awsRegion"):
        east.create_sip_media_application(
            AwsRegion="us-west-2", Name="x", Endpoints=[{"LambdaArn": lambda_arn("us-west-2")}]
        )


def test_endpoint_must_be_a_lambda_in_the_applications_region_and_account(chime: Any) -> None:
    with raises_code("BadRequestException", mentions="endpoints.1.member.lambdaArn"):
        chime.create_sip_media_application(
            AwsRegion="us-east-1", Name="x", Endpoints=[{"LambdaArn": lambda_arn("us-west-2")}]
        )
    with raises_code("BadRequestException", mentions="account"):
        chime.create_sip_media_application(
            AwsRegion="us-east-1", Name="x", Endpoints=[{"LambdaArn": lambda_arn(account="210987654321")}]
        )
    sma = create_sma(chime)
    with raises_code("BadRequestException", mentions="lambdaArn"):
        chime.update_sip_media_application(
            SipMediaApplicationId=sma["SipMediaApplicationId"],
            Endpoints=[{"LambdaArn": lambda_arn("eu-west-1")}],
        )
    raw = unvalidated(chime)  # botocore itself would refuse two endpoints (it checks no max)
    with raises_code("BadRequestException", mentions="endpoints"):
        raw.create_sip_media_application(
            AwsRegion="us-east-1",
            Name="x",
            Endpoints=[{"LambdaArn": lambda_arn(name="a")}, {"LambdaArn": lambda_arn(name="b")}],
        )


def test_thirty_applications_per_region(chime: Any) -> None:
    for i in range(30):
        create_sma(chime, name=f"app-{i}")
    with raises_code("ResourceLimitExceededException", status=400):
        create_sma(chime, name="one-too-many")
    # Pagination: 30 applications in pages of 7, in creation order, no repeats.
    names: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        kwargs: dict[str, Any] = {"MaxResults": 7, **({"NextToken": token} if token else {})}
        page = chime.list_sip_media_applications(**kwargs)
        names += [s["Name"] for s in page["SipMediaApplications"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert names == [f"app-{i}" for i in range(30)] and pages == 5
    paginated = chime.get_paginator("list_sip_media_applications").paginate(PaginationConfig={"PageSize": 11})
    assert [s["Name"] for p in paginated for s in p["SipMediaApplications"]] == names
    with raises_code("BadRequestException", mentions="NextToken"):
        chime.list_sip_media_applications(NextToken="not-a-token")


def test_delete_is_refused_while_a_rule_targets_it(emulator: RunningEmulator) -> None:
    chime, west = emulator.client(), emulator.client("us-west-2")
    (number,) = acquire(chime, 1)
    sma = create_sma(chime)
    backup = create_sma(west, region="us-west-2")
    rule = chime.create_sip_rule(
        Name="r",
        TriggerType="ToPhoneNumber",
        TriggerValue=number,
        TargetApplications=[
            {"SipMediaApplicationId": sma["SipMediaApplicationId"], "Priority": 1, "AwsRegion": "us-east-1"},
            {
                "SipMediaApplicationId": backup["SipMediaApplicationId"],
                "Priority": 2,
                "AwsRegion": "us-west-2",
            },
        ],
    )["SipRule"]
    with raises_code("ConflictException", status=409, mentions=rule["SipRuleId"]):
        chime.delete_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])
    # A rule in us-east-1 targeting a us-west-2 application blocks that one too.
    with raises_code("ConflictException"):
        west.delete_sip_media_application(SipMediaApplicationId=backup["SipMediaApplicationId"])
    chime.update_sip_rule(SipRuleId=rule["SipRuleId"], Name="r", Disabled=True)
    with raises_code("ConflictException"):  # disabled is not enough: the rule still targets it
        chime.delete_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])
    chime.delete_sip_rule(SipRuleId=rule["SipRuleId"])
    chime.delete_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])
    west.delete_sip_media_application(SipMediaApplicationId=backup["SipMediaApplicationId"])
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Unassigned"


def test_tags(chime: Any) -> None:
    sma = create_sma(chime)
    arn = sma["SipMediaApplicationArn"]
    chime.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    chime.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "3"}])
    assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "a", "Value": "3"},
        {"Key": "b", "Value": "2"},
    ]
    chime.untag_resource(ResourceARN=arn, TagKeys=["a"])
    assert chime.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    with raises_code("ResourceLimitExceededException"):
        chime.tag_resource(ResourceARN=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    missing = arn.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
    with raises_code("NotFoundException"):
        chime.list_tags_for_resource(ResourceARN=missing)
    with raises_code("BadRequestException", mentions="resourceARN"):
        chime.tag_resource(ResourceARN="not-an-arn", Tags=[{"Key": "a", "Value": "1"}])
    chime.delete_sip_media_application(SipMediaApplicationId=sma["SipMediaApplicationId"])
    with raises_code("NotFoundException"):
        chime.list_tags_for_resource(ResourceARN=arn)


def test_rule_listing_by_application(chime: Any) -> None:
    numbers = acquire(chime, 2)
    one, two = create_sma(chime, "one"), create_sma(chime, "two")
    r1 = rule_for(chime, numbers[0], one["SipMediaApplicationId"], name="r1")
    rule_for(chime, numbers[1], two["SipMediaApplicationId"], name="r2")
    listed = chime.list_sip_rules(SipMediaApplicationId=one["SipMediaApplicationId"])["SipRules"]
    assert [r["SipRuleId"] for r in listed] == [r1["SipRuleId"]]
    with raises_code("NotFoundException"):
        chime.list_sip_rules(SipMediaApplicationId="00000000-0000-4000-8000-000000000000")
