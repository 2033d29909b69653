"""Flags shared by several commands, and resolving them (Region, endpoint, stack outputs)."""

from __future__ import annotations

import argparse

from awsutil.arn import region_of
from ops import stack_outputs
from ops.stack_outputs import StackOutputs


def add_endpoint(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region", help="AWS Region (default: a stack's Region when a stack is read, else AWS_REGION)"
    )
    parser.add_argument(
        "--endpoint-url",
        help="chime-sdk-voice endpoint, e.g. http://127.0.0.1:8600 for the emulator "
        "(default: AWS_ENDPOINT_URL_CHIME_SDK_VOICE, else AWS)",
    )


def add_stack(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stack", help="Pulumi stack whose outputs supply defaults (default: the selected stack)"
    )
    parser.add_argument(
        "--outputs-file",
        metavar="FILE",
        help=f"read the stack outputs from this JSON file instead of `pulumi stack output --json` "
        f"(also ${stack_outputs.OUTPUTS_FILE_ENV})",
    )


class LazyOutputs:
    """Stack outputs read at most once, and only if a command needs a default from them."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._outputs: StackOutputs | None = None

    def __call__(self) -> StackOutputs:
        if self._outputs is None:
            self._outputs = stack_outputs.load(self._args.stack, self._args.outputs_file)
        return self._outputs

    @property
    def loaded(self) -> StackOutputs | None:
        return self._outputs


def region(
    args: argparse.Namespace, outputs: StackOutputs | None, arn_key: str = "callHandlerArn"
) -> str | None:
    """--region, else the Region of the stack's handler (its SMA lives there), else boto3's default."""
    if args.region:
        return str(args.region)
    if outputs is not None:
        return region_of(outputs.get(arn_key))
    return None
