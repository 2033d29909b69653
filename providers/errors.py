"""The error the providers raise for a failure they explain themselves (the engine shows its
message to the user)."""

from __future__ import annotations


class ProviderError(Exception):
    """A failure the provider explains itself (shown to the user by the engine)."""
