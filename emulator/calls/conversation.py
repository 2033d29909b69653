"""StartBotConversation against a scripted bot (`emulator.calls.bots`), page "StartBotConversation".

Refused before it starts: a leg other than LEG-A (InvalidActionParameter, the CallId/ParticipantTag
message), a bridged call or one in a meeting ("Invalid action on the call."), a bot alias in another
Region than the SIP media application ("BotAliasArn parameter value is invalid."), a LocaleId the bot
does not have, an unknown bot (ResourceNotFound "A specified bot is not found."), a bot whose policy
does not let the SIP media application in (ResourceAccessDenied "Access to the bot is denied.").

Then: the WelcomeMessages play; the caller speaks (`say` steps, `POST /_emulator/calls/{id}/say`) or
types (`#` ends the input, `*` clears it, five seconds without a key submit what was typed); the first
input picks the intent (no match: FallbackIntent, Failed); the slots it does not fill are asked for
one by one; a slot answer that matches nothing, or five seconds without input, ends the conversation
with the intent Failed. ACTION_SUCCESSFUL carries CallId (LEG-A) and IntentResult, with SessionId =
LEG-A's CallId and the Configuration's SessionAttributes. Speech and DTMF timeouts other than those
five seconds are not modelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.calls.bots import FALLBACK, Bot, Intent, intent_result, slot_value
from emulator.calls.media import speech_ms
from emulator.calls.model import Call, Leg
from emulator.calls.timeline import Timer
from pstn.action_checks import LEG_INVALID

if TYPE_CHECKING:
    from emulator.calls.engine import Engine, Runner

NO_INPUT_MS = 5000  # "without # Lex stops waiting after 5 s" (StartBotConversation page, DTMF)
INVALID_ON_CALL = "Invalid action on the call."


def _start_bot_conversation(
    engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]
) -> None:
    leg = engine.resolve_leg(call, params)
    extra = {"CallId": leg.call_id if leg is not None else params.get("CallId") or ""}

    def fail(error_type: str, message: str) -> None:
        engine.fail(call, action, error_type, message, extra)

    if leg is None or leg.tag != "LEG-A":
        fail("InvalidActionParameter", LEG_INVALID)
        return
    if call.bridged_leg() is not None or call.meeting_leg() is not None:
        fail("InvalidActionParameter", INVALID_ON_CALL)
        return
    arn = str(params["BotAliasArn"])
    assert call.target is not None
    if arn.split(":")[3] != call.target.region:
        fail("InvalidActionParameter", "BotAliasArn parameter value is invalid.")
        return
    bot = engine.bots.get(arn)
    if bot is None:
        fail("ResourceNotFound", "A specified bot is not found.")
        return
    if not bot.granted:
        fail("ResourceAccessDenied", "Access to the bot is denied.")
        return
    if (params.get("LocaleId") or "en_US") not in bot.locales:
        fail("InvalidActionParameter", "LocaleId parameter value is invalid.")
        return
    _Conversation(engine, call, action, params, leg, bot).begin()


class _Conversation:
    def __init__(
        self, engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any], leg: Leg, bot: Bot
    ) -> None:
        self.engine, self.call, self.action, self.params, self.leg, self.bot = (
            engine,
            call,
            action,
            params,
            leg,
            bot,
        )
        config = params.get("Configuration") or {}
        state = config.get("SessionState") or {}
        self.attributes: dict[str, str] = dict(state.get("SessionAttributes") or {})
        self.welcome_ms = sum(
            speech_ms(str(m.get("Content", ""))) for m in config.get("WelcomeMessages") or []
        )
        self.intent: Intent | None = None
        self.slots: dict[str, dict[str, Any] | None] = {}
        self.asking: int | None = None  # the slot being elicited
        self.failed = False
        self.typed = ""
        self.waiting: Timer | None = None

    def begin(self) -> None:
        run = self.engine.start(self.call, self.action, self.leg, "bot conversation")
        run.on_say = self.on_say
        run.on_digit = self.on_digit
        self.engine.after(self.call, self.welcome_ms, self.listen, "welcome")

    def listen(self) -> None:
        self.waiting = self.engine.after(self.call, NO_INPUT_MS, self.no_input, "no input")

    def _stop_waiting(self) -> None:
        if self.waiting is not None:
            self.waiting.cancel()
            self.waiting = None

    def on_say(self, who: Leg, text: str) -> bool:
        if who is not self.leg:
            return False
        if self.waiting is None:
            self.call.note("the bot is speaking: the caller's words are lost")
            return True
        self._stop_waiting()
        self.heard(text)
        return True

    def on_digit(self, who: Leg, key: str) -> bool:
        if who is not self.leg:
            return False
        if self.waiting is None:
            return True
        if key == "#":
            self._stop_waiting()
            typed, self.typed = self.typed, ""
            self.heard(typed)
        elif key == "*":
            self.typed = ""
        else:
            self.typed += key
            self._stop_waiting()
            self.waiting = self.engine.after(self.call, NO_INPUT_MS, self.submit_typed, "dtmf")
        return True

    def submit_typed(self) -> None:
        self.waiting = None
        typed, self.typed = self.typed, ""
        self.heard(typed)

    def no_input(self) -> None:
        self.waiting = None
        self.call.note("the bot heard nothing for 5 s")
        if self.intent is None:
            self.done(FALLBACK, "Failed", "None", None)
        else:
            self.failed = True
            self.next_slot()

    def heard(self, text: str) -> None:
        if self.intent is None:
            self.intent = self.bot.intent_for(text)
            if self.intent is None:
                self.done(FALLBACK, "Failed", "None", None)
                return
            for slot in self.intent.slots:
                found = slot.match(text)
                self.slots[slot.name] = slot_value(*found) if found else None
        elif self.asking is not None:
            slot = self.intent.slots[self.asking]
            found = slot.match(text)
            if found:
                self.slots[slot.name] = slot_value(*found)
            else:
                self.failed = True
        self.next_slot()

    def next_slot(self) -> None:
        intent = self.intent
        assert intent is not None
        start = 0 if self.asking is None else self.asking + 1
        for index in range(start, len(intent.slots)):
            if self.slots.get(intent.slots[index].name) is None and not self.failed:
                self.asking = index
                self.engine.after(
                    self.call, speech_ms(intent.slots[index].prompt), self.listen, "slot prompt"
                )
                return
        state = "Failed" if self.failed else intent.state
        self.done(intent.name, state, intent.confirmation, intent.confidence)

    def done(self, name: str, state: str, confirmation: str, confidence: float | None) -> None:
        slots = self.slots if name != FALLBACK else {}
        result = intent_result(
            self.leg.call_id, self.attributes, name, slots, state, confirmation, confidence
        )
        data = {
            "CallId": self.leg.call_id,
            "Type": "StartBotConversation",
            "Parameters": self.params,
            "IntentResult": result,
        }
        self.engine.finish(self.call, data, self.leg, f"{name}: {state}")


RUNNERS: dict[str, Runner] = {"StartBotConversation": _start_bot_conversation}
