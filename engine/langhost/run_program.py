"""Runs one Pulumi Python program for engine/langhost/host.py, inside the project's virtualenv.

The host starts it once per Run request, with the engine's monitor and engine addresses, the project,
stack and organization, dry-run and parallelism as flags, and the stack config as JSON in
PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS (the variables the pulumi SDK reads). It configures the
SDK's runtime, then runs the program file or directory (its __main__.py) as `__main__` inside the
root stack resource, like `python PROGRAM ARGS...` would.

Exit codes: 0 the program ran; 32 it failed and the error has been logged through the engine (the host
answers "bail", so the engine adds nothing); anything else is reported by the host as a crash.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import runpy
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

BAIL_EXIT_CODE = 32


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--monitor", required=True)
    parser.add_argument("--engine", default="")
    parser.add_argument("--project", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--organization", default="")
    parser.add_argument("--root-directory", default="")
    parser.add_argument("--pwd", default="")
    parser.add_argument("--parallel", type=int, default=0)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("program")
    parser.add_argument("args", nargs="*")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        import pulumi
        import pulumi.runtime
    except ImportError as exc:
        print(
            f"the pulumi SDK is not installed in {sys.prefix} ({exc}); "
            "install the project's requirements into its virtualenv",
            file=sys.stderr,
        )
        return 1

    pulumi.runtime.set_all_config(
        json.loads(os.environ.get("PULUMI_CONFIG") or "{}"),
        json.loads(os.environ.get("PULUMI_CONFIG_SECRET_KEYS") or "[]"),
    )
    pulumi.runtime.configure(
        pulumi.runtime.Settings(
            project=args.project,
            stack=args.stack,
            monitor=args.monitor,
            engine=args.engine or None,
            parallel=args.parallel or None,
            dry_run=args.dry_run,
            organization=args.organization or None,
            root_directory=args.root_directory or None,
        )
    )

    program = os.path.abspath(args.program)
    if args.pwd:
        os.chdir(args.pwd)
    if os.path.isdir(program) and not os.path.isfile(os.path.join(program, "__main__.py")):
        pulumi.log.error(f"no Python program to run: {program} has no __main__.py")
        return BAIL_EXIT_CODE
    sys.argv = [program, *args.args]
    if not os.path.isdir(program):
        # runpy adds a directory to sys.path itself, but not a file's directory.
        sys.path.insert(0, os.path.dirname(program))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if args.parallel > 0:
        loop.set_default_executor(ThreadPoolExecutor(max_workers=args.parallel))
    # A failed program leaves futures nobody awaits; asyncio's complaints about them are noise.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    def run() -> None:
        runpy.run_path(program, run_name="__main__")

    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(run))
        return 0
    except pulumi.RunError as exc:
        pulumi.log.error(str(exc))
        return BAIL_EXIT_CODE
    except Exception:
        pulumi.log.error("Program failed with an unhandled exception:\n" + traceback.format_exc())
        return BAIL_EXIT_CODE
    finally:
        # Tasks a failed program left behind are cancelled and awaited, so closing the loop is quiet.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
