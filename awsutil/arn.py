"""Parse ARNs (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`): the one place an ARN is split."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The resource part is `TYPE/ID` or `TYPE:ID` (e.g. `sma/ID`, `function:NAME:QUALIFIER`).
_RESOURCE = re.compile(r"([^:/]*)[:/](.*)", re.S)


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def resource_type(self) -> str:
        """`function` of `function:NAME`, `sma` of `sma/ID`; the whole resource when it has no type."""
        found = _RESOURCE.fullmatch(self.resource)
        return found.group(1) if found else self.resource

    @property
    def resource_id(self) -> str:
        """`NAME:QUALIFIER` of `function:NAME:QUALIFIER`, `ID` of `sma/ID`; "" when there is no type."""
        found = _RESOURCE.fullmatch(self.resource)
        return found.group(2) if found else ""


def parse_arn(text: object) -> Arn | None:
    """The parts of an ARN; None for anything that is not one (a plain name, a non-string)."""
    if not isinstance(text, str):
        return None
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return Arn(*parts[1:])


def region_of(text: object) -> str | None:
    """The Region an ARN names; None for a non-ARN or an ARN without a Region (IAM)."""
    arn = parse_arn(text)
    if arn is None or not arn.region:
        return None
    return arn.region


def split_function_arn(text: str) -> tuple[str, str]:
    """(function name, Region) of `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`; any other
    text, such as a bare function name, gives (text, "")."""
    arn = parse_arn(text)
    if arn is None or arn.service != "lambda" or arn.resource_type != "function" or not arn.resource_id:
        return text, ""
    return arn.resource_id.split(":", 1)[0], arn.region
