"""Speak and Hangup: the two actions every call flow uses.

Kept apart from the other builders (`sma.actions`, which re-exports these) because a Lambda
bundle is compiled from source at every cold start: a handler that only greets and hangs up
should not pay to compile builders it never calls.
"""

from __future__ import annotations

from sma.params import (
    ENGINES,
    HANGUP_CODES,
    MAX_SPEAK_TEXT,
    TEXT_TYPES,
    Action,
    action,
    choice,
    leg,
    string,
)


def speech(text: str, *, engine: str | None = None, language_code: str | None = None,
           text_type: str | None = None, voice_id: str | None = None, where: str = "Speak") -> dict[str, str]:
    """The speech parameters shared by Speak and SpeakAndGetDigits."""
    params: dict[str, str] = {"Text": string(f"{where}.Text", text, MAX_SPEAK_TEXT)}
    if engine is not None:
        params["Engine"] = choice(f"{where}.Engine", engine, ENGINES)
    if language_code is not None:
        params["LanguageCode"] = string(f"{where}.LanguageCode", language_code, 16)
    if text_type is not None:
        params["TextType"] = choice(f"{where}.TextType", text_type, TEXT_TYPES)
    if voice_id is not None:
        params["VoiceId"] = string(f"{where}.VoiceId", voice_id, 32)
    return params


def speak(call_id: str, text: str, *, engine: str | None = None, language_code: str | None = None,
          text_type: str | None = None, voice_id: str | None = None) -> Action:
    params: dict[str, object] = {"CallId": string("Speak.CallId", call_id)}
    params.update(speech(text, engine=engine, language_code=language_code, text_type=text_type,
                         voice_id=voice_id))
    return action("Speak", params)


def hangup(sip_response_code: str = "0", *, call_id: str | None = None,
           participant_tag: str | None = None) -> Action:
    """End a leg: "0" normal, "480" unavailable, "486" busy (the only documented codes)."""
    params: dict[str, object] = {}
    leg("Hangup", params, call_id, participant_tag)
    params["SipResponseCode"] = choice("Hangup.SipResponseCode", sip_response_code, HANGUP_CODES)
    return action("Hangup", params)
