"""Evaluate the Pulumi program (`__main__.py`) under mocks and record everything the engine is told.

The SDK's `MockResourceArgs` carries no parent, dependencies or protect flag, so the monitor is
subclassed to record each RegisterResource request as it arrives, before the mocks answer it.
Mock-runtime state is global: `evaluate()` starts every run from a fresh root stack, fresh mocks,
a fresh monitor and the given config, so runs cannot see each other's resources.

`evaluate(..., failing={name: message})` makes the named resources fail as a failed create would
(their registration raises). `pulumi.runtime.test` stops waiting at the first failed RPC, which
would leave later registrations to chance; `evaluate` instead awaits every RPC and output the
program started, so what is missing from `registrations` after a failure is exactly what could not
be declared because it waits on the failed resource, and nothing else.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import runpy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

PROJECT = "chime-pstn-routing"
ROOT = Path(__file__).resolve().parents[1]
ACCOUNT_ID = "123456789012"
STACK_TYPE = "pulumi:pulumi:Stack"


def stack_config(stack: str) -> dict[str, str]:
    """A committed stack file's config as the engine hands it over: strings, objects as JSON."""
    data = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    return {key: value if isinstance(value, str) else json.dumps(value)
            for key, value in data["config"].items()}


@dataclass
class Registration:
    type: str
    name: str
    urn: str
    parent: str
    dependencies: list[str]
    protect: bool
    provider: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    aliases: list[AliasSpec] = field(default_factory=list)
    # Input property → URNs of the resources its value came from.
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class AliasSpec:
    """One alias as the SDK sends it: a whole URN, or a spec whose empty fields mean "as now"."""

    urn: str = ""
    name: str = ""
    type: str = ""
    stack: str = ""
    project: str = ""
    parent_urn: str = ""
    no_parent: bool = False


@dataclass
class Call:
    token: str
    args: dict[str, Any]
    provider: str


class ResourceFailed(Exception):
    """A resource `failing` names: what its create would have raised."""


class ProgramMocks(pulumi_mocks.Mocks):
    """Answers like the providers would: computed ARNs and ids, bridged outputs in camelCase."""

    def __init__(self, default_region: str, failing: Mapping[str, str] | None = None) -> None:
        self.default_region = default_region
        self.failing = dict(failing or {})  # resource name → the error its create raises
        self.provider_regions: dict[str, str] = {}  # provider URN → its region input
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._counter = 0

    def _next(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    def region_of(self, provider_ref: str) -> str:
        urn = provider_ref.rsplit("::", 1)[0] if provider_ref else ""
        return self.provider_regions.get(urn, self.default_region)

    def call(self, args: pulumi_mocks.MockCallArgs) -> Any:
        self.calls.append(Call(args.token, dict(args.args), args.provider or ""))
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/test",
                    "userId": "AIDATEST", "id": ACCOUNT_ID}  # a bare dict: (dict, None) breaks MockMonitor
        raise NotImplementedError(f"unexpected invoke {args.token}")

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        if args.name in self.failing:
            raise ResourceFailed(self.failing[args.name])
        inputs = dict(args.inputs)
        region = self.region_of(args.provider or "")
        n = self._next()
        typ = args.typ
        if typ == "pulumi:providers:aws":
            return f"provider-{n}", inputs
        if typ == "aws:iam/role:Role":
            name = f"{args.name}-{n:07x}"
            return name, {**inputs, "name": name, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"}
        if typ == "aws:cloudwatch/logGroup:LogGroup":
            arn = f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{inputs['name']}"
            return inputs["name"], {**inputs, "arn": arn}
        if typ == "aws:lambda/function:Function":
            arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{inputs['name']}"
            # With publish, the newest published version (a different number for every function, so
            # that one Region's version cannot pass for another's); without, $LATEST.
            version = str(n) if inputs.get("publish") else "$LATEST"
            return inputs["name"], {**inputs, "arn": arn, "invokeArn": arn, "version": version,
                                    "qualifiedArn": f"{arn}:{version}",
                                    "qualifiedInvokeArn": f"{arn}:{version}"}
        if typ == "aws:lambda/alias:Alias":
            function = inputs["functionName"]
            base = function if function.startswith("arn:") else \
                f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{function}"
            arn = f"{base}:{inputs['name']}"
            return arn, {**inputs, "arn": arn, "invokeArn": arn}
        if typ == "aws:lambda/permission:Permission":
            statement = inputs.get("statementId") or f"{args.name}-{n:07x}"  # the provider autonames it
            return statement, {**inputs, "statementId": statement}
        if typ == "pulumi-python:dynamic/chime:PhoneNumber":
            number = inputs.get("e164_phone_number") or f"+1844555{n:04d}"
            return number, {**inputs, "phone_number_id": number, "e164_phone_number": number,
                            "order_id": f"order-{n}", "status": "Unassigned"}
        if typ == "pulumi-python:dynamic/chime:SipMediaApplication":
            sma_id = f"sma-{n:04d}"
            return sma_id, {**inputs, "sip_media_application_id": sma_id,
                            "arn": f"arn:aws:chime:{inputs['region']}:{ACCOUNT_ID}:sma/{sma_id}"}
        if typ == "pulumi-python:dynamic/chime:SipRule":
            return f"rule-{n:04d}", {**inputs, "sip_rule_id": f"rule-{n:04d}"}
        if typ == "pulumi-python:dynamic/gate:DeploymentGate":
            return f"gate-{n}", {**inputs, "verdict": "valid"}
        return f"{args.name}-id", inputs


class RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: ProgramMocks) -> None:
        super().__init__(mocks)
        self.program_mocks = mocks
        self.registrations: list[Registration] = []
        self.failed: list[Registration] = []  # registrations whose create failed (`failing`)

    def RegisterResource(self, request: Any) -> Any:
        try:
            response = super().RegisterResource(request)
        except ResourceFailed:
            self.failed.append(self._registration(request, urn="", outputs={}))
            raise
        if request.type == STACK_TYPE:
            return response
        registration = self._registration(request, response.urn, dict(self.resources[response.urn].state))
        if request.type == "pulumi:providers:aws":
            self.program_mocks.provider_regions[response.urn] = registration.inputs.get("region", "")
        self.registrations.append(registration)
        return response

    @staticmethod
    def _registration(request: Any, urn: str, outputs: dict[str, Any]) -> Registration:
        return Registration(
            type=request.type, name=request.name, urn=urn, parent=request.parent,
            dependencies=list(request.dependencies), protect=bool(request.protect),
            provider=request.provider, custom=bool(request.custom),
            inputs=pulumi.runtime.rpc.deserialize_properties(request.object), outputs=outputs,
            aliases=[_alias_spec(alias) for alias in request.aliases],
            property_dependencies={key: list(deps.urns)
                                   for key, deps in request.propertyDependencies.items()})


def _alias_spec(alias: Any) -> AliasSpec:
    if alias.WhichOneof("alias") == "urn":
        return AliasSpec(urn=alias.urn)
    spec = alias.spec
    return AliasSpec(name=spec.name, type=spec.type, stack=spec.stack, project=spec.project,
                     parent_urn=spec.parentUrn, no_parent=spec.noParent)


@dataclass
class ProgramRun:
    stack: str
    registrations: list[Registration]
    calls: list[Call]
    exports: dict[str, Any]
    error: BaseException | None  # the program's own error, else the first failed registration's
    failed: list[Registration] = field(default_factory=list)  # the `failing` resources it declared

    def of_type(self, typ: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == typ]

    def by_name(self, name: str, typ: str | None = None) -> Registration:
        """The one registration with this name (and type: a component may share its name with a child)."""
        (found,) = [r for r in self.registrations if r.name == name and typ in (None, r.type)]
        return found

    def urn(self, name: str, typ: str | None = None) -> str:
        return self.by_name(name, typ).urn


def evaluate(stack: str, config: dict[str, str], program: Path = ROOT / "__main__.py",
             failing: Mapping[str, str] | None = None) -> ProgramRun:
    """Run the program once under fresh mocks; exports are resolved (each resolver recorded).
    `failing`: resource name → error, for resources whose create fails (see the module docstring)."""
    region = json.loads(config["aws:region"]) if config.get("aws:region", "").startswith('"') \
        else config.get("aws:region", "us-east-1")
    mocks = ProgramMocks(region, failing)
    monitor = RecordingMonitor(mocks)
    pulumi_settings.ROOT.set(None)  # a fresh root stack for this run
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    pulumi.runtime.set_all_config(config)
    exports: dict[str, Any] = {}
    resolved: list[str] = []
    error: list[BaseException] = []

    def run() -> Any:
        try:
            runpy.run_path(str(program), run_name="__main__")
        except Exception as exc:  # the program's own error: recorded, the run still drains RPCs
            error.append(exc)
            return None
        root = pulumi_settings.get_root_resource()
        assert root is not None
        outputs: dict[str, Any] = dict(root.outputs)  # type: ignore[attr-defined]

        def collect(values: list[Any]) -> None:
            exports.update(zip(outputs, values, strict=True))
            resolved.append("exports")

        return pulumi.Output.all(*outputs.values()).apply(collect)

    failures = _run_to_the_end(run)
    error.extend(failures)
    if not error:
        assert resolved == ["exports"], "the exports' apply callback never ran"
    return ProgramRun(stack, list(monitor.registrations), list(mocks.calls), exports,
                      error[0] if error else None, list(monitor.failed))


def _run_to_the_end(program: Callable[[], Any]) -> list[BaseException]:
    """What `pulumi.runtime.test` does, except that a failed RPC or output does not end the wait:
    every one the program started is awaited, and their failures returned in the order met."""
    rpc_manager = pulumi_settings.SETTINGS.rpc_manager
    rpc_manager.clear()
    pulumi_settings.SETTINGS.outputs.clear()
    failures: list[BaseException] = []

    async def settle(awaitable: Any) -> None:
        try:
            await awaitable
        except Exception as exc:  # one resource failed: the rest of the program goes on
            failures.append(exc)

    async def main() -> None:
        result = program()
        outputs = pulumi_settings.SETTINGS.outputs
        while True:
            while rpc_manager.rpcs:
                await asyncio.sleep(0)
                await settle(rpc_manager.rpcs.pop())
            pending = list(outputs)
            outputs.clear()
            for task in pending:
                await settle(task)
            if result is not None:  # the program's own result, once everything it may need has run
                await settle(pulumi.Output.from_input(result).future())
                result = None
            elif not rpc_manager.rpcs and not outputs:
                break
        rpc_manager.unhandled_exception = None  # reported through `failures` instead

    loop = asyncio.get_event_loop()
    loop.set_exception_handler(_quiet_about_failing_resources)
    _sync_await(run_pulumi_func(main))
    return failures


def _quiet_about_failing_resources(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Outputs of a `failing` resource that the program never awaited are garbage-collected with
    their error unread, which asyncio would log one traceback at a time: the run has reported it."""
    if not isinstance(context.get("exception"), ResourceFailed):
        loop.default_exception_handler(context)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
