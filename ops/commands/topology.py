"""`ops topology`: the routing as a Mermaid diagram, numbers → rules → applications (priority,
Region) → Lambdas, from the stack's outputs or from the live API."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ops import mermaid, routing, stack_outputs
from ops.clients import chime_client
from ops.commands import options


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "topology",
        help="print the call routing as a Mermaid diagram",
        description="With --stack/--outputs-file: drawn from the stack's outputs (no API call); add "
        "--live to read those rules from the API instead. Without a stack: every SIP rule in the Region, "
        "from the live API.",
    )
    parser.add_argument("--live", action="store_true", help="read rules and applications from the API")
    parser.add_argument("--markdown", action="store_true", help="wrap the diagram in a ```mermaid fence")
    options.add_stack(parser)
    options.add_endpoint(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    use_stack = bool(args.stack or args.outputs_file or os.environ.get(stack_outputs.OUTPUTS_FILE_ENV))
    outputs = options.LazyOutputs(args)
    if use_stack and not args.live:
        graph = routing.from_outputs(outputs())
    else:
        rule_ids = None
        if use_stack:
            rule_ids = [
                str(r) for r in outputs().require("sipRuleIds", "no --stack to draw the whole Region")
            ]
        region = options.region(args, outputs.loaded)
        graph = routing.from_api(lambda r: chime_client(r, args.endpoint_url), region, rule_ids)
    diagram = mermaid.render(graph)
    print(f"```mermaid\n{diagram}\n```" if args.markdown else diagram)
    return 0
