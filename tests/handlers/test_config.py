"""GREETING / VOICE_ID / ENGINE / LANGUAGE_CODE: read once at import, bad values warned and defaulted."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest
from sma.config import VoiceConfig, load_voice_config

from tests.handlers import events as ev
from tests.handlers.conftest import HANDLERS
from tests.handlers.support import assert_valid, log_lines

_fresh_names = itertools.count()
ENV_KEYS = ("GREETING", "VOICE_ID", "ENGINE", "LANGUAGE_CODE")


def fresh_import(module: str, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> ModuleType:
    """Execute handlers/<module>.py anew, as a Lambda cold start would, under `env`."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location(
        f"{module}_fresh_{next(_fresh_names)}", HANDLERS / f"{module}.py"
    )
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def speak_params(module: ModuleType) -> dict[str, Any]:
    response = module.handler(ev.event("NEW_INBOUND_CALL"), None)
    assert_valid(response)
    return dict(response["Actions"][0]["Parameters"])


def test_defaults_without_environment(monkeypatch, capsys) -> None:
    module = fresh_import("call_handler", monkeypatch, {})
    assert VoiceConfig(module.DEFAULT_GREETING, "Joanna", "neural", None) == module.CONFIG
    assert not [line for line in log_lines(capsys.readouterr().out) if line["level"] == "WARNING"]


def test_valid_settings_reach_the_speak_action(monkeypatch, capsys) -> None:
    module = fresh_import(
        "call_handler",
        monkeypatch,
        {
            "GREETING": "  Welcome to Example Corp.  ",
            "VOICE_ID": "Kevin",
            "ENGINE": "Standard",
            "LANGUAGE_CODE": "en-GB-WLS",
        },
    )
    assert speak_params(module) == {
        "CallId": ev.CALL_ID,
        "Text": "Welcome to Example Corp.",
        "Engine": "standard",
        "LanguageCode": "en-GB-WLS",
        "TextType": "text",
        "VoiceId": "Kevin",
    }
    assert not [line for line in log_lines(capsys.readouterr().out) if line["level"] == "WARNING"]


def test_ssml_greeting_is_sent_as_ssml(monkeypatch) -> None:
    module = fresh_import(
        "backup_handler", monkeypatch, {"GREETING": "<speak>Hello <break time='1s'/></speak>"}
    )
    params = speak_params(module)
    assert params["TextType"] == "ssml" and params["VoiceId"] == "Matthew"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GREETING", "   "),
        ("GREETING", "x" * 1001),
        ("VOICE_ID", "joanna"),
        ("VOICE_ID", "Joanna; DROP"),
        ("ENGINE", "generative"),
        ("LANGUAGE_CODE", "english"),
        ("LANGUAGE_CODE", "en_US"),
    ],
)
def test_bad_values_are_warned_and_replaced_by_the_default(
    name: str, value: str, monkeypatch, capsys
) -> None:
    module = fresh_import("call_handler", monkeypatch, {name: value})
    assert VoiceConfig(module.DEFAULT_GREETING, "Joanna", "neural", None) == module.CONFIG
    warnings = [line for line in log_lines(capsys.readouterr().out) if line["level"] == "WARNING"]
    assert len(warnings) == 1 and warnings[0]["setting"] == name
    assert name in warnings[0]["message"]
    speak_params(module)  # and the handler still answers validly


def test_config_is_read_once_at_import_not_per_call(monkeypatch) -> None:
    module = fresh_import("call_handler", monkeypatch, {"VOICE_ID": "Ruth"})
    monkeypatch.setenv("VOICE_ID", "Kevin")
    assert speak_params(module)["VoiceId"] == "Ruth"


def test_voice_config_is_read_only() -> None:
    config = load_voice_config({}, greeting="hi", voice_id="Joanna")
    with pytest.raises(AttributeError):
        config.voice_id = "Kevin"


def test_cold_import_in_a_fresh_interpreter_is_light_and_warns_on_bad_env() -> None:
    # What Lambda does on a cold start: a new interpreter, handlers/ on sys.path, one event.
    code = (
        "import json, sys\n"
        "import call_handler\n"
        "response = call_handler.handler(json.loads(sys.argv[1]), None)\n"
        "heavy = sorted(m for m in ('boto3', 'botocore', 'logging', 'typing', 'dataclasses', 'inspect',"
        " 'asyncio', 'email') if m in sys.modules)\n"
        "print(json.dumps({'response': response, 'heavy': heavy}))\n"
    )
    env = {"PYTHONPATH": str(HANDLERS), "ENGINE": "turbo", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(ev.event("NEW_INBOUND_CALL"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    warnings = [line for line in lines if line.get("level") == "WARNING"]
    assert [w["setting"] for w in warnings] == ["ENGINE"]
    result = lines[-1]
    assert_valid(result["response"])
    assert result["response"]["Actions"][0]["Parameters"]["Engine"] == "neural"
    assert result["heavy"] == []
