"""Deeply nested JSON is a client error (400 BadRequestException), never an internal error (500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape

from awsutil.service_model import service_model
from emulator.json_depth import MAX_JSON_DEPTH, json_depth
from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import create_sma
from tests.emulator.raw_http import exchange, request

SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/chime/aws4_request, "
                           "SignedHeaders=host, Signature=0"}


def nested(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def nested_text(levels: int) -> bytes:
    """`nested(levels)` as JSON, for depths json.dumps itself cannot write."""
    return b"[" * levels + b'"x"' + b"]" * levels


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b"", 0),
        (b'"[[["', 0),
        (b"{}", 1),
        (b'{"a": [1, {"b": "]]]{{{"}], "c": {}}', 3),
        (b'{"a": "\\"[[[", "b": [[]]}', 3),
        (b"[]" * 50, 1),
        (json.dumps(nested(100)).encode(), 100),
        (nested_text(100_000), 100_000),
    ],
)
def test_json_depth_counts_nesting_outside_strings(body: bytes, depth: int) -> None:
    assert json_depth(body) == depth


def _input_depth(shape: Shape, seen: frozenset[str] = frozenset()) -> int:
    if shape.name in seen:
        raise AssertionError(f"recursive shape {shape.name}: the depth bound would need another argument")
    inner = seen | {shape.name}
    if isinstance(shape, StructureShape):
        members = [m for m in shape.members.values() if not m.serialization.get("location")]
        return 1 + max((_input_depth(m, inner) for m in members), default=0)
    if isinstance(shape, ListShape):
        return 1 + _input_depth(shape.member, inner)
    if isinstance(shape, MapShape):
        return 1 + _input_depth(shape.value, inner)
    return 0


def test_the_bound_leaves_room_for_every_input_of_the_model() -> None:
    model = service_model()
    inputs = [model.operation_model(name).input_shape for name in model.operation_names]
    deepest = max(_input_depth(shape) for shape in inputs if shape is not None)
    assert 0 < deepest < MAX_JSON_DEPTH // 4


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH, 1000, 100_000])
def test_deep_json_to_the_api_is_a_bad_request(emulator: RunningEmulator, chime: Any, levels: int) -> None:
    # One level is the body's own object: `levels` arrays inside make levels + 1.
    body = b'{"AwsRegion":"us-east-1","Name":"x","Endpoints":' + nested_text(levels) + b"}"
    got = exchange(emulator.url, request("POST", "/sip-media-applications", body, SIGNED), answers=1)
    assert [a.status for a in got.answers] == [400], got
    assert got.answers[0].error_type == "BadRequestException"
    assert f"{levels + 1} levels deep" in got.answers[0].json()["Message"]
    assert chime.list_sip_media_applications()["SipMediaApplications"] == []


def test_json_at_the_bound_reaches_validation(emulator: RunningEmulator) -> None:
    # MAX_JSON_DEPTH levels in all: parsed, then refused by the model's own rule for the field.
    body = b'{"AwsRegion":"us-east-1","Name":"x","Endpoints":' + nested_text(MAX_JSON_DEPTH - 1) + b"}"
    got = exchange(emulator.url, request("POST", "/sip-media-applications", body, SIGNED), answers=1)
    assert [a.status for a in got.answers] == [400], got
    message = got.answers[0].json()["Message"]
    assert "levels deep" not in message and "endpoints" in message


@pytest.mark.parametrize("path", ["/_emulator/reset", "/_emulator/calls"])
def test_deep_json_to_the_admin_endpoints_is_a_bad_request(
    emulator: RunningEmulator, chime: Any, path: str
) -> None:
    sma_id = create_sma(chime)["SipMediaApplicationId"]
    got = exchange(emulator.url, request("POST", path, nested_text(100_000)), answers=1)
    assert [a.status for a in got.answers] == [400], got
    assert got.answers[0].error_type == "BadRequestException"
    found = chime.list_sip_media_applications()["SipMediaApplications"]
    assert [a["SipMediaApplicationId"] for a in found] == [sma_id]  # the reset did not run
