"""Idle and half-sent connections time out, and the server never serves more connections than its cap.

Private emulators with small limits keep these fast: `--request-timeout 0.4` for the timeouts, and
`--max-connections 2` with a long timeout for the cap (so a slot can only be freed by the cap's own
rules, never by a timeout). Every test ends by showing the server still answers a normal request.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from testbed.emulator_process import RunningEmulator, running_emulator
from tests.emulator.raw_http import Exchange, connect, exchange, read_until_close, request

TIMEOUT = 0.4
HEALTH = request("GET", "/_emulator/health")


@pytest.fixture(scope="module")
def impatient() -> Iterator[RunningEmulator]:
    with running_emulator(["--request-timeout", str(TIMEOUT), "--max-connections", "4"]) as emu:
        yield emu


@pytest.fixture(scope="module")
def capped() -> Iterator[RunningEmulator]:
    with running_emulator(["--request-timeout", "30", "--max-connections", "2"]) as emu:
        yield emu


def answers_normally(emu: RunningEmulator) -> None:
    assert emu.admin("GET", "/_emulator/health") == {"ok": True}


def threads(emu: RunningEmulator) -> int:
    for line in Path(f"/proc/{emu.process.pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count")


def settled_threads(emu: RunningEmulator) -> int:
    """The server's thread count once the threads of connections that just ended have exited."""
    last = threads(emu)
    for _ in range(40):
        time.sleep(0.05)
        now = threads(emu)
        if now == last:
            break
        last = now
    return last


def stalled(emu: RunningEmulator, payload: bytes) -> Exchange:
    """Send `payload` and nothing more: what the server does while the client waits."""
    return exchange(emu.url, payload, timeout=TIMEOUT + 2.0)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"POST /_emulator/res", id="half-a-request-line"),
        pytest.param(b"POST /_emulator/reset HTTP/1.1\r\nHost: emulator\r\n", id="half-the-headers"),
        pytest.param(request("POST", "/_emulator/reset", b'{"seed": 1}')[:-4], id="half-the-body"),
    ],
)
def test_a_half_sent_request_is_answered_408_and_dropped(impatient: RunningEmulator, payload: bytes) -> None:
    got = stalled(impatient, payload)
    assert got.closed, "a stalled client must be dropped"
    assert [a.status for a in got.answers] == [408]
    assert got.answers[0].error_type == "RequestTimeoutException"
    assert got.answers[0].headers["connection"] == "close"
    assert "--request-timeout" in got.answers[0].json()["Message"]
    answers_normally(impatient)


def server_spoke(sock: socket.socket) -> bool:
    """The server has written something or hung up (left unread)."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def test_a_client_trickling_bytes_is_cut_off_at_the_deadline(impatient: RunningEmulator) -> None:
    # Each byte arrives well within the timeout; only a deadline on the whole request stops this.
    trickle = b"GET /_emulator/health HTTP/1.1\r\nX-Slow: " + b"a" * 100
    with connect(impatient.url) as sock:
        started = time.monotonic()
        sent = 0
        for byte in trickle:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            sent += 1
            time.sleep(TIMEOUT / 8)
            if server_spoke(sock):
                break
        elapsed = time.monotonic() - started
        got = read_until_close(sock, timeout=2.0)
    assert sent < len(trickle), "the trickle was never cut off"
    assert elapsed < 4 * TIMEOUT
    assert [a.status for a in got.answers] == [408] and got.closed
    answers_normally(impatient)


def test_idle_connections_are_closed_without_an_answer(impatient: RunningEmulator) -> None:
    never_spoke = stalled(impatient, b"")
    assert never_spoke.closed and never_spoke.answers == []
    after_one = stalled(impatient, HEALTH)
    assert after_one.closed and [a.status for a in after_one.answers] == [200]
    answers_normally(impatient)


def test_half_sent_connections_never_hold_more_threads_than_the_cap(impatient: RunningEmulator) -> None:
    baseline = settled_threads(impatient)
    half_sent = request("POST", "/_emulator/reset", b"{}")[:-1]
    sockets = [connect(impatient.url, timeout=10) for _ in range(12)]
    try:
        for sock in sockets:
            sock.sendall(half_sent)
        peak = 0
        deadline = time.monotonic() + 3 * TIMEOUT
        while time.monotonic() < deadline:
            peak = max(peak, threads(impatient))
            time.sleep(0.02)
        with ThreadPoolExecutor(len(sockets)) as pool:
            results = list(pool.map(lambda s: read_until_close(s, timeout=8 * TIMEOUT + 2), sockets))
    finally:
        for sock in sockets:
            sock.close()
    assert baseline < peak <= baseline + 4, (baseline, peak)
    assert all(r.closed and [a.status for a in r.answers] == [408] for r in results), results
    answers_normally(impatient)


def test_a_waiting_connection_gets_an_idle_ones_slot(capped: RunningEmulator) -> None:
    # Two keep-alive connections, each idle after one answer, fill both slots; a third is served at
    # once (well inside the 30 s idle timeout) because one idle connection is closed for it.
    first, second = connect(capped.url), connect(capped.url)
    try:
        for sock in (first, second):
            sock.sendall(HEALTH)
            assert [a.status for a in read_until_close(sock, answers=1).answers] == [200]
        third = exchange(capped.url, HEALTH, answers=1, timeout=5.0)
        assert [a.status for a in third.answers] == [200]
        gone = [read_until_close(sock, timeout=0.5) for sock in (first, second)]
        assert [g.closed for g in gone].count(True) >= 1
        assert all(g.answers == [] for g in gone)
    finally:
        first.close()
        second.close()
    answers_normally(capped)


def test_busy_connections_close_after_their_answer_while_one_waits(capped: RunningEmulator) -> None:
    # Both slots hold half-sent requests (not idle: they cannot be closed). Two more connections
    # wait; the first request to complete is answered with Connection: close and gives its slot to
    # the first waiter, which is served (never closed unserved, though the other still waits) and
    # in turn hands its slot on.
    full = request("GET", "/_emulator/health", b'{"x": 1}')
    first, second = connect(capped.url), connect(capped.url)
    try:
        first.sendall(full[:-4])
        second.sendall(full[:-4])
        time.sleep(0.2)
        with connect(capped.url, timeout=5.0) as third, connect(capped.url, timeout=5.0) as fourth:
            third.sendall(HEALTH)
            fourth.sendall(HEALTH)
            assert read_until_close(third, timeout=0.5).answers == [], "served while both slots were held"
            first.sendall(full[-4:])
            done = read_until_close(first, timeout=3.0)
            assert [a.status for a in done.answers] == [200] and done.closed
            assert done.answers[0].headers["connection"] == "close"
            for waiter in (third, fourth):
                waited = read_until_close(waiter, answers=1, timeout=3.0)
                assert [a.status for a in waited.answers] == [200], waited
        second.sendall(full[-4:])
        assert [a.status for a in read_until_close(second, answers=1).answers] == [200]
    finally:
        first.close()
        second.close()
    answers_normally(capped)
