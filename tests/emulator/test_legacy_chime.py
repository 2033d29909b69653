"""The deprecated `chime` API answers as AWS answers it (DG "Migrating to the Amazon Chime SDK voice
namespace"; each old voice page: "This API is no longer supported"): 403 ForbiddenException with
the message accounts get, for boto3's `chime` client, an old client's voice paths and the AWS CLI
pointed at it the documented way (AWS_ENDPOINT_URL_CHIME)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from emulator.legacy_chime import PREFIX
from testbed.emulator_process import ACCOUNT_ID, ROOT, RunningEmulator
from tests.emulator.helpers import create_sma, raises_code

MESSAGE = (f'Account Id {ACCOUNT_ID} is not authorized to call deprecated Amazon Chime SDK API on the '
           '"chime" endpoint, use one of the "*-chime*" endpoints instead.')


def _legacy_client(emulator: RunningEmulator, service: str = "chime") -> Any:
    return boto3.client(service, endpoint_url=emulator.url + PREFIX,  # type: ignore[call-overload]
                        region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))


@pytest.mark.parametrize(("call", "operation"), [
    (lambda c: c.list_phone_numbers(), "ListPhoneNumbers"),
    (lambda c: c.search_available_phone_numbers(AreaCode="206"), "SearchAvailablePhoneNumbers"),
    (lambda c: c.get_phone_number_settings(), "GetPhoneNumberSettings"),
    (lambda c: c.update_phone_number(PhoneNumberId="+12065550100", CallingName="Acme"), "UpdatePhoneNumber"),
])
def test_deprecated_chime_client_is_forbidden(emulator: RunningEmulator, call: Any, operation: str) -> None:
    emulator.reset_requests()
    with raises_code("ForbiddenException", status=403) as error:
        call(_legacy_client(emulator))
    assert error["Message"] == MESSAGE
    assert emulator.requests() == [{"operation": f"chime:{operation}", "status": 403,
                                    "region": "us-east-1", "fault": None}]


def test_old_voice_paths_on_the_deprecated_endpoint_are_forbidden(emulator: RunningEmulator) -> None:
    # botocore's `chime` model no longer has the SIP media application operations; an old client
    # sent them to the same paths as chime-sdk-voice does today.
    chime = emulator.client()
    create_sma(chime)
    emulator.reset_requests()
    old = _legacy_client(emulator, "chime-sdk-voice")
    with raises_code("ForbiddenException", status=403, mentions="deprecated Amazon Chime SDK API"):
        old.list_sip_media_applications()
    assert emulator.operations() == ["chime:ListSipMediaApplications"]
    # The current API on the same server is unaffected.
    assert len(chime.list_sip_media_applications()["SipMediaApplications"]) == 1


def test_aws_cli_on_the_deprecated_endpoint_is_forbidden(emulator: RunningEmulator) -> None:
    env = {**os.environ, "AWS_ENDPOINT_URL_CHIME": emulator.url + PREFIX}
    done = subprocess.run([str(Path(ROOT) / ".venv" / "bin" / "aws"), "chime", "list-phone-numbers",
                           "--region", "us-east-1"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert done.returncode != 0
    assert "ForbiddenException" in done.stderr and MESSAGE in done.stderr


def test_unsigned_requests_to_the_deprecated_endpoint_are_unauthorized(emulator: RunningEmulator) -> None:
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(emulator.url + PREFIX + "/phone-numbers", timeout=10)
    assert refused.value.code == 401
    assert refused.value.headers["x-amzn-ErrorType"] == "UnauthorizedClientException"
