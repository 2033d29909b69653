"""The greeting call flow shared by the primary and the backup handler.

Answer, say the configured greeting, hang up cleanly; react to mid-call updates
(UpdateSipMediaApplicationCall) through the verbs in `Arguments` listed in `UPDATE_VERBS`; answer
ACTION_FAILED through `sma.greeter_failures` (loaded on the first failure). The handlers' module
docstrings document the flow and the verbs for operators.
"""

from __future__ import annotations

from sma import log
from sma.core_actions import hangup, speak
from sma.dispatch import Router
from sma.events import EventType
from sma.params import HANGUP_CODES, MAX_SPEAK_TEXT
from sma.response import KEEP_PENDING, build_response

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from sma.config import VoiceConfig
    from sma.events import InvocationEvent

    Response = dict[str, object]

CUSTOM_ACTION_TEXT = "Your custom action was received."
UPDATE_VERBS = ("custom-action", "speak", "greet", "hangup")


def greeting_router(config: VoiceConfig, name: str) -> Router:
    """A Router answering every documented event type with the greeting flow."""
    router = Router(name)

    def say(event: InvocationEvent, text: str) -> dict[str, object] | None:
        leg = event.leg_a
        call_id = leg.call_id if leg is not None else None
        if not call_id:
            return None
        return speak(call_id, text, engine=config.engine, voice_id=config.voice_id,
                     language_code=config.language_code,
                     text_type=config.text_type if text == config.greeting else None)

    def end(event: InvocationEvent, code: str) -> dict[str, object]:
        leg = event.leg_a
        return hangup(code, call_id=(leg.call_id or None) if leg is not None else None)

    @router.on(EventType.NEW_INBOUND_CALL, EventType.CALL_ANSWERED)
    def greet(event: InvocationEvent) -> Response:
        speech = say(event, config.greeting)
        if speech is None:
            log.emit(log.ERROR, "no LEG-A CallId to speak to; hanging up", handler=name,
                     transaction_id=event.transaction_id, event_type=event.event_type)
            return build_response([hangup("480")])
        return build_response([speech, end(event, "0")])

    @router.on(EventType.NEW_OUTBOUND_CALL, EventType.RINGING, EventType.ACTION_INTERRUPTED,
               EventType.HANGUP)
    def nothing(event: InvocationEvent) -> Response:
        # The service ignores these answers (HANGUP's too, for a single-leg call).
        return build_response([])

    @router.on(EventType.ACTION_SUCCESSFUL)
    def finished(event: InvocationEvent) -> Response:
        data = event.action_data
        if data is not None and data.type == "Hangup":
            return build_response([])
        # Whatever ran last (an update's Speak replaces the queued Hangup) is done: end cleanly.
        return build_response([end(event, "0")])

    @router.on(EventType.ACTION_FAILED)
    def failed(event: InvocationEvent) -> Response:
        from sma.greeter_failures import answer_failure  # compiled only when an action fails

        return answer_failure(event, name)

    @router.on(EventType.INVALID_LAMBDA_RESPONSE)
    def rejected(event: InvocationEvent) -> Response:
        log.emit(log.ERROR, "the service rejected our previous response", handler=name,
                 transaction_id=event.transaction_id, error_type=event.error_type,
                 error_message=event.error_message)
        return build_response([end(event, "480")])

    @router.on(EventType.DIGITS_RECEIVED)
    def digits(event: InvocationEvent) -> Response:
        # This flow never asks for digits; keep whatever is queued.
        return build_response(KEEP_PENDING)

    @router.on(EventType.CALL_UPDATE_REQUESTED)
    def update(event: InvocationEvent) -> Response:
        data = event.action_data
        arguments = data.arguments if data is not None else {}
        verb = arguments.get("action")
        if verb == "custom-action" or verb == "greet" or verb == "speak":
            text = {"custom-action": CUSTOM_ACTION_TEXT, "greet": config.greeting}.get(
                verb, arguments.get("text", ""))
            if not text.strip() or len(text) > MAX_SPEAK_TEXT:
                return _ignored(name, event, verb, f"text must be 1 to {MAX_SPEAK_TEXT} characters")
            speech = say(event, text)
            if speech is None:
                return _ignored(name, event, verb, "no LEG-A CallId to speak to")
            # Replaces what is queued (the greeting's Hangup); ACTION_SUCCESSFUL then ends the call.
            return build_response([speech])
        if verb == "hangup":
            code = arguments.get("code", "0")
            if code not in HANGUP_CODES:
                return _ignored(name, event, verb, f"code must be one of {', '.join(HANGUP_CODES)}")
            return build_response([end(event, code)])
        return _ignored(name, event, verb, f"unknown verb; expected one of {', '.join(UPDATE_VERBS)}")

    return router


def _ignored(name: str, event: InvocationEvent, verb: str | None, problem: str) -> Response:
    log.emit(log.WARNING, f"call update ignored: {problem}", handler=name,
             transaction_id=event.transaction_id, verb=verb)
    return build_response(KEEP_PENDING)
