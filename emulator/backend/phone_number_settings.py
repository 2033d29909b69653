"""The account's phone-number settings: its default outbound calling name
(Get/UpdatePhoneNumberSettings), changeable once every seven days (see `calling_names`)."""

from __future__ import annotations

from typing import Any

from emulator.backend import calling_names
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.kinds import PHONE_NUMBER_SETTINGS
from emulator.store import Tx

_ACCOUNT = "account"  # one settings document per emulator (it serves one account)


def get_phone_number_settings(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    # Before the first update there is no default name: the answer is empty (the docs are silent).
    return tx.get(PHONE_NUMBER_SETTINGS, _ACCOUNT) or {}


def update_phone_number_settings(tx: Tx, ctx: Ctx, p: Params) -> Doc:
    settings = tx.get(PHONE_NUMBER_SETTINGS, _ACCOUNT) or {}
    calling_names.check_default_change(settings, ctx)
    tx.put(PHONE_NUMBER_SETTINGS, _ACCOUNT, {"CallingName": p["CallingName"],
                                             "CallingNameUpdatedTimestamp": ctx.now})
    return {}


OPERATIONS: dict[str, Any] = {
    "GetPhoneNumberSettings": get_phone_number_settings,
    "UpdatePhoneNumberSettings": update_phone_number_settings,
}
