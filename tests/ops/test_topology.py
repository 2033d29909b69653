"""`ops topology`: Mermaid from stack outputs (no API call) and from the live API (both Regions)."""

from __future__ import annotations

from tests.ops.conftest import GREETER, HOLDER, create_application, lambda_arn, order_number, write_outputs

PRIMARY_ID = "11111111-1111-4111-8111-111111111111"
BACKUP_ID = "22222222-2222-4222-8222-222222222222"


def stack_outputs(with_host: bool) -> dict[str, object]:
    return {
        "phoneNumbers": ["+18445550100", "+12065550100"],
        "sipMediaApplicationId": PRIMARY_ID,
        "backupSipMediaApplicationId": BACKUP_ID,
        "sipRuleIds": ["rule-a", "rule-b", *(["rule-host"] if with_host else [])],
        "callHandlerArn": lambda_arn("chime-pstn-routing-dev-call-handler"),
        "backupCallHandlerArn": lambda_arn("chime-pstn-routing-dev-backup-handler", "us-west-2"),
    }


def voice_connector_host(chime, name: str) -> str:
    connector = chime.create_voice_connector(Name=name, RequireEncryption=False, AwsRegion="us-east-1")
    return str(connector["VoiceConnector"]["OutboundHostName"])


def edges(diagram: str) -> list[str]:
    return [line.strip() for line in diagram.splitlines() if "-->" in line]


def test_from_outputs_every_number_reaches_both_applications_by_priority(ops_emulator, run_ops, tmp_path):
    result = run_ops("topology", "--outputs-file", write_outputs(tmp_path, stack_outputs(with_host=True)))
    assert result.code == 0, result.err
    diagram = result.out
    assert diagram.startswith("flowchart LR\n")
    # numbers (in order) → their rules; the third rule is the Voice Connector host's
    assert 'in0(["+18445550100<br/>phone number"])' in diagram
    assert 'in1(["+12065550100<br/>phone number"])' in diagram
    assert 'in2(["Voice Connector host<br/>Request-URI host"])' in diagram
    assert {"in0 --> rule0", "in1 --> rule1", "in2 --> rule2"} <= set(edges(diagram))
    assert 'rule0{{"SIP rule<br/>rule-a"}}' in diagram
    for rule in ("rule0", "rule1", "rule2"):
        assert f'{rule} -->|"priority 1 · us-east-1"| app0' in edges(diagram)
        assert f'{rule} -->|"priority 2 · us-west-2"| app1' in edges(diagram)
    assert f"{PRIMARY_ID}<br/>us-east-1" in diagram and f"{BACKUP_ID}<br/>us-west-2" in diagram
    assert "app0 --> fn0" in edges(diagram) and "app1 --> fn1" in edges(diagram)
    assert 'fn1[["Lambda chime-pstn-routing-dev-backup-handler<br/>us-west-2"]]' in diagram
    assert ops_emulator.operations() == []  # drawn from the outputs alone


def test_live_api_draws_rules_applications_in_both_regions_and_lambdas(ops_emulator, run_ops):
    chime = ops_emulator.client()
    number = order_number(chime, PhoneNumberType="TollFree", Country="US", TollFreePrefix="844")
    primary = create_application(ops_emulator, "primary-app", GREETER)
    backup = create_application(ops_emulator, "backup-app", HOLDER, region="us-west-2")
    targets = [
        {"SipMediaApplicationId": primary, "Priority": 1, "AwsRegion": "us-east-1"},
        {"SipMediaApplicationId": backup, "Priority": 2, "AwsRegion": "us-west-2"},
    ]
    chime.create_sip_rule(Name="by-number", TriggerType="ToPhoneNumber", TriggerValue=number,
                          TargetApplications=targets)  # fmt: skip
    host = voice_connector_host(chime, "vc")
    chime.create_sip_rule(Name="by-host", TriggerType="RequestUriHostname", Disabled=True, TriggerValue=host,
                          TargetApplications=targets[:1])  # fmt: skip

    result = run_ops("topology", "--region", "us-east-1", "--markdown")
    assert result.code == 0, result.err
    diagram = result.out
    assert diagram.startswith("```mermaid\nflowchart LR\n") and diagram.rstrip().endswith("```")
    assert f"{number}<br/>phone number" in diagram
    assert f"{host}<br/>Request-URI host" in diagram
    assert "SIP rule by-number" in diagram and "SIP rule by-host" in diagram and "DISABLED" in diagram
    assert f"SIP media application primary-app<br/>{primary}<br/>us-east-1" in diagram
    assert f"SIP media application backup-app<br/>{backup}<br/>us-west-2" in diagram
    assert f"Lambda {GREETER}<br/>us-east-1" in diagram and f"Lambda {HOLDER}<br/>us-west-2" in diagram
    assert '"priority 2 · us-west-2"' in diagram
    ops = ops_emulator.requests()
    assert {"ListSipRules", "ListSipMediaApplications", "GetSipMediaApplication"} <= {
        r["operation"] for r in ops
    }
    # the backup application was read from its own Region
    assert any(r["operation"] == "GetSipMediaApplication" and r["region"] == "us-west-2" for r in ops)


def test_live_scoped_to_the_stacks_rules(ops_emulator, run_ops, tmp_path):
    chime = ops_emulator.client()
    app = create_application(ops_emulator, "app", GREETER)
    mine, other = (
        chime.create_sip_rule(
            Name=name, TriggerType="RequestUriHostname", TriggerValue=voice_connector_host(chime, name),
            TargetApplications=[{"SipMediaApplicationId": app, "Priority": 1, "AwsRegion": "us-east-1"}],
        )["SipRule"]["SipRuleId"]
        for name in ("mine", "other")
    )  # fmt: skip
    outputs = write_outputs(tmp_path, {"sipRuleIds": [mine], "callHandlerArn": lambda_arn(GREETER)})
    result = run_ops("topology", "--outputs-file", outputs, "--live")
    assert result.code == 0, result.err
    assert mine in result.out and other not in result.out
    assert "SIP rule mine" in result.out and "SIP rule other" not in result.out


def test_topology_errors(ops_emulator, run_ops, tmp_path):
    missing = run_ops("topology", "--outputs-file", write_outputs(tmp_path, {"phoneNumbers": []}))
    assert missing.code == 2 and "stack output 'sipRuleIds' is missing" in missing.err
    gone = run_ops("topology", "--outputs-file", write_outputs(tmp_path, {"sipRuleIds": ["nope"]}), "--live",
                   "--region", "us-east-1")  # fmt: skip
    assert gone.code == 1 and gone.err.startswith("error: GetSipRule failed: NotFoundException")
    empty = run_ops("topology", "--region", "us-east-1")
    assert (empty.code, empty.out) == (0, 'flowchart LR\n  empty["no SIP rules"]\n')
