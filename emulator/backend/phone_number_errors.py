"""The `PhoneNumberErrors` answer of the batch operations (BatchUpdatePhoneNumber,
BatchDeletePhoneNumber, Associate/DisassociatePhoneNumbers...): one entry per number that failed,
its ErrorCode from the model's ErrorCode enum, while the other numbers go ahead."""

from __future__ import annotations

from functools import cache

from awsutil.service_model import enum
from emulator.backend.context import Doc
from emulator.errors import BadRequestError, ServiceError


class AssociationsExistError(BadRequestError):
    """The number is associated with something else (ErrorCode PhoneNumberAssociationsExist in a
    batch answer; BadRequestException when a single-number operation raises it)."""

    batch_code = "PhoneNumberAssociationsExist"


@cache
def _error_codes() -> frozenset[str]:
    return frozenset(enum("ErrorCode"))


def phone_number_error(phone_number_id: str, err: ServiceError) -> Doc:
    """The PhoneNumberError entry for one number that `err` stopped."""
    code = getattr(err, "batch_code", None) or err.code.removesuffix("Exception")
    if code not in _error_codes():
        raise AssertionError(f"{code} is not in the model's ErrorCode enum")
    return {"PhoneNumberId": phone_number_id, "ErrorCode": code, "ErrorMessage": err.message}
