"""Each `sma` module loads nothing heavy of the standard library when imported, in a fresh
interpreter as Lambda starts one: `typing` and `collections` cost milliseconds of cold start, so
the modules import typing names only under their own `TYPE_CHECKING = False` guard."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.handlers.conftest import HANDLERS

MODULES = (
    "actions",
    "config",
    "core_actions",
    "dispatch",
    "events",
    "greeter",
    "greeter_failures",
    "log",
    "masking",
    "params",
    "response",
    "results",
    "sip_headers",
)
HEAVY = ("typing", "collections", "dataclasses", "enum", "functools", "logging", "re")


def test_no_sma_module_loads_heavy_standard_modules() -> None:
    # Nothing but `sys` before the imports measured: `json` alone would load `re` and `collections`.
    code = (
        "import sys\n"
        f"heavy = {HEAVY!r}\n"
        "found = {}\n"
        f"for name in {MODULES!r}:\n"
        "    before = set(sys.modules)\n"
        "    __import__('sma.' + name)\n"
        "    found[name] = sorted(m for m in heavy if m in set(sys.modules) - before)\n"
        "print(repr(found))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=HANDLERS,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    assert ast.literal_eval(done.stdout) == {name: [] for name in MODULES}
