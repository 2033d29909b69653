"""A minimal Pulumi language host for Python programs and policy packs, served over gRPC.

The Pulumi CLI built by engine/build.sh needs a `pulumi-language-python` plugin, and the Go module
proxy does not serve the official one, so engine/bin/pulumi-language-python runs this file. It
implements what the engine calls for `preview`, `up`, `refresh`, `destroy` and `--policy-pack`:

- Run: the program (Pulumi.yaml `main`, or the project's __main__.py) in a subprocess of the
  project's virtualenv python, through engine/langhost/run_program.py;
- RunPlugin: a Python policy pack directory (its __main__.py) with the pack's own virtualenv,
  streaming its stdout/stderr and exit code back to the engine;
- GetRequiredPlugins/GetRequiredPackages: nothing, so the engine never tries to download a plugin;
- GetPluginInfo, Handshake, About, GetProgramDependencies, InstallDependencies (a message only).

Everything else is left UNIMPLEMENTED, which the engine tolerates for a language host (Cancel,
RuntimeOptionsPrompts, Template) or only needs for code generation and packaging commands.

Run as a script (`python -u host.py [flags] ENGINE_ADDRESS`); it prints its port on stdout.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import grpc
    from google.protobuf import json_format
    from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2
except ImportError as exc:  # pragma: no cover - depends on which python the wrapper found
    print(
        f"pulumi-language-python: {sys.executable} cannot import grpc and the pulumi SDK ({exc}); "
        "create the project's .venv, or set CHIME_PSTN_ENGINE_PYTHON to a python that has them",
        file=sys.stderr,
    )
    sys.exit(1)

RUNNER = Path(__file__).resolve().with_name("run_program.py")

# run_program.py exits with this code after it has already shown the user the error (through the
# engine's log): the engine then fails the operation without adding a message of its own.
BAIL_EXIT_CODE = 32

_INSTALL_MESSAGE = (
    "This Python language host (chime-pstn-routing engine/) does not install dependencies: create "
    "the virtualenv named in Pulumi.yaml yourself, e.g. `python3 -m venv .venv && "
    ".venv/bin/pip install -r requirements.txt`.\n"
)


class HostError(Exception):
    """A problem with the project or pack that the user has to fix; the message says how."""


@dataclass(frozen=True)
class Interpreter:
    """The python a program or plugin runs on, and the environment changes that activate it."""

    python: str
    virtualenv: Path | None

    def environ(self, base: Mapping[str, str]) -> dict[str, str]:
        env = dict(base)
        if self.virtualenv is not None:
            env["VIRTUAL_ENV"] = str(self.virtualenv)
            env["PATH"] = os.pathsep.join([str(self.virtualenv / "bin"), env.get("PATH", os.defpath)])
            env.pop("PYTHONHOME", None)
        return env


def runtime_options(info: Any) -> dict[str, Any]:
    """The `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml, as the engine sent them."""
    if info is None or not info.HasField("options"):
        return {}
    return json_format.MessageToDict(info.options)


def interpreter_for(info: Any, *, plugin: bool) -> Interpreter:
    """Resolves the python for a program or plugin from its runtime options.

    `virtualenv` is relative to the directory holding Pulumi.yaml (or PulumiPolicy.yaml). Without it,
    a program runs on python3 (PULUMI_PYTHON_CMD overrides), while a plugin defaults to `venv`, as
    the official host does: plugins never run on the ambient python.
    """
    options = runtime_options(info)
    toolchain = options.get("toolchain", "pip")
    if toolchain not in ("pip", "uv"):
        raise HostError(
            f"runtime option toolchain={toolchain!r} is not supported by this language host; "
            "use pip (or uv) with a virtualenv"
        )
    venv = options.get("virtualenv")
    if venv is not None and not isinstance(venv, str):
        raise HostError("runtime option virtualenv must be a string")
    if not venv:
        venv = ".venv" if toolchain == "uv" else ("venv" if plugin else "")
    if not venv:
        return Interpreter(os.environ.get("PULUMI_PYTHON_CMD", "python3"), None)
    root = Path(info.root_directory or os.getcwd())
    path = Path(venv) if os.path.isabs(venv) else root / venv
    python = path / "bin" / "python"
    if not os.access(python, os.X_OK):
        raise HostError(
            f"the 'virtualenv' option is set to {venv!r}, but {path} is not a virtualenv (no bin/python); "
            f"create it: python3 -m venv {path} && {path}/bin/pip install -r {root}/requirements.txt"
        )
    return Interpreter(str(python), path)


def program_command(request: Any, engine_address: str, python: str) -> list[str]:
    """The run_program.py command line for one RunRequest."""
    info = request.info
    program_dir = info.program_directory or request.pwd or os.getcwd()
    entry = info.entry_point or request.program or "."
    command = [
        python,
        "-u",
        str(RUNNER),
        "--monitor",
        request.monitor_address,
        "--engine",
        engine_address,
        "--project",
        request.project,
        "--stack",
        request.stack,
        "--organization",
        request.organization,
        "--root-directory",
        info.root_directory,
        "--pwd",
        request.pwd or program_dir,
        "--parallel",
        str(request.parallel),
    ]
    if request.dryRun:
        command.append("--dry-run")
    command += ["--", os.path.join(program_dir, entry), *request.args]
    return command


def env_from_list(entries: Any) -> dict[str, str]:
    """`KEY=VALUE` strings (RunPluginRequest.env) as a dict; the process's own environment if none."""
    env: dict[str, str] = {}
    for entry in entries:
        key, sep, value = entry.partition("=")
        if sep:
            env[key] = value
    return env or dict(os.environ)


def _pump(stream: Any, kind: str, out: queue.Queue[tuple[str, bytes]]) -> None:
    """Copies a pipe to the queue chunk by chunk, unbuffered (a plugin's first line is its port)."""
    fd = stream.fileno()
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        out.put((kind, chunk))
    out.put((kind, b""))


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    """The LanguageRuntime service: one instance per host process, i.e. per engine run."""

    def __init__(self, engine_address: str) -> None:
        self.engine_address = engine_address

    def Handshake(self, request: Any, context: Any) -> Any:
        self.engine_address = request.engine_address or self.engine_address
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        from importlib.metadata import version

        return plugin_pb2.PluginInfo(version=version("pulumi"))

    def GetRequiredPlugins(self, request: Any, context: Any) -> Any:
        # Nothing to download: the dynamic-provider plugin is bundled, and automatic plugin
        # acquisition stays off for engine runs.
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPackagesResponse()

    def Run(self, request: Any, context: Any) -> Any:
        try:
            interpreter = interpreter_for(request.info, plugin=False)
        except HostError as exc:
            return language_pb2.RunResponse(error=str(exc))
        env = interpreter.environ(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        command = program_command(request, self.engine_address, interpreter.python)
        # stdout/stderr are inherited: the engine shows whatever the program prints.
        try:
            proc = subprocess.Popen(command, env=env, cwd=request.pwd or None)
        except OSError as exc:
            return language_pb2.RunResponse(error=f"could not start {interpreter.python}: {exc}")
        # An aborted RPC (the engine gave up) stops the program instead of leaving it running.
        context.add_callback(proc.terminate)
        code = proc.wait()
        if code == 0:
            return language_pb2.RunResponse()
        if code == BAIL_EXIT_CODE:
            return language_pb2.RunResponse(bail=True)
        if code < 0:
            return language_pb2.RunResponse(error=f"program was stopped by signal {-code}")
        return language_pb2.RunResponse(error=f"program exited with non-zero exit code: {code}")

    def RunPlugin(self, request: Any, context: Any) -> Iterator[Any]:
        try:
            interpreter = interpreter_for(request.info, plugin=True)
        except HostError as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        plugin_dir = request.info.program_directory
        if not os.path.isfile(os.path.join(plugin_dir, "__main__.py")):
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"{plugin_dir} has no __main__.py; this language host runs plugin directories only",
            )
        command = [interpreter.python, "-u", plugin_dir, *request.args]
        env = interpreter.environ(env_from_list(request.env))
        proc = subprocess.Popen(
            command,
            cwd=request.pwd or None,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # The engine ends a plugin by cancelling this stream.
        context.add_callback(proc.terminate)
        chunks: queue.Queue[tuple[str, bytes]] = queue.Queue()
        for stream, kind in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
            threading.Thread(target=_pump, args=(stream, kind, chunks), daemon=True).start()
        open_streams = 2
        while open_streams:
            kind, chunk = chunks.get()
            if not chunk:
                open_streams -= 1
            elif kind == "stdout":
                yield language_pb2.RunPluginResponse(stdout=chunk)
            else:
                yield language_pb2.RunPluginResponse(stderr=chunk)
        code = proc.wait()
        # A signal shows as 128+N, as a shell reports it.
        yield language_pb2.RunPluginResponse(exitcode=code if code >= 0 else 128 - code)

    def InstallDependencies(self, request: Any, context: Any) -> Iterator[Any]:
        yield language_pb2.InstallDependenciesResponse(stdout=_INSTALL_MESSAGE.encode())

    def About(self, request: Any, context: Any) -> Any:
        interpreter = self._interpreter_or_abort(request, context)
        probe = "import platform, sys; print(sys.executable); print(platform.python_version())"
        lines = self._python_output(interpreter, probe, context).splitlines()
        return language_pb2.AboutResponse(executable=lines[0], version=lines[1])

    def GetProgramDependencies(self, request: Any, context: Any) -> Any:
        interpreter = self._interpreter_or_abort(request, context)
        probe = (
            "import importlib.metadata as m, json; "
            "print(json.dumps(sorted({(d.metadata['Name'], d.version) for d in m.distributions()})))"
        )
        pairs = json.loads(self._python_output(interpreter, probe, context))
        return language_pb2.GetProgramDependenciesResponse(
            dependencies=[language_pb2.DependencyInfo(name=name, version=ver) for name, ver in pairs]
        )

    def _interpreter_or_abort(self, request: Any, context: Any) -> Interpreter:
        try:
            return interpreter_for(request.info if request.HasField("info") else None, plugin=False)
        except HostError as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
            raise  # unreachable: abort raises

    def _python_output(self, interpreter: Interpreter, code: str, context: Any) -> str:
        result = subprocess.run(
            [interpreter.python, "-c", code],
            env=interpreter.environ(os.environ),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            context.abort(grpc.StatusCode.INTERNAL, f"{interpreter.python} failed: {result.stderr.strip()}")
        return result.stdout


def main(argv: list[str]) -> None:
    # The engine may put flags (--tracing URL, -v=N, --logtostderr) first; its address comes last.
    engine_address = argv[-1] if argv and not argv[-1].startswith("-") else ""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageHost(engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)


if __name__ == "__main__":
    main(sys.argv[1:])
