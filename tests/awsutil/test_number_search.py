"""The search table is the one list of search criteria: it matches the service model, and stack
settings, the PhoneNumber provider and `ops numbers search` accept exactly its criteria."""

from __future__ import annotations

import json
import re

from awsutil import number_search
from awsutil.service_model import model_json
from ops.cli import build_parser
from providers.phone_number import PhoneNumberProvider
from testbed.program_mocks import evaluate, stack_config


def _kebab(member: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", member).lower()


def test_every_criterion_of_the_model_is_in_the_table_under_its_names() -> None:
    members = model_json()["shapes"][number_search.REQUEST]["members"]
    criteria = set(members) - {"MaxResults", "NextToken"}
    assert {f.member for f in number_search.FIELDS} == criteria
    for field in number_search.FIELDS:
        assert field.flag == "--" + _kebab(field.member)
        assert field.input_key == _kebab(field.member).replace("-", "_")
        assert field.config_key == field.member[0].lower() + field.member[1:]
        assert field.only_for in (None, *number_search.NUMBER_TYPE.constraints()["enum"])


def test_ops_offers_one_flag_per_criterion() -> None:
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    numbers = commands.choices["numbers"]  # type: ignore[index]
    actions = next(a for a in numbers._actions if a.dest == "numbers_command")
    search = actions.choices["search"]
    flags = {option for action in search._actions for option in action.option_strings}
    criteria = {f.flag for f in number_search.FIELDS}
    assert criteria <= flags
    assert flags - criteria == {"-h", "--help", "--max-results", "--next-token", "--json", "--region",
                                "--endpoint-url"}


def test_the_provider_accepts_exactly_the_tables_input_keys() -> None:
    every = {f.input_key: f.example for f in number_search.FIELDS}
    refused = PhoneNumberProvider().check({}, {"search": {**every, "zip": "98101"}}).failures or []
    reasons = [f.reason for f in refused]
    assert reasons == [f"search has unknown keys ['zip']; allowed: {', '.join(every)}"]


def test_settings_accept_exactly_the_tables_config_keys() -> None:
    search = {"phoneNumberType": "Local", "areaCode": "206", "city": "Seattle", "state": "WA",
              "country": "US", "zip": "98101"}
    config = {**stack_config("dev"),
              "chime-pstn-routing:phoneNumbers": json.dumps([{"search": search}])}
    run = evaluate("dev", config)
    assert run.error is not None
    problems = getattr(run.error, "problems", ())
    known = ", ".join(f.config_key for f in number_search.FIELDS)
    assert problems == (f"chime-pstn-routing:phoneNumbers[0].search.zip: unknown search field; known "
                        f"fields: {known}",)
