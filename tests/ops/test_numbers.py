"""`ops numbers search` against the emulator: the tutorial's search as a table, every flag validated."""

from __future__ import annotations

import json

import pytest


def test_search_prints_the_services_numbers_as_a_table(ops_emulator, run_ops):
    expected = ops_emulator.client().search_available_phone_numbers(
        PhoneNumberType="TollFree", Country="US", TollFreePrefix="844", MaxResults=5
    )["E164PhoneNumbers"]
    result = run_ops(
        "numbers", "search", "--phone-number-type", "TollFree", "--country", "US",
        "--toll-free-prefix", "844",
        "--max-results", "5",
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["#", "E.164", "number"]
    rows = [line.split() for line in lines[2:] if line and line[0].isdigit()]
    assert [row[1] for row in rows] == expected and len(expected) == 5
    assert all(number.startswith("+1844") for number in expected)


def test_search_json_and_paging(ops_emulator, run_ops):
    first = run_ops("numbers", "search", "--phone-number-type", "Local", "--area-code", "206",
                    "--max-results", "2",
                    "--json")  # fmt: skip
    assert first.code == 0, first.err
    page = json.loads(first.out)
    assert len(page["E164PhoneNumbers"]) == 2
    assert page["NextToken"]
    table = run_ops("numbers", "search", "--area-code", "206", "--max-results", "2")
    assert f"--next-token {page['NextToken']}" in table.out
    second = run_ops("numbers", "search", "--area-code", "206", "--max-results", "2",
                     "--next-token", page["NextToken"], "--json")  # fmt: skip
    assert set(json.loads(second.out)["E164PhoneNumbers"]).isdisjoint(page["E164PhoneNumbers"])
    calls = [r for r in ops_emulator.requests() if r["operation"] == "SearchAvailablePhoneNumbers"]
    assert calls and all(r["status"] == 200 for r in calls)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--phone-number-type", "Mobile"], "--phone-number-type: 'Mobile' is not one of Local, TollFree"),
        (["--country", "us"], "--country: 'us' must look like US"),
        (["--country", "USA"], "--country: 'USA' must look like US"),
        (["--toll-free-prefix", "123"], "--toll-free-prefix: '123' must look like 844"),
        (["--phone-number-type", "Local", "--toll-free-prefix", "844"], "--toll-free-prefix only applies to"),
        (["--max-results", "0"], "--max-results: 0 is not between 1 and 500"),
        (["--max-results", "501"], "--max-results: 501 is not between 1 and 500"),
        (["--city", "  "], "--city must not be empty"),
        # The search table's pairings, the same ones stack settings enforce:
        (["--phone-number-type", "TollFree", "--area-code", "206"], "--area-code only applies to"),
        (["--city", "Seattle"], "--city also needs --state"),
    ],
)
def test_bad_criteria_are_refused_locally(ops_emulator, run_ops, argv, message):
    result = run_ops("numbers", "search", *argv)
    assert result.code == 2
    assert message in result.err
    assert ops_emulator.operations() == []


def test_no_match_and_unreachable_endpoint(ops_emulator, run_ops, monkeypatch):
    empty = run_ops("numbers", "search", "--country", "GB")
    assert (empty.code, empty.out) == (0, "No available numbers match.\n")
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL_CHIME_SDK_VOICE", "http://127.0.0.1:9"
    )  # discard port: nothing there
    down = run_ops("numbers", "search", "--country", "US", "--region", "us-east-1")
    assert down.code == 1
    assert "cannot reach http://127.0.0.1:9" in down.err


def test_endpoint_url_flag_instead_of_the_environment(ops_emulator, run_ops, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE")
    result = run_ops("numbers", "search", "--country", "US", "--max-results", "1", "--json",
                     "--endpoint-url", ops_emulator.url, "--region", "eu-west-2")  # fmt: skip
    assert result.code == 0, result.err
    assert len(json.loads(result.out)["E164PhoneNumbers"]) == 1
    assert [(r["operation"], r["region"]) for r in ops_emulator.requests()] == [
        ("SearchAvailablePhoneNumbers", "eu-west-2")
    ]


def test_region_from_aws_region_alone(ops_emulator, run_ops, monkeypatch):
    # The help, the README and the NoRegion message all name AWS_REGION; botocore itself reads
    # only AWS_DEFAULT_REGION (and the profile), so `ops` must honour AWS_REGION on its own.
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    result = run_ops("numbers", "search", "--country", "US", "--max-results", "1", "--json")
    assert result.code == 0, result.err
    assert [(r["operation"], r["region"]) for r in ops_emulator.requests()] == [
        ("SearchAvailablePhoneNumbers", "eu-west-2")
    ]
    monkeypatch.delenv("AWS_REGION")
    missing = run_ops("numbers", "search", "--country", "US")
    assert missing.code == 2 and "no AWS Region" in missing.err
