"""sma.masking and sma.log: numbers keep only their last four digits; log lines are JSON."""

from __future__ import annotations

import json

import pytest
from sma import log
from sma.masking import mask_number, mask_text, masked


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


def test_masked_walks_structures_and_spares_ids() -> None:
    value = {
        "To": "+12065550102",
        "From": "+12345",
        "Uri": "sip:+12065550199@host",
        "CallId": "12345678-aaaa",
        "note": ["dial 2065550177"],
        "n": 5,
    }
    assert masked(value) == {
        "To": "***0102",
        "From": "***2345",
        "Uri": "sip:***0199@host",
        "CallId": "12345678-aaaa",
        "note": ["dial ***0177"],
        "n": 5,
    }
    assert value["To"] == "+12065550102"  # a copy: the event itself is untouched


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
    assert record["to"] == "***0102" and record["transaction_id"] == "tx-2065550102" and record["count"] == 3
    assert "2065550102" not in lines[0].replace("tx-2065550102", "")


def test_emit_never_raises(monkeypatch) -> None:
    class Broken:
        def write(self, _: str) -> int:
            raise OSError("stdout closed")

    monkeypatch.setattr("sys.stdout", Broken())
    log.emit(log.ERROR, "still fine")  # no exception
