"""A call record (`GET /_emulator/calls/{id}`) as text a person can read."""

from __future__ import annotations

import json
from typing import Any


def _target(record: dict[str, Any]) -> str:
    priority = record.get("priority")
    where = f"{record.get('sipMediaApplicationId')} ({record.get('region')}"
    return where + (f", priority {priority})" if priority is not None else ")")


def _answer(record: dict[str, Any]) -> str:
    if record.get("outcome") != "ok":
        return f"FAILED ({record.get('outcome')}): {record.get('error')}"
    response = record.get("response")
    if not isinstance(response, dict):
        return f"answered {json.dumps(response)[:200]}"
    actions = response.get("Actions")
    if actions is None:
        listed = "no actions (keep pending)"
    elif not isinstance(actions, list):
        listed = "Actions: " + json.dumps(actions)[:120]
    else:
        listed = ", ".join(str(a.get("Type")) if isinstance(a, dict) else "?" for a in actions) or "[] (stop)"
    note = "" if record.get("responseUsed") else " [answer ignored]"
    if record.get("validationError"):
        error = record["validationError"]
        note = f" [REJECTED {error['errorType']}: {error['message']}]"
    return f"-> {listed}{note}"


def render(call: dict[str, Any]) -> str:
    lines = [
        f"Call {call['transactionId']} ({call['direction']}) {call['from']} -> {call['to']}",
        f"  status: {call['status']}"
        + (f", SIP {call['sipResponseCode']}" if call.get("sipResponseCode") else "")
        + (f" ({call['endReason']})" if call.get("endReason") else "")
        + (f", waiting for {call['waitingFor']}" if call.get("waitingFor") else ""),
    ]
    if call.get("sipRuleId"):
        lines.append(f"  SIP rule: {call['sipRuleId']}")
    if call.get("sipMediaApplicationId"):
        lines.append(f"  served by: {_target(call)}")
    entries: list[tuple[int, str]] = []
    for record in call.get("invocations", []):
        retry = f" (attempt {record['attempt']})" if record.get("attempt", 1) > 1 else ""
        entries.append(
            (
                record["step"],
                f"#{record['sequence']} {record['eventType']}{retry} -> {_target(record)}: {_answer(record)}",
            )
        )
    for action in call.get("actions", []):
        leg = f" on {action['participantTag']}" if action.get("participantTag") else ""
        detail = f": {action['detail']}" if action.get("detail") else ""
        entries.append((action["step"], f"   {action['type']}{leg} {action['outcome']}{detail}"))
    for note in call.get("notes", []):
        entries.append((note["step"], f"   ({note['note']})"))
    lines.extend(f"  {text}" for text in _collapse([text for _, text in sorted(entries, key=lambda e: e[0])]))
    if call.get("transactionAttributes"):
        lines.append(f"  TransactionAttributes: {json.dumps(call['transactionAttributes'], sort_keys=True)}")
    return "\n".join(lines)


def _collapse(texts: list[str]) -> list[str]:
    """Runs of the same invocation (a Lambda answering the same way 900 times) shown once with a count."""
    out: list[str] = []
    run = 0
    for text in texts:
        if out and text.startswith("#") and _body(text) == _body(out[-1]):
            run += 1
            continue
        if run:
            out.append(f"   ... the same {run} more time(s)")
            run = 0
        out.append(text)
    if run:
        out.append(f"   ... the same {run} more time(s)")
    return out


def _body(text: str) -> str:
    return text.split(" ", 1)[1] if text.startswith("#") and " " in text else text
