"""A call record (`GET /_emulator/calls/{id}`) as text a person can read: every invocation, action and
note in order, each at its virtual time (seconds since the call started)."""

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
    entries: list[tuple[int, int, str]] = []
    for record in call.get("invocations", []):
        retry = f" (attempt {record['attempt']})" if record.get("attempt", 1) > 1 else ""
        entries.append(
            (
                record["step"],
                record.get("virtualMs", 0),
                f"#{record['sequence']} {record['eventType']}{retry} -> {_target(record)}: {_answer(record)}",
            )
        )
    for action in call.get("actions", []):
        leg = f" on {action['participantTag']}" if action.get("participantTag") else ""
        detail = f": {action['detail']}" if action.get("detail") else ""
        entries.append(
            (
                action["step"],
                action.get("virtualMs", 0),
                f"   {action['type']}{leg} {action['outcome']}{detail}",
            )
        )
    for note in call.get("notes", []):
        entries.append((note["step"], note.get("virtualMs", 0), f"   ({note['note']})"))
    ordered = sorted(entries, key=lambda e: e[0])
    lines.extend(
        f"  {ms / 1000:7.3f}s {text}" for ms, text in _collapse([(ms, text) for _, ms, text in ordered])
    )
    if call.get("transactionAttributes"):
        lines.append(f"  TransactionAttributes: {json.dumps(call['transactionAttributes'], sort_keys=True)}")
    return "\n".join(lines)


def _collapse(entries: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A block of lines repeated over and over (a Lambda answering the same way 500 times: its event, the
    actions, the next event) shown once, with a count; invocation numbers do not make lines differ."""
    keys = [_body(text) for _, text in entries]
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(entries):
        best: tuple[int, int] | None = None  # (repetitions, block length)
        for size in range(1, 7):
            block = keys[i : i + size]
            if len(block) < size:
                break
            reps = 1
            while keys[i + reps * size : i + (reps + 1) * size] == block:
                reps += 1
            if reps >= 3 and (best is None or reps * size > best[0] * best[1]):
                best = (reps, size)
        if best is None:
            out.append(entries[i])
            i += 1
            continue
        reps, size = best
        out.extend(entries[i : i + size])
        out.append((entries[i + reps * size - 1][0], f"   ... the same {reps - 1} more time(s)"))
        i += reps * size
    return out


def _body(text: str) -> str:
    return text.split(" ", 1)[1] if text.startswith("#") and " " in text else text
