"""boto3 clients for the commands, built at call time from the standard AWS chain.

The endpoint comes from `--endpoint-url` or, as for every boto3 client, from
`AWS_ENDPOINT_URL_CHIME_SDK_VOICE` / `AWS_ENDPOINT_URL_LAMBDA`: that is how the same commands run
against the local emulator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_chime_sdk_voice import ChimeSDKVoiceClient
    from mypy_boto3_lambda import LambdaClient

# Reads (search, list, get) may be retried by botocore. Calls that start or update a call are not
# idempotent (a retried request after a lost answer would dial or invoke twice): they get no
# automatic retries, and `retry_throttled` retries only answers that prove nothing happened.
READ_RETRIES = {"max_attempts": 4, "mode": "standard"}
NO_RETRIES = {"max_attempts": 1, "mode": "standard"}


def _config(retries: dict[str, Any]) -> Any:
    from botocore.config import Config

    return Config(retries=retries, connect_timeout=10, read_timeout=30)  # type: ignore[arg-type]


def chime_client(
    region: str | None, endpoint_url: str | None, *, idempotent: bool = True
) -> ChimeSDKVoiceClient:
    import boto3

    return boto3.client(
        "chime-sdk-voice",
        region_name=region,
        endpoint_url=endpoint_url,
        config=_config(READ_RETRIES if idempotent else NO_RETRIES),
    )


def lambda_client(region: str | None) -> LambdaClient:
    import boto3

    return boto3.client("lambda", region_name=region, config=_config(NO_RETRIES))


THROTTLED = ("ThrottledClientException", "ThrottlingException", "TooManyRequestsException")


def call_once(operation: Any, /, *, attempts: int = 4, delay: float = 1.0, **params: Any) -> Any:
    """Run a non-idempotent operation; retry only when the service refused it as throttled (the
    request was not carried out, so retrying cannot start a second call). Back off 1 s, 2 s, 4 s:
    CreateSipMediaApplicationCall's default quota is 1 request per second."""
    import time

    from botocore.exceptions import ClientError

    for attempt in range(attempts):
        try:
            return operation(**params)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in THROTTLED or attempt == attempts - 1:
                raise
            time.sleep(delay * 2**attempt)
    raise AssertionError("unreachable")
