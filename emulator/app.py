"""The emulator behind the HTTP framing: route, fault, parse, run, serialise, log.

`handle_api` answers AWS requests; `handle_admin` the `/_emulator/` endpoints (never faulted).
Both return an `Answer`; the HTTP layer only writes it (or, for a dropped answer, closes the socket).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import traceback
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from awsutil.service_model import service_model
from emulator import legacy_chime
from emulator.backend import Backend, NotEmulatedError
from emulator.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    ServiceError,
    ServiceFailureError,
    ServiceUnavailableError,
    ThrottledClientError,
    UnauthorizedClientError,
)
from emulator.faults import DROP, ERROR, THROTTLE, FaultInjector
from emulator.json_depth import check_json_depth
from emulator.request_parser import parse_request
from emulator.routes import route_table
from emulator.serialize import serialize

if TYPE_CHECKING:
    from emulator.calls.service import CallService

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/[^/,\s]+/aws4_request")
_JSON = "application/json"


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # the change is committed but no answer is written

    @classmethod
    def json(cls, status: int, document: Any, headers: dict[str, str] | None = None) -> Answer:
        return cls(status, json.dumps(document, separators=(",", ":")).encode(),
                   {"Content-Type": _JSON, **(headers or {})})

    @classmethod
    def error(cls, err: ServiceError) -> Answer:
        return cls.json(err.status, {"Message": err.message}, {"x-amzn-ErrorType": err.code})


class RequestLog:
    """The API requests served, in order. Bounded so a long-running local stack cannot grow without
    limit: past `limit` entries the oldest are forgotten."""

    def __init__(self, limit: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)

    def add(self, operation: str, status: int, region: str | None, fault: str | None) -> None:
        with self._lock:
            self._entries.append({"operation": operation, "status": status, "region": region, "fault": fault})

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def region_of(headers: dict[str, str]) -> str:
    """The Region of the SigV4 credential scope (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`)."""
    auth = headers.get("authorization", "")
    found = _SCOPE.search(auth)
    if not found:
        raise UnauthorizedClientError("The request is not signed with AWS Signature Version 4 credentials")
    return found.group(1)


class Emulator:
    def __init__(self, backend: Backend, faults: FaultInjector, calls: CallService | None) -> None:
        self.backend = backend
        self.faults = faults
        self.calls = calls
        self.log = RequestLog()
        self._routes = route_table()

    # --- AWS API ---------------------------------------------------------------------------------

    def handle_api(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                   body: bytes) -> Answer:
        """`headers` keys are lower-case."""
        legacy = legacy_chime.legacy_path(path)
        if legacy is not None:
            return self._legacy(method, legacy, query, headers)
        request_id = str(uuid.uuid4())
        matched = self._routes.match(method, path, query)
        if matched is None:
            answer = Answer.json(404, {"Message": f"No operation matches {method} {path}"},
                                 {"x-amzn-ErrorType": "UnknownOperationException"})
            self.log.add("Unknown", answer.status, None, None)
            return answer
        route, labels = matched
        region: str | None = None
        fault: str | None = None
        try:
            region = region_of(headers)
            fault = self.faults.next() if self.faults.active else None
            if fault == THROTTLE:
                raise ThrottledClientError("Rate exceeded (injected fault)")
            if fault == ERROR:
                raise ServiceUnavailableError("Service unavailable (injected fault)")
            answer = self._run(route.name, region, labels, query, headers, body)
        except ServiceError as err:
            answer = Answer.error(err)
        except Exception as exc:  # a bug must still answer like the service, and be visible
            traceback.print_exc(file=sys.stderr)
            answer = Answer.error(ServiceFailureError(f"Internal error: {type(exc).__name__}: {exc}"))
        answer.headers["x-amzn-RequestId"] = request_id
        if fault == DROP:
            answer.drop = True
        self.log.add(route.name, answer.status, region, fault)
        return answer

    def _legacy(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer:
        """The deprecated `chime` API: signed requests are all refused (see `emulator.legacy_chime`)."""
        region: str | None = None
        try:
            region = region_of(headers)
            raise ForbiddenError(legacy_chime.forbidden_message(self.backend.config.account_id))
        except ServiceError as err:
            answer = Answer.error(err)
        answer.headers["x-amzn-RequestId"] = str(uuid.uuid4())
        self.log.add(legacy_chime.operation_name(method, path, query), answer.status, region, None)
        return answer

    def _run(self, operation_name: str, region: str, labels: dict[str, str], query: dict[str, list[str]],
             headers: dict[str, str], body: bytes) -> Answer:
        if not self.backend.emulates(operation_name):
            raise NotEmulatedError(f"{operation_name} is not emulated by this local chime-sdk-voice emulator")
        operation = service_model().operation_model(operation_name)
        check_json_depth(body)
        params = parse_request(operation, labels, query, headers, body)
        out = self.backend.handle(operation_name, region, params)
        status = int(operation.http.get("responseCode", 200))
        if operation.output_shape is None:
            return Answer(status)
        return Answer.json(status, serialize(operation.output_shape, out))

    # --- admin -------------------------------------------------------------------------------------

    def handle_admin(self, method: str, path: str, body: bytes) -> Answer:
        try:
            check_json_depth(body)
            return self._admin(method, path, body)
        except ServiceError as err:
            return Answer.error(err)
        except ValueError as exc:  # e.g. a body that is not JSON
            return Answer.json(400, {"Message": str(exc)}, {"x-amzn-ErrorType": "BadRequestException"})
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            return Answer.error(ServiceFailureError(f"Internal error: {type(exc).__name__}: {exc}"))

    def _admin(self, method: str, path: str, body: bytes) -> Answer:
        """`path` is the request target as sent, query string included (the simulator reads it)."""
        route = path.partition("?")[0].rstrip("/")
        if route == "/_emulator/requests" and method == "GET":
            return Answer.json(200, {"requests": self.log.entries()})
        if route == "/_emulator/requests" and method == "DELETE":
            self.log.clear()
            return Answer(204)
        if route == "/_emulator/reset" and method == "POST":
            self.reset(seed=_reset_seed(body))
            return Answer.json(200, {"reset": True})
        if route == "/_emulator/health" and method == "GET":
            return Answer.json(200, {"ok": True})
        if _simulator_route(route):
            if self.calls is None:
                return Answer.json(501, {"Message": "The call simulator (emulator.calls) is not available"},
                                   {"x-amzn-ErrorType": "NotImplemented"})
            document = json.loads(body) if body.strip() else None
            status, answer = self.calls.handle_admin(method, path, document)
            return Answer(status) if answer is None else Answer.json(status, answer)
        raise NotFoundError(f"No such emulator endpoint: {method} {path}")

    def reset(self, seed: int | None = None) -> None:
        """Forget resources, calls and the log; `seed` re-seeds the fault injector."""
        self.backend.store.reset()
        self.faults.reset(seed)
        if self.calls is not None:
            self.calls.reset()
        self.log.clear()


def _simulator_route(route: str) -> bool:
    """The call simulator's admin endpoints (`emulator.calls.admin`): calls and what they meet."""
    from emulator.calls.admin import owns

    return owns(route)


def _reset_seed(body: bytes) -> int | None:
    """The optional body of `POST /_emulator/reset`: `{"seed": N}` (no body: no new seed)."""
    if not body.strip():
        return None
    document = json.loads(body)
    if not isinstance(document, dict) or set(document) - {"seed"}:
        raise BadRequestError('The reset body must be empty or {"seed": <integer>}')
    seed = document.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise BadRequestError(f"seed must be an integer, got {seed!r}")
    return seed
