"""The one ARN parser: every part, the resource's type and id, and what is not an ARN."""

from __future__ import annotations

import pytest

from awsutil.arn import Arn, parse_arn, region_of, split_function_arn


def test_parts_of_a_lambda_and_a_chime_arn() -> None:
    fn = parse_arn("arn:aws:lambda:eu-west-1:123456789012:function:handler:live")
    assert fn == Arn("aws", "lambda", "eu-west-1", "123456789012", "function:handler:live")
    assert (fn.resource_type, fn.resource_id) == ("function", "handler:live")
    sma = parse_arn("arn:aws:chime:us-east-1:123456789012:sma/0b1c")
    assert sma is not None and (sma.service, sma.resource_type, sma.resource_id) == ("chime", "sma", "0b1c")
    group = parse_arn("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f")
    assert group is not None and (group.resource_type, group.resource_id) == ("log-group", "/aws/lambda/f")


@pytest.mark.parametrize("text", ["plain-name", "arn:aws:lambda:us-east-1:123", "urn:aws:x:y:z:r", None, 7])
def test_what_is_not_an_arn(text: object) -> None:
    assert parse_arn(text) is None and region_of(text) is None


def test_region_and_function_name() -> None:
    assert region_of("arn:aws:lambda:us-west-2:123456789012:function:f") == "us-west-2"
    assert region_of("arn:aws:iam::123456789012:role/r") is None
    assert split_function_arn("arn:aws:lambda:us-west-2:123456789012:function:f") == ("f", "us-west-2")
    assert split_function_arn("arn:aws:chime:us-east-1:123456789012:sma/x") == (
        "arn:aws:chime:us-east-1:123456789012:sma/x", "")
