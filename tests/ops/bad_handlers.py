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


def raising_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    raise RuntimeError("boom")


NOT_A_FUNCTION = 42
