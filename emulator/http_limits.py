"""The HTTP layer's limits and their defaults: `python -m emulator --max-body-bytes/--request-timeout/
--max-connections` (kept apart from the server so the command line reads them without loading it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # Far above any chime-sdk-voice request (the largest are a few KB) and below anything that hurts.
    max_body_bytes: int = 1024 * 1024
    # Long enough for any client that is actually sending; idle keep-alive connections close after it,
    # as load balancers in front of AWS APIs close them after 60 s.
    request_timeout: float = 60.0
    # Threads never outnumber this; 100 concurrent callers still get a connection each.
    max_connections: int = 128
