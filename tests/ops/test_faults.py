"""Faults (seeded emulator fault injection): throttled requests are retried without ever starting a
second call; a lost answer to a call request is reported, not resent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from testbed.emulator_process import running_emulator
from tests.ops.conftest import CALLEE, provision_stack, write_outputs


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.setenv("PULUMI_BIN", "/nonexistent/pulumi")


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A state file holding a stack's number, application and rule, provisioned without faults
    (faulty emulators below start from a copy of it)."""
    state = tmp_path_factory.mktemp("faults") / "state.db"
    with running_emulator(["--order-delay", "0", "--state", str(state)]) as emu:
        return state, provision_stack(emu)


def faulty_emulator(provisioned: tuple[Path, dict[str, Any]], tmp_path: Path, *faults: str) -> Any:
    state = tmp_path / "state.db"
    shutil.copy(provisioned[0], state)
    return running_emulator(["--state", str(state), *faults])


def test_throttling_is_retried_and_places_exactly_one_call(
    run_ops, tmp_path, monkeypatch, fast_retries, provisioned
):
    outputs = write_outputs(tmp_path, provisioned[1])
    with faulty_emulator(provisioned, tmp_path, "--throttle-rate", "0.6", "--seed", "11") as emu:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", emu.url)
        search = run_ops("numbers", "search", "--country", "US", "--max-results", "1")
        assert search.code == 0, search.err
        started = run_ops("call", "--to", CALLEE, "--outputs-file", outputs, "--json")
        assert started.code == 0, started.err
        log = emu.requests()
    calls = [r for r in log if r["operation"] == "CreateSipMediaApplicationCall"]
    assert [r["fault"] for r in calls if r["status"] == 201] == [None]  # exactly one call placed
    # The seed makes the service throttle both the search and the call at least once.
    assert any(r["fault"] == "throttle" for r in calls), "no call request was throttled: test proves nothing"
    assert any(r["fault"] == "throttle" and r["operation"] == "SearchAvailablePhoneNumbers" for r in log)
    assert json.loads(started.out)["TransactionId"]


@pytest.mark.parametrize(("fault", "message"), [
    ("--drop-rate", "the answer to create_sip_media_application_call was lost"),
    ("--error-rate", "create_sip_media_application_call failed with ServiceUnavailableException"),
])
def test_an_ambiguous_failure_of_a_call_is_not_resent(
    run_ops, tmp_path, monkeypatch, fast_retries, provisioned, fault, message
):
    # A lost answer or a server fault does not say whether the call was placed: never resend it.
    outputs = write_outputs(tmp_path, provisioned[1])
    with faulty_emulator(provisioned, tmp_path, fault, "1.0") as emu:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", emu.url)
        result = run_ops("call", "--to", CALLEE, "--outputs-file", outputs)
        log = emu.requests()
    assert result.code == 1
    assert message in result.err
    assert "it may have taken effect, so it was not resent" in result.err
    assert [r["operation"] for r in log] == ["CreateSipMediaApplicationCall"]
