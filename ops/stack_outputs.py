"""A stack's outputs, from `pulumi stack output --json` (run as a subprocess) or from a JSON file.

`--outputs-file FILE` (or `OPS_STACK_OUTPUTS_FILE`) stands in for the Pulumi CLI: tests use it, and
so can an operator on a machine without Pulumi (`pulumi stack output --json > outputs.json`
elsewhere). `PULUMI_BIN` overrides which `pulumi` executable is run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops.errors import OpsError, usage_error

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OUTPUTS_FILE_ENV = "OPS_STACK_OUTPUTS_FILE"
PULUMI_BIN_ENV = "PULUMI_BIN"
INSTALL_HINT = (
    "install it from https://www.pulumi.com/docs/install/ (e.g. `curl -fsSL https://get.pulumi.com | sh`)"
)


@dataclass(frozen=True)
class StackOutputs:
    source: str  # where they came from, for messages
    values: Mapping[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def require(self, key: str, instead: str) -> Any:
        value = self.values.get(key)
        if value in (None, "", [], {}):
            have = ", ".join(sorted(self.values)) or "no outputs"
            raise usage_error(
                f"stack output {key!r} is missing from {self.source} (it has: {have}); pass {instead}"
            )
        return value

    def first_phone_number(self) -> str:
        numbers = self.require("phoneNumbers", "--from NUMBER")
        if isinstance(numbers, str):
            return numbers
        if isinstance(numbers, list) and isinstance(numbers[0], str):
            return numbers[0]
        raise usage_error(
            f"stack output 'phoneNumbers' in {self.source} is not a list of numbers: {numbers!r}"
        )


def _from_file(path: str) -> StackOutputs:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise usage_error(f"outputs file {path} does not exist") from None
    except (OSError, ValueError) as err:
        raise usage_error(f"outputs file {path} is not readable JSON: {err}") from None
    if not isinstance(data, dict):
        raise usage_error(f"outputs file {path} must hold a JSON object of stack outputs")
    return StackOutputs(f"outputs file {path}", data)


def _from_pulumi(stack: str | None) -> StackOutputs:
    binary = os.environ.get(PULUMI_BIN_ENV) or shutil.which("pulumi")
    if not binary or not (shutil.which(binary) or Path(binary).is_file()):
        raise usage_error(
            f"the Pulumi CLI is not installed (needed to read the stack's outputs): {INSTALL_HINT}; "
            "or pass the values as flags, or --outputs-file FILE holding `pulumi stack output --json`"
        )
    cmd = [binary, "stack", "output", "--json", "--non-interactive"]
    if stack:
        cmd += ["--stack", stack]
    where = f"stack {stack!r}" if stack else "the selected stack"
    try:
        done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise OpsError(f"`{' '.join(cmd)}` could not run: {err}", 2) from None
    if done.returncode != 0:
        detail = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise usage_error(f"cannot read the outputs of {where}: {detail[-1] if detail else 'pulumi failed'}")
    try:
        data = json.loads(done.stdout or "{}")
    except ValueError:
        raise OpsError(
            f"`pulumi stack output --json` printed something that is not JSON for {where}"
        ) from None
    if not isinstance(data, dict):
        raise OpsError(f"`pulumi stack output --json` did not print an object for {where}")
    return StackOutputs(where, data)


def load(stack: str | None, outputs_file: str | None) -> StackOutputs:
    """Outputs from the file if one is given (flag, then env), else from the Pulumi CLI."""
    path = outputs_file or os.environ.get(OUTPUTS_FILE_ENV)
    return _from_file(path) if path else _from_pulumi(stack)

