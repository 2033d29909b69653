"""Which Pulumi CLI to run for an engine run, and with what environment (stdlib only).

- A `pulumi` already on PATH is used as it is: users install the CLI normally, and it brings its own
  language host and dynamic-provider plugin.
- Otherwise the CLI that engine/build.sh built into the cache (`make engine`), paired with this
  repository's plugins (engine/bin, engine/langhost). The engine looks for its bundled plugins on
  PATH and then beside its own binary, and warns on every run when they are found on PATH but not
  beside it; so the plugins are copied into a directory of the cache next to a hard link of the
  binary, and that directory goes first on PATH.
- Otherwise nothing, with a one-line reason.

`ensure_engine()` also builds the cached CLI when Go is present. `offline_env()` is the environment
for a run that touches nothing but its own folders. `ensure_policy_venv()` builds, once per
requirements file, a virtualenv for a Python policy pack. With CHIME_PSTN_REQUIRE_ENGINE=1 (CI) a
missing engine is an error, not a reason to skip (`engine_required()`; tests/engine and
`python -m engine.tooling` honour it).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

ENGINE_DIR = Path(__file__).resolve().parent
VERSIONS_FILE = ENGINE_DIR / "versions.env"
BUILD_SCRIPT = ENGINE_DIR / "build.sh"
# The repository's plugins, as (path relative to engine/, executable?). Copied as a unit.
PLUGIN_FILES: tuple[tuple[str, bool], ...] = (
    ("bin/pulumi-language-python", True),
    ("bin/pulumi-resource-pulumi-python", True),
    ("langhost/host.py", False),
    ("langhost/run_program.py", False),
)
# Encrypts secrets of throwaway local stacks only; a real stack uses the user's own passphrase.
LOCAL_PASSPHRASE = "chime-pstn-routing-local-only"
# Set to 1 where the engine must be there (CI): engine tests fail instead of skipping.
REQUIRE_ENGINE_ENV = "CHIME_PSTN_REQUIRE_ENGINE"

Origin = Literal["PATH", "cache"]


@dataclass(frozen=True)
class GoToolchain:
    """The Go toolchain a build would use (`go env GOVERSION GOOS GOARCH`)."""

    version: str
    goos: str
    goarch: str


@dataclass(frozen=True)
class Engine:
    """A runnable Pulumi CLI and the directories to put first on PATH when running it."""

    pulumi: Path
    origin: Origin
    path_prepend: tuple[Path, ...] = ()


@dataclass(frozen=True)
class EngineLookup:
    """The engine found (or None) and, in one line, which one and why, or why there is none."""

    engine: Engine | None
    reason: str


def read_versions(path: Path = VERSIONS_FILE) -> dict[str, str]:
    """The KEY=VALUE pins of engine/versions.env (comments and blank lines skipped)."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.isidentifier() or not value or any(c.isspace() for c in value):
            raise ValueError(f"{path}:{number}: expected KEY=VALUE without spaces, got {raw!r}")
        pins[key] = value
    return pins


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    """$CHIME_PSTN_ENGINE_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/chime-pstn-routing/engine."""
    env = os.environ if environ is None else environ
    if env.get("CHIME_PSTN_ENGINE_CACHE"):
        return Path(env["CHIME_PSTN_ENGINE_CACHE"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or str(Path.home()), ".cache")
    return Path(base) / "chime-pstn-routing" / "engine"


def gomod_digest(engine_dir: Path = ENGINE_DIR) -> str:
    """12 hex digits of sha256(go.mod + go.sum): the lock's part of the cache key."""
    data = (engine_dir / "go.mod").read_bytes() + (engine_dir / "go.sum").read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def cache_key(toolchain: GoToolchain, engine_dir: Path = ENGINE_DIR) -> str:
    """The cache directory name engine/build.sh builds into (it computes the same string)."""
    version = read_versions(engine_dir / "versions.env")["PULUMI_VERSION"]
    return (
        f"pulumi-{version}-{toolchain.version}-{toolchain.goos}-{toolchain.goarch}-"
        f"{gomod_digest(engine_dir)}"
    )


def go_toolchain(environ: Mapping[str, str] | None = None) -> GoToolchain | None:
    """The `go` on PATH, or None when there is none (or it does not answer)."""
    env = dict(os.environ if environ is None else environ)
    go = shutil.which("go", path=env.get("PATH"))
    if go is None:
        return None
    env["GOTOOLCHAIN"] = "local"
    try:
        result = subprocess.run(
            [go, "env", "GOVERSION", "GOOS", "GOARCH"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = result.stdout.split()
    if result.returncode != 0 or len(lines) != 3:
        return None
    return GoToolchain(*lines)


def plugins_digest(engine_dir: Path = ENGINE_DIR) -> str:
    """12 hex digits over the plugin files' names and contents."""
    digest = hashlib.sha256()
    for name, _ in PLUGIN_FILES:
        digest.update(name.encode() + b"\0" + (engine_dir / name).read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def install_plugins(built_pulumi: Path, engine_dir: Path = ENGINE_DIR) -> Path:
    """The bin directory holding `pulumi` (a hard link to the build) beside a copy of our plugins.

    One directory per plugins digest, created atomically and reused; returns its `bin`.
    """
    target = built_pulumi.parent.parent / f"plugins-{plugins_digest(engine_dir)}"
    if (target / "bin" / "pulumi").exists():
        return target / "bin"
    staging = Path(tempfile.mkdtemp(prefix=".plugins-", dir=target.parent))
    try:
        for name, executable in PLUGIN_FILES:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(engine_dir / name, staging / name)
            os.chmod(staging / name, 0o755 if executable else 0o644)
        try:
            os.link(built_pulumi, staging / "bin" / "pulumi")
        except OSError:
            shutil.copy2(built_pulumi, staging / "bin" / "pulumi")
        os.chmod(staging, 0o755)
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / "bin" / "pulumi").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "bin"


def cached_pulumi(
    environ: Mapping[str, str] | None = None, toolchain: GoToolchain | None = None
) -> Path | None:
    """The cached build for the current pins: the exact key when Go is known, else any Go version."""
    root = cache_root(environ)
    if toolchain is not None:
        candidates = [root / cache_key(toolchain) / "bin" / "pulumi"]
    else:
        version = read_versions()["PULUMI_VERSION"]
        candidates = sorted(root.glob(f"pulumi-{version}-*-{gomod_digest()}/bin/pulumi"), reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def find_engine(environ: Mapping[str, str] | None = None) -> EngineLookup:
    """The engine to run, without building anything."""
    env = os.environ if environ is None else environ
    on_path = shutil.which("pulumi", path=env.get("PATH"))
    if on_path is not None:
        return EngineLookup(Engine(Path(on_path), "PATH"), f"pulumi on PATH ({on_path})")
    toolchain = go_toolchain(env)
    built = cached_pulumi(env, toolchain)
    if built is not None:
        bin_dir = install_plugins(built)
        return EngineLookup(
            Engine(bin_dir / "pulumi", "cache", (bin_dir,)), f"pulumi built by `make engine` ({built})"
        )
    if toolchain is None:
        return EngineLookup(
            None,
            "no Pulumi engine: neither `pulumi` on PATH nor Go to build it "
            "(install the Pulumi CLI, or Go and run `make engine`)",
        )
    return EngineLookup(None, "the Pulumi CLI is not built yet: run `make engine`")


def build_engine(environ: Mapping[str, str] | None = None, progress: TextIO | None = None) -> Path:
    """Runs engine/build.sh (skipped by it when already built); returns the bin directory.

    Go's per-package progress (`go build -v`) goes to `progress` (default: this process's stderr).
    """
    env = dict(os.environ if environ is None else environ)
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=progress if progress is not None else sys.stderr,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"engine/build.sh failed (exit {result.returncode}); see its output above")
    return Path(result.stdout.strip().splitlines()[-1])


def ensure_engine(environ: Mapping[str, str] | None = None, progress: TextIO | None = None) -> EngineLookup:
    """find_engine(), after building the cached CLI if it is missing and Go is present."""
    found = find_engine(environ)
    if found.engine is not None or go_toolchain(environ) is None:
        return found
    try:
        build_engine(environ, progress)
    except RuntimeError as exc:
        return EngineLookup(None, f"building the Pulumi CLI failed: {exc}")
    return find_engine(environ)


def offline_env(
    engine: Engine,
    *,
    state_dir: Path,
    home_dir: Path,
    passphrase: str = LOCAL_PASSPHRASE,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment for running `engine` offline, on a file backend in `state_dir`.

    PULUMI_HOME (plugins, workspace settings, logs) is `home_dir`; there are no update checks (the
    CLI's only call home on a file backend), no plugin downloads, and no Pulumi Cloud credentials.
    """
    env = dict(os.environ if base is None else base)
    for name in ("PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_API"):
        env.pop(name, None)
    env.update(
        PULUMI_BACKEND_URL=Path(state_dir).resolve().as_uri(),
        PULUMI_HOME=str(Path(home_dir).resolve()),
        PULUMI_CONFIG_PASSPHRASE=passphrase,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
    )
    if engine.path_prepend:
        env["PATH"] = os.pathsep.join([*(str(p) for p in engine.path_prepend), env.get("PATH", "")])
    return env


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_policy_venv(requirements: Path, environ: Mapping[str, str] | None = None) -> Path:
    """A virtualenv with `requirements` installed, in the cache, built once per requirements content.

    For Python policy packs: pulumi-policy pins an older protobuf than the project's pulumi SDK, so a
    pack cannot share the project's virtualenv. Needs the package index the first time.
    """
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    target = cache_root(environ) / f"policy-venv-{digest}"
    done = target / ".complete"
    if done.exists():
        return target
    with _locked(cache_root(environ) / ".policy-venv.lock"):
        if done.exists():
            return target
        shutil.rmtree(target, ignore_errors=True)
        venv.EnvBuilder(with_pip=True).create(target)
        subprocess.run(
            [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(requirements)],
            check=True,
        )
        done.write_text(str(requirements) + "\n")
    return target


def engine_required(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a missing engine is an error here (CHIME_PSTN_REQUIRE_ENGINE=1, as CI sets)."""
    return (os.environ if environ is None else environ).get(REQUIRE_ENGINE_ENV) == "1"


def main(argv: list[str]) -> int:
    """`python -m engine.tooling [--build]`: prints the engine it would use, or why there is none
    (exit 2; exit 1 when CHIME_PSTN_REQUIRE_ENGINE=1). `--policy-venv REQUIREMENTS`: builds (once) the
    policy pack's virtualenv and prints its path."""
    if argv[:1] == ["--policy-venv"] and len(argv) == 2:
        print(ensure_policy_venv(Path(argv[1]).resolve()))
        return 0
    if argv not in ([], ["--build"]):
        print("usage: python -m engine.tooling [--build | --policy-venv REQUIREMENTS]", file=sys.stderr)
        return 2
    found = ensure_engine() if argv == ["--build"] else find_engine()
    if found.engine is not None:
        print(found.engine.pulumi)
        return 0
    if engine_required():
        print(f"{REQUIRE_ENGINE_ENV}=1 but {found.reason}", file=sys.stderr)
        return 1
    print(found.reason)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
