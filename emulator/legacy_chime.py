"""The deprecated Amazon Chime API (`aws chime ...`, boto3's `chime` client) for PSTN resources, as
AWS answers it: every request is refused with 403 ForbiddenException, so code still on the old API
fails locally as it fails on AWS.

AWS: the voice operations of the `chime` namespace are "no longer supported" (each of their API
reference pages); accounts are refused with ForbiddenException "Account Id <id> is not authorized
to call deprecated Amazon Chime SDK API on the "chime" endpoint, use one of the "*-chime*"
endpoints instead." (the answer users report for the Voice Connector, SIP media application and
phone-number operations). An older account the service still lets through is not modelled.

The old API's phone-number operations have the same paths, signing name (`chime`) and bodies as
chime-sdk-voice's, so one URL cannot tell them apart: the legacy API is served under its own
prefix. Point the old clients at it with `AWS_ENDPOINT_URL_CHIME=http://HOST:PORT/chime-legacy`.
"""

from __future__ import annotations

from awsutil.service_model import CHIME_SDK_VOICE
from emulator.routes import route_table

PREFIX = "/chime-legacy"
LEGACY_SERVICE = "chime"


def legacy_path(path: str) -> str | None:
    """The path below the legacy prefix, or None when the request is not for the legacy API."""
    if path == PREFIX or path.startswith(PREFIX + "/"):
        return path[len(PREFIX):] or "/"
    return None


def forbidden_message(account_id: str) -> str:
    return (f'Account Id {account_id} is not authorized to call deprecated Amazon Chime SDK API on the '
            '"chime" endpoint, use one of the "*-chime*" endpoints instead.')


def operation_name(method: str, path: str, query: dict[str, list[str]]) -> str:
    """`chime:<Operation>` for the request log: from botocore's `chime` model, else (the voice
    operations botocore has since dropped from it had the same paths) from chime-sdk-voice's."""
    for service in (LEGACY_SERVICE, CHIME_SDK_VOICE):
        matched = route_table(service).match(method, path, query)
        if matched is not None:
            return f"chime:{matched[0].name}"
    return "chime:Unknown"
