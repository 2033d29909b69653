"""An explicit `aws.Provider` for another Region that keeps the stack's own `aws:` settings.

An explicit provider reads none of the stack's `aws:` config: without repeating profile, endpoints,
allowed accounts and the like, the backup Region would be deployed with other credentials, to
another account, or (on the local stack) to real AWS instead of the local moto server.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _kwargs_for(target: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """Map camelCase config keys onto `target`'s keyword names (`lambda` → `lambda_`)."""
    params = inspect.signature(target).parameters
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        snake = _snake(key)
        name = snake if snake in params else f"{snake}_"
        if name not in params:
            raise ValueError(f"aws:{key} cannot be forwarded to the backup Region's provider")
        kwargs[name] = value
    return kwargs


def provider_args(config: Mapping[str, Any]) -> dict[str, Any]:
    """aws.ProviderArgs keyword arguments from forwarded `aws:` config values.

    Raises ValueError for a value it cannot map, so settings validation can report it up front.
    """
    kwargs = _kwargs_for(aws.ProviderArgs, {k: v for k, v in config.items()
                                                  if k not in ("endpoints", "assumeRoles")})
    if "endpoints" in config:
        kwargs["endpoints"] = [aws.ProviderEndpointArgs(**_kwargs_for(aws.ProviderEndpointArgs, item))
                               for item in config["endpoints"]]
    if "assumeRoles" in config:
        kwargs["assume_roles"] = [aws.ProviderAssumeRoleArgs(**_kwargs_for(aws.ProviderAssumeRoleArgs, item))
                                  for item in config["assumeRoles"]]
    return kwargs


def regional_provider(name: str, region: str, config: Mapping[str, Any],
                      opts: pulumi.ResourceOptions | None = None) -> aws.Provider:
    return aws.Provider(name, aws.ProviderArgs(region=region, **provider_args(config)), opts=opts)
