"""The greeting flow's answer to ACTION_FAILED: one rule per action it sends, none of which loops.

Loaded on the first failure only (cold start). The service drops the actions queued after the one
that failed, so every answer here ends the call, and each rule can fire at most once per call:

- Speak: said once more in the safest voice, then Hangup "0". The safe voice is Polly's default
  (Joanna, standard engine, the voice's own language, plain text); SSML, or a text the service
  refused as such (MissingRequiredActionParameter), is replaced by FALLBACK_TEXT. No second try
  (Hangup "480" instead) when the error is AccessDenied (Polly cannot be reached at all), when this
  call already had its fallback (a TransactionAttributes mark), or when the failed Speak was
  already in the safe voice.
- Hangup: one that named a CallId is sent once more without it (the service then hangs up the leg
  it invoked us for); one without a CallId is not repeated (`[]`).
- Anything else (the flow sends nothing else): Hangup "480".
- A LEG-A the event shows Disconnected gets nothing more (`[]`).
"""

from __future__ import annotations

from sma import log
from sma.core_actions import hangup, speak
from sma.params import HANGUP_CODES, MAX_SPEAK_TEXT
from sma.response import build_response

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from sma.events import ActionData, InvocationEvent

    Response = dict[str, object]

FALLBACK_TEXT = "Sorry, we cannot take your call right now. Goodbye."
SAFE_VOICE = {"Engine": "standard", "VoiceId": "Joanna", "TextType": "text"}
FALLBACK_MARK = "greeterFallback"  # TransactionAttributes key: this call has had its fallback Speak
NO_RETRY_ERRORS = frozenset({"AccessDenied"})


def answer_failure(event: InvocationEvent, name: str) -> Response:
    """The response to an ACTION_FAILED event of the greeting flow; see the module docstring."""
    data = event.action_data
    kind = data.type if data is not None else None
    response, then = _decide(event, data, kind)
    log.emit(log.WARNING, "action failed", handler=name, transaction_id=event.transaction_id,
             action=kind, error_type=data.error_type if data else None,
             error_message=data.error_message if data else None, then=then)
    return response


def _decide(event: InvocationEvent, data: ActionData | None, kind: str | None) -> tuple[Response, str]:
    leg = event.leg_a
    if leg is not None and leg.status == "Disconnected":
        return build_response([]), "nothing: the caller has gone"
    call_id = (leg.call_id if leg is not None else None) or (data.call_id if data is not None else None)
    call_id = call_id if call_id and call_id.strip() else None  # blank: let the service pick the leg
    if data is not None and kind == "Speak":
        if call_id and _may_fall_back(event, data):
            fallback = speak(call_id, _fallback_text(data), engine=SAFE_VOICE["Engine"],
                             voice_id=SAFE_VOICE["VoiceId"], text_type=SAFE_VOICE["TextType"])
            return (build_response([fallback, hangup("0", call_id=call_id)], {FALLBACK_MARK: "used"}),
                    "fallback speech, then hang up")
        return build_response([hangup("480", call_id=call_id)]), "hang up"
    if data is not None and kind == "Hangup":
        if not data.parameters.get("CallId"):
            return build_response([]), "nothing: a Hangup is not repeated"
        code = data.sip_response_code
        return (build_response([hangup(code if code in HANGUP_CODES else "0")]),
                "hang up again without a CallId")
    return build_response([hangup("480", call_id=call_id)]), "hang up"


def _may_fall_back(event: InvocationEvent, data: ActionData) -> bool:
    if data.error_type in NO_RETRY_ERRORS:
        return False
    if event.call_details.transaction_attributes.get(FALLBACK_MARK) is not None:
        return False
    params = data.parameters
    if not params:  # nothing echoed says the voice was the safe one; the mark still stops a loop
        return True
    # A parameter left out is the service's default, which is the safe voice's.
    same_voice = all(params.get(k, v) == v for k, v in SAFE_VOICE.items()) and not params.get("LanguageCode")
    return not same_voice


def _fallback_text(data: ActionData) -> str:
    params = data.parameters
    text = params.get("Text")
    if (data.error_type == "MissingRequiredActionParameter" or params.get("TextType") == "ssml"
            or not isinstance(text, str) or not text.strip() or len(text) > MAX_SPEAK_TEXT):
        return FALLBACK_TEXT
    return text
