"""`Router`: InvocationEventType -> function, and the Lambda entry point that never raises.

    router = Router("call-handler")

    @router.on(EventType.NEW_INBOUND_CALL)
    def greet(event: InvocationEvent) -> dict[str, object]:
        return build_response([...])

    def handler(event, context):
        return router(event, context)

Calling the router parses the event, runs the function registered for its type and returns the
response. A malformed event, an event type nobody registered, or an exception in a function is
logged as an ERROR and answered with a safe Hangup (480) on LEG-A, so the caller is released
instead of waiting out the service's timeouts. Every invocation writes one JSON log line.
"""

from __future__ import annotations

import time

from sma import log
from sma.core_actions import hangup
from sma.events import LEG_A, EventError, parse_event
from sma.response import build_response

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Callable

    from sma.events import InvocationEvent

    Response = dict[str, object]
    EventFunction = Callable[[InvocationEvent], Response]


class Router:
    def __init__(self, name: str = "handler") -> None:
        self.name = name
        self._routes: dict[str, EventFunction] = {}
        self._fallback: EventFunction | None = None

    def on(self, *event_types: str) -> Callable[[EventFunction], EventFunction]:
        """Decorator: run the function for these InvocationEventTypes."""
        if not event_types:
            raise ValueError("on(): name at least one InvocationEventType")

        def register(function: EventFunction) -> EventFunction:
            for event_type in event_types:
                if event_type in self._routes:
                    raise ValueError(f"on(): {event_type} is already routed to {self._routes[event_type]}")
                self._routes[event_type] = function
            return function

        return register

    def otherwise(self, function: EventFunction) -> EventFunction:
        """Decorator: run the function for event types with no route (default: log + safe hangup)."""
        self._fallback = function
        return function

    def routes(self) -> dict[str, EventFunction]:
        return dict(self._routes)

    def __call__(self, raw_event: object, context: object = None) -> Response:
        try:
            return self._invoke(raw_event, context)
        except Exception:  # only if logging or the safe path itself broke: still answer validly
            return {"SchemaVersion": "1.0",
                    "Actions": [{"Type": "Hangup", "Parameters": {"SipResponseCode": "480"}}]}

    def _invoke(self, raw_event: object, context: object) -> Response:
        started = time.perf_counter()
        event_type: object = None
        transaction_id: object = None
        sequence: object = None
        try:
            event = parse_event(raw_event)
            event_type, transaction_id, sequence = event.event_type, event.transaction_id, event.sequence
            function = self._routes.get(event.event_type, self._fallback)
            if function is None:
                log.emit(log.ERROR, "unknown event type; hanging up", handler=self.name,
                         transaction_id=transaction_id, event_type=event_type)
                response = safe_hangup(raw_event)
            else:
                response = function(event)
                _check_shape(response)
        except EventError as exc:
            log.emit(log.ERROR, "malformed event; hanging up", handler=self.name, field=exc.field,
                     error=str(exc), **_identity(raw_event))
            response = safe_hangup(raw_event)
        except Exception as exc:  # a bug in a call flow must end the call cleanly, not crash the Lambda
            log.emit(log.ERROR, "call flow failed; hanging up", handler=self.name,
                     transaction_id=transaction_id, event_type=event_type,
                     error=f"{type(exc).__name__}: {exc}")
            response = safe_hangup(raw_event)
        _log_invocation(self.name, raw_event, context, response, event_type, transaction_id, sequence,
                        started)
        return response


def safe_hangup(raw_event: object) -> Response:
    """Hangup 480 on LEG-A (by CallId when the event names one); valid whatever the event was."""
    return build_response([hangup("480", call_id=leg_a_call_id(raw_event))])


def leg_a_call_id(raw_event: object) -> str | None:
    """LEG-A's CallId, read defensively from an event that may be malformed."""
    leg = _leg_a(raw_event)
    call_id = leg.get("CallId") if leg is not None else None
    return call_id if isinstance(call_id, str) and call_id.strip() else None


def _check_shape(response: object) -> None:
    # Functions are meant to use build_response; this catches one that returned something else.
    if not isinstance(response, dict) or response.get("SchemaVersion") != "1.0":
        raise TypeError(f"event function returned {type(response).__name__}, not a build_response() dict")


def _identity(raw_event: object) -> dict[str, object]:
    if not isinstance(raw_event, dict):
        return {}
    details = raw_event.get("CallDetails")
    return {
        "transaction_id": details.get("TransactionId") if isinstance(details, dict) else None,
        "event_type": raw_event.get("InvocationEventType"),
    }


def _log_invocation(name: str, raw_event: object, context: object, response: Response, event_type: object,
                    transaction_id: object, sequence: object, started: float) -> None:
    duration_ms = (time.perf_counter() - started) * 1000.0
    actions = response.get("Actions")
    kinds = [a.get("Type") for a in actions] if isinstance(actions, list) else None
    fields: dict[str, object] = {"handler": name}
    if event_type is None:  # the event did not parse: log what can be read of it
        fields.update(_identity(raw_event))
    else:
        fields.update(transaction_id=transaction_id, event_type=event_type)
    fields.update({
        "sequence": sequence,
        "actions": kinds,  # None: the queued actions were kept
        "duration_ms": round(duration_ms, 3),
    })
    request_id = getattr(context, "aws_request_id", None)
    if isinstance(request_id, str):
        fields["request_id"] = request_id
    leg = _leg_a(raw_event)
    if leg is not None:
        fields["from"] = leg.get("From")
        fields["to"] = leg.get("To")
    log.emit(log.INFO, "invocation", **fields)


def _leg_a(raw_event: object) -> dict[str, object] | None:
    details = raw_event.get("CallDetails") if isinstance(raw_event, dict) else None
    participants = details.get("Participants") if isinstance(details, dict) else None
    if isinstance(participants, list):
        for item in participants:
            if isinstance(item, dict) and item.get("ParticipantTag") == LEG_A:
                return item
    return None
