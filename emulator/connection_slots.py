"""At most N connections served at once; a new one waits for a slot, and idle ones make room for it.

The acceptor calls `acquire` before it gives a new connection a thread, and that thread calls
`release` when it ends, so threads never outnumber the slots; connections beyond them wait (the one
being placed here, the rest in the kernel's listen backlog). While one waits the slots are
*pressed*: connections idle between keep-alive requests are closed to free a slot, and busy ones
close after their current answer (saying `Connection: close`). So a client holding idle connections
can never starve one with a request to send, and every slot is freed within the request timeout
unless its request is being served.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Callable


def _has_input(sock: socket.socket) -> bool:
    """Bytes (or a hang-up) already wait on the socket: its request is on the way, do not close it."""
    if hasattr(select, "poll"):  # select() cannot watch descriptors past 1024; Windows has no poll()
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class ConnectionSlots:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the connection limit must be at least 1")
        self.limit = limit
        self._cond = threading.Condition()
        self._active = 0
        self._waiting = 0
        self._idle: dict[int, socket.socket] = {}  # oldest idle first (dicts keep insertion order)
        self._closing: set[int] = set()  # idle connections already told to close, slot not yet freed

    @property
    def pressed(self) -> bool:
        """A new connection is waiting for a slot. (Read without the lock: a stale answer only means
        one more keep-alive answer, or one early close the client handles like any other.)"""
        return self._waiting > 0

    def acquire(self, stopping: Callable[[], bool], poll: float = 0.2) -> bool:
        """Wait for a slot; False if `stopping()` turned true first (the server is shutting down)."""
        with self._cond:
            self._waiting += 1
            try:
                while self._active >= self.limit:
                    self._close_idle()
                    self._cond.wait(poll)
                    if stopping():
                        return False
                self._active += 1
                return True
            finally:
                self._waiting -= 1

    def release(self, sock: socket.socket) -> None:
        with self._cond:
            self._idle.pop(id(sock), None)
            self._closing.discard(id(sock))
            self._active -= 1
            self._cond.notify()

    # `idle` and `busy` run once per request on the connection's own thread, and take no lock: only
    # that thread adds its socket, and single dict operations are atomic. A request that starts just
    # as its connection is being closed as idle is lost like one sent as a server's idle timeout
    # fires; clients retry those. `ending` does take the lock (see `_close_idle`).

    def idle(self, sock: socket.socket) -> bool:
        """The connection is about to wait for its next request. False when the slots are pressed:
        then it should close instead, and give its slot to the connection waiting for one."""
        if self._waiting:
            return False
        self._idle[id(sock)] = sock
        return True

    def busy(self, sock: socket.socket) -> None:
        """A request has started on the connection: it is no longer closable as idle."""
        self._idle.pop(id(sock), None)

    def ending(self, sock: socket.socket) -> None:
        """The connection's thread is about to close its socket: never shut it down after that."""
        with self._cond:
            self._idle.pop(id(sock), None)

    def _close_idle(self) -> None:
        # Called with the lock held, so a socket is shut down only before its thread has passed
        # `ending` (a closed socket's descriptor may already belong to a new connection).
        # Enough are closed for each waiter, oldest idle first.
        wanted = self._active - len(self._closing) - self.limit + self._waiting
        for key, sock in list(self._idle.items()):
            if wanted <= 0:
                return
            if _has_input(sock) or self._idle.pop(key, None) is None:
                continue  # a request is on its way, or has just started
            self._closing.add(key)
            wanted -= 1
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
