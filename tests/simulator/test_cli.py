"""The simulator's command-line edges and its timer thread: bad input is a clear error, never a traceback
or a dead timer thread."""

from __future__ import annotations

import argparse
import http.server
import threading
from collections.abc import Iterator

import pytest

from emulator.__main__ import serve
from emulator.calls.cli import add_arguments, build_service, call_command
from emulator.calls.scheduler import Scheduler
from tests.simulator.support import FakeDirectory


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--idle-hangup", "nan"),
        ("--idle-hangup", "inf"),
        ("--idle-hangup", "0"),
        ("--lambda-timeout", "nan"),
        ("--lambda-timeout", "inf"),
        ("--time-scale", "nan"),
        ("--time-scale", "inf"),
        ("--time-scale", "-1"),
    ],
)
def test_timing_flags_must_be_finite(flag: str, value: str) -> None:
    with pytest.raises(SystemExit) as refused:
        build_service(_args(flag, value), FakeDirectory())
    assert flag in str(refused.value)


def test_the_emulator_reports_a_bad_simulator_flag_as_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        serve(["--port", "0", "--idle-hangup", "nan"])
    assert refused.value.code == 2 and "--idle-hangup" in capsys.readouterr().err


def test_a_far_timer_does_not_stop_the_near_ones() -> None:
    scheduler = Scheduler(workers=1)
    try:
        # Beyond threading.TIMEOUT_MAX: a Pause of centuries at --time-scale 1 asks for such a wait.
        scheduler.call_later(1e12, lambda: None)
        fired = threading.Event()
        scheduler.call_later(0.01, fired.set)
        assert fired.wait(30), "the timer thread died"
        with pytest.raises(ValueError):
            scheduler.call_later(float("nan"), lambda: None)
    finally:
        scheduler.close()


def test_call_command_refuses_an_endpoint_that_is_not_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        call_command(["--endpoint", "localhost:8600", "--to", "+12065550100", "--from", "+12065550199"])
    assert refused.value.code == 2 and "--endpoint" in capsys.readouterr().err


class _NotTheEmulator(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<html>hello</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def other_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotTheEmulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_call_command_says_when_the_endpoint_is_not_the_emulator(
    other_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = call_command(["--endpoint", other_server, "--to", "+12065550100", "--from", "+12065550199"])
    assert code == 2 and "cannot reach the emulator" in capsys.readouterr().err
