"""Scripted Amazon Lex V2 bots for StartBotConversation (a test tool, not Lex: no speech recognition or
NLU, no PutSession, no voice timeouts beyond the five seconds of DTMF silence the guide mentions).

A bot is registered with `POST /_emulator/bots`: its alias ARN, locales, whether the SIP media
application may use it (the bot's resource policy), and intents. An intent matches when the caller's
utterance contains one of its sample utterances; a slot is filled when an utterance contains one of
its values (a synonym → resolved value map). `intent_result` builds the IntentResult of the
StartBotConversation page: SessionId, SessionState {SessionAttributes, Intent {Name, Slots, State,
ConfirmationState}}, Interpretations [{NluConfidence, Intent}].
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from emulator.errors import BadRequestError

STATES = ("Fulfilled", "ReadyForFulfillment", "Failed")
CONFIRMATIONS = ("None", "Confirmed", "Denied")
FALLBACK = "FallbackIntent"
_ALIAS_ARN = re.compile(r"arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias/[0-9A-Za-z]+/[0-9A-Za-z]+")


@dataclass(frozen=True)
class Slot:
    name: str
    prompt: str
    values: tuple[tuple[str, str], ...]  # (what the caller may say, lower case; the resolved value)

    def match(self, text: str) -> tuple[str, str] | None:
        """(original, resolved) of the first value the utterance contains."""
        lowered = text.lower()
        for said, resolved in self.values:
            if said in lowered:
                return said, resolved
        return None


@dataclass(frozen=True)
class Intent:
    name: str
    utterances: tuple[str, ...]  # lower case
    slots: tuple[Slot, ...]
    state: str
    confirmation: str
    confidence: float

    def matches(self, text: str) -> bool:
        lowered = text.lower()
        return any(u in lowered for u in self.utterances)


@dataclass(frozen=True)
class Bot:
    alias_arn: str
    locales: tuple[str, ...]
    granted: bool
    intents: tuple[Intent, ...]

    def region(self) -> str:
        return self.alias_arn.split(":")[3]

    def intent_for(self, text: str) -> Intent | None:
        return next((i for i in self.intents if i.matches(text)), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "botAliasArn": self.alias_arn,
            "localeIds": list(self.locales),
            "accessGranted": self.granted,
            "intents": [
                {
                    "name": i.name,
                    "utterances": list(i.utterances),
                    "slots": [
                        {"name": s.name, "prompt": s.prompt, "values": dict(s.values)} for s in i.slots
                    ],
                    "state": i.state,
                    "confirmationState": i.confirmation,
                    "confidence": i.confidence,
                }
                for i in self.intents
            ],
        }


def _text_list(value: object, name: str) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not value
        or any(not isinstance(v, str) or not v.strip() for v in value)
    ):
        raise BadRequestError(f"{name} must be a non-empty list of strings")
    return tuple(v.strip().lower() for v in value)


def _slot(raw: object, where: str) -> Slot:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise BadRequestError(f"{where} must be an object with a name")
    values = raw.get("values")
    if (
        not isinstance(values, dict)
        or not values
        or any(not isinstance(k, str) or not k.strip() or not isinstance(v, str) for k, v in values.items())
    ):
        raise BadRequestError(f"{where}.values must map what a caller says to the resolved value")
    prompt = raw.get("prompt", f"Which {raw['name']}?")
    if not isinstance(prompt, str):
        raise BadRequestError(f"{where}.prompt must be a string")
    return Slot(raw["name"], prompt, tuple((k.strip().lower(), v) for k, v in values.items()))


def _intent(raw: object, where: str) -> Intent:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise BadRequestError(f"{where} must be an object with a name")
    state = raw.get("state", "Fulfilled")
    confirmation = raw.get("confirmationState", "None")
    confidence = raw.get("confidence", 0.95)
    if state not in STATES:
        raise BadRequestError(f"{where}.state must be one of {', '.join(STATES)}")
    if confirmation not in CONFIRMATIONS:
        raise BadRequestError(f"{where}.confirmationState must be one of {', '.join(CONFIRMATIONS)}")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise BadRequestError(f"{where}.confidence must be a number between 0 and 1")
    slots = raw.get("slots", [])
    if not isinstance(slots, list):
        raise BadRequestError(f"{where}.slots must be a list")
    return Intent(
        raw["name"],
        _text_list(raw.get("utterances"), f"{where}.utterances"),
        tuple(_slot(s, f"{where}.slots[{i}]") for i, s in enumerate(slots)),
        state,
        confirmation,
        float(confidence),
    )


def parse_bot(body: object) -> Bot:
    """The body of `POST /_emulator/bots`."""
    if not isinstance(body, dict):
        raise BadRequestError("the bot body must be a JSON object")
    arn = body.get("botAliasArn")
    if not isinstance(arn, str) or not _ALIAS_ARN.fullmatch(arn):
        raise BadRequestError("botAliasArn must be arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT_ID/ALIAS_ID")
    granted = body.get("accessGranted", True)
    if not isinstance(granted, bool):
        raise BadRequestError("accessGranted must be true or false")
    intents = body.get("intents")
    if not isinstance(intents, list) or not intents:
        raise BadRequestError("intents must be a non-empty list")
    locales = body.get("localeIds", ["en_US"])
    if not isinstance(locales, list) or not locales or any(not isinstance(x, str) or not x for x in locales):
        raise BadRequestError("localeIds must be a non-empty list of Lex locale ids such as en_US")
    return Bot(
        arn,
        tuple(locales),
        granted,
        tuple(_intent(raw, f"intents[{i}]") for i, raw in enumerate(intents)),
    )


def slot_value(original: str, resolved: str) -> dict[str, Any]:
    return {
        "Value": {"OriginalValue": original, "InterpretedValue": resolved, "ResolvedValues": [resolved]},
        "Values": [],
    }


def intent_result(
    session_id: str,
    attributes: dict[str, str],
    name: str,
    slots: dict[str, dict[str, Any] | None],
    state: str,
    confirmation: str,
    confidence: float | None,
) -> dict[str, Any]:
    """The IntentResult of a finished conversation; unfilled slots are null, as Lex reports them."""
    intent = {"Name": name, "Slots": slots, "State": state, "ConfirmationState": confirmation}
    interpretation: dict[str, Any] = {"Intent": dict(intent)}
    if confidence is not None:
        interpretation = {"NluConfidence": {"Score": confidence}, **interpretation}
    return {
        "SessionId": session_id,
        "SessionState": {"SessionAttributes": dict(attributes), "Intent": intent},
        "Interpretations": [interpretation],
    }


class BotBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bots: dict[str, Bot] = {}

    def put(self, bot: Bot) -> None:
        with self._lock:
            self._bots[bot.alias_arn] = bot

    def get(self, alias_arn: str) -> Bot | None:
        with self._lock:
            return self._bots.get(alias_arn)

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [b.to_dict() for b in self._bots.values()]

    def clear(self) -> None:
        with self._lock:
            self._bots.clear()
