"""Each committed stack file, evaluated under mocks: every resource, parent, key property and edge."""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any

import dill
import pytest

from components.bundle import collect_bundle
from components.settings import Settings
from testbed.program_mocks import ACCOUNT_ID, ProgramRun, Registration, evaluate, stack_config

PROJECT = "chime-pstn-routing"
PHONE = "pulumi-python:dynamic/chime:PhoneNumber"
SMA = "pulumi-python:dynamic/chime:SipMediaApplication"
RULE = "pulumi-python:dynamic/chime:SipRule"
GATE = "pulumi-python:dynamic/gate:DeploymentGate"
HANDLER = "chime-pstn-routing:components:CallHandler"
REGIONAL = "chime-pstn-routing:components:RegionalTarget"
HANDLER_CHILD_TYPES = Counter({
    "aws:iam/role:Role": 1, "aws:iam/rolePolicy:RolePolicy": 1, "aws:cloudwatch/logGroup:LogGroup": 1,
    "aws:lambda/function:Function": 1, "aws:cloudwatch/metricAlarm:MetricAlarm": 3,
    "aws:lambda/permission:Permission": 1, "aws:lambda/alias:Alias": 1,
})

# What each committed stack file asks for: Regions, numbers, hostname rule, protection, retention, and
# whether its handlers are brought by ARN (handlerArn/backupHandlerArn: no AWS resources declared).
# "local+hostname" is the local stack plus a Voice Connector host: no committed stack routes by host
# (the emulator, like the service, only accepts the outbound host of a Voice Connector that exists,
# and a fresh emulator has none), so the hostname rule is checked on this variant.
HOSTNAME = "abcdef1ghij2klmno3pqr4.voiceconnector.chime.aws"
EXPECTED: dict[str, dict[str, Any]] = {
    "dev": {"regions": ["us-east-1"], "numbers": 1, "hostname": None, "protect": False, "retention": 30,
            "local": False, "sma_logs": False, "own_handlers": False},
    "prod": {"regions": ["us-east-1", "us-west-2"], "numbers": 1, "hostname": None, "protect": True,
             "retention": 90, "local": False, "sma_logs": True, "own_handlers": False},
    "local": {"regions": ["us-east-1", "us-west-2"], "numbers": 2, "hostname": None, "protect": False,
              "retention": 30, "local": True, "sma_logs": False, "own_handlers": True},
    "local+hostname": {"regions": ["us-east-1", "us-west-2"], "numbers": 2, "hostname": HOSTNAME,
                       "protect": False, "retention": 30, "local": True, "sma_logs": False,
                       "own_handlers": True,
                       "extra": {f"{PROJECT}:voiceConnectorHostname": HOSTNAME}},
}
ROLES = ("primary", "backup")
_CASE_OF_RUN: dict[int, str] = {}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def run(request: pytest.FixtureRequest) -> ProgramRun:
    case = request.param
    stack = case.split("+")[0]
    result = evaluate(stack, {**stack_config(stack), **EXPECTED[case].get("extra", {})})
    assert result.error is None, result.error
    _CASE_OF_RUN[id(result)] = case
    return result


def _expected(run: ProgramRun) -> dict[str, Any]:
    return EXPECTED[_CASE_OF_RUN[id(run)]]


def _roles(run: ProgramRun) -> list[tuple[str, str]]:
    return list(zip(ROLES, _expected(run)["regions"], strict=False))


def _function_name(run: ProgramRun, role: str) -> str:
    return f"{PROJECT}-{run.stack}-{'call' if role == 'primary' else 'backup'}-handler"


def _backup_provider_urn(run: ProgramRun) -> str:
    return run.urn("routing-backup-aws")


def _built_roles(run: ProgramRun) -> list[tuple[str, str]]:
    """The Regions whose handler the program builds (none when the stack brings its own)."""
    return [] if _expected(run)["own_handlers"] else _roles(run)


def _handler_arn(run: ProgramRun, role: str) -> str:
    """The ARN a Region's application invokes and the stack exports: the configured one, or the
    built function's `live` alias."""
    if _expected(run)["own_handlers"]:
        key = "handlerArn" if role == "primary" else "backupHandlerArn"
        return stack_config(run.stack)[f"{PROJECT}:{key}"]
    return str(run.by_name(f"routing-{role}-live").outputs["arn"])


def _no_aws(run: ProgramRun) -> bool:
    """For stacks that bring their own handlers: nothing of AWS is declared (True, or it fails)."""
    assert _expected(run)["own_handlers"]
    assert [r.name for r in run.registrations if r.type.startswith(("aws:", "pulumi:providers:aws"))] == []
    assert not run.of_type(HANDLER)
    return True


def test_exact_resource_set(run: ProgramRun) -> None:
    exp = _expected(run)
    regions = len(exp["regions"])
    rules = exp["numbers"] + (1 if exp["hostname"] else 0)
    expected = Counter({
        "chime-pstn-routing:components:CallRouting": 1, REGIONAL: regions, PHONE: exp["numbers"],
        SMA: regions, RULE: rules, GATE: regions,
    })
    if not exp["own_handlers"]:
        expected[HANDLER] = regions
        for typ, count in HANDLER_CHILD_TYPES.items():
            expected[typ] = count * regions
        if regions == 2:
            expected["pulumi:providers:aws"] = 1
    assert Counter(r.type for r in run.registrations) == expected


def test_parents(run: ProgramRun) -> None:
    routing = run.by_name("routing")
    assert routing.parent == f"urn:pulumi:{run.stack}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{run.stack}"
    for reg in run.registrations:
        if reg is routing:
            continue
        role = reg.name.split("-")[1]
        if reg.type in HANDLER_CHILD_TYPES:
            assert reg.name.startswith(f"routing-{role}-")
            assert reg.parent == run.urn(f"routing-{role}", HANDLER), reg.name
        elif reg.type in (HANDLER, SMA, GATE):  # one Region's handler, application and gate
            assert role in ROLES and reg.name.startswith(f"routing-{role}"), reg.name
            assert reg.parent == run.urn(f"routing-{role}", REGIONAL), reg.name
        else:
            assert reg.parent == routing.urn, reg.name
            assert reg.name.startswith("routing-"), reg.name


def test_handlers_use_their_regions_provider(run: ProgramRun) -> None:
    if _expected(run)["own_handlers"]:
        assert _no_aws(run) and not run.calls  # not even getCallerIdentity
        return
    for reg in run.registrations:
        if reg.type not in HANDLER_CHILD_TYPES:
            continue
        if reg.name.startswith("routing-backup-"):
            assert reg.provider.startswith(_backup_provider_urn(run) + "::"), reg.name
        else:
            assert reg.provider == "", reg.name  # the stack's default provider (aws:region)
    if len(_expected(run)["regions"]) == 2:
        provider = run.by_name("routing-backup-aws")
        assert provider.inputs["region"] == "us-west-2"
    identity = [c for c in run.calls if c.token == "aws:index/getCallerIdentity:getCallerIdentity"]
    expected_providers = [""] + ([_backup_provider_urn(run)] if len(_expected(run)["regions"]) == 2 else [])
    assert sorted(c.provider.rsplit("::", 1)[0] if c.provider else "" for c in identity) == sorted(
        expected_providers)


def test_backup_provider_repeats_the_stacks_aws_settings(run: ProgramRun) -> None:
    if len(_expected(run)["regions"]) == 1 or _expected(run)["own_handlers"]:
        assert not run.of_type("pulumi:providers:aws")  # one Region, or no handler built in the backup
        return
    config = stack_config(run.stack)
    provider = run.by_name("routing-backup-aws").inputs
    if "aws:endpoints" in config:
        assert json.loads(provider["endpoints"]) == json.loads(config["aws:endpoints"])
        for key in ("skipCredentialsValidation", "skipRequestingAccountId", "skipMetadataApiCheck"):
            assert provider[key] == config[f"aws:{key}"], key
    else:
        assert "endpoints" not in provider
        assert "profile" not in provider


def test_role_trust_and_least_privilege_policy(run: ProgramRun) -> None:
    assert _built_roles(run) or _no_aws(run)
    for role, region in _built_roles(run):
        trust = json.loads(run.by_name(f"routing-{role}-role").inputs["assumeRolePolicy"])
        assert trust == {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        log_group = run.by_name(f"routing-{role}-log-group")
        assert log_group.inputs["name"] == f"/aws/lambda/{_function_name(run, role)}"
        assert log_group.inputs["retentionInDays"] == _expected(run)["retention"]
        assert log_group.outputs["arn"].startswith(f"arn:aws:logs:{region}:")
        policy_reg = run.by_name(f"routing-{role}-log-policy")
        # Resolved JSON here proves the program's apply (log group ARN → policy) ran.
        policy = json.loads(policy_reg.inputs["policy"])
        assert policy == {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": log_group.outputs["arn"] + ":*"}]}
        assert policy_reg.inputs["role"] == run.by_name(f"routing-{role}-role").outputs["name"]


def test_functions(run: ProgramRun) -> None:
    bundle = collect_bundle()
    assert _built_roles(run) or _no_aws(run)
    for role, _region in _built_roles(run):
        fn = run.by_name(f"routing-{role}-function")
        inputs = fn.inputs
        assert inputs["name"] == _function_name(run, role)
        assert inputs["runtime"] == "python3.13"
        assert inputs["architectures"] == ["arm64"]
        expected_handler = "call_handler.handler" if role == "primary" else "backup_handler.handler"
        assert inputs["handler"] == expected_handler
        assert 0 < inputs["timeout"] < 5  # PSTN audio retries after 5 s
        assert inputs["role"] == run.by_name(f"routing-{role}-role").outputs["arn"]
        env = inputs["environment"]["variables"]
        assert set(env) == {"GREETING", "VOICE_ID", "ENGINE", "LANGUAGE_CODE"}
        assert env["VOICE_ID"] == ("Joanna" if role == "primary" else "Matthew")
        assert sorted(inputs["code"].assets) == list(bundle.files)
        assert {f"routing-{role}-log-group", f"routing-{role}-log-policy"} <= _dep_names(run, fn)


def test_alarms(run: ProgramRun) -> None:
    assert _built_roles(run) or _no_aws(run)
    for role, _region in _built_roles(run):
        metrics = ("errors", "throttles", "duration")
        alarms = [run.by_name(f"routing-{role}-{m}-alarm").inputs for m in metrics]
        assert [a["metricName"] for a in alarms] == ["Errors", "Throttles", "Duration"]
        for alarm in alarms:
            assert alarm["namespace"] == "AWS/Lambda"
            assert alarm["dimensions"] == {"FunctionName": _function_name(run, role)}
            assert alarm["comparisonOperator"] == "GreaterThanThreshold"
            assert alarm["period"] == 60 and alarm["evaluationPeriods"] == 1
            # No alarmTopicArn in the committed stacks: the alarms notify no one (see test_alarm_actions).
            assert "alarmActions" not in alarm and "okActions" not in alarm
        assert [a["threshold"] for a in alarms] == [0, 0, 3000]
        assert [a["statistic"] for a in alarms] == ["Sum", "Sum", "Maximum"]


def test_invoke_permissions(run: ProgramRun) -> None:
    assert _built_roles(run) or _no_aws(run)
    for role, region in _built_roles(run):
        permission = run.by_name(f"routing-{role}-chime-invoke").inputs
        assert permission["principal"] == "voiceconnector.chime.amazonaws.com"
        assert permission["action"] == "lambda:InvokeFunction"
        assert permission["function"] == _function_name(run, role)
        assert permission["qualifier"] == "live"  # the grant covers the alias, nothing else
        assert permission["sourceAccount"] == ACCOUNT_ID
        assert permission["sourceArn"] == f"arn:aws:chime:{region}:{ACCOUNT_ID}:sma/*"


def test_applications(run: ProgramRun) -> None:
    for role, region in _roles(run):
        sma = run.by_name(f"routing-{role}-sma")
        assert sma.inputs["region"] == region
        assert sma.inputs["lambda_arn"] == _handler_arn(run, role)
        assert sma.inputs["lambda_arn"].startswith(f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:")
        if not _expected(run)["own_handlers"]:
            assert sma.inputs["lambda_arn"] == (f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:"
                                                f"{_function_name(run, role)}:live")
        assert _provider_class(sma) == "providers.sip_media_application.SipMediaApplicationProvider"
        logs = _expected(run)["sma_logs"]
        assert sma.inputs["logging"] == {"enable_sip_media_application_message_logs": logs}
        # Permission before application: the service checks the grant when it is created.
        if not _expected(run)["own_handlers"]:
            assert f"routing-{role}-chime-invoke" in _dep_names(run, sma)


def test_numbers(run: ProgramRun) -> None:
    numbers = run.of_type(PHONE)
    assert len(numbers) == _expected(run)["numbers"]
    for number in numbers:
        assert _provider_class(number) == "providers.phone_number.PhoneNumberProvider"
        assert number.protect is _expected(run)["protect"], number.name
        assert number.inputs["product_type"] == "SipMediaApplicationDialIn"
        assert number.inputs["region"] == _expected(run)["regions"][0]
    searches = [n.inputs["search"] for n in numbers if n.inputs.get("search")]
    assert {"phone_number_type": "TollFree", "country": "US", "toll_free_prefix": "844"} in searches


def test_rules_targets_and_priorities(run: ProgramRun) -> None:
    smas = {role: run.by_name(f"routing-{role}-sma").outputs["sip_media_application_id"]
            for role, _ in _roles(run)}
    expected_targets = [{"sip_media_application_id": smas[role], "priority": i + 1, "region": region}
                        for i, (role, region) in enumerate(_roles(run))]
    rules = run.of_type(RULE)
    numbers = {n.outputs["e164_phone_number"] for n in run.of_type(PHONE)}
    triggers = {(r.inputs["trigger_type"], r.inputs["trigger_value"]) for r in rules}
    expected_triggers = {("ToPhoneNumber", n) for n in numbers}
    if _expected(run)["hostname"]:
        expected_triggers.add(("RequestUriHostname", _expected(run)["hostname"]))
    assert triggers == expected_triggers
    for rule in rules:
        assert _provider_class(rule) == "providers.sip_rule.SipRuleProvider"
        assert sorted(rule.inputs["targets"], key=lambda t: t["priority"]) == expected_targets
        assert rule.inputs["region"] == _expected(run)["regions"][0]
        assert rule.inputs["disabled"] is False


def test_rules_wait_for_numbers_applications_and_gates(run: ProgramRun) -> None:
    after = {f"routing-{role}-{kind}" for role, _ in _roles(run) for kind in ("sma", "gate")}
    numbers_by_value = {n.outputs["e164_phone_number"]: n.name for n in run.of_type(PHONE)}
    for rule in run.of_type(RULE):
        deps = _dep_names(run, rule)
        assert after <= deps, rule.name
        if rule.inputs["trigger_type"] == "ToPhoneNumber":
            assert numbers_by_value[rule.inputs["trigger_value"]] in deps


def test_deployment_gates(run: ProgramRun) -> None:
    bundle = collect_bundle()
    for role, region in _roles(run):
        gate = run.by_name(f"routing-{role}-gate")
        if _expected(run)["own_handlers"]:
            assert gate.inputs["function_arn"] == _handler_arn(run, role)
        else:
            function = run.by_name(f"routing-{role}-function").outputs
            # The version this run published, never $LATEST or the alias that still serves calls.
            assert gate.inputs["function_arn"] == function["qualifiedArn"]
            assert function["qualifiedArn"] == f"{function['arn']}:{function['version']}"
            assert function["version"].isdigit()
        assert gate.inputs["region"] == region
        assert gate.inputs["event_type"] == "NEW_INBOUND_CALL"
        assert gate.inputs["triggers"] == [bundle.sha256]  # re-runs when handler code changes
        if not _expected(run)["own_handlers"]:
            assert f"routing-{role}-function" in _dep_names(run, gate)
        file = "call_handler.py" if role == "primary" else "backup_handler.py"
        if _expected(run)["local"]:
            assert gate.inputs["handler_file"] == f"handlers/{file}:handler"
            # What the handler's Lambda would get: the stack's (default) greeting, voice and engine.
            defaults = Settings(project=PROJECT, stack=run.stack, region=region)
            expected_env = {"GREETING": defaults.greeting, "VOICE_ID": defaults.voice_id,
                            "ENGINE": defaults.engine, "LANGUAGE_CODE": defaults.language_code}
            if role == "backup":
                expected_env.update(GREETING=defaults.backup_greeting, VOICE_ID=defaults.backup_voice_id)
            assert gate.inputs["environment"] == expected_env
        else:
            assert gate.inputs.get("handler_file") is None
            assert gate.inputs.get("environment") is None


def test_exports(run: ProgramRun) -> None:
    numbers = [n.outputs["e164_phone_number"] for n in run.of_type(PHONE)]
    backup = len(_expected(run)["regions"]) == 2
    assert set(run.exports) == {"phoneNumbers", "sipMediaApplicationId", "backupSipMediaApplicationId",
                                "sipRuleIds", "callHandlerArn", "backupCallHandlerArn"}
    assert sorted(run.exports["phoneNumbers"]) == sorted(numbers)
    assert run.exports["sipMediaApplicationId"] == run.by_name("routing-primary-sma").outputs[
        "sip_media_application_id"]
    assert run.exports["callHandlerArn"] == _handler_arn(run, "primary")
    assert sorted(run.exports["sipRuleIds"]) == sorted(r.outputs["sip_rule_id"] for r in run.of_type(RULE))
    if backup:
        assert run.exports["backupCallHandlerArn"] == _handler_arn(run, "backup")
        assert run.exports["backupSipMediaApplicationId"] == run.by_name("routing-backup-sma").outputs[
            "sip_media_application_id"]
    else:
        assert run.exports["backupCallHandlerArn"] is None
        assert run.exports["backupSipMediaApplicationId"] is None


def _provider_class(reg: Registration) -> str:
    """The dynamic provider pickled into `__provider` (by reference: its module must be importable)."""
    blob = reg.inputs["__provider"]
    if isinstance(blob, dict) and "value" in blob:  # a secret-wrapped value
        blob = blob["value"]
    provider = dill.loads(base64.b64decode(blob))
    return f"{type(provider).__module__}.{type(provider).__qualname__}"


def _dep_names(run: ProgramRun, reg: Registration) -> set[str]:
    by_urn = {r.urn: r.name for r in run.registrations}
    return {by_urn[d] for d in reg.dependencies}
