"""What the three Chime providers share: where to send calls, and nothing secret in the pickle.

The SDK pickles a provider instance into each resource's `__provider` input; the instance's
class (and through it this base) is pickled by reference, as module + name, so the state holds
no code and no client. `_connection` is a class default until the engine calls `configure`.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from providers.client import Connection
from providers.errors import ProviderError


def input_keys(args_type: type, *internal: str) -> tuple[str, ...]:
    """A resource's input property names: its args dataclass's fields, then `internal` inputs the
    resource sets itself (e.g. PhoneNumber's order_marker)."""
    return (*(f.name for f in fields(args_type)), *internal)


def resource_props(args: Any, *outputs: str) -> dict[str, Any]:
    """A resource's properties: every field of its args dataclass, plus its output-only
    properties as None (the engine fills them in from the provider's create)."""
    return {**{f.name: getattr(args, f.name) for f in fields(args)}, **dict.fromkeys(outputs)}


class ChimeProvider(ResourceProvider):
    serialize_as_secret_always = False  # the pickle holds no credentials: keep state readable
    _connection: Connection = Connection()

    def configure(self, req: ConfigureRequest) -> None:
        self._connection = Connection.from_config(req.config)

    def _default_region(self) -> str | None:
        """The Region a resource without its own gets, or None when none is configured (yet)."""
        try:
            return self._connection.resolve_region()
        except ProviderError:
            return None
