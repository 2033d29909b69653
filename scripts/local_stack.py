"""The local stack behind `make local`, `make call` and `make local-down`.

    python scripts/local_stack.py up      start the emulator, then `pulumi up` the local stack
    python scripts/local_stack.py call    simulate an inbound call to the stack's first number
    python scripts/local_stack.py down    stop the emulator
    python scripts/local_stack.py status  say what is running

The emulator (chime-sdk-voice + the call simulator, handler files mapped to the function names that
Pulumi.local.yaml's handlerArn/backupHandlerArn name) listens on 127.0.0.1:8600 in the background,
with its pid file, log and state under .local/. That is all the local stack needs besides the Pulumi
engine: `engine.tooling` picks it (a `pulumi` on PATH as it is, else the one `make engine` builds,
building it first when Go is present). The emulator starts before the engine is looked for: without
one, `up` says how to install it and exits 2, leaving the emulator up for the AWS CLI or
`python -m ops` (`make local-down` stops it).

The engine runs offline (`engine.tooling.offline_env`: no plugin downloads, no update check) on a
file backend in .pulumi/, with the stack config of .local/Pulumi.local.yaml: Pulumi.local.yaml with
chimeEndpoint naming the port the emulator really listens on. The passphrase is always the fixed
local-only one whose salt Pulumi.local.yaml carries (the stack has no secrets).

Overrides (tests use them to run in parallel): LOCAL_EMULATOR_PORT, LOCAL_DIR (.local),
LOCAL_EMULATOR_ARGS (extra emulator flags, e.g. "--idle-hangup 120 --order-delay 0"), PULUMI_BIN
(this `pulumi` instead of the one engine.tooling picks), PULUMI_HOME, CALLER. `up`/`down`/`status`
use the standard library only (and engine/tooling.py, which does too).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages are importable

from engine import tooling  # noqa: E402  (after the path fix above)

PROJECT = "chime-pstn-routing"
STACK = "local"
HOST = "127.0.0.1"
STACK_FILE = ROOT / f"Pulumi.{STACK}.yaml"
DEFAULT_CALLER = "+12065550199"  # a fictional 555-01xx number: the caller of `make call`
# Encrypts nothing of value (the local stack has no secrets); Pulumi.local.yaml carries its salt.
LOCAL_PASSPHRASE = "local-stack-only"
_ENDPOINT_LINE = re.compile(r"^(\s*chime-pstn-routing:chimeEndpoint:\s*).*$", re.M)
INSTALL = """\
No Pulumi engine, so the local stack cannot be deployed.
Install the Pulumi CLI, or Go (then this builds the pinned CLI itself, once), and run `make local` again:
  curl -fsSL https://get.pulumi.com | sh          # Linux / macOS (or: brew install pulumi/tap/pulumi)
  choco install pulumi                            # Windows
  https://www.pulumi.com/docs/install/            # other options
  https://go.dev/doc/install                      # Go; or build it by hand: make engine
"""


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    health_path: str
    marker: str  # in the process's command line: guards against signalling a recycled pid

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def local_dir() -> Path:
    return Path(os.environ.get("LOCAL_DIR") or ROOT / ".local").resolve()


def emulator_server() -> Server:
    return Server("emulator", int(os.environ.get("LOCAL_EMULATOR_PORT", "8600")), "/_emulator/requests",
                  "emulator")


def servers() -> tuple[Server, ...]:
    return (emulator_server(),)


def command_for(server: Server) -> list[str]:
    handlers = [
        f"{PROJECT}-{STACK}-call-handler=handlers/call_handler.py:handler",
        f"{PROJECT}-{STACK}-backup-handler=handlers/backup_handler.py:handler",
    ]
    return [
        sys.executable, "-m", "emulator", "--host", HOST, "--port", str(server.port),
        "--state", str(local_dir() / "emulator.db"),
        *[arg for mapping in handlers for arg in ("--handler", mapping)],
        *shlex.split(os.environ.get("LOCAL_EMULATOR_ARGS", "")),
    ]  # fmt: skip


def pid_file(server: Server) -> Path:
    return local_dir() / f"{server.name}.pid"


def healthy(server: Server) -> bool:
    try:
        with urllib.request.urlopen(server.url + server.health_path, timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def alive(pid: int, marker: str) -> bool:
    """True if `pid` is a live (not zombie) process whose command line contains `marker`."""
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            return False
        return state != "Z" and marker in cmdline
    try:
        os.kill(pid, 0)  # no /proc (macOS): existence is all we can check
    except (ProcessLookupError, PermissionError):
        return False
    return True


def recorded_pid(server: Server) -> int | None:
    try:
        pid = int(pid_file(server).read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid, server.marker) else None


def start(server: Server) -> subprocess.Popen[bytes] | None:
    """Start `server` unless ours is already running; refuse a port someone else holds."""
    if recorded_pid(server) is not None:
        print(f"{server.name}: already running at {server.url}")
        return None
    pid_file(server).unlink(missing_ok=True)
    if healthy(server):
        raise SystemExit(
            f"{server.name}: something else already answers on {server.url}; stop it, or set "
            f"LOCAL_{server.name.upper()}_PORT"
        )
    log = (local_dir() / f"{server.name}.log").open("ab")
    # A session of its own: it outlives `make`, and Ctrl-C in this terminal does not reach it.
    process = subprocess.Popen(
        command_for(server),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    pid_file(server).write_text(f"{process.pid}\n")
    return process


def wait_healthy(server: Server, process: subprocess.Popen[bytes] | None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(server):
            print(f"{server.name}: healthy at {server.url} (log: {local_dir() / (server.name + '.log')})")
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    log = local_dir() / f"{server.name}.log"
    tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
    stop(server)
    raise SystemExit(f"{server.name} did not become healthy at {server.url}:\n  " + "\n  ".join(tail))


def stop(server: Server, timeout: float = 10.0) -> bool:
    pid = recorded_pid(server)
    pid_file(server).unlink(missing_ok=True)
    if pid is None:
        return False
    # The server leads its own process group (start_new_session): this reaches its workers too.
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and alive(pid, server.marker):
            time.sleep(0.05)
        if not alive(pid, server.marker):
            return True
    return not alive(pid, server.marker)


def find_engine(build: bool) -> tooling.EngineLookup:
    """PULUMI_BIN when set, else what engine.tooling picks (building the CLI first when `build`)."""
    explicit = os.environ.get("PULUMI_BIN")
    if explicit:
        path = shutil.which(explicit)
        if path is None:
            return tooling.EngineLookup(None, f"PULUMI_BIN={explicit} is not an executable")
        return tooling.EngineLookup(tooling.Engine(Path(path), "PATH"), f"PULUMI_BIN ({path})")
    return tooling.ensure_engine(progress=sys.stderr) if build else tooling.find_engine()


def pulumi_env(engine: tooling.Engine) -> dict[str, str]:
    """The engine's offline environment for the local stack: a file backend in .pulumi/ (for these
    commands only: the user's own `pulumi login` is left alone), the fixed local passphrase, and
    fake AWS credentials (whatever the caller has configured, the local stack never uses it)."""
    base = {k: v for k, v in os.environ.items() if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN")}
    base.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    home = Path(os.environ.get("PULUMI_HOME") or Path.home() / ".pulumi")
    return tooling.offline_env(engine, state_dir=ROOT / ".pulumi", home_dir=home,
                               passphrase=LOCAL_PASSPHRASE, base=base)


def stack_config(endpoint: str) -> Path:
    """.local/Pulumi.local.yaml: the committed stack config with chimeEndpoint set to `endpoint`."""
    text, count = _ENDPOINT_LINE.subn(lambda m: m.group(1) + endpoint, STACK_FILE.read_text())
    if count != 1:
        raise SystemExit(f"{STACK_FILE.name} must set chime-pstn-routing:chimeEndpoint exactly once")
    target = local_dir() / STACK_FILE.name
    target.write_text(text)
    return target


def up() -> int:
    local_dir().mkdir(parents=True, exist_ok=True)
    emulator = emulator_server()
    wait_healthy(emulator, start(emulator))
    found = find_engine(build=True)
    if found.engine is None:
        print(INSTALL, file=sys.stderr)
        print(f"({found.reason})", file=sys.stderr)
        print(f"The emulator ({emulator.url}) is running; `make local-down` stops it.", file=sys.stderr)
        return 2
    print(f"engine: {found.reason}", flush=True)
    pulumi = str(found.engine.pulumi)
    env = pulumi_env(found.engine)
    config = stack_config(emulator.url)
    (ROOT / ".pulumi").mkdir(exist_ok=True)
    steps = [
        [pulumi, "stack", "select", "--create", STACK, "--non-interactive"],
        # --refresh: re-read what the state remembers, in case .local/emulator.db was deleted;
        # --run-program: with the endpoint of this run (LOCAL_EMULATOR_PORT may have changed), not the
        # one of the last `up` that the state keeps for the dynamic providers.
        [pulumi, "up", "--stack", STACK, "--config-file", str(config), "--yes", "--skip-preview",
         "--refresh", "--run-program", "--non-interactive"],
    ]
    for step in steps:
        print("+ " + " ".join(step), flush=True)
        done = subprocess.run(step, cwd=ROOT, env=env, check=False)
        if done.returncode != 0:
            return done.returncode
    print("\nLocal stack is up. Try: make call   (stop everything: make local-down)")
    return 0


def first_number(emulator: Server) -> str | None:
    """The local stack's first number: from its outputs when an engine is here, else the first
    number a SIP rule uses in the emulator's inventory."""
    from ops import stack_outputs
    from ops.errors import OpsError

    found = find_engine(build=False)
    if found.engine is not None:
        env = pulumi_env(found.engine)
        os.environ.update({k: v for k, v in env.items() if k.startswith("PULUMI_") or k == "PATH"})
        os.environ["PULUMI_BIN"] = str(found.engine.pulumi)
        try:
            return stack_outputs.load(STACK, None).first_phone_number()
        except OpsError as err:
            print(f"note: {err.message}", file=sys.stderr)
    import boto3

    client = boto3.client(
        "chime-sdk-voice",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for number in client.list_phone_numbers(ProductType="SipMediaApplicationDialIn").get("PhoneNumbers", []):
        if number.get("Status") == "Assigned":
            return str(number["E164PhoneNumber"])
    return None


def call(argv: list[str]) -> int:
    emulator = emulator_server()
    if not healthy(emulator):
        print(f"The emulator is not running at {emulator.url}: run `make local` first.", file=sys.stderr)
        return 2
    to = argv[0] if argv else first_number(emulator)
    if to is None:
        print(
            "The local stack has no phone number routed by a SIP rule yet: run `make local` "
            "(it needs the Pulumi CLI, or Go to build it) first.",
            file=sys.stderr,
        )
        return 2
    caller = os.environ.get("CALLER", DEFAULT_CALLER)
    cmd = [sys.executable, "-m", "emulator", "call", "--endpoint", emulator.url, "--to", to, "--from", caller]
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=False).returncode


def down() -> int:
    for server in servers():
        print(f"{server.name}: {'stopped' if stop(server) else 'was not running'}")
    return 0


def status() -> int:
    running = 0
    for server in servers():
        pid = recorded_pid(server)
        state = (
            f"running (pid {pid}), {'healthy' if healthy(server) else 'NOT answering'}" if pid else "stopped"
        )
        print(f"{server.name}: {state} at {server.url}")
        running += pid is not None
    return 0 if running == len(servers()) else 3


def main(argv: list[str]) -> int:
    commands = {
        "up": lambda: up(),
        "down": lambda: down(),
        "status": lambda: status(),
        "call": lambda: call(argv[1:]),
    }
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
