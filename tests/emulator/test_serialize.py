"""Output serialisation under the multi-threaded server: an answer never uses a half-built writer."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from botocore.model import Shape, ShapeResolver, StructureShape

from emulator import serialize as ser

MODEL: dict[str, Any] = {
    "ReviewSlowOutput": {
        "type": "structure",
        "members": {"First": {"shape": "ReviewText"}, "Second": {"shape": "ReviewText"}},
    },
    "ReviewText": {"type": "string"},
}


class _SlowMembers(OrderedDict[str, Shape]):
    """Members that take a while to list: the first compile of the shape is caught halfway."""

    def __init__(self, members: dict[str, Shape], halfway: threading.Event) -> None:
        super().__init__(members)
        self.halfway = halfway

    def items(self) -> Iterator[tuple[str, Shape]]:  # type: ignore[override]
        for item in super().items():
            yield item
            if not self.halfway.is_set():
                self.halfway.set()
                time.sleep(0.3)  # no assertion rests on it: it only gives the race its chance


def test_a_second_request_waits_for_the_first_compile_instead_of_using_half_a_writer() -> None:
    resolver: Any = ShapeResolver(MODEL)
    halfway = threading.Event()
    shape = StructureShape("ReviewSlowOutput", MODEL["ReviewSlowOutput"], resolver)
    # `members` is a cached property: this instance's cache gets the slow listing.
    shape.__dict__["members"] = _SlowMembers(dict(shape.members), halfway)
    value = {"First": "one", "Second": "two"}
    answers: list[Any] = []
    first = threading.Thread(target=lambda: answers.append(ser.serialize(shape, value)))
    first.start()
    assert halfway.wait(30)
    # The first compile is now registered but has only one of its two members.
    second = ser.serialize(shape, value)
    first.join()
    assert second == value and answers == [value]
