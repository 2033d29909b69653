"""sma.masking and sma.log: numbers keep only their last four digits, in any field whatever its
name; log lines are JSON. Property-based: no number-like run reaches a log line from any event."""

from __future__ import annotations

import contextlib
import io
import json
import re
import uuid
from typing import Any

import call_handler
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sma import log
from sma.masking import mask_number, mask_text, masked

# The independent definition the masker must satisfy: 7+ digits (any script), optionally led by
# "+", at most two of ( ) . - or white space between digits; canonical UUIDs (ids) excepted.
NUMBER_LIKE = re.compile(r"\+?\d(?:[\s().-]{0,2}\d){6,}")
UUID_TOKEN = re.compile(r"(?<![^\W_])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![^\W_])")
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x660 + d) for d in range(10)))
FULL_WIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+12065550102", "***0102"),
        ("2065550102", "***0102"),
        ("+1 (206) 555-0102", "***0102"),
        ("+12345", "***2345"),
        ("+1234", "****"),
        ("", "****"),
        (12065550102, "***0102"),
    ],
)
def test_mask_number(value: object, expected: str) -> None:
    assert mask_number(value) == expected


def test_mask_text_finds_numbers_in_prose_and_uris() -> None:
    assert mask_text("Call +12065550102 or 206-555-0199.") == "Call ***0102 or ***0199."
    assert mask_text("sip:+12065550102@vc.example.com") == "sip:***0102@vc.example.com"
    assert mask_text("ext 1234, room 42") == "ext 1234, room 42"


def test_masked_walks_structures_and_spares_only_uuids() -> None:
    call_id = "12345678-9abc-4def-8123-456789012345"  # 8- and 12-digit runs: an id all the same
    value = {
        "To": "+12065550102",
        "From": "+12345",
        "Uri": "sip:+12065550199@host",
        "CallId": call_id,
        "note": ["dial 2065550177", f"call {call_id} ended"],
        "n": 5,
        # Whatever the field's name: ids that are not UUIDs, numbers in keys, numeric fields.
        "transaction_id": "+12065550103",
        "SipRuleId": "rule-2065550104",
        "+12065550105": "key",
        "event_type": 12065550106,
        "sequence": 12065550107.0,
        "ratio": 0.12065550108,
        "small": 123456,
    }
    assert masked(value) == {
        "To": "***0102",
        "From": "***2345",
        "Uri": "sip:***0199@host",
        "CallId": call_id,
        "note": ["dial ***0177", f"call {call_id} ended"],
        "n": 5,
        "transaction_id": "***0103",
        "SipRuleId": "rule-***0104",
        "***0105": "key",
        "event_type": "***0106",
        "sequence": "***0107",
        "ratio": "***0108",
        "small": 123456,
    }
    assert value["To"] == "+12065550102"  # a copy: the event itself is untouched


@pytest.mark.parametrize("text", [
    "+12065550102".translate(ARABIC_INDIC), "+1" + "2065550102".translate(FULL_WIDTH),
    "+1 (206) 555-0102", "206.555.0102", "1-206-555-0102", "+44 20 7946 0958",
])
def test_numbers_in_any_script_and_format_are_masked(text: str) -> None:
    hidden = mask_text(f"from {text}.")
    assert NUMBER_LIKE.search(hidden) is None and hidden.startswith("from ***")


def test_huge_numbers_are_masked_without_failing() -> None:
    assert masked({"n": 10**5000 + 102}) == {"n": "***0102"}  # str() of it would raise
    assert masked({"To": -12065550102}) == {"To": "***0102"}


def test_numbers_sent_as_json_numbers_are_masked_too() -> None:
    value = {"To": 12065550102, "from": 12065550199.0, "Participants": [{"From": [12065550177]}], "n": 7}
    assert masked(value) == {"To": "***0102", "from": "***0199", "Participants": [{"From": ["***0177"]}],
                             "n": 7}
    assert masked({"To": True}) == {"To": True}


def test_emit_writes_one_masked_json_line(capsys) -> None:
    log.emit(
        log.WARNING,
        "caller +12065550102 said",
        to="+12065550102",
        transaction_id="tx-2065550102",
        count=3,
        obj=object(),
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["level"] == "WARNING" and record["message"] == "caller ***0102 said"
    # An id field is no exception: this one holds a number.
    assert record["to"] == "***0102" and record["transaction_id"] == "tx-***0102" and record["count"] == 3
    assert "2065550102" not in lines[0]


def test_emit_never_raises(monkeypatch) -> None:
    class Broken:
        def write(self, _: str) -> int:
            raise OSError("stdout closed")

    monkeypatch.setattr("sys.stdout", Broken())
    log.emit(log.ERROR, "still fine")  # no exception


def leaks(value: Any) -> list[str]:
    """Every number-like run (outside UUIDs) in a decoded log record's keys and values."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            # A UUID is left whole, and it parts the digits on either side of it: "0000 <uuid> 000"
            # holds no phone number (hypothesis found the detector joining them).
            found += NUMBER_LIKE.findall(UUID_TOKEN.sub("|", item))
        elif isinstance(item, int | float) and not isinstance(item, bool):
            found += NUMBER_LIKE.findall(repr(item)) + ([repr(item)] if abs(item) >= 10**6 else [])
    return found


def phone_numbers() -> st.SearchStrategy[Any]:
    digits = st.from_regex(r"[2-9][0-9]{9}", fullmatch=True)
    written = st.sampled_from(["+1{}", "{}", "1-{}", "({}) x", "sip:+1{}@host", "tel:{}"])
    separated = (digits.map(lambda d: f"{d[:3]} {d[3:6]}-{d[6:]}")
                 | digits.map(lambda d: f"{d[:3]}.{d[3:6]}.{d[6:]}"))
    texts = st.tuples(written, digits).map(lambda wd: wd[0].format(wd[1])) | separated
    scripts = texts.map(lambda t: t.translate(ARABIC_INDIC)) | texts.map(lambda t: t.translate(FULL_WIDTH))
    return texts | scripts | digits.map(int) | digits.map(lambda d: float(d))


def sprinkled_text() -> st.SearchStrategy[str]:
    """Text with numbers or UUIDs in it."""
    piece = st.text(max_size=10) | phone_numbers().map(str) | st.uuids().map(str) | st.integers().map(str)
    return st.lists(piece, max_size=4).map(" ".join)


scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | phone_numbers() | sprinkled_text())
keys = st.text(max_size=10) | phone_numbers().map(str) | st.sampled_from(
    ["To", "From", "CallId", "TransactionId", "transaction_id", "event_type", "SipRuleId", "Arguments"])
nested = st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(keys, children, max_size=4), max_leaves=20)
PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(event=nested, field=keys)
def test_no_number_reaches_a_log_line_from_any_value(event: Any, field: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        log.emit(log.INFO, f"got {event!r}"[:300], event=event, **{f"f_{field}"[:20]: event})
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert leaks(json.loads(lines[0])) == []


@PROPERTY
@given(event=nested | st.dictionaries(keys, nested, max_size=6), details=nested, participant=nested)
def test_no_number_reaches_the_log_from_any_event_the_handler_gets(event: Any, details: Any,
                                                                     participant: Any) -> None:
    # Shaped enough like an event to reach each code path: malformed, unknown type, valid-ish.
    shaped = {"SchemaVersion": "1.0", "Sequence": details, "InvocationEventType": event,
              "CallDetails": {"TransactionId": details, "Participants": [participant], "Extra": event},
              "ActionData": event}
    for raw in (event, shaped):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            call_handler.handler(raw, None)
        for line in out.getvalue().splitlines():
            assert leaks(json.loads(line)) == [], line


def test_the_property_can_fail() -> None:
    # The checker itself: an unmasked number, id or numeric field is caught.
    assert leaks({"transaction_id": "+12065550102"}) and leaks({"event_type": 12065550102})
    assert leaks({"+1 206 555 0102": 1}) and leaks(["2065550102".translate(ARABIC_INDIC)])
    assert leaks({"CallId": str(uuid.uuid4())}) == []
