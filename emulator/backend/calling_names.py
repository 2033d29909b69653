"""Outbound calling names: the rules for changing one, on a number or as the account's default,
and the progression of a number's change from UpdateInProgress to done.

What the docs say, and how it is enforced:
- UpdatePhoneNumber (API reference): "Updates to outbound calling names can take 72 hours to
  complete. Pending updates to outbound calling names must be complete before you can request
  another update." A request while one is pending is a ConflictException (in the operation's
  error list). Accepted, the number shows the new name with CallingNameStatus UpdateInProgress;
  after `Config.calling_name_delay` seconds (the emulator's stand-in for the 72 hours) it is
  UpdateSucceeded, or, for "" (which the model's pattern allows: clearing the name), the name is
  gone and the status Unassigned.
- "Setting outbound calling names" (Administrator Guide): names apply "to toll-based numbers only,
  and excludes toll-free numbers" (BadRequestException) and "You can update the names every seven
  days" (ConflictException; the docs give the rule, not the error).
- UpdatePhoneNumberSettings (API reference): "You can update the default outbound calling name
  once every seven days" (BadRequestException: the operation lists no ConflictException).
"""

from __future__ import annotations

from emulator.backend.context import Ctx, Doc
from emulator.errors import BadRequestError, ConflictError
from emulator.pool import TOLL_FREE
from emulator.serialize import iso8601

UNASSIGNED, IN_PROGRESS, SUCCEEDED = "Unassigned", "UpdateInProgress", "UpdateSucceeded"
_DUE, _LAST = "_callingNameDue", "_callingNameUpdatedAt"  # private: never serialised


def _next_allowed(last: float | None, ctx: Ctx) -> float | None:
    """When the next update may be made, if that is still in the future."""
    if last is None:
        return None
    allowed = last + ctx.config.calling_name_interval
    return allowed if ctx.now < allowed else None


def check_number_change(number: Doc, ctx: Ctx) -> None:
    """Raise if the number's calling name may not change now."""
    if number["Type"] == TOLL_FREE:
        raise BadRequestError("callingName: outbound calling names apply to toll-based numbers only, "
                              "not to toll-free numbers")
    if number.get("CallingNameStatus") == IN_PROGRESS:
        raise ConflictError("callingName: the phone number's previous calling name update is still in "
                            "progress; it must complete before another update")
    allowed = _next_allowed(number.get(_LAST), ctx)
    if allowed is not None:
        raise ConflictError("callingName: a phone number's calling name can be updated once every seven "
                            f"days; the next update is possible after {iso8601(allowed)}")


def apply_number_change(number: Doc, name: str, ctx: Ctx) -> None:
    """Start the change (checked first with `check_number_change`)."""
    number["CallingName"] = name
    number["CallingNameStatus"] = IN_PROGRESS
    number[_DUE] = ctx.now + ctx.config.calling_name_delay
    number[_LAST] = ctx.now
    number["UpdatedTimestamp"] = ctx.now


def settle_number(number: Doc, now: float) -> bool:
    """Finish the number's pending change if its time has come; True if the document changed."""
    due = number.get(_DUE)
    if due is None or due > now:
        return False
    del number[_DUE]
    if number.get("CallingName"):
        number["CallingNameStatus"] = SUCCEEDED
    else:
        number.pop("CallingName", None)
        number["CallingNameStatus"] = UNASSIGNED
    number["UpdatedTimestamp"] = due
    return True


def check_default_change(settings: Doc, ctx: Ctx) -> None:
    """Raise if the account's default calling name may not change now."""
    allowed = _next_allowed(settings.get("CallingNameUpdatedTimestamp"), ctx)
    if allowed is not None:
        raise BadRequestError("callingName: the account's default calling name can be updated once every "
                              f"seven days; the next update is possible after {iso8601(allowed)}")
