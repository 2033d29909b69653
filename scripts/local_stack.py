"""The local stack behind `make local`, `make call` and `make local-down`.

    python scripts/local_stack.py up      start the emulator and moto, then `pulumi up` the local stack
    python scripts/local_stack.py call    simulate an inbound call to the stack's first number
    python scripts/local_stack.py down    stop both servers
    python scripts/local_stack.py status  say what is running

The emulator (chime-sdk-voice + the call simulator, handler files mapped to the stack's fixed function names)
listens on 127.0.0.1:8600 and moto (IAM, Lambda, Logs, CloudWatch, STS) on 127.0.0.1:8601, both in
the background with pid files and logs under .local/. The servers start before the Pulumi CLI is
looked for: without it, `up` says how to install it and exits 2, leaving the servers up for the
AWS CLI or `python -m ops` (`make local-down` stops them).

Overrides (tests use them to run in parallel): LOCAL_EMULATOR_PORT, LOCAL_MOTO_PORT, LOCAL_DIR
(.local), LOCAL_EMULATOR_ARGS (extra emulator flags, e.g. "--idle-hangup 120 --order-delay 0"),
PULUMI_BIN, PULUMI_CONFIG_PASSPHRASE (default: a fixed local-only passphrase), CALLER.
Pulumi.local.yaml names ports 8600/8601, so `pulumi up` only makes sense on those. `up`/`down`/
`status` use the standard library only.
"""

from __future__ import annotations

import os
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
PROJECT = "chime-pstn-routing"
STACK = "local"
HOST = "127.0.0.1"
DEFAULT_CALLER = "+12065550199"  # a fictional 555-01xx number: the caller of `make call`
LOCAL_PASSPHRASE = "local-stack-only"  # encrypts nothing of value: the local stack has no secrets
INSTALL = """\
The Pulumi CLI is not installed, so the local stack cannot be deployed.
Install it, then run `make local` again:
  curl -fsSL https://get.pulumi.com | sh          # Linux / macOS (or: brew install pulumi/tap/pulumi)
  choco install pulumi                            # Windows
  https://www.pulumi.com/docs/install/            # other options
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


def servers() -> tuple[Server, Server]:
    return (
        Server(
            "emulator", int(os.environ.get("LOCAL_EMULATOR_PORT", "8600")), "/_emulator/requests", "emulator"
        ),
        Server("moto", int(os.environ.get("LOCAL_MOTO_PORT", "8601")), "/moto-api/data.json", "moto.server"),
    )


def command_for(server: Server) -> list[str]:
    if server.name == "moto":
        return [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(server.port)]
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


def pulumi_binary() -> str | None:
    candidate = os.environ.get("PULUMI_BIN") or "pulumi"
    return shutil.which(candidate)


def pulumi_env() -> dict[str, str]:
    """Fake credentials only: whatever the caller has configured, the local stack never uses it."""
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_CONFIG_PASSPHRASE=os.environ.get("PULUMI_CONFIG_PASSPHRASE", LOCAL_PASSPHRASE),
        # A file backend for this process tree only: the user's own `pulumi login` is left alone.
        PULUMI_BACKEND_URL=(ROOT / ".pulumi").as_uri(),
    )
    return env


def up() -> int:
    local_dir().mkdir(parents=True, exist_ok=True)
    emulator, moto = servers()
    started = [(server, start(server)) for server in (emulator, moto)]  # both boot at once
    for server, process in started:
        wait_healthy(server, process)
    pulumi = pulumi_binary()
    if pulumi is None:
        print(INSTALL, file=sys.stderr)
        print(
            f"The emulator ({emulator.url}) and moto ({moto.url}) are running; `make local-down` stops them.",
            file=sys.stderr,
        )
        return 2
    env = pulumi_env()
    (ROOT / ".pulumi").mkdir(exist_ok=True)
    steps = [
        [pulumi, "stack", "select", "--create", STACK, "--non-interactive"],
        # --refresh: moto keeps nothing across restarts, so re-read what the state remembers.
        [pulumi, "up", "--stack", STACK, "--yes", "--refresh", "--non-interactive"],
    ]
    for step in steps:
        print("+ " + " ".join(step), flush=True)
        done = subprocess.run(step, cwd=ROOT, env=env, check=False)
        if done.returncode != 0:
            return done.returncode
    print("\nLocal stack is up. Try: make call   (stop everything: make local-down)")
    return 0


def first_number(emulator: Server) -> str | None:
    """The local stack's first number: from its outputs when Pulumi is here, else the first number
    a SIP rule uses in the emulator's inventory."""
    sys.path.insert(0, str(ROOT))
    from ops import stack_outputs
    from ops.errors import OpsError

    if pulumi_binary() is not None:
        os.environ.update({k: v for k, v in pulumi_env().items() if k.startswith("PULUMI_")})
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
    emulator, _ = servers()
    if not healthy(emulator):
        print(f"The emulator is not running at {emulator.url}: run `make local` first.", file=sys.stderr)
        return 2
    to = argv[0] if argv else first_number(emulator)
    if to is None:
        print(
            "The local stack has no phone number routed by a SIP rule yet: run `make local` "
            "(it needs the Pulumi CLI) first.",
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
    return 0 if running == 2 else 3


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
