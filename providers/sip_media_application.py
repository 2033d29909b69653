"""SipMediaApplication: a Chime SDK SIP media application as a Pulumi dynamic resource.

Name and Lambda ARN update in place (one UpdateSipMediaApplication call), tags are reconciled,
a Region change replaces. Create answers from the create response alone. The optional `logging`
input (message logs) is managed in `providers.sip_media_application_logging`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from awsutil.arn import parse_arn
from awsutil.classify import error_code, is_not_found
from awsutil.pagination import paginate
from awsutil.retry import PROVISIONING
from awsutil.service_model import shape
from providers import input_checks as v
from providers.base import ChimeProvider, input_keys, resource_props
from providers.diffing import differs
from providers.errors import ProviderError
from providers.reconcile import create_reconciled, find_created
from providers.sip_media_application_logging import (
    SipMediaApplicationLogging,
    logging_after_create,
    logging_failures,
    put_logging,
    read_logging,
    wanted_logging,
)

_DELETE_CONFLICT_ATTEMPTS = 6


@dataclass
class SipMediaApplicationArgs:
    name: pulumi.Input[str]
    lambda_arn: pulumi.Input[str]
    region: pulumi.Input[str] | None = None
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    # Message logs on or off; None leaves the application's logging alone (no calls at all).
    logging: pulumi.Input[SipMediaApplicationLogging] | None = None


_INPUT_KEYS = input_keys(SipMediaApplicationArgs)

def _tags(value: Any) -> dict[str, str]:
    return dict(value) if isinstance(value, dict) else {}


def _outputs(sma: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    endpoints = sma.get("Endpoints") or [{}]
    return {
        "sip_media_application_id": sma["SipMediaApplicationId"],
        "arn": sma.get("SipMediaApplicationArn"),
        "name": sma.get("Name"),
        "region": sma.get("AwsRegion"),
        "lambda_arn": endpoints[0].get("LambdaArn"),
        "tags": tags or None,
    }


class SipMediaApplicationProvider(ChimeProvider):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures: list[CheckFailure] = []
        for required in ("name", "lambda_arn"):
            if news.get(required) is None:
                failures.append(CheckFailure(required, f"{required} is required"))
        if news.get("name") is not None:
            failures += v.string_failures("name", news["name"], shape("SipMediaApplicationName"))
        if news.get("region") is not None:
            failures += v.region_failures("region", news["region"])
        arn = news.get("lambda_arn")
        if arn is not None:
            arn_failures = v.string_failures("lambda_arn", arn, shape("FunctionArn"))
            failures += arn_failures
            region = news.get("region") or self._default_region()
            parsed = None if arn_failures or v.is_unknown(arn) else parse_arn(arn)
            if parsed is not None and isinstance(region, str) and parsed.region != region:
                failures.append(CheckFailure(
                    "lambda_arn", f"lambda_arn must be a function in the application's Region {region}; "
                                  f"got one in {parsed.region}"))
        if news.get("tags") is not None:
            failures += v.tags_failures("tags", news["tags"])
        failures += logging_failures(news.get("logging"))
        return CheckResult(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = []
        new_region = news.get("region") or self._default_region()
        if differs(olds.get("region"), new_region):
            replaces.append("region")
        changed = [k for k in ("name", "lambda_arn") if differs(olds.get(k), news.get(k))]
        if differs(_tags(olds.get("tags")), news.get("tags") if v.is_unknown(news.get("tags"))
                   else _tags(news.get("tags"))):
            changed.append("tags")
        if differs(olds.get("logging"), news.get("logging")):
            changed.append("logging")
        return DiffResult(changes=bool(replaces or changed), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        region = self._connection.resolve_region(props.get("region"))
        name, arn, tags = props["name"], props["lambda_arn"], _tags(props.get("tags"))
        request: dict[str, Any] = {"AwsRegion": region, "Name": name, "Endpoints": [{"LambdaArn": arn}]}
        if tags:
            request["Tags"] = [{"Key": k, "Value": val} for k, val in sorted(tags.items())]
        sent_at = dt.datetime.now(dt.UTC)
        client = self._connection.client(region)

        def create() -> dict[str, Any]:
            response = client.once.create_sip_media_application(**request)
            created: dict[str, Any] = response["SipMediaApplication"]
            return created

        def lookup() -> dict[str, Any] | None:
            return find_created(
                paginate(client.list_sip_media_applications, "SipMediaApplications"), sent_at,
                lambda sma: (sma.get("Name") == name and sma.get("AwsRegion") == region
                             and [e.get("LambdaArn") for e in sma.get("Endpoints", [])] == [arn]))

        sma = create_reconciled(create, lookup, f"create SIP media application {name!r} in {region}")
        logging = logging_after_create(client, sma["SipMediaApplicationId"], props.get("logging"))
        return CreateResult(sma["SipMediaApplicationId"], {**_outputs(sma, tags), "logging": logging})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        region = olds.get("region") or self._connection.resolve_region(news.get("region"))
        client = self._connection.client(region)
        outs = {**olds}
        if differs(olds.get("name"), news["name"]) or differs(olds.get("lambda_arn"), news["lambda_arn"]):
            sma = client.update_sip_media_application(
                SipMediaApplicationId=id_, Name=news["name"], Endpoints=[{"LambdaArn": news["lambda_arn"]}]
            )["SipMediaApplication"]
            outs.update(_outputs(sma, _tags(olds.get("tags"))))
        old_tags, new_tags = _tags(olds.get("tags")), _tags(news.get("tags"))
        if old_tags != new_tags:
            removed = sorted(set(old_tags) - set(new_tags))
            if removed:
                client.untag_resource(ResourceARN=outs["arn"], TagKeys=removed)
            added = {k: val for k, val in new_tags.items() if old_tags.get(k) != val}
            if added:
                client.tag_resource(ResourceARN=outs["arn"],
                                    Tags=[{"Key": k, "Value": val} for k, val in sorted(added.items())])
        outs["tags"] = new_tags or None
        wanted = wanted_logging(news.get("logging"))
        if wanted is not None and differs(olds.get("logging"), wanted):
            wanted = put_logging(client, id_, wanted)
        outs["logging"] = wanted
        return UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        region = self._connection.resolve_region(props.get("region"))
        client = self._connection.client(region)
        try:
            sma = client.get_sip_media_application(SipMediaApplicationId=id_)["SipMediaApplication"]
        except Exception as exc:
            if is_not_found(exc):
                return ReadResult("", {})
            raise
        tags = _tags(props.get("tags"))
        # Tags cost a second call; only resources that carry tags pay it (drift on an untagged
        # application's tags goes unseen, a documented trade-off for the 1-call refresh).
        if tags:
            listed = client.list_tags_for_resource(ResourceARN=sma["SipMediaApplicationArn"]).get("Tags", [])
            tags = {t["Key"]: t["Value"] for t in listed}
        # Logging costs one call, paid only by applications that manage it.
        logging = None
        if props.get("logging") is not None:
            try:
                logging = read_logging(client, id_)
            except Exception as exc:
                if is_not_found(exc):  # deleted between the two calls
                    return ReadResult("", {})
                raise
        outs = {**_outputs(sma, tags), "logging": logging}
        inputs = {k: outs[k] for k in _INPUT_KEYS}
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        region = self._connection.resolve_region(props.get("region"))
        client = self._connection.client(region)
        for attempt in range(_DELETE_CONFLICT_ATTEMPTS):
            try:
                client.delete_sip_media_application(SipMediaApplicationId=id_)
                return
            except Exception as exc:
                if is_not_found(exc):
                    return
                # A rule deleted a moment ago may still reference the application.
                if error_code(exc) != "ConflictException" or attempt == _DELETE_CONFLICT_ATTEMPTS - 1:
                    raise ProviderError(f"cannot delete SIP media application {id_}: {exc}") from exc
                time.sleep(PROVISIONING.delay(attempt))


class SipMediaApplication(pulumi.dynamic.Resource, module="chime", name="SipMediaApplication"):
    sip_media_application_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    region: pulumi.Output[str]
    lambda_arn: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str] | None]
    logging: pulumi.Output[dict[str, bool] | None]

    def __init__(
        self, resource_name: str, args: SipMediaApplicationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = resource_props(args, "sip_media_application_id", "arn")
        super().__init__(SipMediaApplicationProvider(), resource_name, props, opts)
