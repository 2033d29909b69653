"""The phone-number inventory: list, get, update (one detail at a time, singly or in a batch),
release to the deletion queue (singly or in a batch), restore. Numbers belong to the account, not
a Region; time-driven changes (orders, the deletion queue, calling names) come from `settling`."""

from __future__ import annotations

from typing import Any

from emulator.backend import calling_names, relations
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.kinds import (
    DIAL_IN,
    INVENTORY_STATUSES,
    NUMBER,
    RELEASING,
    SIP_RULE_ID,
    UNASSIGNED,
    VOICE_CONNECTOR_GROUP_ID,
    VOICE_CONNECTOR_ID,
)
from emulator.backend.list_pages import list_answer
from emulator.backend.phone_number_errors import AssociationsExistError, phone_number_error
from emulator.backend.resources import check_quota
from emulator.backend.settling import settle
from emulator.errors import BadRequestError, ConflictError, NotFoundError, ServiceError
from emulator.store import Tx

DETAILS = ("ProductType", "CallingName", "Name")  # what UpdatePhoneNumber may change, one per request


def _number(tx: Tx, ident: str) -> Doc:
    number = tx.get(NUMBER, ident)
    if number is None:
        raise NotFoundError("Phone number not found in the account's inventory")
    return number


def _check_filter(tx: Tx, ctx: Ctx, name: str, value: str) -> None:
    """A filter naming a resource that does not exist is NotFoundException (in the model's list)."""
    if name == SIP_RULE_ID and relations.sip_rule(tx, ctx.region, value) is None:
        raise NotFoundError(f"SIP rule {value} not found in {ctx.region}")
    if name == VOICE_CONNECTOR_ID and relations.voice_connector(tx, ctx.region, value) is None:
        raise NotFoundError(f"Voice Connector {value} not found in {ctx.region}")
    if name == VOICE_CONNECTOR_GROUP_ID:
        raise NotFoundError(f"Voice Connector group {value} not found (this emulator serves no Voice "
                            "Connector groups)")


def list_phone_numbers(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    filter_name, filter_value = p.get("FilterName"), p.get("FilterValue")
    if (filter_name is None) != (filter_value is None):
        raise BadRequestError("filterName and filterValue must be given together")
    if filter_name is not None and filter_value is not None:
        _check_filter(tx, ctx, filter_name, filter_value)
        numbers = relations.numbers_associated(tx, filter_name, filter_value)
    else:
        numbers = tx.list(NUMBER)
    numbers.sort(key=lambda n: n["E164PhoneNumber"])
    # Status is a free string in the model: an unknown value filters everything out, no error.
    if p.get("Status") is not None:
        numbers = [n for n in numbers if n["Status"] == p["Status"]]
    if p.get("ProductType") is not None:
        numbers = [n for n in numbers if n["ProductType"] == p["ProductType"]]
    return list_answer("PhoneNumbers", numbers, p)


def get_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    return {"PhoneNumber": _number(tx, p["PhoneNumberId"])}


def _update(tx: Tx, ctx: Ctx, ident: str, p: Params) -> Doc:
    """One number's update (UpdatePhoneNumber, or one BatchUpdatePhoneNumber item): checked, then stored."""
    number = _number(tx, ident)
    changes = [k for k in DETAILS if k in p]
    # "You can update one phone number detail at a time" (API reference): enforced.
    if len(changes) != 1:
        raise BadRequestError("Update exactly one of productType, callingName or name at a time")
    if number["Status"] not in INVENTORY_STATUSES:
        raise ConflictError(f"The phone number cannot be updated while its status is {number['Status']}")
    change = changes[0]
    if change == "ProductType" and p["ProductType"] != number["ProductType"]:
        if relations.is_assigned(number):
            raise ConflictError("productType cannot change while the phone number is assigned")
        if number["Country"] != "US" and p["ProductType"] != DIAL_IN:
            raise BadRequestError(
                "productType: numbers outside the U.S. must use product type SipMediaApplicationDialIn")
    if change == "CallingName":
        calling_names.check_number_change(number, ctx)
        calling_names.apply_number_change(number, p["CallingName"], ctx)
    else:
        number[change] = p[change]
        number["UpdatedTimestamp"] = ctx.now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return number


def update_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    return {"PhoneNumber": _update(tx, ctx, p["PhoneNumberId"], p)}


def _no_duplicates(ids: list[str], member: str) -> None:
    # The ids are sensitive (phone numbers): the message names the member, never the value.
    if len(set(ids)) != len(ids):
        raise BadRequestError(f"{member}: the same phone number ID appears more than once")


def batch_update_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    items: list[Params] = p["UpdatePhoneNumberRequestItems"]
    # "You cannot have a duplicate phoneNumberId in a request" (API reference): the whole request fails.
    _no_duplicates([item["PhoneNumberId"] for item in items], "updatePhoneNumberRequestItems")
    settle(tx, ctx)
    errors: list[Doc] = []
    for item in items:
        try:
            _update(tx, ctx, item["PhoneNumberId"], item)
        except ServiceError as err:
            errors.append(phone_number_error(item["PhoneNumberId"], err))
    return {"PhoneNumberErrors": errors}


def _release(tx: Tx, ctx: Ctx, ident: str) -> None:
    number = _number(tx, ident)
    if number["Status"] == RELEASING:
        raise BadRequestError("The phone number is already in the deletion queue")
    if relations.is_assigned(number):
        raise AssociationsExistError(
            "The phone number is assigned: delete the SIP rule that uses it, or disassociate it from its "
            "Voice Connector, first")
    number["Status"] = RELEASING
    number["DeletionTimestamp"] = ctx.now
    number["UpdatedTimestamp"] = ctx.now
    tx.put(NUMBER, number["PhoneNumberId"], number)


def delete_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    _release(tx, ctx, p["PhoneNumberId"])
    return {}


def batch_delete_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    ids: list[str] = p["PhoneNumberIds"]
    _no_duplicates(ids, "phoneNumberIds")  # stricter: the docs are silent for this batch
    settle(tx, ctx)
    errors: list[Doc] = []
    for ident in ids:
        try:
            _release(tx, ctx, ident)
        except ServiceError as err:
            errors.append(phone_number_error(ident, err))
    return {"PhoneNumberErrors": errors}


def restore_phone_number(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settle(tx, ctx)
    number = _number(tx, p["PhoneNumberId"])
    if number["Status"] != RELEASING:
        raise BadRequestError("Only a phone number in the deletion queue (ReleaseInProgress) can be restored")
    # Numbers in the deletion queue do not count against the quota (the model lists
    # ResourceLimitExceededException for RestorePhoneNumber), so restoring one must fit in it.
    quota = ctx.config.phone_number_quota
    check_quota(relations.numbers_held(tx), 1, quota,
                f"Restoring would exceed the phone number quota of {quota}")
    number["Status"] = UNASSIGNED
    number.pop("DeletionTimestamp", None)
    number["UpdatedTimestamp"] = ctx.now
    tx.put(NUMBER, number["PhoneNumberId"], number)
    return {"PhoneNumber": number}


OPERATIONS: dict[str, Any] = {
    "ListPhoneNumbers": list_phone_numbers,
    "GetPhoneNumber": get_phone_number,
    "UpdatePhoneNumber": update_phone_number,
    "BatchUpdatePhoneNumber": batch_update_phone_number,
    "DeletePhoneNumber": delete_phone_number,
    "BatchDeletePhoneNumber": batch_delete_phone_number,
    "RestorePhoneNumber": restore_phone_number,
}
