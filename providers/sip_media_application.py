"""SipMediaApplication: a Chime SDK SIP media application as a Pulumi dynamic resource.

Name and Lambda ARN update in place (one UpdateSipMediaApplication call), tags are reconciled,
a Region change replaces.

Create is idempotent across a lost result (the engine sends Create again after the CLI was killed):
every application it makes carries the tag MARKER_TAG, whose value is the resource's marker
(`providers.resource_marker`: project, stack and resource name). Before creating, it lists the
Region's applications and adopts the one carrying its marker (brought in line with the inputs);
names need not be unique, so an application of the same name made by another resource or by hand
(without that tag) is never taken. The tag is the provider's own: not among the `tags` outputs,
never removed by an update, and refused as a user tag. The optional `logging`
input (message logs) is managed in `providers.sip_media_application_logging`.
"""

from __future__ import annotations

import datetime as dt
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
from awsutil.retry import PROVISIONING, RetriesExhausted
from awsutil.service_model import shape
from providers import adoptions
from providers import input_checks as v
from providers.base import ChimeProvider, input_keys, resource_props
from providers.diffing import differs
from providers.errors import ProviderError
from providers.reconcile import create_reconciled, find_created
from providers.resource_marker import resource_marker
from providers.sip_media_application_logging import (
    SipMediaApplicationLogging,
    logging_after_create,
    logging_failures,
    put_logging,
    read_logging,
    wanted_logging,
)

_DELETE_CONFLICT_ATTEMPTS = 6
KIND = "SipMediaApplication"
# The tag recording which resource made an application (its value: the resource's marker).
MARKER_TAG = "chime-pstn-routing:resource"
_MARKER_MAX = 256  # TagValue's maximum length


@dataclass
class SipMediaApplicationArgs:
    name: pulumi.Input[str]
    lambda_arn: pulumi.Input[str]
    region: pulumi.Input[str] | None = None
    tags: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    # Message logs on or off; None leaves the application's logging alone (no calls at all).
    logging: pulumi.Input[SipMediaApplicationLogging] | None = None


_INPUT_KEYS = input_keys(SipMediaApplicationArgs, "resource_marker")

def _tags(value: Any) -> dict[str, str]:
    """The user's tags (never the provider's MARKER_TAG)."""
    return {k: val for k, val in value.items() if k != MARKER_TAG} if isinstance(value, dict) else {}


def _listed_tags(client: Any, arn: str) -> dict[str, str]:
    """Every tag on the application, MARKER_TAG included."""
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceARN=arn).get("Tags", [])}


def _outputs(sma: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    [endpoint] = sma.get("Endpoints") or [{}]  # the model allows exactly one
    return {
        "sip_media_application_id": sma["SipMediaApplicationId"],
        "arn": sma.get("SipMediaApplicationArn"),
        "name": sma.get("Name"),
        "region": sma.get("AwsRegion"),
        "lambda_arn": endpoint.get("LambdaArn"),
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
            if isinstance(news["tags"], dict) and MARKER_TAG in news["tags"]:
                failures.append(CheckFailure("tags", f"tags: {MARKER_TAG} is the provider's own tag"))
            elif isinstance(news["tags"], dict) and len(news["tags"]) >= 50 and news.get("resource_marker"):
                failures.append(CheckFailure("tags", f"tags may hold at most 49 tags: the provider adds "
                                                     f"{MARKER_TAG}"))
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
        marker = props.get("resource_marker")
        client = self._connection.client(region)
        token = adoptions.new_token()
        earlier = self._made_earlier(client, region, marker, name, arn) if marker else None
        if earlier is not None:
            sma = self._align(client, earlier, name, arn, tags)
            adoptions.took_over(KIND, sma["SipMediaApplicationId"], token)
            return self._created(client, sma, tags, marker, token, props.get("logging"))
        request: dict[str, Any] = {"AwsRegion": region, "Name": name, "Endpoints": [{"LambdaArn": arn}]}
        all_tags = {**tags, MARKER_TAG: marker} if marker else tags
        if all_tags:
            request["Tags"] = [{"Key": k, "Value": val} for k, val in sorted(all_tags.items())]
        sent_at = dt.datetime.now(dt.UTC)

        def create() -> dict[str, Any]:
            response = client.once.create_sip_media_application(**request)
            created: dict[str, Any] = response["SipMediaApplication"]
            return created

        def lookup() -> dict[str, Any] | None:
            if marker:
                return self._made_earlier(client, region, str(marker), name, arn)
            return find_created(
                paginate(client.list_sip_media_applications, "SipMediaApplications"), sent_at,
                lambda sma: (sma.get("Name") == name and sma.get("AwsRegion") == region
                             and [e.get("LambdaArn") for e in sma.get("Endpoints", [])] == [arn]))

        sma = create_reconciled(create, lookup, f"CreateSipMediaApplication {name!r} in {region}",
                                client.deadline)
        adoptions.made(KIND, sma["SipMediaApplicationId"])
        return self._created(client, sma, tags, marker, token, props.get("logging"))

    @staticmethod
    def _created(client: Any, sma: dict[str, Any], tags: dict[str, str], marker: str | None, token: str,
                 logging_input: Any) -> CreateResult:
        """The create's result, once the application's logging is set (one call, none when unset)."""
        logging = logging_after_create(client, sma["SipMediaApplicationId"], logging_input)
        return CreateResult(sma["SipMediaApplicationId"],
                            {**_outputs(sma, tags), "resource_marker": marker, "create_token": token,
                             "logging": logging})

    @staticmethod
    def _made_earlier(client: Any, region: str, marker: str, name: str, arn: str) -> dict[str, Any] | None:
        """The Region's application carrying this resource's marker, if any: the oldest, looked
        for among those with this name or Lambda first (an earlier attempt had the same inputs,
        unless the program changed since)."""
        apps = [dict(a) for a in paginate(client.list_sip_media_applications, "SipMediaApplications")
                if a.get("AwsRegion") in (None, region)]

        def likelihood(sma: dict[str, Any]) -> tuple[bool, bool, Any]:
            lambdas = [e.get("LambdaArn") for e in sma.get("Endpoints", [])]
            return sma.get("Name") != name, lambdas != [arn], str(sma.get("CreatedTimestamp", ""))

        for sma in sorted(apps, key=likelihood):
            if _listed_tags(client, sma["SipMediaApplicationArn"]).get(MARKER_TAG) == marker:
                return sma
        return None

    @staticmethod
    def _align(client: Any, sma: dict[str, Any], name: str, arn: str, tags: dict[str, str]) -> dict[str, Any]:
        """An adopted application brought in line with the inputs: name, Lambda, user tags."""
        if sma.get("Name") != name or [e.get("LambdaArn") for e in sma.get("Endpoints", [])] != [arn]:
            sma = client.update_sip_media_application(
                SipMediaApplicationId=sma["SipMediaApplicationId"], Name=name, Endpoints=[{"LambdaArn": arn}]
            )["SipMediaApplication"]
        current = _tags(_listed_tags(client, sma["SipMediaApplicationArn"]))
        removed = sorted(set(current) - set(tags))
        if removed:
            client.untag_resource(ResourceARN=sma["SipMediaApplicationArn"], TagKeys=removed)
        added = {k: val for k, val in tags.items() if current.get(k) != val}
        if added:
            client.tag_resource(ResourceARN=sma["SipMediaApplicationArn"],
                                Tags=[{"Key": k, "Value": val} for k, val in sorted(added.items())])
        return sma

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
            tags = _tags(_listed_tags(client, sma["SipMediaApplicationArn"]))
        # Logging costs one call, paid only by applications that manage it.
        logging = None
        if props.get("logging") is not None:
            try:
                logging = read_logging(client, id_)
            except Exception as exc:
                if is_not_found(exc):  # deleted between the two calls
                    return ReadResult("", {})
                raise
        outs = {**_outputs(sma, tags), "logging": logging, "resource_marker": props.get("resource_marker"),
                "create_token": props.get("create_token")}
        inputs = {k: outs[k] for k in _INPUT_KEYS}
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if adoptions.handed_over(KIND, id_, props.get("create_token")):
            pulumi.log.warn(f"SIP media application {id_} was not deleted: its replacement took it over "
                            "in this run")
            return
        region = self._connection.resolve_region(props.get("region"))
        client = self._connection.client(region)
        try:
            with PROVISIONING.operation(f"DeleteSipMediaApplication {id_}", client.deadline,
                                        attempts=_DELETE_CONFLICT_ATTEMPTS) as budget:
                while True:
                    try:
                        client.delete_sip_media_application(SipMediaApplicationId=id_)
                        return
                    except Exception as exc:
                        if is_not_found(exc):
                            return
                        # A rule deleted a moment ago may still reference the application.
                        if error_code(exc) != "ConflictException":
                            raise
                        budget.retry_after(exc)
        except RetriesExhausted as exc:
            raise ProviderError(f"cannot delete SIP media application {id_}: {exc}") from exc.last


class SipMediaApplication(pulumi.dynamic.Resource, module="chime", name="SipMediaApplication"):
    sip_media_application_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    region: pulumi.Output[str]
    lambda_arn: pulumi.Output[str]
    tags: pulumi.Output[dict[str, str] | None]
    logging: pulumi.Output[dict[str, bool] | None]
    resource_marker: pulumi.Output[str]
    create_token: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: SipMediaApplicationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = resource_props(args, "sip_media_application_id", "arn", "create_token")
        # Internal: tags what this resource makes, so a later create finds it (module docstring).
        props["resource_marker"] = resource_marker(pulumi.get_project(), pulumi.get_stack(), resource_name,
                                                   _MARKER_MAX)
        super().__init__(SipMediaApplicationProvider(), resource_name, props, opts)
