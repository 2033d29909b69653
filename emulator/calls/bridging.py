"""CallAndBridge: dial one PSTN number or Voice Connector endpoint and bridge it to the caller as LEG-B
(pages CallAndBridge, Debugging unexpected ACTION_FAILED events).

Before dialling: the caller ID must be a SIP media application number of the account's inventory or
LEG-A's From number; a Voice Connector ARN must be of this account (its existence is not looked
up); a call already bridged or in a meeting cannot bridge again ("Invalid action on the call.", the
simulator's reading: the guide is silent); a RingbackTone must be readable. Then the callee's profile
(`PUT /_emulator/callees/{number or URI}`; default: answers at once) decides: answered within
CallTimeoutSeconds (default 30) → LEG-B Connected, LEG-A answered, ACTION_SUCCESSFUL with
Parameters.CallId = LEG-A's CallId; busy, rejected, unreachable, or not answered in time → ACTION_FAILED
CallNotAnswered "Call not answered", Participants LEG-A only. No NEW_OUTBOUND_CALL, RINGING or
CALL_ANSWERED for a bridged leg. SipHeaders reach the callee (its record), never the events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.calls.media import CANNOT_ACCESS
from emulator.calls.model import Call, Leg, new_id
from pstn.action_checks import as_int

if TYPE_CHECKING:
    from emulator.calls.engine import Engine, Runner

DEFAULT_TIMEOUT_SECONDS = 30
INVALID_ON_CALL = "Invalid action on the call."
CALLER_ID_NOT_OWNED = (
    "Provided caller ID number is invalid. "
    "Number must be owned by this AWS account, or be the From number of LEG-A."
)
DIAL_IN = "SipMediaApplicationDialIn"


def _call_and_bridge(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    caller = call.leg("LEG-A")
    parameters = {**params, "CallId": caller.call_id if caller is not None else ""}

    def fail(error_type: str, message: str) -> None:
        engine.fail(call, action, error_type, message, parameters=parameters)

    if caller is None or not caller.connected:
        fail("InvalidActionParameter", "CallId or ParticipantTag parameter for action is invalid.")
        return
    if call.bridged_leg() is not None or call.meeting_leg() is not None:
        fail("InvalidActionParameter", INVALID_ON_CALL)
        return
    endpoint = params["Endpoints"][0]
    uri, kind = str(endpoint["Uri"]), str(endpoint["BridgeEndpointType"])
    if kind == "AWS" and str(endpoint["Arn"]).split(":")[4] != call.account_id:
        fail("InvalidActionParameter", "Endpoint parameter is invalid.")
        return
    caller_id = str(params["CallerIdNumber"])
    number = engine.directory.inventory_phone_number(caller_id)
    if (number is None or number.product_type != DIAL_IN) and caller_id != caller.from_:
        fail("InvalidActionParameter", CALLER_ID_NOT_OWNED)
        return
    ringback = params.get("RingbackTone")
    if ringback is not None:
        found, problem = engine.objects.audio(str(ringback["BucketName"]), str(ringback["Key"]))
        if found is None:
            fail(
                "InvalidAudioSource",
                CANNOT_ACCESS if problem == "inaccessible" else "Ringtone parameter value is invalid.",
            )
            return
    profile = call.bridge_profile or engine.callees.get(uri)
    call.bridge_profile = None
    timeout_ms = (as_int(params.get("CallTimeoutSeconds")) or DEFAULT_TIMEOUT_SECONDS) * 1000
    old = call.leg("LEG-B")
    if old is not None:
        call.legs.remove(old)  # a bridge after the last one hung up replaces it (take-back-and-transfer)
    run = engine.start(call, action, None, "ringing")
    run.leg = caller
    call.note(
        f"dialling {uri} from {caller_id}; LEG-A hears "
        + (f"ringback s3://{ringback['BucketName']}/{ringback['Key']}" if ringback else "network ringback")
    )

    def not_answered(code: str, why: str) -> None:
        call.note(f"{uri}: {why} (SIP {code})")
        fail("CallNotAnswered", "Call not answered")

    def answered() -> None:
        callee = Leg(
            "LEG-B",
            new_id(),
            uri,
            caller_id,
            "Outbound",
            call.epoch_ms(),
            "Connected",
            kind="aws" if kind == "AWS" else "pstn",
        )
        call.legs.append(callee)
        party = profile.party(f"callee {uri}")
        party.sent_headers = dict(params.get("SipHeaders") or {})
        if not call.answered:
            call.answered = True
            call.note("LEG-A answered (the bridge answered)")
        call.bridges += 1
        engine.schedule_party(call, callee, party)
        engine.finish(call, {"Type": "CallAndBridge", "Parameters": parameters}, callee, uri)

    outcome = profile.outcome
    if outcome == "busy":
        engine.after(call, 0, lambda: not_answered("486", "busy"))
    elif outcome == "unreachable":
        engine.after(call, 0, lambda: not_answered("480", "unreachable"))
    elif outcome == "reject":
        engine.after(
            call, min(profile.ring_ms, timeout_ms), lambda: not_answered(profile.reject_code, "rejected")
        )
    elif outcome == "no-answer" or profile.ring_ms >= timeout_ms:
        engine.after(call, timeout_ms, lambda: not_answered("480", f"no answer in {timeout_ms // 1000} s"))
    else:
        engine.after(call, profile.ring_ms, answered, "answer")


RUNNERS: dict[str, Runner] = {"CallAndBridge": _call_and_bridge}
