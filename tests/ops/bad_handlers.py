"""Handlers `ops smoke` must reject."""

from __future__ import annotations

from typing import Any


def tutorial_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    """The seed tutorial's answer: Speak without CallId, Hangup with SipResponseCode 200."""
    return {
        "SchemaVersion": "1.0",
        "Actions": [
            {"Type": "Speak", "Parameters": {"Engine": "neural", "Text": "Hello!", "VoiceId": "Joanna"}},
            {"Type": "Hangup", "Parameters": {"SipResponseCode": "200"}},
        ],
    }


def too_many_actions(event: dict[str, Any], context: object) -> dict[str, Any]:
    pause = {"Type": "Pause", "Parameters": {"DurationInMilliseconds": 1000}}
    return {"SchemaVersion": "1.0", "Actions": [pause] * 11}


def returns_none(event: dict[str, Any], context: object) -> None:
    return None


def unknown_action(event: dict[str, Any], context: object) -> dict[str, Any]:
    return {"SchemaVersion": "1.0", "Actions": [{"Type": "Dance", "Parameters": {}}]}


def two_bad_actions(event: dict[str, Any], context: object) -> dict[str, Any]:
    return {
        "SchemaVersion": "1.0",
        "Actions": [
            {"Type": "Pause", "Parameters": {"DurationInMilliseconds": 50}},
            {"Type": "Speak", "Parameters": {"Text": "fine"}},
            {"Type": "Speak", "Parameters": {"Text": "robot", "VoiceId": "Robot"}},
        ],
    }


def raising_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    raise RuntimeError("boom")


NOT_A_FUNCTION = 42
