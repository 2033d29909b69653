"""The byte source under a connection's buffered reader: every read ends by a deadline.

A connection gets `timeout` seconds to start its next request (an idle keep-alive connection is
closed after that) and, from the request's first byte, `timeout` seconds to send all of it: a
client that stalls half-way, or trickles a byte at a time, is cut off then instead of holding its
thread forever. A per-read socket timeout alone would let a trickle last indefinitely.
"""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


class DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, timeout: float, on_first_byte: Callable[[], None]) -> None:
        super().__init__()
        self._sock = sock
        self._timeout = timeout
        self._on_first_byte = on_first_byte
        self._deadline = time.monotonic() + timeout
        self.started = False  # a byte of the current request has arrived
        self.timed_out = False

    def expect_request(self) -> None:
        """The connection now waits for its next request."""
        self._deadline = time.monotonic() + self._timeout
        self.started = False
        self.timed_out = False

    def linger(self, seconds: float) -> None:
        """Read and drop what the client still sends, for at most `seconds` or until it hangs up, so
        closing with its bytes unread does not reset the connection before it has read our answer."""
        self._deadline = time.monotonic() + min(seconds, self._timeout)
        scratch = bytearray(65536)
        try:
            while self.readinto(scratch):
                pass
        except OSError:  # the deadline (TimeoutError) or a reset: either way we are done
            pass

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            raise TimeoutError("the request did not arrive in time")
        self._sock.settimeout(remaining)
        try:
            count = self._sock.recv_into(buffer)
        except TimeoutError:
            self.timed_out = True
            raise
        if count and not self.started:
            self.started = True
            self._deadline = time.monotonic() + self._timeout
            self._on_first_byte()
        return count
