"""`python -m emulator` flags: a value it cannot use is a one-line error (exit 2), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.__main__ import serve


@pytest.mark.parametrize(
    ("argv", "mentions"),
    [
        (["--port", "99999"], "--port"),
        (["--port", "-1"], "--port"),
        (["--order-delay", "nan"], "--order-delay"),
        (["--order-delay", "inf"], "--order-delay"),
        (["--max-body-bytes", "-1"], "--max-body-bytes"),
        (["--request-timeout", "0"], "--request-timeout"),
        (["--request-timeout", "nan"], "--request-timeout"),
        (["--max-connections", "0"], "--max-connections"),
        (["--call-retention", "-1"], "--call-retention"),
        (["--calling-name-delay", "-1"], "--calling-name-delay"),
    ],
)
def test_unusable_flag_values_are_bad_usage(
    argv: list[str], mentions: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        serve(argv)
    assert refused.value.code == 2 and mentions in capsys.readouterr().err


def test_a_state_file_that_cannot_be_used_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "state.db"
    not_a_database.write_text("these are not the pages of a SQLite database\n" * 100)
    for state in (str(not_a_database), str(tmp_path / "missing" / "state.db")):
        assert serve(["--port", "0", "--state", state]) == 2
        err = capsys.readouterr().err
        assert f"--state {state}" in err and "Traceback" not in err
