"""The deployment gate: `python -m ops smoke` as a pulumi-command resource.

It runs when created and again whenever its triggers (the handler bundle's hash) or its command
line change; SIP rules depend on it, so a handler that answers a synthetic NEW_INBOUND_CALL with
an invalid response stops the deployment before any rule routes calls to it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_command as command

from components.bundle import PROJECT_ROOT


def project_python() -> str:
    """The interpreter running this program, relative to the project when it is the project's venv.

    Relative, so the gate's recorded command line is the same on every machine (an absolute path
    would show as a change, and re-run the gate, wherever the stack is deployed from). The command
    provider runs commands from the project directory.
    """
    executable = Path(sys.executable)
    try:
        return executable.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(executable)


@dataclass
class GateArgs:
    function_arn: pulumi.Input[str]
    region: str
    bundle_sha256: str
    # Local stacks: smoke this handler file in a subprocess instead of invoking the deployed function.
    handler_file: str | None = None
    environment: Mapping[str, pulumi.Input[str]] | None = None


def smoke_argv(python: str, function_arn: str, region: str, handler_file: str | None) -> list[str]:
    argv = [python, "-m", "ops", "smoke", "--function-name", function_arn, "--region", region,
            "--event-type", "NEW_INBOUND_CALL"]
    return argv if handler_file is None else [*argv, "--handler-file", handler_file]


def deployment_gate(name: str, args: GateArgs, opts: pulumi.ResourceOptions) -> command.local.Command:
    python = project_python()
    create = pulumi.Output.from_input(args.function_arn).apply(
        lambda arn: shlex.join(smoke_argv(python, arn, args.region, args.handler_file)))
    return command.local.Command(
        name,
        create=create,
        triggers=[args.bundle_sha256],
        environment=dict(args.environment) if args.environment else None,
        opts=opts,
    )
