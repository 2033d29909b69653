"""`ops` against an endpoint that accepts connections and never answers: the operator hears about
it within the deadline, in one line naming the operation, the attempts and the time spent."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.blackhole import blackhole

DEADLINE = 2.0
SLACK = 1.5  # building the client and printing, on 2 shared cores


def test_a_blackholed_endpoint_fails_within_the_deadline(run_ops, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_API_DEADLINE_SECONDS", str(DEADLINE))
    monkeypatch.setenv("OPS_RETRY_BASE_SECONDS", "0.05")
    with blackhole() as url:
        started = time.monotonic()
        result = run_ops("numbers", "search", "--endpoint-url", url, "--region", "us-east-1",
                         "--area-code", "206")
        took = time.monotonic() - started
    assert result.code == 1 and took <= DEADLINE + SLACK, (took, result.err)
    expected = (r"error: SearchAvailablePhoneNumbers: gave up after \d+ attempts in [0-9.]+ s "
                r"\(deadline 2 s\); last error: Read timeout on endpoint URL: .*\n")
    assert re.fullmatch(expected, result.err), result.err
