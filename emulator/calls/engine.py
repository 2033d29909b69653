"""The call engine: plays the PSTN audio service's side of one call, event by event, on the call's
virtual clock.

A call is driven by one thread at a time (whoever posted the stimulus that woke it, or a pool thread
for real-time timers and updates). The driver fires the call's due virtual timers, starts the next
action, and with nothing left to do moves the virtual clock to the next timer: at once when
`time_scale` is 0 (no real waiting at all), after gap x `time_scale` real seconds otherwise. With no
timer ahead it parks idle until something arrives from outside (digits, a hang-up, an update) or the
caller gives up after `idle_hangup` real seconds. The driver holds `call.lock` except while a Lambda
runs, so readers and other stimuli are never blocked behind a slow handler, and a parked call holds
no thread.

The rules it follows, from the Developer Guide unless marked as a reading (the README lists each):
- One ACTION_SUCCESSFUL per action list, once the list has run; it reports the list's last action
  that is not a ReceiveDigits (a list of only ReceiveDigits reports the last one). Reading from AWS's
  samples (on-demand-recording, take-back-and-transfer, voice-focus, update-call).
- A failed action: ACTION_FAILED, and the actions after it are dropped (*Specifying actions*).
- An answer that cannot be used: INVALID_LAMBDA_RESPONSE; the answer to that is used (reading).
- HANGUP when a leg goes; its answer runs only while another leg is still connected (*Hangup*).
- CALL_UPDATE_REQUESTED first; when its answer carries actions, a running PlayAudio, RecordAudio or
  Pause stops (ACTION_INTERRUPTED, answer ignored) and the new list runs (*Updating in-progress calls*).
- A Lambda that times out is tried again every 5 s until 20 s have passed; one that fails otherwise is
  retried once; then the call ends with 480 (*Understanding timeouts and retries*). For
  NEW_INBOUND_CALL each target is tried once before the next priority (reading).
- `[]` in answer to NEW_INBOUND_CALL releases the call ("Actions list is empty."); no actions at all
  leave it unanswered until it times out after 30 s (*Receiving an inbound call*).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from emulator.calls import bridging, conversation, digits, media, meeting_actions, recording
from emulator.calls.action_faults import ActionFaults
from emulator.calls.bots import BotBook
from emulator.calls.invoker import Invoker
from emulator.calls.meetings import MeetingBook
from emulator.calls.model import RESPONSE_USED, Call, Leg, Running, Stimulus, Target, clone
from emulator.calls.objects import ObjectStore
from emulator.calls.parties import CalleeBook, CalleeProfile, Party
from emulator.calls.scheduler import Scheduler
from emulator.calls.timeline import Timer
from emulator.directory import Directory
from pstn.action_checks import LEG_INVALID, ActionError, check_action, given, speech_problem
from pstn.local_lambda import InvocationResult
from pstn.response_checks import check_response, check_transaction_attributes

MAX_INVOCATIONS = 1000
ATTEMPT_TIMEOUT_MS = 30_000  # an inbound call nobody acts on (*Receiving an inbound call*)
TIMEOUT_ATTEMPTS = 4  # 5 s each, until the service's 20 s are up
ERROR_ATTEMPTS = 2  # a failed invocation is retried once
INTERRUPTIBLE = frozenset({"PlayAudio", "RecordAudio", "Pause"})

_FAILED = object()  # an ignored event's invocation failed: nothing to act on
Runner = Callable[["Engine", Call, dict[str, Any], dict[str, Any]], None]


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
        objects: ObjectStore | None = None,
        callees: CalleeBook | None = None,
        bots: BotBook | None = None,
        meetings: MeetingBook | None = None,
        faults: ActionFaults | None = None,
    ) -> None:
        self.directory, self.invoker, self.scheduler = directory, invoker, scheduler
        self.idle_hangup, self.time_scale = idle_hangup, time_scale
        self.max_invocations = max_invocations
        self.objects = objects or ObjectStore()
        self.callees = callees or CalleeBook()
        self.bots = bots or BotBook()
        self.meetings = meetings or MeetingBook()
        self.faults = faults or ActionFaults()
        self.runners: dict[str, Runner] = {
            "Hangup": _run_hangup,
            **media.RUNNERS,
            **digits.RUNNERS,
            **bridging.RUNNERS,
            **recording.RUNNERS,
            **conversation.RUNNERS,
            **meeting_actions.RUNNERS,
        }

    # --- entry points (called without the call's lock) ----------------------------------------------

    # A new call is created with `driving=True` (see `Call.driving`): it counts as busy from the moment
    # it is visible, so a reader waiting for it to settle never sees it idle before it started.

    def run_inbound(self, call: Call, candidates: list[Target]) -> None:
        """Offer NEW_INBOUND_CALL to each target in priority order, then drive the call until it parks."""
        self._drive(call, lambda: self._answer_inbound(call, candidates))

    def run_outbound(self, call: Call, arguments: dict[str, str], profile: CalleeProfile) -> None:
        self._drive(call, lambda: self._place_outbound(call, arguments, profile))

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
                self._sync_clock(call)
                if first is not None:
                    first()
                timeline = call.timeline
                while not call.ended:
                    if call.inbox:
                        self._on_stimulus(call, call.inbox.popleft())
                        self._unpark(call)
                        continue
                    self._unpark(call)
                    due = timeline.pop_due()
                    if due is not None:
                        due.callback()
                    elif call.current is None and call.pending:
                        self._step(call)
                    else:
                        upcoming = timeline.next_timer()
                        if upcoming is None:
                            self._park_idle(call)
                            break
                        if self.time_scale <= 0:
                            timeline.now = upcoming.at
                        else:
                            self._park_timer(call, upcoming)
                            break
            except _CallEnded:
                pass
            except Exception as exc:  # a simulator bug must end the call visibly, not leave it hanging
                self._end(call, "failed", "480", f"simulator error: {exc!r}")
            finally:
                call.driving = False
                call.lock.notify_all()

    def _park_idle(self, call: Call) -> None:
        call.parked = "idle"
        token = call.timer_token

        def wake_up() -> None:
            self.post(call, Stimulus("idle", {"token": token}), sync=True)

        call.timer = self.scheduler.call_later(self.idle_hangup, wake_up)

    def _park_timer(self, call: Call, upcoming: Timer) -> None:
        call.parked = "timer"
        call.park_real, call.park_virtual, call.park_target = time.monotonic(), call.timeline.now, upcoming.at
        token = call.timer_token

        def wake_up() -> None:
            self.post(call, Stimulus("tick", {"token": token}), sync=True)

        call.timer = self.scheduler.call_later(
            (upcoming.at - call.timeline.now) / 1000 * self.time_scale, wake_up
        )

    def _sync_clock(self, call: Call) -> None:
        """Woken from a scaled wait: the virtual clock moved on by the real time that passed."""
        if call.parked == "timer" and self.time_scale > 0:
            passed = int((time.monotonic() - call.park_real) * 1000 / self.time_scale)
            call.timeline.now = max(call.timeline.now, min(call.park_target, call.park_virtual + passed))

    def _unpark(self, call: Call) -> None:
        if call.parked is None:
            return
        call.parked = None
        call.timer_token += 1
        if call.timer is not None:
            call.timer.cancel()
            call.timer = None

    # --- stimuli ------------------------------------------------------------------------------------

    def _on_stimulus(self, call: Call, stimulus: Stimulus) -> None:
        data, kind = stimulus.data, stimulus.kind
        if kind == "tick":
            if data.get("token") == call.timer_token and call.parked == "timer":
                call.timeline.now = max(call.timeline.now, call.park_target)
            return  # the driver fires the timer that is now due
        if kind == "idle":
            if data.get("token") != call.timer_token or call.parked != "idle":
                return  # a timer that fired after the call moved on
            legs = sorted(call.connected_legs(), key=lambda leg: leg.tag)  # the caller (LEG-A) first
            if legs:
                call.note(f"{legs[0].tag} hung up after {self.idle_hangup:g} s idle")
                self.leg_gone(call, legs[0], "0")
            return
        if kind == "update":
            self._update(call, dict(data.get("arguments") or {}))
            return
        tag = data.get("participantTag") or "LEG-A"
        leg = call.leg(tag)
        if leg is None or not leg.connected:
            call.note(f"{kind} from {tag} ignored: not connected")
            return
        if kind == "hangup":
            code = str(data.get("sipResponseCode", "0"))
            call.note(f"{tag} hung up (SIP {code})")
            self.leg_gone(call, leg, code)
        elif kind == "digits":
            self.press(call, leg, str(data.get("digits", "")))
        elif kind == "say":
            self.say(call, leg, str(data.get("text", "")))
        elif kind == "silence":
            self.set_silent(call, leg, bool(data.get("silent", True)))
        elif kind == "meeting-left":
            call.note(f"{tag} left: {data.get('reason', 'the meeting ended')}")
            self.leg_gone(call, leg, "0")

    def press(self, call: Call, leg: Leg, keys: str) -> None:
        """The person on `leg` presses `keys`: the running action takes them if it listens on that leg,
        else the leg's ReceiveDigits listener, else they are discarded (*ReceiveDigits*)."""
        call.note(f"{leg.tag} pressed {keys}")
        for key in keys:
            run = call.current
            if run is not None and run.on_digit is not None and run.on_digit(leg, key):
                continue
            if leg.listener is not None and leg.connected:
                digits.listener_key(self, call, leg, key)
                continue
            call.note(f"{leg.tag} pressed {key}: nothing listens, discarded")

    def say(self, call: Call, leg: Leg, text: str) -> None:
        call.note(f"{leg.tag} said {text!r}")
        run = call.current
        if run is not None and run.on_say is not None and run.on_say(leg, text):
            return
        call.note(f"{leg.tag}: nothing listens to speech, ignored")

    def set_silent(self, call: Call, leg: Leg, silent: bool) -> None:
        if leg.party is None or leg.party.silent == silent:
            return
        leg.party.silent = silent
        leg.party.silent_since = call.timeline.now if silent else None
        call.note(f"{leg.tag} {'fell silent' if silent else 'speaks again'}")
        run = call.current
        if run is not None and run.on_silence is not None:
            run.on_silence(leg)

    def schedule_party(self, call: Call, leg: Leg, party: Party) -> None:
        """The party's scripted steps, timed from now (the call's start, or the callee's answer)."""
        leg.party = party
        for step in party.steps:

            def act(step: Any = step) -> None:
                if not leg.connected or call.ended:
                    return
                if step.kind == "digits":
                    self.press(call, leg, step.value)
                elif step.kind == "say":
                    self.say(call, leg, step.value)
                elif step.kind == "silent":
                    self.set_silent(call, leg, step.value)
                else:
                    call.note(f"{leg.tag} hung up (SIP {step.value})")
                    self.leg_gone(call, leg, step.value)

            call.timeline.after(step.at_ms, act, f"{leg.tag} {step.kind}")
        if party.silent:
            party.silent_since = call.timeline.now

    def _update(self, call: Call, arguments: dict[str, str]) -> None:
        update = {"Type": "CallUpdateRequest", "Parameters": {"Arguments": arguments}}
        replaced = self.invoke_and_apply(call, "CALL_UPDATE_REQUESTED", update)
        run = call.current
        if replaced and run is not None and run.interruptible:
            # The new list stops a running PlayAudio/RecordAudio/Pause; the notice's answer is ignored.
            run.cancel_timers()
            call.current = None
            if run.on_stop is not None:
                run.on_stop("interrupted")
            self.record(call, run.action, "interrupted", run.leg, started_ms=run.started_ms)
            self.invoke_and_apply(call, "ACTION_INTERRUPTED", {"Type": run.kind, "Parameters": run.params})

    # --- actions ------------------------------------------------------------------------------------

    def _step(self, call: Call) -> None:
        action = call.pending.popleft()
        if call.state_timer is not None:
            call.state_timer.cancel()  # something runs: the 30 s attempt timeout no longer applies
            call.state_timer = None
        params: dict[str, Any] = action.get("Parameters") or {}
        problem = check_action(action) or speech_problem(action)
        if problem is None:
            fault = self.faults.take(action["Type"])
            if fault is not None:
                call.note(f"injected fault: {action['Type']} fails with {fault.error_type}")
                problem = ActionError(fault.error_type, fault.message)
        if problem is not None:
            error_type, message = problem.error_type, problem.message
            extra: dict[str, Any] = {}
            parameters = None
            caller = call.leg("LEG-A")
            caller_id = caller.call_id if caller is not None else ""
            if action["Type"] == "ModifyChimeMeetingAttendees":
                extra["ErrorList"] = list(problem.error_list or ())
            if action["Type"] == "StartBotConversation":  # its events name the conversation's CallId
                extra["CallId"] = params.get("CallId") if given(params, "CallId") else caller_id
            if action["Type"] == "CallAndBridge":  # as the page's failed example: with LEG-A's CallId
                parameters = {**params, "CallId": caller_id}
            self.fail(call, action, error_type, message, extra, parameters)
            return
        self.runners[action["Type"]](self, call, action, params)

    def resolve_leg(self, call: Call, params: dict[str, Any], default: str = "LEG-A") -> Leg | None:
        """CallId if given, else ParticipantTag, else `default`: the connected leg, or None. Empty strings
        count as absent (the samples send `ParticipantTag: ""`)."""
        if given(params, "CallId"):
            leg = call.leg_by_call_id(str(params["CallId"]))
        elif given(params, "ParticipantTag"):
            leg = call.leg(str(params["ParticipantTag"]))
        else:
            leg = call.leg(default)
        return leg if leg is not None and leg.connected else None

    def leg_or_fail(
        self, call: Call, action: dict[str, Any], params: dict[str, Any], default: str = "LEG-A"
    ) -> Leg | None:
        leg = self.resolve_leg(call, params, default)
        if leg is None:
            self.fail(call, action, "InvalidActionParameter", LEG_INVALID)
        return leg

    def start(
        self,
        call: Call,
        action: dict[str, Any],
        leg: Leg | None,
        label: str,
        interruptible: bool = False,
    ) -> Running:
        run = Running(action, action["Type"], action.get("Parameters") or {}, leg, label, interruptible)
        run.started_ms = call.timeline.now
        call.current = run
        if leg is not None and leg.tag == "LEG-A" and call.direction == "Inbound" and not call.answered:
            call.answered = True
            call.note("LEG-A answered")
        return run

    def after(self, call: Call, delay_ms: int, callback: Callable[[], None], label: str = "") -> Timer:
        """A timer belonging to the running action (cancelled when it ends)."""
        timer = call.timeline.after(delay_ms, callback, label)
        if call.current is not None:
            call.current.timers.append(timer)
        return timer

    def finish(self, call: Call, data: dict[str, Any], leg: Leg | None = None, detail: str = "") -> None:
        """The running action succeeded with `data` as its ActionData."""
        run = call.current
        if run is not None:
            run.cancel_timers()
        call.current = None
        started = run.started_ms if run is not None else None
        self.record(call, run.action if run is not None else data, "succeeded", leg, detail, started)
        self.report(call, data)

    def report(self, call: Call, data: dict[str, Any]) -> None:
        if data.get("Type") == "ReceiveDigits":
            call.listen_report = data
        else:
            call.report = data
        if not call.pending:
            report = call.report or call.listen_report
            call.report = call.listen_report = None
            self.invoke_and_apply(call, "ACTION_SUCCESSFUL", report)

    def fail(
        self,
        call: Call,
        action: dict[str, Any],
        error_type: str,
        message: str,
        extra: dict[str, Any] | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        run = call.current
        if run is not None:
            run.cancel_timers()
        call.current = None
        call.pending.clear()  # the guide: the actions after a failed one are dropped
        call.report = call.listen_report = None
        started = run.started_ms if run is not None else None
        self.record(call, action, "failed", run.leg if run else None, f"{error_type}: {message}", started)
        data: dict[str, Any] = {
            "Type": action.get("Type"),
            "Parameters": parameters if parameters is not None else (action.get("Parameters") or {}),
            "ErrorType": error_type,
            "ErrorMessage": message,
        }
        if extra:
            data.update(extra)
        self.invoke_and_apply(call, "ACTION_FAILED", data)

    def leg_gone(self, call: Call, leg: Leg, code: str, send_event: bool = True) -> None:
        """A leg hung up or was hung up: what ran on it stops, the Lambda hears HANGUP (answered only while
        another leg is connected), and with no leg left the call ends."""
        leg.status = "Disconnected"
        self._release_leg(call, leg)
        if leg.tag == "LEG-A":
            meeting = call.meeting_leg()
            if meeting is not None:
                # The caller leaves: the meeting leg goes with it, and one HANGUP (for LEG-A) tells both.
                meeting.status = "Disconnected"
                self._release_leg(call, meeting)
        if send_event:
            data = {
                "Type": "Hangup",
                "Parameters": {
                    "SipResponseCode": int(code),
                    "CallId": leg.call_id,
                    "ParticipantTag": leg.tag,
                },
            }
            self.invoke_and_apply(call, "HANGUP", data)
        if not call.ended and not call.connected_legs():
            self._end(call, "completed", code, f"{leg.tag} hung up")

    def _release_leg(self, call: Call, leg: Leg) -> None:
        if leg.listener is not None:
            leg.listener.cancel()
            leg.listener = None
        recording.stop_with_leg(self, call, leg)
        if leg.meeting is not None:
            self.meetings.join(leg.meeting[0], leg.meeting[1], None)
        run = call.current
        if run is not None and (run.leg is leg or (run.kind == "CallAndBridge" and leg.tag == "LEG-A")):
            run.cancel_timers()
            call.current = None
            if run.on_stop is not None:
                run.on_stop("abandoned")
            self.record(call, run.action, "abandoned", run.leg, f"{leg.tag} hung up", run.started_ms)

    def record(
        self,
        call: Call,
        action: dict[str, Any],
        outcome: str,
        leg: Leg | None = None,
        detail: str = "",
        started_ms: int | None = None,
    ) -> None:
        params = action.get("Parameters") or {}
        call.actions.append(
            {
                "step": call.next_step(),
                "startedMs": call.timeline.now if started_ms is None else started_ms,
                "virtualMs": call.timeline.now,
                "type": action.get("Type"),
                "participantTag": leg.tag if leg else params.get("ParticipantTag") or None,
                "outcome": outcome,
                "detail": detail or _describe(action),
            }
        )

    # --- invocations --------------------------------------------------------------------------------

    def _answer_inbound(self, call: Call, candidates: list[Target]) -> None:
        call.sequence = 1
        caller = call.leg("LEG-A")
        if caller is not None and caller.party is not None:
            self.schedule_party(call, caller, caller.party)
        for target in candidates:
            call.target = target
            event = call.build_event("NEW_INBOUND_CALL")
            result = self._call_lambda(call, event, attempt=1)
            if result.ok:
                outcome = self._apply(call, "NEW_INBOUND_CALL", result.response)
                self._after_inbound_answer(call, outcome)
                return
            call.note(f"priority {target.priority} ({target.region}) could not be invoked: {result.outcome}")
        self._end(call, "failed", "480", "no target's Lambda could be invoked")

    def _after_inbound_answer(self, call: Call, outcome: str) -> None:
        caller = call.leg("LEG-A")
        if caller is None or call.ended:
            return
        if outcome == "replaced" and not call.pending:
            call.note("Actions list is empty.: the call is released unanswered")
            self.leg_gone(call, caller, "480")
        elif outcome == "kept" and not call.pending:

            def times_out() -> None:
                if caller.connected and call.current is None and not call.pending and not call.answered:
                    call.note("nothing was done with the call for 30 s: the call attempt times out")
                    self.leg_gone(call, caller, "480")

            call.state_timer = call.timeline.after(ATTEMPT_TIMEOUT_MS, times_out, "attempt timeout")

    def _place_outbound(self, call: Call, arguments: dict[str, str], profile: CalleeProfile) -> None:
        # Reading of the click-to-call sample (the guide is silent): ArgumentsMap arrives once, in
        # NEW_OUTBOUND_CALL, as ActionData {Type: CallCreateRequest, Parameters: {Arguments}} (an empty
        # map when none was given); it is not repeated later, handlers keep what they need in
        # TransactionAttributes.
        callee = call.leg("LEG-A")
        assert callee is not None
        self.invoke_and_apply(
            call, "NEW_OUTBOUND_CALL", {"Type": "CallCreateRequest", "Parameters": {"Arguments": arguments}}
        )
        if profile.outcome in ("busy", "unreachable"):
            self._unanswered(call, callee, "486" if profile.outcome == "busy" else "480", profile.outcome)
            return
        self.invoke_and_apply(call, "RINGING")
        timeout = profile.no_answer_timeout_ms
        if profile.outcome == "reject":
            call.timeline.after(
                profile.ring_ms,
                lambda: self._unanswered(call, callee, profile.reject_code, "rejected"),
                "reject",
            )
        elif profile.outcome == "no-answer" or profile.ring_ms >= timeout:
            call.timeline.after(
                timeout, lambda: self._unanswered(call, callee, "480", "no answer"), "ring timeout"
            )
        else:

            def answered() -> None:
                callee.status = "Connected"
                call.note(f"{callee.to} answered")
                if callee.party is not None:
                    self.schedule_party(call, callee, callee.party)
                self.invoke_and_apply(call, "CALL_ANSWERED")

            call.timeline.after(profile.ring_ms, answered, "answer")

    def _unanswered(self, call: Call, callee: Leg, code: str, why: str) -> None:
        """An outbound call that was never answered: the Lambda gets HANGUP (ignored: no other leg)."""
        call.note(f"{callee.to}: {why} (SIP {code})")
        self.leg_gone(call, callee, code)
        if not call.ended:
            self._end(call, "completed", code, f"not answered: {why}")

    def invoke_and_apply(
        self, call: Call, event_type: str, action_data: dict[str, Any] | None = None
    ) -> bool:
        """Send one event and act on its answer; True when the answer replaced the pending actions."""
        response = self._invoke(call, event_type, action_data)
        if response is _FAILED:
            return False
        return self._apply(call, event_type, response) == "replaced"

    def _uses_response(self, call: Call, event_type: str) -> bool:
        return event_type in RESPONSE_USED and not (event_type == "HANGUP" and not call.connected_legs())

    def _apply(self, call: Call, event_type: str, response: Any) -> str:
        """Act on one answer: "replaced" (a new action list), "kept" (null Actions keep what is pending) or
        "ignored". A discarded answer is followed by INVALID_LAMBDA_RESPONSE and its answer, in a loop
        (the 1,000-invocation limit ends a Lambda that never answers usably)."""
        while True:
            record = call.invocations[-1]
            if not self._uses_response(call, event_type):
                attributes = response.get("TransactionAttributes") if isinstance(response, dict) else None
                if check_transaction_attributes(attributes) is None:
                    _merge_attributes(call, attributes)
                return "ignored"
            error = check_response(response)
            if error is None:
                record["responseUsed"] = True
                _merge_attributes(call, response.get("TransactionAttributes"))
                actions = response.get("Actions")
                if actions is None:
                    return "kept"  # null/absent keeps the pending actions
                call.pending = deque(clone(actions))
                call.report = call.listen_report = None
                return "replaced"
            record["validationError"] = {
                "errorType": error.error_type,
                "message": error.message,
                "detail": error.detail,
            }
            event_type = "INVALID_LAMBDA_RESPONSE"
            response = self._invoke(
                call, event_type, None, {"ErrorType": error.error_type, "ErrorMessage": error.message}
            )
            if response is _FAILED:
                return "ignored"

    def _invoke(
        self,
        call: Call,
        event_type: str,
        action_data: dict[str, Any] | None,
        extra: dict[str, Any] | None = None,
    ) -> Any:
        """Send one event: a timeout is tried again until the service's 20 s are up, another failure once.
        Returns the answer, or _FAILED after a failure whose answer the service did not need; a needed
        one ends the call (480)."""
        if call.sequence >= self.max_invocations:
            self._end(call, "failed", "480", f"invocation limit reached ({self.max_invocations} per call)")
            raise _CallEnded
        call.sequence += 1
        event = call.build_event(event_type, action_data, extra)
        attempt = 1
        result = self._call_lambda(call, event, attempt=attempt)
        while not result.ok and attempt < (
            TIMEOUT_ATTEMPTS if result.outcome == "timeout" else ERROR_ATTEMPTS
        ):
            attempt += 1
            result = self._call_lambda(call, event, attempt=attempt)
        if result.ok:
            return result.response
        if self._uses_response(call, event_type):
            why = _LOG_MESSAGES.get(result.outcome, f"the Lambda failed on {event_type}")
            self._end(call, "failed", "480", f"{why} ({event_type}: {result.error})")
            raise _CallEnded
        return _FAILED

    def _call_lambda(self, call: Call, event: dict[str, Any], attempt: int) -> InvocationResult:
        """One Lambda call, with the call's lock released meanwhile; recorded in the call's history."""
        target = call.target
        assert target is not None
        record: dict[str, Any] = {
            "step": call.next_step(),
            "virtualMs": call.timeline.now,
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
            recording.stop_with_leg(self, call, leg)
            if leg.listener is not None:
                leg.listener.cancel()
                leg.listener = None
            if leg.meeting is not None:
                self.meetings.join(leg.meeting[0], leg.meeting[1], None)
        run = call.current
        if run is not None:
            run.cancel_timers()
            if run.on_stop is not None:
                run.on_stop("abandoned")
        call.pending.clear()
        call.current = None
        call.timeline.clear()
        call.parked = None
        call.timer_token += 1
        if call.timer is not None:
            call.timer.cancel()
            call.timer = None
        call.lock.notify_all()


# The SIP media application's log messages for an invocation that failed (*Debugging unexpected hangups*).
_LOG_MESSAGES = {
    "timeout": "AWS Lambda client operation timed out.",
    "api-error": "Error while invoking the AWS Lambda function.",
}


def _run_hangup(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    code = str(params.get("SipResponseCode") or "0")
    data = {"Type": "Hangup", "Parameters": params}
    if leg.kind == "meeting":
        # The meeting leg leaves the meeting; the caller stays and hears ACTION_SUCCESSFUL (*Hangup*).
        leg.status = "Disconnected"
        if leg.meeting is not None:
            engine.meetings.join(leg.meeting[0], leg.meeting[1], None)
        engine.finish(call, data, leg, "left the meeting")
        return
    if leg.tag == "LEG-A" and call.direction == "Inbound" and not call.answered:
        call.note("LEG-A rejected (not answered)")
    engine.record(call, action, "succeeded", leg, f"SIP {code}")
    engine.leg_gone(call, leg, code)
    if not call.ended:
        engine.report(call, data)  # HANGUP first, then, with nothing left to run, ACTION_SUCCESSFUL


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
