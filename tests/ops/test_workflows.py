"""The GitHub workflows parse and keep the structure the README promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(data, dict)
    # YAML 1.1 reads the bare key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if str(s.get("uses", "")).startswith(action + "@")]


def run_text(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in job["steps"])


def test_every_workflow_parses() -> None:
    names = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
    assert names == ["deploy.yml", "preview.yml", "test.yml"]
    for name in names:
        assert load(name)["jobs"]


def test_tests_run_on_every_push_with_make_test() -> None:
    wf = load("test.yml")
    assert "push" in wf["on"] and wf["on"]["push"] is None  # every branch
    assert "make test" in run_text(wf["jobs"]["test"])


def pulumi_step(job: dict[str, Any]) -> dict[str, Any]:
    (step,) = steps_using(job, "pulumi/actions")
    return step


def assert_oidc_before_pulumi(job: dict[str, Any]) -> None:
    names = [str(s.get("uses", "")).split("@")[0] for s in job["steps"]]
    aws = names.index("aws-actions/configure-aws-credentials")
    assert aws < names.index("pulumi/actions")
    creds = job["steps"][aws]["with"]
    assert creds["role-to-assume"].startswith("${{ vars.")
    assert "aws-access-key-id" not in creds  # OIDC only, no stored keys
    # Python deps installed before pulumi/actions (it does not install them itself)
    assert names.index("pulumi/actions") > next(
        i for i, s in enumerate(job["steps"]) if "make setup" in str(s.get("run"))
    )


def test_preview_per_stack_on_pull_requests_with_comment() -> None:
    wf = load("preview.yml")
    assert list(wf["on"]) == ["pull_request"]
    assert wf["permissions"]["id-token"] == "write"
    assert wf["permissions"]["pull-requests"] == "write"
    job = wf["jobs"]["preview"]
    assert job["strategy"]["matrix"]["stack"] == ["dev", "prod"]
    step = pulumi_step(job)["with"]
    assert step["command"] == "preview"
    assert step["stack-name"] == "${{ matrix.stack }}"
    assert step["comment-on-pr"] is True
    assert step["policyPacks"] == "policy"
    assert "policy/requirements.txt" in run_text(job)
    assert_oidc_before_pulumi(job)


def test_up_on_main_dev_then_prod_behind_an_environment() -> None:
    wf = load("deploy.yml")
    assert wf["on"] == {"push": {"branches": ["main"]}}
    assert wf["permissions"]["id-token"] == "write"
    jobs = wf["jobs"]
    assert jobs["up-dev"]["needs"] == "test" and "make test" in run_text(jobs["test"])
    assert jobs["up-prod"]["needs"] == "up-dev"
    assert jobs["up-prod"]["environment"] == "production"
    for job_name, stack in (("up-dev", "dev"), ("up-prod", "prod")):
        step = pulumi_step(jobs[job_name])["with"]
        assert (step["command"], step["stack-name"]) == ("up", stack)
        assert_oidc_before_pulumi(jobs[job_name])


@pytest.mark.parametrize("name", ["preview.yml", "deploy.yml"])
def test_pulumi_token_comes_from_secrets(name: str) -> None:
    for job in load(name)["jobs"].values():
        for step in steps_using(job, "pulumi/actions"):
            assert step["env"]["PULUMI_ACCESS_TOKEN"] == "${{ secrets.PULUMI_ACCESS_TOKEN }}"


def test_actionlint_finds_nothing() -> None:
    """actionlint checks expressions, action inputs and action runtimes (a node20 action fails)."""
    import subprocess
    import sys

    binary = Path(sys.executable).parent / "actionlint"
    result = subprocess.run([str(binary), "-oneline"], cwd=WORKFLOWS.parents[1], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
