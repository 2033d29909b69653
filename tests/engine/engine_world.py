"""A private world for engine tests: a copy of the project, a file backend, a private emulator, and
AWS endpoints that lead nowhere.

`EngineWorld` owns, in one temporary folder: the project copy the real CLI runs in
(testbed.pulumi_cli.copy_project), the state (file backend) and PULUMI_HOME, an emulator on a port of
its own whose state is a file (so it can be restarted with other handler mappings and keep
everything), and a `Tripwire` that every AWS endpoint variable names (the chime-sdk-voice one too:
stacks here reach the emulator only through their stack config's chimeEndpoint). Plugin downloads
are off (engine.tooling.offline_env). Order polls and retry waits are shortened, as in the provider
tests.

`World` is the emulator's inventory read back with boto3: what a test compares the stack with (those
reads are API requests too: a test resets the request log right before what it measures).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import tooling
from testbed.emulator_process import ACCOUNT_ID, RunningEmulator, start_emulator
from testbed.pulumi_cli import (
    PulumiCli,
    Tripwire,
    copy_project,
    fake_aws_env,
    is_mutating,
    write_stack_config,
)

REGIONS = ("us-east-1", "us-west-2")
PRIMARY_REGION, BACKUP_REGION = REGIONS
# Short waits, as in the provider tests: order polls and the providers' own retry backoff.
FAST_ENV = {"CHIME_PSTN_ORDER_POLL_SECONDS": "0.05", "CHIME_PSTN_RETRY_BASE_SECONDS": "0.01"}
CALL_HANDLER = "handlers/call_handler.py:handler"
BACKUP_HANDLER = "handlers/backup_handler.py:handler"
FAILING_HANDLER = "tests/engine/failing_handler.py:handler"
# The function names the engine stacks bring by ARN, and the handler file the emulator runs for each.
PRIMARY_FN, BACKUP_FN = "engine-test-call-handler", "engine-test-backup-handler"
HANDLERS = {PRIMARY_FN: CALL_HANDLER, BACKUP_FN: BACKUP_HANDLER}
# What each handler file says when the emulator runs it with no GREETING of its own.
CALL_HANDLER_SAYS = "Hello! This is a test call from Amazon Chime SDK PSTN Audio."
BACKUP_HANDLER_SAYS = "Hello! This is the backup handler for Amazon Chime SDK PSTN Audio."
CALLER = "+12065550199"
KEY = "chime-pstn-routing:"


def function_arn(name: str, region: str) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class World:
    """The emulator's inventory: numbers by E.164, applications and rules by id (with their Region),
    and every phone number order."""

    numbers: dict[str, dict[str, Any]]
    applications: dict[str, dict[str, Any]]
    rules: dict[str, dict[str, Any]]
    orders: list[dict[str, Any]]

    def live_numbers(self) -> set[str]:
        """Numbers still in the account (not released)."""
        gone = ("ReleaseInProgress", "DeleteInProgress")
        return {n for n, d in self.numbers.items() if d["Status"] not in gone}

    def rule_for(self, number: str) -> dict[str, Any]:
        (rule,) = [r for r in self.rules.values() if r["TriggerValue"] == number]
        return rule


@dataclass
class CallAnswer:
    """Who answered a simulated inbound call, and what it said."""

    status: str
    sip_media_application_id: str | None
    region: str | None
    priority: int | None
    said: list[str]
    record: dict[str, Any]


class EngineWorld:
    def __init__(self, engine: tooling.Engine, root: Path, emulator_args: Sequence[str] = ()) -> None:
        self.engine = engine
        self.root = root
        self.project = copy_project(root / "project")
        for folder in ("state", "home"):
            (root / folder).mkdir()
        self.tripwire = Tripwire()
        self.port = free_port()
        self.emulator_args = list(emulator_args)
        self.emulator: RunningEmulator | None = None

    # ---- the emulator -------------------------------------------------------------------------
    def start_emulator(self, handlers: Mapping[str, str]) -> RunningEmulator:
        """Start (or restart) the emulator on this world's port and state file, with `handlers`
        (function name -> FILE.py:FUNCTION, relative to the repository) mapped for calls."""
        self.stop_emulator()
        args = ["--port", str(self.port), "--state", str(self.root / "emulator.db"), *self.emulator_args]
        for name, target in handlers.items():
            args += ["--handler", f"{name}={target}"]
        self.emulator = start_emulator(args)
        return self.emulator

    def stop_emulator(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None

    @property
    def emu(self) -> RunningEmulator:
        assert self.emulator is not None, "start_emulator() first"
        return self.emulator

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def operations(self) -> list[str]:
        return self.emu.operations()

    def mutations(self) -> list[str]:
        return [op for op in self.operations() if is_mutating(op)]

    # ---- the CLI ------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = tooling.offline_env(self.engine, state_dir=self.root / "state", home_dir=self.root / "home",
                                  base=fake_aws_env(os.environ))
        env.update(FAST_ENV)
        env.update(self.tripwire.endpoint_env(chime=True))
        return env

    def cli(self, stack: str) -> PulumiCli:
        return PulumiCli(self.engine.pulumi, self.project, self.env(), stack=stack)

    def new_stack(self, stack: str, config: Mapping[str, Any]) -> PulumiCli:
        """`pulumi stack init` with `config` (stack-file keys) already in Pulumi.<stack>.yaml."""
        write_stack_config(self.project, stack, config)
        cli = self.cli(stack)
        cli.ok("stack", "init")
        return cli

    def set_config(self, cli: PulumiCli, config: Mapping[str, Any]) -> None:
        assert cli.stack is not None
        write_stack_config(self.project, cli.stack, config)

    # ---- reading the emulator back ------------------------------------------------------------
    def world(self) -> World:
        chime = {region: self.emu.client(region) for region in REGIONS}
        numbers = {n["E164PhoneNumber"]: n for n in _all(chime[PRIMARY_REGION].list_phone_numbers,
                                                           "PhoneNumbers")}
        applications: dict[str, dict[str, Any]] = {}
        rules: dict[str, dict[str, Any]] = {}
        for region, client in chime.items():
            for sma in _all(client.list_sip_media_applications, "SipMediaApplications"):
                applications[sma["SipMediaApplicationId"]] = {**sma, "Region": region}
            for rule in _all(client.list_sip_rules, "SipRules"):
                rules[rule["SipRuleId"]] = {**rule, "Region": region}
        orders = list(_all(chime[PRIMARY_REGION].list_phone_number_orders, "PhoneNumberOrders"))
        return World(numbers, applications, rules, orders)

    def call(self, to: str) -> CallAnswer:
        """A simulated inbound call to `to`, run until it ends."""
        record = self.emu.admin("POST", "/_emulator/calls", {"to": to, "from": CALLER})
        record = self.emu.admin("GET", f"/_emulator/calls/{record['transactionId']}/ended")
        said = []
        for invocation in record.get("invocations", []):
            for action in (invocation.get("response") or {}).get("Actions", []):
                if action.get("Type") == "Speak":
                    said.append(action["Parameters"]["Text"])
        return CallAnswer(record["status"], record.get("sipMediaApplicationId"), record.get("region"),
                          record.get("priority"), said, record)

    @contextmanager
    def watching_rules(self, interval: float = 0.02) -> Iterator[list[dict[str, list[str]]]]:
        """Samples every rule (name -> ids, trigger -> ids) while the block runs."""
        samples: list[dict[str, list[str]]] = []
        stop = threading.Event()
        clients = [self.emu.client(region) for region in REGIONS]

        def sample() -> None:
            while not stop.is_set():
                names: dict[str, list[str]] = {}
                for client in clients:
                    for rule in _all(client.list_sip_rules, "SipRules"):
                        names.setdefault(f"name:{rule['Name']}", []).append(rule["SipRuleId"])
                        names.setdefault(f"trigger:{rule['TriggerValue']}", []).append(rule["SipRuleId"])
                samples.append(names)
                time.sleep(interval)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield samples
        finally:
            stop.set()
            thread.join(timeout=10)

    def close(self) -> None:
        self.stop_emulator()
        self.tripwire.close()


def _all(operation: Any, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    token = None
    while True:
        page = operation(**params, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return


def resources(state: dict[str, Any], type_suffix: str = "") -> list[dict[str, Any]]:
    """The resources of a `pulumi stack export`, optionally only those whose type ends so."""
    return [r for r in state["deployment"].get("resources", []) if r["type"].endswith(type_suffix)]


def config_json(value: Any) -> str:
    return json.dumps(value)
