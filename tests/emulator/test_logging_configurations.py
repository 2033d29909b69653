"""Logging configurations through boto3, named after their API reference pages:
Put/GetSipMediaApplicationLoggingConfiguration and Put/GetVoiceConnectorLoggingConfiguration."""

from __future__ import annotations

from typing import Any

from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import create_sma, raises_code, unvalidated

SMA_LOGS = "SipMediaApplicationLoggingConfiguration"


def test_api_put_get_sip_media_application_logging_configuration(chime: Any) -> None:
    ident = create_sma(chime)["SipMediaApplicationId"]
    # Never configured: message logs are off, and the answer says so.
    got = chime.get_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert got[SMA_LOGS] == {"EnableSipMediaApplicationMessageLogs": False}
    put = chime.put_sip_media_application_logging_configuration(
        SipMediaApplicationId=ident, SipMediaApplicationLoggingConfiguration={
            "EnableSipMediaApplicationMessageLogs": True})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put[SMA_LOGS] == {"EnableSipMediaApplicationMessageLogs": True}  # the answer echoes it
    got = chime.get_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    assert got[SMA_LOGS] == {"EnableSipMediaApplicationMessageLogs": True}
    chime.put_sip_media_application_logging_configuration(
        SipMediaApplicationId=ident, SipMediaApplicationLoggingConfiguration={
            "EnableSipMediaApplicationMessageLogs": False})
    got = chime.get_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    assert got[SMA_LOGS] == {"EnableSipMediaApplicationMessageLogs": False}


def test_api_sip_media_application_logging_configuration_belongs_to_its_application(
        emulator: RunningEmulator) -> None:
    east, west = emulator.client("us-east-1"), emulator.client("us-west-2")
    ident = create_sma(east)["SipMediaApplicationId"]
    on = {"EnableSipMediaApplicationMessageLogs": True}
    east.put_sip_media_application_logging_configuration(SipMediaApplicationId=ident,
                                                         SipMediaApplicationLoggingConfiguration=on)
    # NotFoundException (in both operations' error lists): another Region, or no such application.
    with raises_code("NotFoundException", status=404):
        west.get_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    with raises_code("NotFoundException"):
        west.put_sip_media_application_logging_configuration(SipMediaApplicationId=ident,
                                                             SipMediaApplicationLoggingConfiguration=on)
    # Deleted with the application: a new application never inherits it.
    east.delete_sip_media_application(SipMediaApplicationId=ident)
    with raises_code("NotFoundException"):
        east.get_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    other = create_sma(east)["SipMediaApplicationId"]
    got = east.get_sip_media_application_logging_configuration(SipMediaApplicationId=other)
    assert got[SMA_LOGS] == {"EnableSipMediaApplicationMessageLogs": False}


def test_api_put_sip_media_application_logging_configuration_needs_a_setting(chime: Any) -> None:
    ident = create_sma(chime)["SipMediaApplicationId"]
    raw = unvalidated(chime)
    with raises_code("BadRequestException", mentions="sipMediaApplicationLoggingConfiguration is required"):
        raw.put_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    with raises_code("BadRequestException", mentions="enableSipMediaApplicationMessageLogs is required"):
        raw.put_sip_media_application_logging_configuration(SipMediaApplicationId=ident,
                                                            SipMediaApplicationLoggingConfiguration={})
    with raises_code("BadRequestException", mentions="Member must be of type boolean"):
        raw.put_sip_media_application_logging_configuration(
            SipMediaApplicationId=ident,
            SipMediaApplicationLoggingConfiguration={"EnableSipMediaApplicationMessageLogs": "yes"})
    got = chime.get_sip_media_application_logging_configuration(SipMediaApplicationId=ident)
    assert got[SMA_LOGS] == {"EnableSipMediaApplicationMessageLogs": False}  # nothing was stored


def test_api_put_get_voice_connector_logging_configuration(chime: Any) -> None:
    vc = chime.create_voice_connector(Name="pbx", RequireEncryption=True)["VoiceConnector"]
    ident = vc["VoiceConnectorId"]
    got = chime.get_voice_connector_logging_configuration(VoiceConnectorId=ident)
    assert got["LoggingConfiguration"] == {"EnableSIPLogs": False, "EnableMediaMetricLogs": False}
    put = chime.put_voice_connector_logging_configuration(
        VoiceConnectorId=ident, LoggingConfiguration={"EnableSIPLogs": True})
    # A PUT replaces the whole configuration: what it leaves out is off.
    assert put["LoggingConfiguration"] == {"EnableSIPLogs": True, "EnableMediaMetricLogs": False}
    chime.put_voice_connector_logging_configuration(
        VoiceConnectorId=ident, LoggingConfiguration={"EnableMediaMetricLogs": True})
    got = chime.get_voice_connector_logging_configuration(VoiceConnectorId=ident)
    assert got["LoggingConfiguration"] == {"EnableSIPLogs": False, "EnableMediaMetricLogs": True}
    # LoggingConfiguration is required by the model.
    with raises_code("BadRequestException", mentions="loggingConfiguration"):
        unvalidated(chime).put_voice_connector_logging_configuration(VoiceConnectorId=ident)
    chime.delete_voice_connector(VoiceConnectorId=ident)
    with raises_code("NotFoundException"):
        chime.get_voice_connector_logging_configuration(VoiceConnectorId=ident)
