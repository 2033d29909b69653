"""The handler's settings and log lines on their edges: each setting's limits at the limit and one past
it, blank values kept quietly, warnings cut at 80 characters; VoiceConfig as a value; log values of
every JSON type, and a log that cannot be written."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from sma import log
from sma.config import VoiceConfig, load_voice_config

from tests.handlers.support import log_lines

DEFAULTS: dict[str, Any] = {
    "greeting": "Hello",
    "voice_id": "Joanna",
    "engine": "neural",
    "language_code": None,
}


def load(capsys: pytest.CaptureFixture[str], **environ: str) -> tuple[VoiceConfig, list[dict[str, Any]]]:
    config = load_voice_config(environ, **DEFAULTS)
    return config, [line for line in log_lines(capsys.readouterr().out) if line["level"] == "WARNING"]


def test_no_environment_is_the_defaults_without_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    config, warnings = load(capsys)
    assert config == VoiceConfig("Hello", "Joanna", "neural", None) and warnings == []


def test_blank_values_keep_the_default_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    config, warnings = load(capsys, VOICE_ID=" ", ENGINE="", LANGUAGE_CODE="  ")
    assert config == VoiceConfig("Hello", "Joanna", "neural", None) and warnings == []


def test_a_greeting_of_1000_characters_is_used_and_1001_is_not(capsys: pytest.CaptureFixture[str]) -> None:
    config, warnings = load(capsys, GREETING="  " + "g" * 1000 + "\n")
    assert config.greeting == "g" * 1000 and warnings == []  # surrounding space is not counted, and dropped
    config, [warning] = load(capsys, GREETING="g" * 1001)
    assert config.greeting == "Hello"
    assert warning["message"] == "config: GREETING is longer than 1000 characters; using the default"
    config, [warning] = load(capsys, GREETING="   ")
    assert config.greeting == "Hello" and warning["message"] == "config: GREETING is empty; using the default"


def test_a_warning_shows_at_most_80_characters_of_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    _, [warning] = load(capsys, VOICE_ID="V" * 80 + "1")
    assert warning["value"] == "V" * 77 + "..." and warning["setting"] == "VOICE_ID"
    assert warning["default"] == "Joanna"
    _, [warning] = load(capsys, VOICE_ID="v" * 80)
    assert warning["value"] == "v" * 80


@pytest.mark.parametrize(
    ("voice", "ok"),
    [
        ("Ab", True),
        ("A" + "b" * 31, True),
        ("A", False),
        ("A" + "b" * 32, False),
        ("joanna", False),
        ("Jo4nna", False),
        ("Jöanna", False),
    ],
)
def test_voice_ids_are_2_to_32_ascii_letters_capitalised(
    capsys: pytest.CaptureFixture[str], voice: str, ok: bool
) -> None:
    config, warnings = load(capsys, VOICE_ID=voice)
    assert (config.voice_id == voice) is ok and (warnings == []) is ok


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("en-US", True),
        ("arb", True),
        ("cmn-CN", True),
        ("en-GB-WLS", True),
        ("es-419", False),
        ("e-US", False),
        ("engl-US", False),
        ("EN-US", False),
        ("en-us", False),
        ("en-U", False),
        ("en-USAA", False),
        ("en-GB-WLS-X", False),
        ("én-US", False),
        ("e1-US", False),
        ("en-U1", False),
    ],
)
def test_language_codes(capsys: pytest.CaptureFixture[str], code: str, ok: bool) -> None:
    config, warnings = load(capsys, LANGUAGE_CODE=code)
    assert (config.language_code == (code if ok else None)) and (warnings == []) is ok


def test_engine_is_read_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert load(capsys, ENGINE=" STANDARD ")[0].engine == "standard"
    config, [warning] = load(capsys, ENGINE="generative")
    assert config.engine == "neural" and warning["message"] == (
        "config: ENGINE must be one of standard, neural; using the default"
    )


def test_voice_config_is_a_read_only_value() -> None:
    config = VoiceConfig("Hi", "Joanna", "neural")
    with pytest.raises(AttributeError, match=r"VoiceConfig is read-only \(greeting\)"):
        config.greeting = "Bye"
    assert config == VoiceConfig("Hi", "Joanna", "neural", None) and config != "Hi"
    assert config != VoiceConfig("Hi", "Joanna", "neural", "en-US")
    assert len({config, VoiceConfig("Hi", "Joanna", "neural")}) == 1
    assert (
        repr(config) == "VoiceConfig(greeting='Hi', voice_id='Joanna', engine='neural', language_code=None)"
    )


def test_ssml_is_recognised_by_its_root_element() -> None:
    assert VoiceConfig(" <speak>Hi</speak>\n", "Joanna", "neural").text_type == "ssml"
    for text in ("Hi", "<speak>Hi", "Hi</speak>", "<p>Hi</p>"):
        assert VoiceConfig(text, "Joanna", "neural").text_type == "text"


# --- log --------------------------------------------------------------------------------------------


def test_every_json_type_of_a_log_value(capsys: pytest.CaptureFixture[str]) -> None:
    log.emit(
        log.INFO,
        "values",
        s="x",
        n=None,
        t=True,
        f=False,
        i=-3,
        fl=1.5,
        nan=float("nan"),
        inf=float("inf"),
        items=[1, "a", None],
        pair=(True, 2),
        mapping={"k": [False]},
        other=object,
    )
    line = capsys.readouterr().out
    assert line.endswith("}\n") and line.count("\n") == 1
    [record] = log_lines(line)
    assert record == {
        "level": "INFO",
        "message": "values",
        "s": "x",
        "n": None,
        "t": True,
        "f": False,
        "i": -3,
        "fl": 1.5,
        "nan": "nan",
        "inf": "inf",
        "items": [1, "a", None],
        "pair": [True, 2],
        "mapping": {"k": [False]},
        "other": str(object),
    }
    # == takes 0 for False and 1 for True: the booleans must come back as JSON true and false.
    booleans = [record["t"], record["f"], record["pair"][0], record["mapping"]["k"][0]]
    assert booleans == [True, False, True, False] and all(type(b) is bool for b in booleans)


def test_numbers_equal_to_booleans_stay_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    log.emit(log.INFO, "numbers", one=1, nought=0, one_f=1.0, zero_f=0.0, minus_zero=-0.0)
    [record] = log_lines(capsys.readouterr().out)
    assert record == {
        "level": "INFO",
        "message": "numbers",
        "one": 1,
        "nought": 0,
        "one_f": 1.0,
        "zero_f": 0.0,
        "minus_zero": -0.0,
    }
    assert all(type(record[k]) is not bool for k in ("one", "nought", "one_f", "zero_f"))


def test_log_strings_are_ascii_escaped_so_no_character_splits_a_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    log.emit(log.WARNING, "a\u2028b", note="c\u0085d\ne")
    out = capsys.readouterr().out
    assert out.isascii() and out.count("\n") == 1
    assert json.loads(out) == {"level": "WARNING", "message": "a\u2028b", "note": "c\u0085d\ne"}


def test_phone_numbers_are_masked_in_messages_values_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    log.emit(log.INFO, "call from +12065550100", caller="+12065550100", **{"+12065550199": 1})
    out = capsys.readouterr().out
    assert "2065550100" not in out and "2065550199" not in out and "0100" in out


def test_a_log_that_cannot_be_written_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def write(self, text: str) -> int:
            raise OSError("stdout closed")

    monkeypatch.setattr(sys, "stdout", Broken())
    log.emit(log.ERROR, "lost")  # must not raise


def test_field_names_are_remembered_up_to_a_bound(capsys: pytest.CaptureFixture[str]) -> None:
    log._NAMES.clear()
    for i in range(log._NAMES_MAX + 10):
        log.emit(log.DEBUG, "m", **{f"name{i}": i})
    assert len(log._NAMES) == log._NAMES_MAX == 256
    records = log_lines(capsys.readouterr().out)
    assert records[-1] == {"level": "DEBUG", "message": "m", f"name{log._NAMES_MAX + 9}": log._NAMES_MAX + 9}
