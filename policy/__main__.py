"""The policy pack's entry point, run by the Pulumi CLI (`pulumi preview --policy-pack policy`) in the
pack's own virtualenv (`policy/.venv`, from `policy/requirements.txt`): pulumi-policy needs an older
protobuf than the project's pulumi, so it cannot live in `.venv`. Never import this module from tests:
constructing `PolicyPack` starts the analyzer server and blocks. The rules live in `policy.rules`.
"""

import sys
from pathlib import Path

# The CLI runs this file with the pack folder on sys.path; the rules are imported as `policy.rules`
# (one module name everywhere), so put the project root first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

    from policy.rules import RULES

    PolicyPack(
        name="chime-pstn-routing",
        enforcement_level=EnforcementLevel.MANDATORY,
        policies=[
            ResourceValidationPolicy(name=rule.name, description=rule.description, validate=rule.validate)
            for rule in RULES
        ],
    )


main()
