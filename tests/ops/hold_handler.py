"""A test handler that keeps a call on the line, so `ops update-call` has a live call to update.

Answers with no actions (the call idles until the emulator's --idle-hangup), speaks on an update,
and hangs up on `{"action": "hangup"}`. Loaded by the emulator's call simulator from this file.
"""

from __future__ import annotations

from typing import Any


def _call_id(event: dict[str, Any]) -> str:
    return str(event["CallDetails"]["Participants"][0]["CallId"])


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    actions: list[dict[str, Any]] = []
    if event.get("InvocationEventType") == "CALL_UPDATE_REQUESTED":
        arguments = event["ActionData"]["Parameters"]["Arguments"]
        if arguments.get("action") == "hangup":
            actions = [{"Type": "Hangup", "Parameters": {"CallId": _call_id(event), "SipResponseCode": "0"}}]
        else:
            text = f"Update received: {arguments.get('action', 'none')}"
            actions = [{"Type": "Speak", "Parameters": {"CallId": _call_id(event), "Text": text}}]
    return {"SchemaVersion": "1.0", "Actions": actions}
