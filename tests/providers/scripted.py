"""A chime-sdk-voice client whose calls fail or answer as a test scripts them, for driving the
providers' own loops in process (the retrying client and the emulator would hide them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from providers.client import Connection


def as_sent(value: Any) -> Any:
    """`value` with every string a new object, as a client parses it off the wire (or the engine hands
    a provider its inputs): an identity comparison with a literal then fails, as it would in use."""
    if isinstance(value, str):
        return "".join([*value])
    if isinstance(value, dict):
        return {as_sent(k): as_sent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    return value


def error(code: str, status: int = 400) -> ClientError:
    response: Any = as_sent({"Error": {"Code": code, "Message": f"{code} from the test"},
                             "ResponseMetadata": {"HTTPStatusCode": status}})
    return ClientError(response, "Operation")


THROTTLED = error("ThrottledClientException", 429)
FATAL = error("ForbiddenException", 403)
NOT_FOUND = error("NotFoundException", 404)
CONFLICT = error("ConflictException", 409)
BAD_REQUEST = error("BadRequestException", 400)


class ScriptedClient:
    """Operation `name` answers from `scripts[name]` in turn (an exception in it is raised), then
    from `defaults[name](params)`, else `{}`. Every call is recorded."""

    def __init__(
        self, defaults: dict[str, Callable[[dict[str, Any]], Any]] | None = None, **scripts: list[Any]
    ) -> None:
        self.scripts = scripts
        self.defaults = defaults or {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.deadline = 30.0
        self.once = self

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(**params: Any) -> Any:
            self.calls.append((name, params))
            script = self.scripts.get(name, [])
            if script:
                answer = script.pop(0)
                if isinstance(answer, BaseException):
                    raise answer
                return as_sent(answer)
            default = self.defaults.get(name)
            return as_sent(default(params)) if default is not None else {}

        return call

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


class ScriptedConnection(Connection):
    """A Connection whose every client is the given scripted one; `regions` lists the Region each
    client was asked for."""

    def __init__(self, client: ScriptedClient, region: str = "us-east-1") -> None:
        super().__init__(region=region)
        object.__setattr__(self, "scripted", client)
        object.__setattr__(self, "regions", [])

    def client(self, region: str) -> Any:
        self.regions.append(region)  # type: ignore[attr-defined]
        return self.scripted  # type: ignore[attr-defined]
