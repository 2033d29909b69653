"""Outbound calls and mid-call updates: validated here, then handed to the call simulator.

A backend configured without a call simulator (`Config.calls` None, as some tests build it) only
records a call, so the API still answers with a TransactionId and an update of an unknown call
still answers NotFoundException.
"""

from __future__ import annotations

from typing import Any

from emulator.backend import relations
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.ids import new_guid
from emulator.backend.kinds import DIAL_IN, RECORDED_CALL
from emulator.backend.settling import settle
from emulator.errors import BadRequestError, NotFoundError
from emulator.store import Tx
from pstn.sip_headers import sip_header_problem


def create_sip_media_application_call(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    sma_id = p["SipMediaApplicationId"]
    # NotFoundException is not among this operation's errors: a missing application is a bad request.
    if relations.sip_media_application(tx, ctx.region, sma_id) is None:
        raise BadRequestError(
            f"sipMediaApplicationId: SIP media application {sma_id} not found in {ctx.region}")
    settle(tx, ctx)
    source = relations.inventory_number(tx, p["FromPhoneNumber"])
    if source is None:
        raise BadRequestError("fromPhoneNumber must be a phone number in the account's inventory")
    # Stricter reading: an SMA places calls only from its own product's numbers.
    if source["ProductType"] != DIAL_IN:
        raise BadRequestError(
            "fromPhoneNumber: the phone number's product type must be SipMediaApplicationDialIn")
    # The same custom-header rule CallAndBridge applies ("Using SIP headers").
    problem = sip_header_problem(p.get("SipHeaders"))
    if problem is not None:
        raise BadRequestError(f"sipHeaders: {problem}")
    service = ctx.config.calls
    region, from_number = ctx.region, source["E164PhoneNumber"]
    to_number = relations.with_plus(p["ToPhoneNumber"])
    headers: dict[str, str] = dict(p.get("SipHeaders") or {})
    arguments: dict[str, str] = dict(p.get("ArgumentsMap") or {})
    if service is None:
        ident = new_guid()
        tx.put(RECORDED_CALL, ident, {"TransactionId": ident, "Region": region,
                                      "SipMediaApplicationId": sma_id, "From": from_number, "To": to_number,
                                      "Arguments": arguments, "Updates": []})
        return {"SipMediaApplicationCall": {"TransactionId": ident}}

    def start(out: Doc) -> Doc:
        # After commit: the simulator reads routing state through the Directory from its own threads.
        ident = service.start_outbound(region, sma_id, from_number, to_number, headers, arguments)
        return {"SipMediaApplicationCall": {"TransactionId": ident}}

    ctx.after_commit.append(start)
    return {}


def update_sip_media_application_call(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    sma_id, txn = p["SipMediaApplicationId"], p["TransactionId"]
    if relations.sip_media_application(tx, ctx.region, sma_id) is None:
        raise NotFoundError(f"SIP media application {sma_id} not found in {ctx.region}")
    arguments: dict[str, str] = dict(p["Arguments"])
    service, region = ctx.config.calls, ctx.region
    if service is None:
        call = tx.get(RECORDED_CALL, txn)
        if call is None or call["SipMediaApplicationId"] != sma_id or call["Region"] != region:
            raise NotFoundError(f"Call {txn} not found")
        call["Updates"].append(arguments)
        tx.put(RECORDED_CALL, txn, call)
        return {"SipMediaApplicationCall": {"TransactionId": txn}}

    def update(out: Doc) -> Doc:
        service.update_call(region, sma_id, txn, arguments)
        return {"SipMediaApplicationCall": {"TransactionId": txn}}

    ctx.after_commit.append(update)
    return {}


OPERATIONS: dict[str, Any] = {
    "CreateSipMediaApplicationCall": create_sip_media_application_call,
    "UpdateSipMediaApplicationCall": update_sip_media_application_call,
}
