"""The call engine: plays the PSTN audio service's side of one call, event by event, in virtual time.

A call is driven by one thread at a time (whoever posted the stimulus that woke it, or a pool
thread for timers and updates) until it *parks*: idle with nothing left to run, waiting for
digits, in a scaled media action, or ended. The driver holds `call.lock` except while a Lambda
runs, so readers and other stimuli are never blocked behind a slow handler, and one parked call
never holds a thread.

Readings where the guide is silent (each also noted where it is applied):
- ACTION_SUCCESSFUL is sent once the whole action list has run, with the last action as ActionData
  (use-case-2: "only returns ACTION_SUCCESSFUL if all the actions on the list succeed").
- A failed invocation mid-call is retried once, then the call ends with 480 (timeouts page).
  For NEW_INBOUND_CALL each target is tried once and failure moves on to the next priority.
- Durations (Speak, PlayAudio, Pause) advance the call's virtual clock without waiting, unless
  `time_scale` > 0, when PlayAudio/Pause/RecordAudio hold the call for duration x scale real seconds.
"""

from __future__ import annotations

import copy
import re
from collections import deque
from collections.abc import Callable
from typing import Any

from emulator.calls.invoker import Invoker
from emulator.calls.model import RESPONSE_USED, Call, Leg, Stimulus, Target, new_id, now_ms
from emulator.calls.scheduler import Scheduler
from emulator.directory import Directory
from pstn.action_checks import check_action, speech_problem
from pstn.local_lambda import InvocationResult
from pstn.response_checks import check_response, check_transaction_attributes

MAX_INVOCATIONS = 1000
MEDIA_ACTIONS = frozenset({"PlayAudio", "Pause", "RecordAudio"})
DIGIT_ACTIONS = frozenset({"SpeakAndGetDigits", "PlayAudioAndGetDigits"})
SPEECH_MS_PER_CHAR = 60  # roughly 15 characters a second of synthesized speech
AUDIO_MS_PER_PLAY = 1000  # the simulator has no audio files; one play counts as a second


_FAILED = object()  # an ignored event's invocation failed: nothing to act on


class _CallEnded(Exception):
    """Unwinds a driver whose call ended (limit, failure, reset) in the middle of a step."""


class Engine:
    def __init__(
        self,
        directory: Directory,
        invoker: Invoker,
        scheduler: Scheduler,
        *,
        idle_hangup: float,
        time_scale: float = 0.0,
        max_invocations: int = MAX_INVOCATIONS,
        retries: int = 1,
    ) -> None:
        self.directory, self.invoker, self.scheduler = directory, invoker, scheduler
        self.idle_hangup, self.time_scale = idle_hangup, time_scale
        self.max_invocations, self.retries = max_invocations, retries

    # --- entry points (called without the call's lock) ----------------------------------------------

    # A new call is created with `driving=True` (see `Call.driving`): it counts as busy from the moment
    # it is visible, so a reader waiting for it to settle never sees it idle before it started.

    def run_inbound(self, call: Call, candidates: list[Target]) -> None:
        """Offer NEW_INBOUND_CALL to each target in priority order, then drive the call until it parks."""
        self._drive(call, lambda: self._answer_inbound(call, candidates))

    def run_outbound(self, call: Call, arguments: dict[str, str]) -> None:
        self._drive(call, lambda: self._place_outbound(call, arguments))

    def post(self, call: Call, stimulus: Stimulus, sync: bool) -> bool:
        """Deliver something from outside (digits, a hang-up, an update, a timer); False if the call ended."""
        with call.lock:
            if call.ended:
                return False
            call.inbox.append(stimulus)
            if call.driving:
                return True  # the running driver picks it up at its next step
            call.driving = True
        if sync:
            self._drive(call)
        else:
            self.scheduler.submit(lambda: self._drive(call))
        return True

    def abandon(self, call: Call, reason: str) -> None:
        with call.lock:
            if not call.ended:
                self._end(call, "failed", None, reason)

    # --- the driver ---------------------------------------------------------------------------------

    def _drive(self, call: Call, first: Callable[[], None] | None = None) -> None:
        with call.lock:
            try:
                if first is not None:
                    first()
                while not call.ended:
                    if call.inbox:
                        self._on_stimulus(call, call.inbox.popleft())
                    elif call.parked:
                        break
                    elif call.current is not None or call.pending:
                        self._step(call)
                    elif not self._listen(call):
                        self._park(call, "idle")
                        break
            except _CallEnded:
                pass
            except Exception as exc:  # a simulator bug must end the call visibly, not leave it hanging
                self._end(call, "failed", "480", f"simulator error: {exc!r}")
            finally:
                call.driving = False
                call.lock.notify_all()

    def _park(self, call: Call, kind: str, media_ms: int = 0) -> None:
        call.parked = kind
        self._cancel_timer(call)
        token = call.timer_token
        delay = media_ms / 1000 * self.time_scale if kind == "media" else self.idle_hangup
        wake = "media-done" if kind == "media" else "idle"

        def wake_up() -> None:
            self.post(call, Stimulus(wake, {"token": token}), sync=True)

        call.timer = self.scheduler.call_later(delay, wake_up)

    def _cancel_timer(self, call: Call) -> None:
        call.timer_token += 1
        if call.timer is not None:
            call.timer.cancel()
            call.timer = None

    def _unpark(self, call: Call) -> None:
        call.parked = None
        self._cancel_timer(call)

    # --- stimuli ------------------------------------------------------------------------------------

    def _on_stimulus(self, call: Call, stimulus: Stimulus) -> None:
        data = stimulus.data
        if stimulus.kind in ("idle", "media-done") and data.get("token") != call.timer_token:
            return  # a timer that fired after the call moved on
        if stimulus.kind == "idle":
            if call.parked in ("idle", "digits"):
                legs = sorted(call.connected_legs(), key=lambda leg: leg.tag)  # the caller (LEG-A) first
                leg = legs[0] if legs else None
                if leg is not None:
                    self._unpark(call)
                    call.current = None
                    call.note(f"{leg.tag} hung up after {self.idle_hangup:g} s idle")
                    self._hangup_leg(call, leg, "0")
        elif stimulus.kind == "media-done":
            if call.parked == "media" and call.current is not None:
                self._unpark(call)
                action = call.current
                self._complete(call, {"Type": action["Type"], "Parameters": action.get("Parameters") or {}})
        elif stimulus.kind == "hangup":
            tag = data.get("participantTag") or "LEG-A"
            leg = call.leg(tag)
            if leg is None or not leg.connected:
                call.note(f"hang-up of {tag} ignored: not connected")
                return
            if call.parked:
                self._unpark(call)
                call.current = None
            call.note(f"{tag} hung up (SIP {data.get('sipResponseCode', '0')})")
            self._hangup_leg(call, leg, str(data.get("sipResponseCode", "0")))
        elif stimulus.kind == "digits":
            call.digits += str(data.get("digits", ""))
            call.note(f"caller pressed {data.get('digits', '')}")
            if call.parked in ("digits", "idle"):
                self._unpark(call)  # the waiting digits action (or the listener) looks at them next
            elif call.parked == "media":
                self._listen(call)
        elif stimulus.kind == "update":
            self._update(call, dict(data.get("arguments") or {}))

    def _update(self, call: Call, arguments: dict[str, str]) -> None:
        if call.parked == "media" and call.current is not None:
            # A running PlayAudio/Pause/RecordAudio is cut short; the answer to the notice is ignored.
            action = call.current
            self._unpark(call)
            call.current = None
            self._record_action(call, action, "interrupted")
            self._invoke_and_apply(
                call,
                "ACTION_INTERRUPTED",
                {"Type": action["Type"], "Parameters": action.get("Parameters") or {}},
            )
        update = {"Type": "CallUpdateRequest", "Parameters": {"Arguments": arguments}}
        replaced = self._invoke_and_apply(call, "CALL_UPDATE_REQUESTED", update)
        if call.parked == "idle" or (replaced and call.parked == "digits"):
            # Reading: new actions supersede a digits action still waiting for input (there is no
            # "running action" to finish first when nobody is typing); null Actions keep it waiting.
            if call.parked == "digits":
                call.current = None
            self._unpark(call)

    # --- actions ------------------------------------------------------------------------------------

    def _step(self, call: Call) -> None:
        if call.current is None:
            call.current = call.pending.popleft()
            call.digit_attempts = 0
        action = call.current
        kind = action.get("Type", "")
        params: dict[str, Any] = action.get("Parameters") or {}
        data = {"Type": kind, "Parameters": params}
        problem = check_action(action) or speech_problem(action)
        if problem is not None:
            self._fail(call, action, problem.error_type, problem.message)
            return
        if kind == "CallAndBridge":
            self._bridge(call, action, params)
            return
        leg = self._leg_for(call, params)
        if leg is None:
            self._fail(
                call,
                action,
                "InvalidActionParameter",
                f"{kind}: no connected participant with CallId {params.get('CallId')!r} / "
                f"ParticipantTag {params.get('ParticipantTag')!r}",
            )
            return
        if kind == "Hangup":
            call.current = None
            code = str(params.get("SipResponseCode", "0"))
            self._record_action(call, action, "succeeded", leg=leg, detail=f"SIP {code}")
            self._hangup_leg(call, leg, code)
        elif kind in DIGIT_ACTIONS:
            self._collect_digits(call, action, params, leg)
        elif kind == "ReceiveDigits":
            call.listener = action
            self._complete(call, {**data, "ReceivedDigits": ""}, leg=leg)
        elif kind in MEDIA_ACTIONS:
            duration = self._media_ms(kind, params)
            if self.time_scale > 0:
                # The call holds here (a timer ends the action) so an update or hang-up can cut it short.
                self._record_action(call, action, "running", leg=leg)
                self._park(call, "media", duration)
                call.virtual_ms += duration
                return
            call.virtual_ms += duration
            self._complete(call, data, leg=leg)
        else:
            if kind == "Speak":
                call.virtual_ms += len(str(params.get("Text", ""))) * SPEECH_MS_PER_CHAR
            self._complete(call, data, leg=leg)

    def _media_ms(self, kind: str, params: dict[str, Any]) -> int:
        if kind == "Pause":
            return int(params.get("DurationInMilliseconds", 0))
        if kind == "RecordAudio":
            return int(params.get("DurationInSeconds", 1)) * 1000
        return AUDIO_MS_PER_PLAY * int(params.get("Repeat", 1))

    def _leg_for(self, call: Call, params: dict[str, Any]) -> Leg | None:
        call_id, tag = params.get("CallId"), params.get("ParticipantTag")
        if call_id is not None:
            leg = next((leg for leg in call.legs if leg.call_id == call_id), None)
        else:
            leg = call.leg(tag or "LEG-A")
        return leg if leg is not None and leg.connected else None

    def _collect_digits(self, call: Call, action: dict[str, Any], params: dict[str, Any], leg: Leg) -> None:
        """Take one entry from the caller's digits: up to a terminator (not kept) or MaxNumberOfDigits."""
        low = int(params.get("MinNumberOfDigits", 0))
        high = int(params.get("MaxNumberOfDigits", 128))
        terminators = params.get("TerminatorDigits") or ["#"]
        regex = params.get("InputDigitsRegex")
        repeat = int(params.get("Repeat", 1))
        while True:
            if not call.digits:
                # Nobody has typed yet: the call stays up, waiting, until digits or a hang-up arrive.
                self._record_action(call, action, "waiting", leg=leg)
                self._park(call, "digits")
                return
            entry, rest = "", call.digits
            while rest and len(entry) < high:
                char, rest = rest[0], rest[1:]
                if char in terminators:
                    break
                entry += char
            call.digits = rest
            valid = low <= len(entry) <= high and (regex is None or re.fullmatch(regex, entry) is not None)
            if valid:
                self._complete(
                    call,
                    {"Type": action["Type"], "Parameters": params, "ReceivedDigits": entry},
                    leg=leg,
                    detail=entry,
                )
                return
            call.digit_attempts += 1
            call.note(
                f"{action['Type']}: {entry!r} is not valid input (attempt {call.digit_attempts} of {repeat})"
            )
            if call.digit_attempts >= repeat:
                self._fail(
                    call,
                    action,
                    "InvalidDigitsReceived",
                    f"No valid digits received after {repeat} attempt(s)",
                )
                return

    def _bridge(self, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
        caller_id = str(params.get("CallerIdNumber", ""))
        if self.directory.inventory_phone_number(caller_id) is None:
            self._fail(
                call,
                action,
                "InvalidActionParameter",
                f"CallerIdNumber {caller_id} is not a phone number in this account's inventory",
            )
            return
        endpoint = (params.get("Endpoints") or [{}])[0]
        if call.bridge_outcome != "answer":
            code = "486" if call.bridge_outcome == "busy" else "480"
            self._fail(call, action, "CallNotAnswered", f"Call not answered (SIP {code})")
            return
        existing = call.leg("LEG-B")
        if existing is not None and existing.connected:
            self._fail(call, action, "InvalidActionParameter", "LEG-B is already connected")
            return
        if existing is not None:
            call.legs.remove(existing)
        # The far end answers at once; no NEW_OUTBOUND_CALL/RINGING/CALL_ANSWERED for a bridged leg.
        call.legs.append(
            Leg("LEG-B", new_id(), str(endpoint.get("Uri", "")), caller_id, "Outbound", now_ms(), "Connected")
        )
        self._complete(call, {"Type": "CallAndBridge", "Parameters": params}, detail=str(endpoint.get("Uri")))

    def _complete(
        self, call: Call, action_data: dict[str, Any], leg: Leg | None = None, detail: str = ""
    ) -> None:
        action = call.current or action_data
        call.current = None
        self._record_action(call, action, "succeeded", leg=leg, detail=detail)
        if not call.pending:
            self._invoke_and_apply(call, "ACTION_SUCCESSFUL", action_data)

    def _fail(self, call: Call, action: dict[str, Any], error_type: str, message: str) -> None:
        call.current = None
        call.pending.clear()  # the guide: the actions after a failed one are dropped
        self._record_action(call, action, "failed", detail=f"{error_type}: {message}")
        self._invoke_and_apply(
            call,
            "ACTION_FAILED",
            {
                "Type": action.get("Type"),
                "Parameters": action.get("Parameters") or {},
                "ErrorType": error_type,
                "ErrorMessage": message,
            },
        )

    def _listen(self, call: Call) -> bool:
        """The ReceiveDigits listener looks at buffered digits; True if it did something."""
        if call.listener is None or not call.digits:
            return False
        params = call.listener.get("Parameters") or {}
        entry, call.digits = call.digits, ""
        if re.fullmatch(str(params.get("InputDigitsRegex", "")), entry) is None:
            call.note(f"ReceiveDigits: {entry!r} does not match {params.get('InputDigitsRegex')!r}; flushed")
            return True
        self._invoke_and_apply(
            call, "DIGITS_RECEIVED", {"ReceivedDigits": entry, "Type": "ReceiveDigits", "Parameters": params}
        )
        return True

    def _hangup_leg(self, call: Call, leg: Leg, code: str) -> None:
        leg.status = "Disconnected"
        data = {
            "Type": "Hangup",
            "Parameters": {"SipResponseCode": code, "CallId": leg.call_id, "ParticipantTag": leg.tag},
        }
        # With another leg still up the answer is run; for the last leg it is ignored.
        self._invoke_and_apply(call, "HANGUP", data)
        if not call.ended and not call.connected_legs():
            self._end(call, "completed", code, f"{leg.tag} hung up")

    def _record_action(
        self, call: Call, action: dict[str, Any], outcome: str, leg: Leg | None = None, detail: str = ""
    ) -> None:
        params = action.get("Parameters") or {}
        call.actions.append(
            {
                "step": call.next_step(),
                "virtualMs": call.virtual_ms,
                "type": action.get("Type"),
                "participantTag": leg.tag if leg else params.get("ParticipantTag"),
                "outcome": outcome,
                "detail": detail or _describe(action),
            }
        )

    # --- invocations --------------------------------------------------------------------------------

    def _answer_inbound(self, call: Call, candidates: list[Target]) -> None:
        call.sequence = 1
        for target in candidates:
            call.target = target
            event = call.build_event("NEW_INBOUND_CALL")
            result = self._call_lambda(call, event, attempt=1)
            if result.ok:
                self._apply(call, "NEW_INBOUND_CALL", result.response)
                return
            call.note(f"priority {target.priority} ({target.region}) could not be invoked: {result.outcome}")
        self._end(call, "failed", "480", "no target's Lambda could be invoked")

    def _place_outbound(self, call: Call, arguments: dict[str, str]) -> None:
        # Reading of the click-to-call sample (the guide is silent): ArgumentsMap arrives once, in
        # NEW_OUTBOUND_CALL, as ActionData {Type: CallCreateRequest, Parameters: {Arguments}} (an empty
        # map when none was given); it is not repeated later, handlers keep what they need in
        # TransactionAttributes.
        self._invoke_and_apply(
            call, "NEW_OUTBOUND_CALL", {"Type": "CallCreateRequest", "Parameters": {"Arguments": arguments}}
        )
        self._invoke_and_apply(call, "RINGING")
        for leg in call.legs:
            leg.status = "Connected"
        self._invoke_and_apply(call, "CALL_ANSWERED")

    def _invoke_and_apply(
        self, call: Call, event_type: str, action_data: dict[str, Any] | None = None
    ) -> bool:
        """Send one event and act on its answer; True when the answer replaced the pending actions."""
        response = self._invoke(call, event_type, action_data)
        if response is _FAILED:
            return False
        return self._apply(call, event_type, response)

    def _uses_response(self, call: Call, event_type: str) -> bool:
        return event_type in RESPONSE_USED and not (event_type == "HANGUP" and not call.connected_legs())

    def _apply(self, call: Call, event_type: str, response: Any) -> bool:
        """Act on one answer; a rejected answer is followed by INVALID_LAMBDA_RESPONSE and its answer, in
        a loop (the 1,000-invocation limit ends a Lambda that never answers validly)."""
        while True:
            record = call.invocations[-1]
            if not self._uses_response(call, event_type):
                attributes = response.get("TransactionAttributes") if isinstance(response, dict) else None
                if check_transaction_attributes(attributes) is None:
                    _merge_attributes(call, attributes)
                return False
            error = check_response(response)
            if error is None:
                record["responseUsed"] = True
                _merge_attributes(call, response.get("TransactionAttributes"))
                actions = response.get("Actions")
                if actions is None:
                    return False  # null/absent keeps the pending actions
                call.pending = deque(copy.deepcopy(actions))
                return True
            record["validationError"] = {
                "errorType": error.error_type,
                "message": error.message,
                "detail": error.detail,
            }
            # What follows is undocumented; the reasonable reading: tell the Lambda, run its next answer.
            event_type = "INVALID_LAMBDA_RESPONSE"
            response = self._invoke(
                call, event_type, None, {"ErrorType": error.error_type, "ErrorMessage": error.message}
            )

    def _invoke(
        self,
        call: Call,
        event_type: str,
        action_data: dict[str, Any] | None,
        extra: dict[str, Any] | None = None,
    ) -> Any:
        """Send one event, retrying a failure once. Returns the answer, or None after a failure whose
        answer the service did not need; a needed one ends the call (480)."""
        if call.sequence >= self.max_invocations:
            self._end(call, "failed", "480", f"invocation limit reached ({self.max_invocations} per call)")
            raise _CallEnded
        call.sequence += 1
        event = call.build_event(event_type, action_data, extra)
        result = self._call_lambda(call, event, attempt=1)
        attempt = 1
        while not result.ok and attempt <= self.retries:
            attempt += 1
            result = self._call_lambda(call, event, attempt=attempt)
        if result.ok:
            return result.response
        if self._uses_response(call, event_type):
            self._end(call, "failed", "480", f"the Lambda failed on {event_type}: {result.error}")
            raise _CallEnded
        return _FAILED

    def _call_lambda(self, call: Call, event: dict[str, Any], attempt: int) -> InvocationResult:
        """One Lambda call, with the call's lock released meanwhile; recorded in the call's history."""
        target = call.target
        assert target is not None
        record: dict[str, Any] = {
            "step": call.next_step(),
            "virtualMs": call.virtual_ms,
            "sequence": event["Sequence"],
            "eventType": event["InvocationEventType"],
            "attempt": attempt,
            "sipMediaApplicationId": target.sip_media_application_id,
            "region": target.region,
            "priority": target.priority,
            "functionArn": target.lambda_arn,
            "event": event,
        }
        call.lock.release()
        try:
            result = (
                self.invoker.invoke(target.lambda_arn, event)
                if target.lambda_arn
                else InvocationResult("unmapped", error="the SIP media application no longer exists")
            )
        finally:
            call.lock.acquire()
        record.update(
            via=result.via,
            outcome=result.outcome,
            error=result.error,
            logs=result.logs,
            durationMs=round(result.duration_ms, 3),
            response=result.response,
            responseUsed=False,
            validationError=None,
        )
        call.invocations.append(record)
        if call.ended:  # reset while the Lambda ran
            raise _CallEnded
        return result

    def _end(self, call: Call, status: str, code: str | None, reason: str) -> None:
        call.status, call.sip_response_code, call.end_reason = status, code, reason
        for leg in call.legs:
            if leg.status is not None:
                leg.status = "Disconnected"
        call.pending.clear()
        call.current = None
        call.parked = None
        self._cancel_timer(call)
        call.lock.notify_all()


def _merge_attributes(call: Call, attributes: Any) -> None:
    """Merged key by key; `{}` clears them all; null or absent changes nothing."""
    if attributes is None:
        return
    if attributes == {}:
        call.attributes.clear()
    else:
        call.attributes.update(attributes)


def _describe(action: dict[str, Any]) -> str:
    params = action.get("Parameters") or {}
    kind = action.get("Type")
    if kind == "Speak":
        return str(params.get("Text", ""))
    if kind == "SpeakAndGetDigits":
        return str((params.get("SpeechParameters") or {}).get("Text", ""))
    if kind in ("PlayAudio", "PlayAudioAndGetDigits"):
        return str((params.get("AudioSource") or {}).get("Key", ""))
    if kind == "Pause":
        return f"{params.get('DurationInMilliseconds')} ms"
    return ""
