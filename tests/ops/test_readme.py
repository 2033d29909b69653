"""The README describes what exists: its Quickstart, config table, commands and files match the code."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from awsutil.chime_values import pstn_audio_regions
from components import settings
from ops.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_quickstart_is_exactly_make_test_and_make_local() -> None:
    block = section("Quickstart").split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make test", "make local"]
    makefile = (ROOT / "Makefile").read_text()
    for target in ("test", "local", "call", "local-down", "setup", "lint", "bench"):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target


def test_config_table_lists_every_key_with_the_codes_defaults() -> None:
    table = section("Deploying to AWS").split("### Stack config reference")[1]
    row = re.compile(r"^\| `([\w:]+)` \| ([^|]*) \|(.*)$", re.M)
    rows = {m.group(1): (m.group(2), m.group(3)) for m in row.finditer(table)}
    assert set(rows) == {*settings.KNOWN_KEYS, "aws:region"}
    defaults = {f.name: f.default for f in dataclasses.fields(settings.Settings)}
    expected = {
        "protectPhoneNumbers": f"`{str(defaults['protect_phone_numbers']).lower()}`",
        "logRetentionDays": f"`{defaults['log_retention_days']}`",
        "greeting": f"`{defaults['greeting']}`",
        "voiceId": f"`{defaults['voice_id']}`",
        "engine": f"`{defaults['engine']}`",
        "languageCode": f"`{defaults['language_code']}`",
        "backupGreeting": f"`{defaults['backup_greeting']}`",
        "backupVoiceId": f"`{defaults['backup_voice_id']}`",
        "sipMediaApplicationLogs": f"`{str(defaults['sip_media_application_logs']).lower()}`",
    }
    for key, default in expected.items():
        assert rows[key][0].strip() == default, key
    assert ", ".join(map(str, settings.LOG_RETENTION_DAYS)) in table
    assert all(region in rows["aws:region"][1] for region in pstn_audio_regions())


def test_every_ops_command_is_documented() -> None:
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    assert isinstance(subparsers.choices, dict)
    commands = set(subparsers.choices)
    documented = set(re.findall(r"^\| `([a-z-]+) ", section("Operating: `python -m ops`"), re.M))
    assert documented == commands


def test_files_and_workflows_named_exist() -> None:
    folders = (r"\.github/workflows|policy|scripts|ops|components|providers|handlers|emulator|pstn|awsutil"
               r"|testbed")
    pattern = rf"`((?:{folders})/[\w./-]+)`"
    paths = re.findall(pattern, README)
    assert "scripts/local_stack.py" in paths and "policy/rules.py" in paths
    for path in paths:
        assert (ROOT / path).exists(), path
    for workflow in re.findall(r"^\| `(\w+\.yml)` \|", README, re.M):
        assert (ROOT / ".github/workflows" / workflow).exists(), workflow
