"""The local stack's phone numbers can really be provisioned: each PhoneNumber the program declares
for `local` is created by its provider against an emulator started the way `make local` starts it
(same flags, so the same seeded number pool). Mocks alone cannot see a number the pool never sells."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import pytest

from providers.phone_number import PhoneNumberProvider
from testbed.emulator_process import running_emulator
from testbed.program_mocks import ROOT, evaluate, stack_config
from tests.providers.conftest import configured

PHONE = "pulumi-python:dynamic/chime:PhoneNumber"
_SERVER_FLAGS = ("--host", "--port", "--state")  # where it listens and stores: the test picks its own


def local_emulator_args() -> list[str]:
    """The emulator flags of `scripts/local_stack.py up` (handlers, seed, ...), minus address and state."""
    spec = importlib.util.spec_from_file_location("local_stack_script", ROOT / "scripts" / "local_stack.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(script)
        command = script.command_for(script.servers()[0])
    finally:
        del sys.modules[spec.name]
    args = command[command.index("emulator") + 1:]
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _SERVER_FLAGS:
            skip = True
        else:
            kept.append(arg)
    return kept


def test_every_local_number_can_be_ordered_from_a_fresh_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCAL_EMULATOR_ARGS", raising=False)
    monkeypatch.setenv("CHIME_PSTN_ORDER_POLL_SECONDS", "0.02")
    run = evaluate("local", stack_config("local"))
    assert run.error is None, run.error
    declared = [{k: v for k, v in r.inputs.items() if k != "__provider"} for r in run.of_type(PHONE)]
    assert len(declared) == 2 and any(d.get("e164_phone_number") for d in declared)
    created: list[Any] = []
    with running_emulator([*local_emulator_args(), "--order-delay", "0"]) as emulator:
        provider = configured(PhoneNumberProvider(), emulator)
        for props in declared:
            result = provider.create(props)
            assert result.outs is not None and result.outs["status"] == "Unassigned", result.outs
            created.append(result.id)
    wanted = [d["e164_phone_number"] for d in declared if d.get("e164_phone_number")]
    assert set(wanted) <= set(created) and len(set(created)) == len(declared)
