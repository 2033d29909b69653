"""botocore's service models, each loaded once, and lookups into them: shapes, members, patterns,
enums. Every input check the model can express reads its constraint from here.

botocore is imported only when a model is first needed, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import ServiceModel

CHIME_SDK_VOICE = "chime-sdk-voice"


@cache
def model_json(service: str = CHIME_SDK_VOICE) -> dict[str, Any]:
    """The service's `service-2` model as botocore ships it (treat it as read-only)."""
    from botocore.loaders import Loader

    model: dict[str, Any] = Loader().load_service_model(service, "service-2")
    return model


@cache
def service_model(service: str = CHIME_SDK_VOICE) -> ServiceModel:
    """The same model as botocore's `ServiceModel` (operations, input and output shapes)."""
    from botocore.model import ServiceModel

    return ServiceModel(model_json(service), service_name=service)


def shape(name: str, service: str = CHIME_SDK_VOICE) -> dict[str, Any]:
    """A shape by name, e.g. `SipRuleName`."""
    found: dict[str, Any] = model_json(service)["shapes"][name]
    return found


def member_shape(structure: str, member: str, service: str = CHIME_SDK_VOICE) -> dict[str, Any]:
    """The shape of `structure.member`, e.g. ("CreateSipRuleRequest", "TriggerType")."""
    return shape(model_json(service)["shapes"][structure]["members"][member]["shape"], service)


@cache
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    """A model pattern, compiled once; use it with `fullmatch`, as the service matches the WHOLE
    value (a `$` alone would let a trailing newline through).

    Compiled with re.ASCII: the service's patterns are Java regular expressions, where `\\d`, `\\w`
    and `\\s` mean ASCII digits, word characters and white space; Python's would also accept, say,
    Arabic-Indic or full-width digits, which the service refuses."""
    return re.compile(pattern, re.ASCII)


def enum(name: str, service: str = CHIME_SDK_VOICE) -> tuple[str, ...]:
    """The values a string shape allows, in the model's order."""
    return tuple(shape(name, service)["enum"])
