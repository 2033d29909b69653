"""SIP media applications: per Region, exactly one Lambda endpoint in the application's own Region;
each with a logging configuration (message logs on or off) that lives and dies with it."""

from __future__ import annotations

from typing import Any

from awsutil.arn import parse_arn
from emulator.backend import relations
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_guid
from emulator.backend.kinds import SMA, SMA_LOGGING
from emulator.backend.list_pages import list_answer
from emulator.backend.resources import check_regional_create, check_request_region, get_in_region
from emulator.backend.tag_store import delete_tagged, store_tags
from emulator.errors import BadRequestError, ConflictError
from emulator.store import Tx

LOGGING = "SipMediaApplicationLoggingConfiguration"
MESSAGE_LOGS = "EnableSipMediaApplicationMessageLogs"


def arn(ctx: Ctx, region: str, ident: str) -> str:
    return f"arn:aws:chime:{region}:{ctx.account_id}:sma/{ident}"


def _get(tx: Tx, ctx: Ctx, ident: str) -> Doc:
    return get_in_region(tx, SMA, ident, ctx.region, "SIP media application")


def _check_endpoints(ctx: Ctx, region: str, endpoints: list[Doc]) -> None:
    for i, endpoint in enumerate(endpoints, start=1):
        lambda_arn = endpoint.get("LambdaArn")
        if not lambda_arn:
            raise BadRequestError(f"endpoints.{i}.member.lambdaArn is required")
        arn = parse_arn(lambda_arn)
        if arn is None or arn.region != region:
            raise BadRequestError(
                f"endpoints.{i}.member.lambdaArn must be a Lambda function in the application's "
                f"Region {region}")
        # Stricter than the docs say outright: the function must belong to this account.
        if arn.account != ctx.account_id:
            raise BadRequestError(f"endpoints.{i}.member.lambdaArn must be a Lambda function in this account")


def create_sip_media_application(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    region = p["AwsRegion"]
    check_request_region(ctx, region)
    _check_endpoints(ctx, region, p["Endpoints"])
    tags = check_regional_create(tx, SMA, region, p, ctx.config.sip_media_applications_per_region,
                                 "SIP media applications")
    ident = new_guid()
    # Names need not be unique (the docs never say so), and no client token exists: a retried
    # create makes a second application, as the service does.
    sma: Doc = {
        "SipMediaApplicationId": ident,
        "AwsRegion": region,
        "Name": p["Name"],
        "Endpoints": [{"LambdaArn": e["LambdaArn"]} for e in p["Endpoints"]],
        "CreatedTimestamp": ctx.now,
        "UpdatedTimestamp": ctx.now,
        "SipMediaApplicationArn": arn(ctx, region, ident),
    }
    tx.put(SMA, ident, sma, region)
    store_tags(tx, sma["SipMediaApplicationArn"], tags)
    return {"SipMediaApplication": sma}


def get_sip_media_application(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return {"SipMediaApplication": _get(tx, ctx, p["SipMediaApplicationId"])}


def list_sip_media_applications(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    return list_answer("SipMediaApplications", tx.list(SMA, ctx.region), p)


def update_sip_media_application(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    sma = _get(tx, ctx, p["SipMediaApplicationId"])
    if "Endpoints" in p:
        _check_endpoints(ctx, sma["AwsRegion"], p["Endpoints"])
        sma["Endpoints"] = [{"LambdaArn": e["LambdaArn"]} for e in p["Endpoints"]]
    if "Name" in p:
        sma["Name"] = p["Name"]
    sma["UpdatedTimestamp"] = ctx.now
    tx.put(SMA, sma["SipMediaApplicationId"], sma, sma["AwsRegion"])
    return {"SipMediaApplication": sma}


def delete_sip_media_application(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    sma = _get(tx, ctx, p["SipMediaApplicationId"])
    # Docs: disable/delete the rules first. The service lists ConflictException here; the emulator
    # refuses while ANY rule (enabled or not, in any Region) still targets the application.
    users = relations.rules_targeting(tx, sma["SipMediaApplicationId"], sma["AwsRegion"])
    if users:
        raise ConflictError(
            f"SIP media application {sma['SipMediaApplicationId']} is a target of SIP rule(s) "
            + ", ".join(r["SipRuleId"] for r in users))
    delete_tagged(tx, SMA, sma["SipMediaApplicationId"], sma["SipMediaApplicationArn"])
    tx.delete(SMA_LOGGING, sma["SipMediaApplicationId"])
    return {}


def put_sip_media_application_logging_configuration(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    sma = _get(tx, ctx, p["SipMediaApplicationId"])
    # The model makes the configuration and its one member optional; a PUT that says nothing is
    # refused here (stricter: the docs do not say what it would mean).
    configuration = p.get(LOGGING)
    if configuration is None:
        raise BadRequestError("sipMediaApplicationLoggingConfiguration is required")
    if configuration.get(MESSAGE_LOGS) is None:
        raise BadRequestError(
            "sipMediaApplicationLoggingConfiguration.enableSipMediaApplicationMessageLogs is required")
    stored = {MESSAGE_LOGS: bool(configuration[MESSAGE_LOGS])}
    tx.put(SMA_LOGGING, sma["SipMediaApplicationId"], stored, sma["AwsRegion"])
    return {LOGGING: stored}


def get_sip_media_application_logging_configuration(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    sma = _get(tx, ctx, p["SipMediaApplicationId"])
    # An application whose logging was never configured has message logs off, said explicitly.
    stored = tx.get(SMA_LOGGING, sma["SipMediaApplicationId"], sma["AwsRegion"])
    return {LOGGING: stored if stored is not None else {MESSAGE_LOGS: False}}


OPERATIONS: dict[str, Any] = {
    "CreateSipMediaApplication": create_sip_media_application,
    "GetSipMediaApplication": get_sip_media_application,
    "ListSipMediaApplications": list_sip_media_applications,
    "UpdateSipMediaApplication": update_sip_media_application,
    "DeleteSipMediaApplication": delete_sip_media_application,
    "PutSipMediaApplicationLoggingConfiguration": put_sip_media_application_logging_configuration,
    "GetSipMediaApplicationLoggingConfiguration": get_sip_media_application_logging_configuration,
}
