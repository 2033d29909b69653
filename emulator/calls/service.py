"""`CallService`: the call simulator's facade for the emulator's HTTP layer and backend.

Routes inbound calls through the Directory, starts outbound ones, delivers updates, keeps the test
tools the calls meet (callee profiles, S3 objects, bots, meetings) and serves the admin endpoints
(`emulator.calls.admin`). Thread-safe: the HTTP server calls it from many threads.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from emulator.calls.action_faults import ActionFaults
from emulator.calls.bots import BotBook
from emulator.calls.engine import MAX_INVOCATIONS, Engine
from emulator.calls.invoker import Invoker
from emulator.calls.meetings import MeetingBook
from emulator.calls.model import Call, Leg, Stimulus, Target, new_id, now_ms
from emulator.calls.objects import ObjectStore
from emulator.calls.parties import CalleeBook, CalleeProfile, Party
from emulator.calls.scheduler import Scheduler
from emulator.directory import Directory, SipRuleView
from emulator.errors import BadRequestError, NotFoundError, ResourceLimitExceededError
from pstn.local_lambda import HandlerSpec
from pstn.sip_headers import inbound_headers

DEFAULT_WAIT_SECONDS = 60.0
# Calls kept for /_emulator/calls (`--call-retention`): past it the oldest ended ones are forgotten, so
# memory stays bounded on a long-running local stack; calls in progress are always kept.
DEFAULT_CALL_RETENTION = 5000


class CallService:
    """Thread-safe: the HTTP server calls it from many threads at once."""

    def __init__(
        self,
        directory: Directory,
        handlers: list[HandlerSpec] | None = None,
        *,
        lambda_endpoint: str | None = None,
        lambda_timeout: float = 5.0,
        idle_hangup: float = 30.0,
        time_scale: float = 0.0,
        max_invocations: int = MAX_INVOCATIONS,
        call_retention: int = DEFAULT_CALL_RETENTION,
        active_calls_per_sma: int = 0,
    ) -> None:
        if call_retention < 0:
            raise ValueError(f"call_retention must be >= 0 (got {call_retention})")
        self._retention = call_retention
        self._directory = directory
        self._invoker = Invoker(handlers or [], directory.account_id, lambda_timeout, lambda_endpoint)
        self._scheduler = Scheduler()
        self.objects, self.callees, self.bots, self.meetings = (
            ObjectStore(),
            CalleeBook(),
            BotBook(),
            MeetingBook(),
        )
        self.faults = ActionFaults()
        self._engine = Engine(
            directory,
            self._invoker,
            self._scheduler,
            idle_hangup=idle_hangup,
            time_scale=time_scale,
            max_invocations=max_invocations,
            objects=self.objects,
            callees=self.callees,
            bots=self.bots,
            meetings=self.meetings,
            faults=self.faults,
        )
        self._quota = active_calls_per_sma
        self._calls: dict[str, Call] = {}
        self._lock = threading.Lock()

    # --- what the backend and the HTTP layer call ----------------------------------------------------

    def start_outbound(
        self,
        region: str,
        sip_media_application_id: str,
        from_number: str,
        to_number: str,
        sip_headers: dict[str, str],
        arguments: dict[str, str],
    ) -> str:
        """Place a call for CreateSipMediaApplicationCall; returns its TransactionId at once and runs the
        call on a pool thread, as the service answers before the callee picks up. SipHeaders reach the
        callee (its record), never the Lambda's events (the click-to-call sample says so)."""
        sma = self._directory.sip_media_application(region, sip_media_application_id)
        if sma is None:
            raise NotFoundError(f"SipMediaApplication {sip_media_application_id} not found in {region}")
        if self._over_quota(region, sip_media_application_id):
            raise ResourceLimitExceededError(
                f"SipMediaApplication {sip_media_application_id} has reached its {self._quota} active calls"
            )
        call = Call(new_id(), "Outbound", self._directory.account_id, from_number, to_number)
        call.target = Target(sma.sip_media_application_id, sma.region, sma.lambda_arn, None)
        profile = self.callees.get(to_number)
        party = profile.party(f"callee {to_number}")
        party.sent_headers = dict(sip_headers)
        leg = Leg("LEG-A", new_id(), to_number, from_number, "Outbound", now_ms(), None, party=party)
        call.legs.append(leg)
        self._remember(call)
        self._scheduler.submit(lambda: self._engine.run_outbound(call, dict(arguments), profile))
        return call.transaction_id

    def update_call(
        self, region: str, sip_media_application_id: str, transaction_id: str, arguments: dict[str, str]
    ) -> None:
        with self._lock:
            call = self._calls.get(transaction_id)
        missing = NotFoundError(
            f"No active call {transaction_id} on SipMediaApplication {sip_media_application_id}"
        )
        if call is None:
            raise missing
        with call.lock:
            if (
                call.ended
                or call.target is None
                or call.target.region != region
                or call.target.sip_media_application_id != sip_media_application_id
            ):
                raise missing
        # UpdateSipMediaApplicationCall answers 202 and invokes the Lambda asynchronously.
        if not self._engine.post(call, Stimulus("update", {"arguments": dict(arguments)}), sync=False):
            raise missing

    def handle_admin(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        from emulator.calls.admin import handle

        return handle(self, method, path, body)

    def reset(self) -> None:
        with self._lock:
            calls = list(self._calls.values())
            self._calls.clear()
        for call in calls:
            self._engine.abandon(call, "emulator reset")
        for book in (self.objects, self.callees, self.bots, self.meetings, self.faults):
            book.clear()

    def close(self) -> None:
        self.reset()
        self._scheduler.close()
        self._invoker.close()

    # --- calls, for the admin endpoints ---------------------------------------------------------------

    def place_inbound(
        self,
        to: str,
        from_: str,
        host: str | None,
        party: Party,
        sip_headers: dict[str, str],
        bridge: CalleeProfile | None,
        wait: bool,
    ) -> dict[str, Any]:
        rule = self._route(to, host)
        call = Call(
            new_id(),
            "Inbound",
            self._directory.account_id,
            from_,
            to,
            sip_rule_id=rule.sip_rule_id,
            request_uri_hostname=host,
            bridge_profile=bridge,
        )
        headers = inbound_headers(sip_headers)
        call.legs.append(
            Leg(
                "LEG-A",
                new_id(),
                to,
                from_,
                "Inbound",
                now_ms(),
                "Connected",
                sip_headers=headers or None,
                party=party,
            )
        )
        candidates = []
        for target in rule.targets:
            sma = self._directory.sip_media_application(target.region, target.sip_media_application_id)
            # A target whose application is gone cannot be invoked: it fails over like any other.
            candidates.append(
                Target(
                    target.sip_media_application_id,
                    target.region,
                    sma.lambda_arn if sma else "",
                    target.priority,
                )
            )
        first = candidates[0] if candidates else None
        if first is not None and self._over_quota(first.region, first.sip_media_application_id):
            call.target = first
            call.status, call.sip_response_code = "failed", "480"
            call.end_reason = f"the SIP media application has reached its {self._quota} active calls"
            call.driving = False
            self._remember(call)
            return self.snapshot(call, {})
        self._remember(call)
        if wait:
            self._engine.run_inbound(call, candidates)
        else:
            self._scheduler.submit(lambda: self._engine.run_inbound(call, candidates))
        return self.snapshot(call, {})

    def call(self, transaction_id: str) -> Call:
        with self._lock:
            call = self._calls.get(transaction_id)
        if call is None:
            raise NotFoundError(f"Call {transaction_id} not found")
        return call

    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls.values())

    def stimulate(self, call: Call, stimulus: Stimulus) -> dict[str, Any]:
        if not self._engine.post(call, stimulus, sync=True):
            raise NotFoundError(f"Call {call.transaction_id} has ended")
        return self.snapshot(call, {})

    def meeting_left(self, transaction_ids: list[str], reason: str) -> None:
        """A meeting ended or an attendee was removed: the calls that joined as them lose LEG-B."""
        for transaction_id in transaction_ids:
            with self._lock:
                call = self._calls.get(transaction_id)
            if call is not None:
                self._engine.post(
                    call, Stimulus("meeting-left", {"participantTag": "LEG-B", "reason": reason}), True
                )

    def wait(self, call: Call, seconds: float, until: str) -> None:
        if until not in ("settled", "ended"):
            raise BadRequestError("until must be settled or ended")
        deadline = time.monotonic() + min(seconds, DEFAULT_WAIT_SECONDS)
        with call.lock:
            while not (call.ended if until == "ended" else call.settled):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                call.lock.wait(remaining)

    def snapshot(self, call: Call, query: dict[str, str]) -> dict[str, Any]:
        with call.lock:
            return call.to_dict(include_events=query.get("events", "true") != "false")

    # --- helpers ------------------------------------------------------------------------------------

    def _route(self, to: str, host: str | None) -> SipRuleView:
        """A call through a Voice Connector host matches RequestUriHostname rules first; otherwise (or if
        none matches) the dialled number's ToPhoneNumber rule."""
        rules: list[SipRuleView] = []
        if host:
            rules = self._directory.enabled_sip_rules("RequestUriHostname", host)
        if not rules:
            rules = self._directory.enabled_sip_rules("ToPhoneNumber", to)
        if not rules:
            where = f"{to}" + (f" or host {host}" if host else "")
            raise NotFoundError(f"No enabled SIP rule routes calls to {where}")
        return rules[0]

    def _over_quota(self, region: str, sip_media_application_id: str) -> bool:
        """Active calls of one application, a bridged call counting twice (*CallAndBridge*)."""
        if self._quota <= 0:
            return False
        active = 0
        for call in self.calls():
            with call.lock:
                target = call.target
                if call.ended or target is None:
                    continue
                if (target.region, target.sip_media_application_id) == (region, sip_media_application_id):
                    active += 2 if call.bridged_leg() is not None else 1
        return active >= self._quota

    def _remember(self, call: Call) -> None:
        with self._lock:
            self._calls[call.transaction_id] = call
            if len(self._calls) > self._retention:
                ended = [tid for tid, c in self._calls.items() if c.ended]  # dicts keep insertion order
                for tid in ended[: len(self._calls) - self._retention]:
                    del self._calls[tid]
