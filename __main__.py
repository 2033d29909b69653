"""The chime-pstn-routing program: validated settings → one CallRouting → the stack's outputs."""

import pulumi

from components.bundle import collect_bundle
from components.call_routing import CallRouting, CallRoutingArgs
from components.settings import load_settings

settings = load_settings()  # raises before any resource is declared
routing = CallRouting("routing", CallRoutingArgs(settings=settings, bundle=collect_bundle()))

pulumi.export("phoneNumbers", routing.phone_numbers)
pulumi.export("sipMediaApplicationId", routing.primary.application.sip_media_application_id)
pulumi.export("backupSipMediaApplicationId",
              routing.backup.application.sip_media_application_id if routing.backup else None)
pulumi.export("sipRuleIds", routing.sip_rule_ids)
pulumi.export("callHandlerArn", routing.primary.handler.function_arn)
pulumi.export("backupCallHandlerArn", routing.backup.handler.function_arn if routing.backup else None)
