"""engine/tooling.py and engine/build.sh without the real engine: pins, cache keys, which CLI is
picked (PATH, cache, none), the offline environment, and the dynamic-provider plugin's errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine import tooling
from tests.engine.probe import REPO_ROOT

FAKE_GO = """#!/bin/sh
# Answers `go env` like a Go toolchain for an unusual platform, so keys cannot match a real build.
case "$*" in
    "env GOVERSION GOOS GOARCH") printf 'go1.99.1\\nplan9\\nmips\\n' ;;
    "env GOVERSION") echo go1.99.1 ;;
    "env GOOS") echo plan9 ;;
    "env GOARCH") echo mips ;;
    *) echo "fake go: $*" >&2; exit 3 ;;
esac
"""


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def fake_env(tmp_path: Path, *, go: bool = False, pulumi: bool = False) -> dict[str, str]:
    """An environment whose PATH has only the system basics plus the fakes asked for."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir(exist_ok=True)
    if go:
        executable(bin_dir / "go", FAKE_GO)
    if pulumi:
        executable(bin_dir / "pulumi", "#!/bin/sh\necho v0.0.0-fake\n")
    return {
        "PATH": os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]),
        "HOME": str(tmp_path / "home"),
        "CHIME_PSTN_ENGINE_CACHE": str(tmp_path / "cache"),
    }


def build_script(
    env: dict[str, str], *args: str, script: Path = tooling.BUILD_SCRIPT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True, check=False)


def cached_binary(env: dict[str, str], toolchain: tooling.GoToolchain) -> Path:
    return tooling.cache_root(env) / tooling.cache_key(toolchain) / "bin" / "pulumi"


def test_versions_file_pins_the_cli_that_go_mod_locks() -> None:
    pins = tooling.read_versions()
    assert re.fullmatch(r"v\d+\.\d+\.\d+", pins["PULUMI_VERSION"])
    go_mod = (tooling.ENGINE_DIR / "go.mod").read_text()
    for module in ("github.com/pulumi/pulumi/pkg/v3", "github.com/pulumi/pulumi/sdk/v3"):
        pinned = rf"^\s+{re.escape(module)} {re.escape(pins['PULUMI_VERSION'])}\b"
        assert re.search(pinned, go_mod, re.M), module
    # The sdk must come from the module proxy, not pkg/v3's own `../sdk` checkout.
    assert "=> ../sdk" not in go_mod
    assert "tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" in go_mod


def test_versions_file_rejects_lines_make_and_sh_would_read_differently(tmp_path: Path) -> None:
    bad = tmp_path / "versions.env"
    bad.write_text("PULUMI_VERSION=v3.1.0 # trailing comment\n")
    with pytest.raises(ValueError, match=r"versions\.env:1"):
        tooling.read_versions(bad)


def test_python_and_build_script_compute_the_same_cache_key_and_dir(tmp_path: Path) -> None:
    env = fake_env(tmp_path, go=True)
    toolchain = tooling.go_toolchain(env)
    assert toolchain == tooling.GoToolchain("go1.99.1", "plan9", "mips")

    def script(option: str) -> str:
        result = build_script(env, option)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    key = tooling.cache_key(toolchain)
    assert key == script("--print-key")
    assert key.startswith(f"pulumi-{tooling.read_versions()['PULUMI_VERSION']}-go1.99.1-plan9-mips-")
    assert script("--print-dir") == str(tooling.cache_root(env) / key / "bin")


def test_build_script_without_go_says_so_and_exits_2(tmp_path: Path) -> None:
    result = build_script(fake_env(tmp_path))
    assert result.returncode == 2
    assert "Go is not installed" in result.stderr


def test_build_script_refuses_a_lock_that_disagrees_with_the_pins(tmp_path: Path) -> None:
    copy = tmp_path / "engine"
    shutil.copytree(tooling.ENGINE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    versions = copy / "versions.env"
    versions.write_text(versions.read_text().replace("PULUMI_VERSION=v", "PULUMI_VERSION=v9"))
    result = build_script(fake_env(tmp_path, go=True), script=copy / "build.sh")
    assert result.returncode == 2
    assert "run engine/build.sh --update" in result.stderr
    assert not (tmp_path / "cache").exists()


def test_readme_names_the_go_version_go_mod_requires() -> None:
    go_line = re.search(r"^go (\S+)$", (tooling.ENGINE_DIR / "go.mod").read_text(), re.M)
    assert go_line is not None
    assert f"needs Go {go_line.group(1)} or later" in (REPO_ROOT / "README.md").read_text()


def test_cache_root_follows_the_override_then_xdg_then_home() -> None:
    assert tooling.cache_root({"CHIME_PSTN_ENGINE_CACHE": "/c", "XDG_CACHE_HOME": "/x"}) == Path("/c")
    assert tooling.cache_root({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/chime-pstn-routing/engine")
    assert tooling.cache_root({"HOME": "/h"}) == Path("/h/.cache/chime-pstn-routing/engine")


def test_a_pulumi_on_path_is_used_as_it_is(tmp_path: Path) -> None:
    env = fake_env(tmp_path, go=True, pulumi=True)
    found = tooling.find_engine(env)
    assert found.engine is not None
    assert found.engine.origin == "PATH"
    assert found.engine.pulumi == tmp_path / "fakebin" / "pulumi"
    # Its own plugins serve it: ours stay off PATH.
    assert found.engine.path_prepend == ()
    run_env = tooling.offline_env(found.engine, state_dir=tmp_path / "s", home_dir=tmp_path / "h", base=env)
    assert run_env["PATH"] == env["PATH"]


def test_the_cached_build_runs_beside_a_copy_of_our_plugins(tmp_path: Path) -> None:
    env = fake_env(tmp_path, go=True)
    toolchain = tooling.go_toolchain(env)
    assert toolchain is not None
    built = executable(cached_binary(env, toolchain), "#!/bin/sh\n")

    found = tooling.find_engine(env)
    assert found.engine is not None, found.reason
    assert found.engine.origin == "cache"
    bin_dir = found.engine.path_prepend[0]
    assert found.engine.pulumi == bin_dir / "pulumi"
    # The engine finds bundled plugins beside its own binary: a hard link keeps them together.
    assert found.engine.pulumi.samefile(built) and not found.engine.pulumi.is_symlink()
    for name, is_executable in tooling.PLUGIN_FILES:
        copy = bin_dir.parent / name
        assert copy.read_bytes() == (tooling.ENGINE_DIR / name).read_bytes()
        assert os.access(copy, os.X_OK) == is_executable
    # Found again, the same directory is reused.
    again = tooling.find_engine(env)
    assert again.engine == found.engine

    run_env = tooling.offline_env(found.engine, state_dir=tmp_path / "s", home_dir=tmp_path / "h", base=env)
    assert run_env["PATH"].split(os.pathsep)[0] == str(bin_dir)


def test_a_cached_build_is_found_without_go_too(tmp_path: Path) -> None:
    with_go = fake_env(tmp_path, go=True)
    toolchain = tooling.go_toolchain(with_go)
    assert toolchain is not None
    executable(cached_binary(with_go, toolchain), "#!/bin/sh\n")
    (tmp_path / "fakebin" / "go").unlink()
    found = tooling.find_engine(with_go)
    assert found.engine is not None and found.engine.origin == "cache", found.reason


def test_no_pulumi_and_no_go_gives_one_reason(tmp_path: Path) -> None:
    found = tooling.find_engine(fake_env(tmp_path))
    assert found.engine is None
    assert "neither `pulumi` on PATH nor Go" in found.reason
    assert "\n" not in found.reason


def test_the_cli_says_why_there_is_no_engine_and_fails_where_one_is_required(tmp_path: Path) -> None:
    def tooling_cli(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(REPO_ROOT / ".venv" / "bin" / "python"), "-m", "engine.tooling"],
                              cwd=REPO_ROOT, env={**fake_env(tmp_path), **extra}, capture_output=True,
                              text=True, check=False)

    elsewhere = tooling_cli()
    assert elsewhere.returncode == 2 and "neither `pulumi` on PATH nor Go" in elsewhere.stdout
    required = tooling_cli(CHIME_PSTN_REQUIRE_ENGINE="1")
    assert required.returncode == 1
    assert required.stderr.startswith("CHIME_PSTN_REQUIRE_ENGINE=1 but no Pulumi engine")


def test_go_without_a_build_asks_for_make_engine(tmp_path: Path) -> None:
    found = tooling.find_engine(fake_env(tmp_path, go=True))
    assert found.engine is None
    assert "make engine" in found.reason


def test_offline_env_sets_a_file_backend_and_turns_off_every_download(tmp_path: Path) -> None:
    engine = tooling.Engine(tmp_path / "pulumi", "PATH")
    base = {"PATH": "/bin", "PULUMI_ACCESS_TOKEN": "pul-secret", "PULUMI_CONFIG_PASSPHRASE_FILE": "/x"}
    env = tooling.offline_env(engine, state_dir=tmp_path / "state", home_dir=tmp_path / "home", base=base)
    assert env["PULUMI_BACKEND_URL"] == f"file://{tmp_path / 'state'}"
    assert env["PULUMI_HOME"] == str(tmp_path / "home")
    assert env["PULUMI_SKIP_UPDATE_CHECK"] == "true"
    assert env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] == "true"
    assert env["PULUMI_CONFIG_PASSPHRASE"] == tooling.LOCAL_PASSPHRASE
    assert "PULUMI_ACCESS_TOKEN" not in env
    assert "PULUMI_CONFIG_PASSPHRASE_FILE" not in env


def test_dynamic_provider_plugin_names_a_missing_virtualenv(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(tooling.ENGINE_DIR / "bin" / "pulumi-resource-pulumi-python"), "127.0.0.1:1"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PULUMI_RUNTIME_VIRTUALENV": "missing-venv"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{tmp_path}/missing-venv" in result.stderr
    assert "python3 -m venv" in result.stderr
    assert result.stdout == ""  # the engine would read anything here as the plugin's port


def test_dynamic_provider_plugin_serves_from_the_project_virtualenv(tmp_path: Path) -> None:
    (tmp_path / "venvlink").symlink_to(REPO_ROOT / ".venv")
    proc = subprocess.Popen(
        [str(tooling.ENGINE_DIR / "bin" / "pulumi-resource-pulumi-python"), "127.0.0.1:1"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PULUMI_RUNTIME_VIRTUALENV": "venvlink"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = proc.stdout.readline().strip()
        assert port.isdigit() and 0 < int(port) < 65536
    finally:
        proc.terminate()
        proc.wait(timeout=10)
