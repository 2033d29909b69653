"""Drive dynamic providers the way the Pulumi engine does, without the Pulumi CLI.

`DynamicHost` starts the real `python -u -m pulumi.dynamic` server from the project root (as the
`pulumi-resource-pulumi-python` plugin does), talks gRPC to it, and sends the same requests in
the same order as the engine (checked against the engine itself by tests/engine/, and against
pkg/resource/deploy in github.com/pulumi/pulumi/pkg/v3 v3.274.1):

- create: Check(olds={}, news) then Create;
- update: Check(old inputs, news), Diff(old outputs, checked inputs, old inputs), Update;
- replace: after Diff asks for it, Check again with no olds (step_generator.go: "recompute the
  default values"), then either Delete, Create (delete_before_replace) or Create now and Delete the
  old resource at the END of the deployment, after everything else (step_generator.go:
  CreateBeforeDelete). `up()` is one resource's whole deployment, so it deletes right after the
  create; pass `deferred` to collect those deletes across several resources and run them with
  `finish()`, as the engine does;
- refresh: Read(id, old outputs, old inputs), then Diff(olds=refreshed outputs, news=the state's
  old inputs) to show the drift (step.go, RefreshStep.Apply); a Read answering no id drops the
  resource;
- preview: Check, and Diff for an existing resource; no Create/Update/Delete.

Properties cross the wire through the SDK's own `rpc.serialize_properties` /
`deserialize_properties`, and every resource's inputs carry the `__provider` blob the SDK's
`Resource.__init__` would produce. This catches pickling, float/int, dropped-output and
unknown-handling bugs that direct method calls miss.

What it does not model: the engine configures a provider process once per pass (`up` = a preview
process and an update process) with the whole stack config; a refresh or destroy configures it with
the config recorded in the state at the last update (the dynamic providers' default provider keeps
it as its inputs), not the current stack file, unless `--run-program` is given. `configure()` here
sends whatever config it is given.

Shared by the provider tests (tests/providers/) and the engine benchmark (bench/bench_engine.py).
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime._serialization import _serialize
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from testbed.emulator_process import start_server, stop_process

PROJECT = "chime-pstn-routing"
UNKNOWN = rpc.UNKNOWN  # what the engine sends for a value not known during preview
PROVIDER_KEY = "__provider"
_PORT_LINE = re.compile(r"^\d+$")  # the server's first line on stdout: its gRPC port


def provider_blob(provider: ResourceProvider) -> str:
    """The `__provider` value `pulumi.dynamic.Resource.__init__` stores (pickled by dill)."""
    blob, contains_secrets = _serialize(True, serialize_provider, provider)
    assert not contains_secrets
    return str(blob)


def _encode(props: dict[str, Any]) -> Any:
    # A private loop, never made current: asyncio.run() would leave the main thread without a
    # current loop, and Pulumi's mocks (tests/program, in the same xdist worker) need one.
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def _decode(struct: Any) -> dict[str, Any]:
    return dict(rpc.deserialize_properties(struct, keep_unknowns=True))


class CheckFailed(Exception):
    def __init__(self, failures: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {r}" for p, r in failures))
        self.failures = failures


@dataclass
class DiffOutcome:
    changes: int  # provider_pb2.DiffResponse.DIFF_NONE / DIFF_SOME / DIFF_UNKNOWN
    replaces: list[str]
    delete_before_replace: bool

    @property
    def changed(self) -> bool:
        return self.changes == provider_pb2.DiffResponse.DIFF_SOME


@dataclass
class ResourceState:
    """What the engine keeps for one resource: id, inputs (after Check) and outputs."""

    type_token: str
    name: str
    id: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        return f"urn:pulumi:test::{PROJECT}::{self.type_token}::{self.name}"


class DynamicHost:
    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.process, port, self.output = start_server(
            [sys.executable, "-u", "-m", "pulumi.dynamic"], _PORT_LINE, "pulumi.dynamic", env)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def close(self) -> None:
        self.channel.close()
        stop_process(self.process)

    # ---- raw RPCs ---------------------------------------------------------------------------
    def get_plugin_info(self) -> str:
        return str(self.stub.GetPluginInfo(empty_pb2.Empty()).version)

    def configure(self, config: dict[str, str]) -> None:
        """Stack config as the engine sends it to dynamic providers: every key, namespaced."""
        self.stub.Configure(provider_pb2.ConfigureRequest(
            variables=config, args=_encode(dict(config)), acceptSecrets=True, acceptResources=True))

    def check(self, state: ResourceState, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Check(provider_pb2.CheckRequest(
            urn=state.urn, name=state.name, type=state.type_token, olds=_encode(olds), news=_encode(news)))
        failures = [(f.property, f.reason) for f in response.failures]
        if failures:
            raise CheckFailed(failures)
        return _decode(response.inputs)

    def diff(self, state: ResourceState, news: dict[str, Any]) -> DiffOutcome:
        response = self.stub.Diff(provider_pb2.DiffRequest(
            id=state.id, urn=state.urn, name=state.name, type=state.type_token,
            olds=_encode(state.outputs), news=_encode(news), old_inputs=_encode(state.inputs)))
        return DiffOutcome(response.changes, list(response.replaces), response.deleteBeforeReplace)

    def create(self, state: ResourceState, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Create(provider_pb2.CreateRequest(
            urn=state.urn, name=state.name, type=state.type_token, properties=_encode(inputs)))
        return response.id, _decode(response.properties)

    def update(self, state: ResourceState, inputs: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Update(provider_pb2.UpdateRequest(
            id=state.id, urn=state.urn, name=state.name, type=state.type_token,
            olds=_encode(state.outputs), news=_encode(inputs), old_inputs=_encode(state.inputs)))
        return _decode(response.properties)

    def read(self, state: ResourceState) -> tuple[str, dict[str, Any], dict[str, Any]]:
        response = self.stub.Read(provider_pb2.ReadRequest(
            id=state.id, urn=state.urn, name=state.name, type=state.type_token,
            properties=_encode(state.outputs), inputs=_encode(state.inputs)))
        return response.id, _decode(response.properties), _decode(response.inputs)

    def delete(self, state: ResourceState) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(
            id=state.id, urn=state.urn, name=state.name, type=state.type_token,
            properties=_encode(state.outputs), old_inputs=_encode(state.inputs)))

    # ---- engine operations ------------------------------------------------------------------
    def up(self, state: ResourceState, news: dict[str, Any],
           deferred: list[ResourceState] | None = None) -> str:
        """`pulumi up` for one resource; returns what happened: create/same/update/replace.

        A create-before-delete replacement's old resource is deleted at once, as at the end of a
        one-resource deployment, or appended to `deferred` for `finish()`.
        """
        if not state.id:
            inputs = self.check(state, {}, news)
            state.id, state.outputs = self.create(state, inputs)
            state.inputs = inputs
            return "create"
        inputs = self.check(state, state.inputs, news)
        outcome = self.diff(state, inputs)
        if not outcome.changed:
            state.inputs = inputs  # a `same` step still records the new inputs
            return "same"
        if outcome.replaces:
            inputs = self.check(state, {}, news)  # the engine checks a replacement again, without olds
            old = ResourceState(state.type_token, state.name, state.id, state.inputs, state.outputs)
            if outcome.delete_before_replace:
                self.delete(old)
            state.id, state.outputs = self.create(state, inputs)
            state.inputs = inputs
            if not outcome.delete_before_replace:
                if deferred is None:
                    self.delete(old)
                else:
                    deferred.append(old)
            return "replace"
        state.outputs = self.update(state, inputs)
        state.inputs = inputs
        return "update"

    def finish(self, deferred: list[ResourceState]) -> None:
        """The end of a deployment: delete the replaced resources `up()` deferred, last first."""
        while deferred:
            self.delete(deferred.pop())

    def preview(self, state: ResourceState, news: dict[str, Any]) -> DiffOutcome | None:
        """`pulumi preview`: Check, then Diff for an existing resource (None for a create)."""
        inputs = self.check(state, state.inputs if state.id else {}, news)
        return self.diff(state, inputs) if state.id else None

    def refresh(self, state: ResourceState) -> DiffOutcome | None:
        """`pulumi refresh` for one resource: Read, then the engine's drift Diff (None when the
        resource is gone, which drops it from the state)."""
        new_id, outputs, inputs = self.read(state)
        if not new_id:
            state.id, state.inputs, state.outputs = "", {}, {}
            return None
        old_inputs = state.inputs
        state.id = new_id
        state.outputs = outputs
        if inputs:
            state.inputs = inputs
        # Diff(olds=refreshed outputs, news=the old inputs), shown inverted as the drift.
        return self.diff(state, old_inputs)

    def destroy(self, state: ResourceState) -> None:
        self.delete(state)
        state.id, state.inputs, state.outputs = "", {}, {}
