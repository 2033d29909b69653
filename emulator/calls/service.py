"""`CallService`: the call simulator's facade for the emulator's HTTP layer and backend.

Routes inbound calls through the Directory, starts outbound ones, delivers updates, and serves
the `/_emulator/calls...` admin endpoints. Thread-safe: the HTTP server calls it from many threads.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from emulator.calls.engine import MAX_INVOCATIONS, Engine
from emulator.calls.invoker import Invoker
from emulator.calls.model import Call, Leg, Stimulus, Target, new_id, now_ms
from emulator.calls.scheduler import Scheduler
from emulator.directory import Directory, SipRuleView
from emulator.errors import BadRequestError, NotFoundError
from pstn.local_lambda import HandlerSpec

ADMIN_PREFIX = "/_emulator/calls"
DEFAULT_WAIT_SECONDS = 60.0
# Calls kept for /_emulator/calls (`--call-retention`): past it the oldest ended ones are forgotten, so
# memory stays bounded on a long-running local stack; calls in progress are always kept.
DEFAULT_CALL_RETENTION = 5000
BRIDGE_OUTCOMES = ("answer", "busy", "no-answer")


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
    ) -> None:
        if call_retention < 0:
            raise ValueError(f"call_retention must be >= 0 (got {call_retention})")
        self._retention = call_retention
        self._directory = directory
        self._invoker = Invoker(handlers or [], directory.account_id, lambda_timeout, lambda_endpoint)
        self._scheduler = Scheduler()
        self._engine = Engine(
            directory,
            self._invoker,
            self._scheduler,
            idle_hangup=idle_hangup,
            time_scale=time_scale,
            max_invocations=max_invocations,
        )
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
        call on a pool thread, as the service answers before the callee picks up. SipHeaders are not
        passed to the Lambda (the guide), so they are accepted and dropped."""
        sma = self._directory.sip_media_application(region, sip_media_application_id)
        if sma is None:
            raise NotFoundError(f"SipMediaApplication {sip_media_application_id} not found in {region}")
        call = Call(new_id(), "Outbound", self._directory.account_id, from_number, to_number)
        call.target = Target(sma.sip_media_application_id, sma.region, sma.lambda_arn, None)
        call.legs.append(Leg("LEG-A", new_id(), to_number, from_number, "Outbound", now_ms(), None))
        self._remember(call)
        self._scheduler.submit(lambda: self._engine.run_outbound(call, dict(arguments)))
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
        parts = urlsplit(path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        segments = [s for s in parts.path[len(ADMIN_PREFIX) :].split("/") if s]
        if not parts.path.startswith(ADMIN_PREFIX):
            raise NotFoundError(f"No such emulator endpoint: {method} {parts.path}")
        if not segments and method == "POST":
            return 201, self._inbound(_object(body))
        if not segments and method == "GET":
            with self._lock:
                calls = list(self._calls.values())
            return 200, {"calls": [_summary(c) for c in calls]}
        call = self._call(segments[0]) if segments else None
        if call is not None and len(segments) == 1 and method == "GET":
            self._wait(call, _seconds(query.get("wait", "0"), "wait"), query.get("until", "settled"))
            return 200, self._snapshot(call, query)
        if (
            call is not None
            and len(segments) == 2
            and method == "GET"
            and segments[1] in ("settled", "ended")
        ):
            # The same as ?wait=S&until=..., for HTTP layers that do not pass the query string on.
            self._wait(call, _seconds(query.get("wait", str(DEFAULT_WAIT_SECONDS)), "wait"), segments[1])
            return 200, self._snapshot(call, query)
        if call is not None and len(segments) == 2 and method == "POST":
            payload = _object(body)
            if segments[1] == "digits":
                digits = payload.get("digits")
                if not isinstance(digits, str) or not digits or any(c not in "0123456789#*" for c in digits):
                    raise BadRequestError("digits must be a non-empty string of 0-9, # and *")
                return 200, self._stimulate(call, Stimulus("digits", {"digits": digits}))
            if segments[1] == "hangup":
                tag = payload.get("participantTag", "LEG-A")
                code = str(payload.get("sipResponseCode", "0"))
                if tag not in ("LEG-A", "LEG-B"):
                    raise BadRequestError("participantTag must be LEG-A or LEG-B")
                return 200, self._stimulate(
                    call, Stimulus("hangup", {"participantTag": tag, "sipResponseCode": code})
                )
        raise NotFoundError(f"No such emulator endpoint: {method} {parts.path}")

    def reset(self) -> None:
        with self._lock:
            calls = list(self._calls.values())
            self._calls.clear()
        for call in calls:
            self._engine.abandon(call, "emulator reset")

    def close(self) -> None:
        self.reset()
        self._scheduler.close()
        self._invoker.close()

    # --- inbound routing ----------------------------------------------------------------------------

    def _inbound(self, body: dict[str, Any]) -> dict[str, Any]:
        to, from_ = body.get("to"), body.get("from")
        host = body.get("requestUriHostname")
        digits = body.get("digits", "")
        bridge = body.get("bridge", "answer")
        if not isinstance(to, str) or not to:
            raise BadRequestError("to is required: the dialled number (E.164)")
        if not isinstance(from_, str) or not from_:
            raise BadRequestError("from is required: the caller's number (E.164)")
        if host is not None and (not isinstance(host, str) or not host):
            raise BadRequestError("requestUriHostname must be a non-empty string")
        if not isinstance(digits, str) or any(c not in "0123456789#*" for c in digits):
            raise BadRequestError("digits must be a string of 0-9, # and *")
        if bridge not in BRIDGE_OUTCOMES:
            raise BadRequestError(f"bridge must be one of {', '.join(BRIDGE_OUTCOMES)}")
        rule = self._route(to, host)
        call = Call(
            new_id(),
            "Inbound",
            self._directory.account_id,
            from_,
            to,
            sip_rule_id=rule.sip_rule_id,
            request_uri_hostname=host,
            bridge_outcome=bridge,
            digits=digits,
        )
        call.legs.append(Leg("LEG-A", new_id(), to, from_, "Inbound", now_ms(), "Connected"))
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
        self._remember(call)
        if body.get("wait", True):
            self._engine.run_inbound(call, candidates)
        else:
            self._scheduler.submit(lambda: self._engine.run_inbound(call, candidates))
        return self._snapshot(call, {})

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

    # --- helpers ------------------------------------------------------------------------------------

    def _remember(self, call: Call) -> None:
        with self._lock:
            self._calls[call.transaction_id] = call
            if len(self._calls) > self._retention:
                ended = [tid for tid, c in self._calls.items() if c.ended]  # dicts keep insertion order
                for tid in ended[: len(self._calls) - self._retention]:
                    del self._calls[tid]

    def _call(self, transaction_id: str) -> Call:
        with self._lock:
            call = self._calls.get(transaction_id)
        if call is None:
            raise NotFoundError(f"Call {transaction_id} not found")
        return call

    def _stimulate(self, call: Call, stimulus: Stimulus) -> dict[str, Any]:
        if not self._engine.post(call, stimulus, sync=True):
            raise NotFoundError(f"Call {call.transaction_id} has ended")
        return self._snapshot(call, {})

    def _wait(self, call: Call, seconds: float, until: str) -> None:
        if until not in ("settled", "ended"):
            raise BadRequestError("until must be settled or ended")
        deadline = time.monotonic() + min(seconds, DEFAULT_WAIT_SECONDS)
        with call.lock:
            while not (call.ended if until == "ended" else call.settled):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                call.lock.wait(remaining)

    def _snapshot(self, call: Call, query: dict[str, str]) -> dict[str, Any]:
        with call.lock:
            return call.to_dict(include_events=query.get("events", "true") != "false")


def _summary(call: Call) -> dict[str, Any]:
    with call.lock:
        return {
            "transactionId": call.transaction_id,
            "direction": call.direction,
            "status": call.status,
            "from": call.from_number,
            "to": call.to_number,
            "invocationCount": len(call.invocations),
        }


def _object(body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequestError("the request body must be a JSON object")
    return body


def _seconds(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadRequestError(f"{name} must be a number of seconds") from None
    if value < 0:
        raise BadRequestError(f"{name} must not be negative")
    return value
