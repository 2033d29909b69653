"""A call handler that always fails: the engine tests map the primary Region's function to it to see
PSTN audio fail over to the backup Region's application (priority 2)."""

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise RuntimeError("the primary handler is down (tests/engine/failing_handler.py)")
