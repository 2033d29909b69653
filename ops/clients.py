"""boto3 clients for the commands, built at call time from the standard AWS chain, and the two ways
of sending a request with them (`read`, `call_once`).

The endpoint comes from `--endpoint-url` or, as for every boto3 client, from
`AWS_ENDPOINT_URL_CHIME_SDK_VOICE` / `AWS_ENDPOINT_URL_LAMBDA` / `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`:
that is how the same commands run against the local emulator and moto.

Retries follow `awsutil.retry.OPERATOR` (botocore's own are off; that module says why): each
request, its retries included, ends within 30 s (`OPS_API_DEADLINE_SECONDS`), with errors
classified by `awsutil.classify`:
- `read` (search, list, get) retries throttling, 5xx and connection errors: repeating them is safe;
- `call_once` (start or update a call: not idempotent, the API takes no client token) retries
  only throttling, which proves nothing happened; a lost answer is reported, never resent, since
  a resend could dial twice or run the handler's update twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsutil.classify import classify, error_code
from awsutil.retry import OPERATOR
from awsutil.service_model import CHIME_SDK_VOICE
from ops.errors import OpsError

if TYPE_CHECKING:
    from mypy_boto3_chime_sdk_voice import ChimeSDKVoiceClient
    from mypy_boto3_lambda import LambdaClient


def _config() -> Any:
    return OPERATOR.client_config()


def _name(operation: Callable[..., Any]) -> str:
    """The API operation a client method sends (`CreateSipMediaApplicationCall`), for messages."""
    client = getattr(operation, "__self__", None)
    method = getattr(operation, "__name__", "request")
    mapping = getattr(getattr(client, "meta", None), "method_to_api_mapping", {})
    return str(mapping.get(method, method))


def _region(region: str | None) -> str | None:
    """The given Region, else AWS_REGION: botocore reads only AWS_DEFAULT_REGION and the profile,
    yet AWS_REGION is what Lambda, CI and the other AWS SDKs set (and what the providers honour)."""
    return region or os.environ.get("AWS_REGION") or None


def chime_client(region: str | None, endpoint_url: str | None) -> ChimeSDKVoiceClient:
    import boto3

    client: ChimeSDKVoiceClient = boto3.client(  # type: ignore[call-overload]
        CHIME_SDK_VOICE, region_name=_region(region), endpoint_url=endpoint_url, config=_config())
    return client


def lambda_client(region: str | None) -> LambdaClient:
    import boto3

    return boto3.client("lambda", region_name=_region(region), config=_config())


def logs_client(region: str | None) -> Any:
    """A CloudWatch Logs client (typed loosely: the project pins no stubs for it)."""
    import boto3

    return boto3.client("logs", region_name=_region(region), config=_config())


def read(operation: Callable[..., Any], /, **params: Any) -> Any:
    """A read: retried on throttling, server faults and dropped connections (not on a refused
    connection: nothing listening is not transient, and the operator should hear it at once)."""
    return OPERATOR.call(lambda: operation(**params), lambda err: classify(err) in ("throttled", "ambiguous"),
                         _name(operation))


def call_once(operation: Callable[..., Any], /, **params: Any) -> Any:
    """A non-idempotent request: retried only when throttled; a lost answer or a server fault is an
    error that says the request may have taken effect (it is never resent blindly)."""
    name = getattr(operation, "__name__", "the request")
    try:
        return OPERATOR.call(lambda: operation(**params), lambda err: classify(err) == "throttled",
                             _name(operation))
    except Exception as err:
        if classify(err) != "ambiguous":
            raise
        code = error_code(err)
        what = f"{name} failed with {code}" if code else f"the answer to {name} was lost ({err})"
        raise OpsError(
            f"{what}: it may have taken effect, so it was not resent; check before trying again"
        ) from None
