"""The chime-pstn-routing program: validated settings → one CallRouting → the stack's outputs."""

import pulumi

from components.bundle import collect_bundle
from components.call_routing import BackupArgs, CallRouting, CallRoutingArgs, RegionArgs
from components.settings import load_settings

settings = load_settings()  # raises before any resource is declared
routing = CallRouting("routing", CallRoutingArgs(
    name_prefix=f"{settings.project}-{settings.stack}",
    primary=RegionArgs(region=settings.region, function_name=settings.function_name,
                       greeting=settings.greeting, voice_id=settings.voice_id,
                       handler_arn=settings.handler_arn, alarm_topic_arn=settings.alarm_topic_arn,
                       live_version=settings.live_version),
    backup=BackupArgs(region=settings.backup_region, function_name=settings.backup_function_name,
                      greeting=settings.backup_greeting, voice_id=settings.backup_voice_id,
                      handler_arn=settings.backup_handler_arn,
                      alarm_topic_arn=settings.backup_alarm_topic_arn,
                      live_version=settings.backup_live_version,
                      aws_config=settings.backup_provider_config) if settings.backup_region else None,
    engine=settings.engine,
    language_code=settings.language_code,
    phone_numbers=settings.phone_numbers,
    voice_connector_hostname=settings.voice_connector_hostname,
    protect_phone_numbers=settings.protect_phone_numbers,
    log_retention_days=settings.log_retention_days,
    bundle=collect_bundle(),
    smoke_locally=settings.chime_endpoint is not None,
    sip_media_application_logs=settings.sip_media_application_logs,
))

pulumi.export("phoneNumbers", routing.phone_numbers)
pulumi.export("sipMediaApplicationId", routing.sip_media_application_id)
pulumi.export("backupSipMediaApplicationId", routing.backup_sip_media_application_id)
pulumi.export("sipRuleIds", routing.sip_rule_ids)
pulumi.export("callHandlerArn", routing.call_handler_arn)
pulumi.export("backupCallHandlerArn", routing.backup_call_handler_arn)
