"""The real policy pack (`policy/__main__.py`) run by the real Pulumi CLI on a throwaway project: the
stack's `aws:region` reaches the Region rule through the dynamic resource's provider inputs (the
engine hands a pack no stack config of its own when a language host starts it), and a mandatory
violation fails the preview."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine import tooling
from tests.engine import probe

ENGINE = probe.engine_or_skip()

# A dynamic resource with the type token of the project's SipMediaApplication, and no `region`
# input: the stack's Region decides.
PROGRAM = """\
import pulumi
from pulumi.dynamic import CreateResult, ResourceProvider


class Provider(ResourceProvider):
    def create(self, props):
        return CreateResult("sma-1", props)


class SipMediaApplication(pulumi.dynamic.Resource, module="chime", name="SipMediaApplication"):
    def __init__(self, name, props):
        super().__init__(Provider(), name, props)


SipMediaApplication("sma", {"name": "probe", "lambda_arn": pulumi.Config().require("lambdaArn")})
"""

LAMBDA_ARN = "arn:aws:lambda:us-west-2:123456789012:function:chime-pstn-routing-dev-call-handler:live"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's pack, started from a directory whose PulumiPolicy.yaml names the cached pack
    virtualenv (policy/.venv need not exist in a checkout)."""
    venv = tooling.ensure_policy_venv(probe.REPO_ROOT / "policy" / "requirements.txt")
    directory = tmp_path_factory.mktemp("pack")
    (directory / "PulumiPolicy.yaml").write_text(textwrap.dedent(f"""\
        description: the repository's policy pack
        runtime:
          name: python
          options:
            virtualenv: {venv}
        """))
    entry = probe.REPO_ROOT / "policy" / "__main__.py"
    (directory / "__main__.py").write_text(
        f"import runpy\nrunpy.run_path({str(entry)!r}, run_name='__main__')\n")
    return directory


def project(root: Path, stack_region: str) -> probe.Cli:
    directory = root / "project"
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text(probe.PULUMI_YAML)
    (directory / "__main__.py").write_text(PROGRAM)
    (directory / ".venv").symlink_to(probe.REPO_ROOT / ".venv")
    cli = probe.Cli(ENGINE, directory, root)
    cli.ok("stack", "init", "dev")
    cli.ok("config", "set", "aws:region", stack_region)
    cli.ok("config", "set", "lambdaArn", LAMBDA_ARN)
    return cli


def test_an_application_without_a_region_is_judged_against_the_stacks_region(
    pack: Path, tmp_path: Path
) -> None:
    refused = project(tmp_path / "east", "us-east-1")("preview", "--policy-pack", str(pack))
    assert refused.returncode != 0, refused.stdout
    assert "sip-media-application-lambda-in-its-region" in refused.stdout, refused.stdout
    assert "SIP media application in us-east-1 names a Lambda in us-west-2" in refused.stdout

    allowed = project(tmp_path / "west", "us-west-2")("preview", "--policy-pack", str(pack))
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "sip-media-application-lambda-in-its-region" not in allowed.stdout
