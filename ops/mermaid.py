"""Render a `Routing` as a Mermaid flowchart (paste into GitHub Markdown or mermaid.live)."""

from __future__ import annotations

from awsutil.arn import region_of, split_function_arn
from ops.routing import Application, Routing


def _label(*lines: str | None) -> str:
    text = "<br/>".join(line for line in lines if line)
    return '"' + text.replace('"', "#quot;") + '"'


def render(routing: Routing) -> str:
    lines = ["flowchart LR"]
    if not routing.rules:
        lines.append('  empty["no SIP rules"]')
        return "\n".join(lines)
    app_nodes: dict[str, str] = {}
    lambda_nodes: dict[str, str] = {}
    trigger_nodes: dict[tuple[str | None, str | None], str] = {}

    def app_node(app: Application) -> str:
        if app.application_id not in app_nodes:
            node = f"app{len(app_nodes)}"
            app_nodes[app.application_id] = node
            title = "SIP media application" + (f" {app.name}" if app.name else "")
            status = None if app.found else "NOT FOUND"
            lines.append(f"  {node}[{_label(title, app.application_id, app.region, status)}]")
            for arn in app.lambda_arns:
                if arn not in lambda_nodes:
                    lambda_nodes[arn] = f"fn{len(lambda_nodes)}"
                    name = split_function_arn(arn)[0]
                    lines.append(f"  {lambda_nodes[arn]}[[{_label('Lambda ' + name, region_of(arn))}]]")
                lines.append(f"  {node} --> {lambda_nodes[arn]}")
        return app_nodes[app.application_id]

    for index, rule in enumerate(routing.rules):
        key = (rule.trigger_type, rule.trigger_value)
        if key not in trigger_nodes:
            trigger_nodes[key] = f"in{len(trigger_nodes)}"
            if rule.trigger_type == "ToPhoneNumber":
                shape = f"([{_label(rule.trigger_value, 'phone number')}])"
            else:
                shape = f"([{_label(rule.trigger_value or 'Voice Connector host', 'Request-URI host')}])"
            lines.append(f"  {trigger_nodes[key]}{shape}")
        rule_node = f"rule{index}"
        title = "SIP rule" + (f" {rule.name}" if rule.name else "")
        lines.append(
            f"  {rule_node}{{{{{_label(title, rule.rule_id, 'DISABLED' if rule.disabled else None)}}}}}"
        )
        lines.append(f"  {trigger_nodes[key]} --> {rule_node}")
        for target in rule.targets:
            app = routing.applications.get(target.application_id) or Application(
                target.application_id, target.region, found=False
            )
            edge = _label(f"priority {target.priority} · {target.region}")
            lines.append(f"  {rule_node} -->|{edge}| {app_node(app)}")
    return "\n".join(lines)
