"""An `up` killed while its phone number orders are Processing, the `up` after it, and the pending
operations the engine reports; then `destroy` of the (unprotected) stack.

The emulator keeps orders Processing for ORDER_DELAY seconds, long enough for the first `up` to be
killed (the CLI with every plugin it started, at once, as a crash would) and, usually, for the second
to find the orders still in flight (or completing as it looks: either way it must order nothing).
Shares nothing with the other engine modules: its own emulator, stack and state (its tests run in
order on one worker: pytest distributes by file).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from engine import tooling
from testbed.pulumi_cli import PulumiCli, kill_group
from tests.engine import probe
from tests.engine.engine_world import (
    BACKUP_FN,
    BACKUP_REGION,
    CALL_HANDLER_SAYS,
    HANDLERS,
    KEY,
    PRIMARY_FN,
    PRIMARY_REGION,
    EngineWorld,
    function_arn,
    resources,
)

probe.engine_or_skip()

pytestmark = pytest.mark.timeout(300)

STACK = "interrupted"
ORDER_DELAY = 12.0  # seconds an order stays Processing: past the kill, often into the next up
PHONE = "pulumi-python:dynamic/chime:PhoneNumber"
NUMBER_URNS = ("routing-number-search-tollfree-us-844", "routing-number-12062370000")
PENDING_WARNING = "pending operations from previous deployment"


class Interrupted:
    def __init__(self, world: EngineWorld, cli: PulumiCli) -> None:
        self.world = world
        self.cli = cli
        self.numbers: list[str] = []


@pytest.fixture(scope="module")
def stack(pulumi_engine: tooling.Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Interrupted]:
    world = EngineWorld(pulumi_engine, tmp_path_factory.mktemp("interrupted"),
                        ["--order-delay", str(ORDER_DELAY)])
    try:
        world.start_emulator(HANDLERS)
        config: dict[str, Any] = {
            "aws:region": PRIMARY_REGION,
            f"{KEY}chimeEndpoint": world.url,
            f"{KEY}handlerArn": function_arn(PRIMARY_FN, PRIMARY_REGION),
            f"{KEY}backupRegion": BACKUP_REGION,
            f"{KEY}backupHandlerArn": function_arn(BACKUP_FN, BACKUP_REGION),
            f"{KEY}protectPhoneNumbers": False,
            f"{KEY}phoneNumbers": [{"search": {"phoneNumberType": "TollFree", "country": "US",
                                               "tollFreePrefix": "844"}},
                                   {"e164": "+12062370000"}],
        }
        cli = world.new_stack(STACK, config)
        yield Interrupted(world, cli)
        print("\n" + cli.report())
    finally:
        world.close()


def _placed(operations: list[str]) -> bool:
    done = Counter(operations)
    return done["CreatePhoneNumberOrder"] >= 2 and done["CreateSipMediaApplication"] >= 2


def _pending(state: dict[str, Any]) -> set[tuple[str, str]]:
    return {(op["type"], op["resource"]["urn"].rsplit("::", 1)[1])
            for op in state["deployment"].get("pending_operations") or []}


def test_up_killed_while_orders_are_processing_then_up_orders_each_number_once(stack: Interrupted) -> None:
    world, cli = stack.world, stack.cli
    world.emu.reset_requests()
    first = cli.start("up", "--yes", "--skip-preview")
    try:
        # Killed once both orders are placed and both applications exist (an application whose
        # create was cut off could be created twice: that is not what this test is about).
        deadline = time.monotonic() + 180
        while not _placed(world.operations()):
            assert first.poll() is None, first.stdout.read() if first.stdout else ""
            assert time.monotonic() < deadline, "the first up never ordered both numbers"
            time.sleep(0.05)
        time.sleep(1.0)  # the engine records the applications' creates
    finally:
        kill_group(first)
    orders = world.world().orders
    assert [o["Status"] for o in orders] == ["Processing", "Processing"]
    # The engine recorded both numbers' creates as begun and never finished.
    assert {("creating", name) for name in NUMBER_URNS} <= _pending(cli.stack_export())

    # The killed CLI left its lock behind (file backend): the next command is refused until
    # `pulumi cancel` deletes it (pkg/backend/diy/lock.go, CancelCurrentUpdate in backend.go).
    locked = cli.events("up", "--yes", "--skip-preview")
    assert locked.returncode != 0 and "the stack is currently locked" in locked.text(), locked.text()
    assert "pulumi cancel" in locked.text()
    cli.ok("cancel", "--yes")

    up = cli.events("up", "--yes", "--skip-preview")
    assert up.returncode == 0, f"{up.text()}\nrequests: {world.operations()}\norders: {world.world().orders}"
    assert PENDING_WARNING in up.text(), up.text()  # the engine names them and carries on
    for name in NUMBER_URNS:
        assert f"{name}, interrupted while creating" in up.text()
    after = world.world()
    # Exactly one order per number, in all: the second up resumed the orders in flight.
    assert Counter(world.operations())["CreatePhoneNumberOrder"] == 2
    assert len(after.orders) == 2 and {o["Status"] for o in after.orders} == {"Successful"}
    outputs = cli.outputs()
    stack.numbers = outputs["phoneNumbers"]
    ordered = {n["E164PhoneNumber"] for o in after.orders for n in o["OrderedPhoneNumbers"]}
    assert set(stack.numbers) == ordered == after.live_numbers()
    assert {after.numbers[n]["Status"] for n in stack.numbers} == {"Assigned"}
    state = cli.stack_export()
    assert sorted(r["id"] for r in resources(state, PHONE)) == sorted(stack.numbers)
    assert {r["TriggerValue"] for r in after.rules.values()} == set(stack.numbers)
    assert sorted(a["Region"] for a in after.applications.values()) == [PRIMARY_REGION, BACKUP_REGION]
    assert all(world.call(n).said == [CALL_HANDLER_SAYS] for n in stack.numbers)
    # The engine keeps a pending CREATE until the user clears it (pkg/backend/snapshot.go): the
    # README's advice, `pulumi refresh --clear-pending-creates`, drops the stale records and nothing else.
    assert {("creating", name) for name in NUMBER_URNS} <= _pending(state)
    world.emu.reset_requests()
    cli.ok("refresh", "--yes", "--skip-preview", "--clear-pending-creates")
    cleared = cli.stack_export()
    assert _pending(cleared) == set()
    assert sorted(r["id"] for r in resources(cleared, PHONE)) == sorted(stack.numbers)
    assert world.mutations() == []


def test_destroy_of_an_unprotected_stack_leaves_no_rule_no_application_and_releases_every_number(
        stack: Interrupted) -> None:
    assert len(stack.numbers) == 2
    before = stack.world.world()
    assert before.rules and len(before.applications) == 2
    stack.world.emu.reset_requests()
    destroy = stack.cli.ok_events("destroy", "--yes", "--skip-preview")
    assert Counter(op for op, _ in destroy.changed()) == Counter({"delete": 12}), destroy.text()
    after = stack.world.world()
    assert after.rules == {} and after.applications == {}
    assert after.live_numbers() == set()
    assert {after.numbers[n]["Status"] for n in stack.numbers} == {"ReleaseInProgress"}
    # Rules disabled, then deleted, before their numbers were released.
    requests = stack.world.operations()
    assert Counter(requests)["DeletePhoneNumber"] == 2
    last_rule = max(i for i, op in enumerate(requests) if op == "DeleteSipRule")
    assert last_rule < min(i for i, op in enumerate(requests) if op == "DeletePhoneNumber")
    assert resources(stack.cli.stack_export()) == []
    assert stack.world.tripwire.hits == []
