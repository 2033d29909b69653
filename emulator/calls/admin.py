"""The call simulator's admin endpoints (not AWS): place inbound calls and act as their people, read call
records, and set up what calls meet (callee profiles, S3 objects, bots, meetings).

    POST   /_emulator/calls                      an inbound call (see `_inbound`)
    GET    /_emulator/calls                      every call, summarised
    GET    /_emulator/calls/{id}[?wait=S&until=settled|ended&events=false]   one call's record
    GET    /_emulator/calls/{id}/settled|ended   the same, waiting (60 s at most)
    POST   /_emulator/calls/{id}/digits          {digits, participantTag?}   the person on a leg presses keys
    POST   /_emulator/calls/{id}/say             {text, participantTag?}     ... speaks (to a bot)
    POST   /_emulator/calls/{id}/silence         {silent, participantTag?}   ... falls silent / speaks again
    POST   /_emulator/calls/{id}/hangup          {participantTag?, sipResponseCode?}
    PUT    /_emulator/callees/{number or URI}    how that callee answers (`parties.parse_profile`)
    GET    /_emulator/callees[/{address}]        DELETE /_emulator/callees/{address}
    PUT    /_emulator/buckets/{bucket}           {readable?, writable?}      GET /_emulator/buckets
    PUT    /_emulator/objects/{bucket}/{key}     an audio object {durationSeconds?, format?, sizeBytes?}
    GET    /_emulator/objects[?bucket=B]         GET /_emulator/objects/{bucket}/{key}
    POST   /_emulator/bots                       a scripted Lex bot (`bots.parse_bot`)   GET /_emulator/bots
    POST   /_emulator/meetings                   {attendees: [names] | N, meetingId?, joinTokens?}
    GET    /_emulator/meetings                   DELETE /_emulator/meetings/{id}[/attendees/{attendeeId}]
    PUT    /_emulator/action-faults/{ActionType} {errorType, errorMessage?, times?}: the next ones fail
    GET    /_emulator/action-faults

Every bad body is a BadRequestException naming the field; unknown paths are NotFoundException.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from emulator.calls.action_faults import parse_fault
from emulator.calls.bots import parse_bot
from emulator.calls.model import Call, Stimulus
from emulator.calls.parties import (
    OUTCOMES,
    CalleeProfile,
    Party,
    digits_text,
    parse_profile,
    parse_steps,
    seconds,
)
from emulator.errors import BadRequestError, NotFoundError

if TYPE_CHECKING:
    from emulator.calls.service import CallService

PREFIXES = (
    "/_emulator/calls",
    "/_emulator/callees",
    "/_emulator/buckets",
    "/_emulator/objects",
    "/_emulator/bots",
    "/_emulator/meetings",
    "/_emulator/action-faults",
)
DEFAULT_WAIT_SECONDS = 60.0
MAX_HEADER_VALUE = 2048


def owns(path: str) -> bool:
    route = path.partition("?")[0].rstrip("/")
    return any(route == p or route.startswith(p + "/") for p in PREFIXES)


def handle(service: CallService, method: str, path: str, body: Any) -> tuple[int, Any]:
    parts = urlsplit(path)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    segments = [unquote(s) for s in parts.path.split("/")[2:] if s]  # after "/_emulator"
    if not segments or "/_emulator/" + segments[0] not in PREFIXES:
        raise NotFoundError(f"No such emulator endpoint: {method} {parts.path}")
    area, rest = segments[0], segments[1:]
    if area == "calls":
        return _calls(service, method, rest, query, body)
    if area == "callees":
        return _callees(service, method, rest, body)
    if area == "buckets":
        return _buckets(service, method, rest, body)
    if area == "objects":
        return _objects(service, method, rest, query, body)
    if area == "bots":
        return _bots(service, method, rest, body)
    if area == "action-faults":
        return _action_faults(service, method, rest, body)
    return _meetings(service, method, rest, body)


def _not_found(method: str, rest: list[str], area: str) -> NotFoundError:
    return NotFoundError(f"No such emulator endpoint: {method} /_emulator/{'/'.join([area, *rest])}")


def _object(body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequestError("the request body must be a JSON object")
    return body


def _seconds(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadRequestError(f"{name} must be a number of seconds") from None
    if value < 0:
        raise BadRequestError(f"{name} must not be negative")
    return value


def _tag(payload: dict[str, Any]) -> str:
    tag = payload.get("participantTag", "LEG-A")
    if tag not in ("LEG-A", "LEG-B"):
        raise BadRequestError("participantTag must be LEG-A or LEG-B")
    return str(tag)


# --- calls ---------------------------------------------------------------------------------------


def _calls(
    service: CallService, method: str, rest: list[str], query: dict[str, str], body: Any
) -> tuple[int, Any]:
    if not rest and method == "POST":
        return 201, _inbound(service, _object(body))
    if not rest and method == "GET":
        return 200, {"calls": [_summary(c) for c in service.calls()]}
    call = service.call(rest[0]) if rest else None
    if call is not None and len(rest) == 1 and method == "GET":
        service.wait(call, _seconds(query.get("wait", "0"), "wait"), query.get("until", "settled"))
        return 200, service.snapshot(call, query)
    if call is not None and len(rest) == 2 and method == "GET" and rest[1] in ("settled", "ended"):
        # The same as ?wait=S&until=..., for HTTP layers that do not pass the query string on.
        service.wait(call, _seconds(query.get("wait", str(DEFAULT_WAIT_SECONDS)), "wait"), rest[1])
        return 200, service.snapshot(call, query)
    if call is not None and len(rest) == 2 and method == "POST":
        payload = _object(body)
        if rest[1] == "digits":
            keys = digits_text(payload.get("digits"), "digits")
            return 200, service.stimulate(
                call, Stimulus("digits", {"digits": keys, "participantTag": _tag(payload)})
            )
        if rest[1] == "say":
            text = payload.get("text")
            if not isinstance(text, str) or not text.strip():
                raise BadRequestError("text must be a non-empty string")
            return 200, service.stimulate(
                call, Stimulus("say", {"text": text, "participantTag": _tag(payload)})
            )
        if rest[1] == "silence":
            silent = payload.get("silent", True)
            if not isinstance(silent, bool):
                raise BadRequestError("silent must be true or false")
            data = {"silent": silent, "participantTag": _tag(payload)}
            return 200, service.stimulate(call, Stimulus("silence", data))
        if rest[1] == "hangup":
            code = payload.get("sipResponseCode", "0")
            if not isinstance(code, (str, int)) or isinstance(code, bool) or not str(code).isdigit():
                raise BadRequestError("sipResponseCode must be a SIP response code such as 0, 480 or 486")
            data = {"participantTag": _tag(payload), "sipResponseCode": str(code)}
            return 200, service.stimulate(call, Stimulus("hangup", data))
    raise _not_found(method, rest, "calls")


def _inbound(service: CallService, body: dict[str, Any]) -> dict[str, Any]:
    """`{to, from, requestUriHostname?, sipHeaders?, digits?, script?, silent?, bridge?, wait?}`.

    `sipHeaders`: the INVITE's headers; the `x-...`, `User-to-User` and `Diversion` ones show in LEG-A's
    SipHeaders in every event. `digits`: keys the caller types into the first prompt (shorthand).
    `script`: timed steps (`parties.parse_steps`). `bridge`: how the first CallAndBridge's callee
    answers: an outcome name or a callee profile."""
    known = {"to", "from", "requestUriHostname", "sipHeaders", "digits", "script", "silent", "bridge", "wait"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise BadRequestError(f"unknown field(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    to, from_, host = body.get("to"), body.get("from"), body.get("requestUriHostname")
    if not isinstance(to, str) or not to:
        raise BadRequestError("to is required: the dialled number (E.164)")
    if not isinstance(from_, str) or not from_:
        raise BadRequestError("from is required: the caller's number (E.164)")
    if host is not None and (not isinstance(host, str) or not host):
        raise BadRequestError("requestUriHostname must be a non-empty string")
    headers = body.get("sipHeaders") or {}
    if not isinstance(headers, dict) or any(
        not isinstance(k, str) or not k or not isinstance(v, str) or len(v) > MAX_HEADER_VALUE
        for k, v in headers.items()
    ):
        raise BadRequestError(
            f"sipHeaders must map header names to strings of at most {MAX_HEADER_VALUE} characters"
        )
    silent = body.get("silent", False)
    if not isinstance(silent, bool):
        raise BadRequestError("silent must be true or false")
    party = Party(
        "caller",
        typeahead=digits_text(body.get("digits", ""), "digits", allow_empty=True),
        silent=silent,
        steps=parse_steps(body.get("script"), "script"),
    )
    bridge = body.get("bridge")
    profile: CalleeProfile | None = None
    if isinstance(bridge, str):
        if bridge not in OUTCOMES:
            raise BadRequestError(f"bridge must be one of {', '.join(OUTCOMES)}, or a callee profile")
        profile = CalleeProfile(outcome=bridge)
    elif bridge is not None:
        profile = parse_profile(bridge)
    return service.place_inbound(
        to, from_, host, party, headers, profile, body.get("wait", True) is not False
    )


def _summary(call: Call) -> dict[str, Any]:
    with call.lock:
        return {
            "transactionId": call.transaction_id,
            "direction": call.direction,
            "status": call.status,
            "from": call.from_number,
            "to": call.to_number,
            "invocationCount": len(call.invocations),
        }


# --- the rest of the world -----------------------------------------------------------------------------


def _callees(service: CallService, method: str, rest: list[str], body: Any) -> tuple[int, Any]:
    if not rest and method == "GET":
        return 200, {"callees": service.callees.to_dict()}
    if len(rest) == 1:
        address = rest[0]
        if method == "PUT":
            service.callees.set(address, parse_profile(body))
            return 200, {address: service.callees.get(address).to_dict()}
        if method == "GET":
            return 200, {address: service.callees.get(address).to_dict()}
        if method == "DELETE":
            if not service.callees.delete(address):
                raise NotFoundError(f"No callee profile for {address}")
            return 204, None
    raise _not_found(method, rest, "callees")


def _flag(payload: dict[str, Any], name: str) -> bool:
    value = payload.get(name, True)
    if not isinstance(value, bool):
        raise BadRequestError(f"{name} must be true or false")
    return value


def _buckets(service: CallService, method: str, rest: list[str], body: Any) -> tuple[int, Any]:
    if not rest and method == "GET":
        return 200, {"buckets": service.objects.buckets()}
    if len(rest) == 1 and method == "PUT":
        payload = _object(body)
        unknown = sorted(set(payload) - {"readable", "writable"})
        if unknown:
            raise BadRequestError(f"unknown bucket field(s): {', '.join(unknown)}; known: readable, writable")
        service.objects.put_bucket(rest[0], _flag(payload, "readable"), _flag(payload, "writable"))
        return 200, {"buckets": service.objects.buckets()}
    raise _not_found(method, rest, "buckets")


def _objects(
    service: CallService, method: str, rest: list[str], query: dict[str, str], body: Any
) -> tuple[int, Any]:
    if not rest and method == "GET":
        return 200, {"objects": service.objects.listing(query.get("bucket"))}
    if len(rest) >= 2:
        bucket, key = rest[0], "/".join(rest[1:])
        if method == "PUT":
            payload = _object(body)
            unknown = sorted(set(payload) - {"durationSeconds", "format", "sizeBytes"})
            if unknown:
                raise BadRequestError(f"unknown object field(s): {', '.join(unknown)}")
            duration = seconds(payload.get("durationSeconds", 1), "durationSeconds")
            fmt = payload.get("format", "wav")
            size = payload.get("sizeBytes", 16 * duration)
            if not isinstance(fmt, str) or not fmt:
                raise BadRequestError("format must be a file format such as wav")
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise BadRequestError("sizeBytes must be a whole number of bytes")
            service.objects.put_audio(bucket, key, duration, fmt, size)
            stored = service.objects.get(bucket, key)
            assert stored is not None
            return 200, stored.to_dict()
        if method == "GET":
            found = service.objects.get(bucket, key)
            if found is None:
                raise NotFoundError(f"No object s3://{bucket}/{key}")
            return 200, found.to_dict()
    raise _not_found(method, rest, "objects")


def _bots(service: CallService, method: str, rest: list[str], body: Any) -> tuple[int, Any]:
    if not rest and method == "POST":
        bot = parse_bot(body)
        service.bots.put(bot)
        return 201, bot.to_dict()
    if not rest and method == "GET":
        return 200, {"bots": service.bots.listing()}
    raise _not_found(method, rest, "bots")


def _meetings(service: CallService, method: str, rest: list[str], body: Any) -> tuple[int, Any]:
    if not rest and method == "POST":
        payload = _object(body)
        attendees = payload.get("attendees", 1)
        if isinstance(attendees, int) and not isinstance(attendees, bool) and 1 <= attendees <= 250:
            names = [f"attendee-{i + 1}" for i in range(attendees)]
        elif isinstance(attendees, list) and attendees and all(isinstance(a, str) and a for a in attendees):
            names = list(attendees)
        else:
            raise BadRequestError("attendees must be a count (1-250) or a list of attendee names")
        meeting_id, tokens = payload.get("meetingId"), payload.get("joinTokens")
        if meeting_id is not None and (not isinstance(meeting_id, str) or not meeting_id):
            raise BadRequestError("meetingId must be a non-empty string")
        if tokens is not None and (
            not isinstance(tokens, list)
            or len(tokens) != len(names)
            or any(not isinstance(t, str) or not t for t in tokens)
        ):
            raise BadRequestError("joinTokens must list one non-empty token per attendee")
        return 201, service.meetings.create(names, meeting_id, tokens).to_dict()
    if not rest and method == "GET":
        return 200, {"meetings": service.meetings.listing()}
    if len(rest) == 1 and method == "DELETE":
        joined = service.meetings.delete(rest[0])
        if joined is None:
            raise NotFoundError(f"No meeting {rest[0]}")
        service.meeting_left(joined, "the meeting ended")
        return 204, None
    if len(rest) == 3 and rest[1] == "attendees" and method == "DELETE":
        found, joined_by = service.meetings.remove_attendee(rest[0], rest[2])
        if not found:
            raise NotFoundError(f"No attendee {rest[2]} in meeting {rest[0]}")
        if joined_by:
            service.meeting_left([joined_by], "the attendee was removed from the meeting")
        return 204, None
    raise _not_found(method, rest, "meetings")


def _action_faults(service: CallService, method: str, rest: list[str], body: Any) -> tuple[int, Any]:
    if not rest and method == "GET":
        return 200, {"actionFaults": service.faults.to_dict()}
    if len(rest) == 1 and method == "PUT":
        service.faults.set(rest[0], parse_fault(rest[0], body))
        return 200, {"actionFaults": service.faults.to_dict()}
    raise _not_found(method, rest, "action-faults")
