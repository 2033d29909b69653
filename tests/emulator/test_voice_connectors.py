"""Voice Connector basics through boto3, named after their API reference pages: UpdateVoiceConnector,
ListAvailableVoiceConnectorRegions, Associate/DisassociatePhoneNumbers(With|From)VoiceConnector
and DeleteVoiceConnector's rule that associated numbers must be disassociated first."""

from __future__ import annotations

from typing import Any

from awsutil.chime_values import pstn_audio_regions
from testbed.emulator_process import RunningEmulator
from tests.emulator.helpers import DIAL_IN, acquire, raises_code, unvalidated

VC_PRODUCT = "VoiceConnector"


def _vc(chime: Any, name: str = "pbx") -> str:
    vc = chime.create_voice_connector(Name=name, RequireEncryption=True)["VoiceConnector"]
    return str(vc["VoiceConnectorId"])


def test_api_update_voice_connector(chime: Any) -> None:
    created = chime.create_voice_connector(Name="pbx", RequireEncryption=True)["VoiceConnector"]
    ident = created["VoiceConnectorId"]
    updated = chime.update_voice_connector(VoiceConnectorId=ident, Name="pbx two", RequireEncryption=False)
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    vc = updated["VoiceConnector"]
    assert (vc["Name"], vc["RequireEncryption"]) == ("pbx two", False)
    assert vc["OutboundHostName"] == created["OutboundHostName"]
    assert vc["UpdatedTimestamp"] >= created["UpdatedTimestamp"]
    assert chime.get_voice_connector(VoiceConnectorId=ident)["VoiceConnector"] == vc
    # Name and RequireEncryption are both required, even to change one; the name has a pattern.
    raw = unvalidated(chime)
    with raises_code("BadRequestException", mentions="requireEncryption"):
        raw.update_voice_connector(VoiceConnectorId=ident, Name="pbx")
    with raises_code("BadRequestException", mentions="name"):
        chime.update_voice_connector(VoiceConnectorId=ident, Name="bad*name", RequireEncryption=True)
    with raises_code("NotFoundException"):
        chime.update_voice_connector(VoiceConnectorId="abcdefghijklmnopqrstuv", Name="x",
                                     RequireEncryption=True)


def test_api_list_available_voice_connector_regions(chime: Any) -> None:
    regions = chime.list_available_voice_connector_regions()["VoiceConnectorRegions"]
    assert regions == list(pstn_audio_regions()) and len(regions) == 10


def test_api_associate_and_disassociate_phone_numbers(chime: Any) -> None:
    ident = _vc(chime)
    numbers = acquire(chime, 2, product=VC_PRODUCT, AreaCode="303")
    associate = chime.associate_phone_numbers_with_voice_connector
    answer = associate(VoiceConnectorId=ident, E164PhoneNumbers=numbers)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200 and answer["PhoneNumberErrors"] == []
    for e164 in numbers:
        number = chime.get_phone_number(PhoneNumberId=e164)["PhoneNumber"]
        assert number["Status"] == "Assigned"
        assert [(a["Name"], a["Value"]) for a in number["Associations"]] == [("VoiceConnectorId", ident)]
    listed = chime.list_phone_numbers(FilterName="VoiceConnectorId", FilterValue=ident)["PhoneNumbers"]
    assert sorted(n["E164PhoneNumber"] for n in listed) == sorted(numbers)
    # Associating again is not an error (the numbers are already where they should be).
    again = associate(VoiceConnectorId=ident, E164PhoneNumbers=numbers)
    assert again["PhoneNumberErrors"] == []
    # An associated number cannot be released or change product type.
    with raises_code("BadRequestException", mentions="assigned"):
        chime.delete_phone_number(PhoneNumberId=numbers[0])
    with raises_code("ConflictException", mentions="assigned"):
        chime.update_phone_number(PhoneNumberId=numbers[0], ProductType=DIAL_IN)
    # DeleteVoiceConnector: associated numbers "must be disassociated from it before it can be deleted".
    with raises_code("ConflictException", mentions="disassociate"):
        chime.delete_voice_connector(VoiceConnectorId=ident)
    gone = chime.disassociate_phone_numbers_from_voice_connector(VoiceConnectorId=ident,
                                                                 E164PhoneNumbers=[numbers[0]])
    assert gone["PhoneNumberErrors"] == []
    first = chime.get_phone_number(PhoneNumberId=numbers[0])["PhoneNumber"]
    assert (first["Status"], first["Associations"]) == ("Unassigned", [])
    again_gone = chime.disassociate_phone_numbers_from_voice_connector(VoiceConnectorId=ident,
                                                                       E164PhoneNumbers=numbers)
    assert [(e["PhoneNumberId"], e["ErrorCode"]) for e in again_gone["PhoneNumberErrors"]] == [
        (numbers[0], "NotFound")]
    chime.delete_voice_connector(VoiceConnectorId=ident)
    chime.delete_phone_number(PhoneNumberId=numbers[0])


def test_api_associate_phone_numbers_per_number_errors(chime: Any) -> None:
    first, second = _vc(chime, "one"), _vc(chime, "two")
    (vc_number,) = acquire(chime, 1, product=VC_PRODUCT, AreaCode="303")
    (dial_in,) = acquire(chime, 1, AreaCode="206")
    chime.associate_phone_numbers_with_voice_connector(VoiceConnectorId=first, E164PhoneNumbers=[vc_number])
    answer = chime.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=second, E164PhoneNumbers=[vc_number, dial_in, "+18005550100"])
    codes = {e["PhoneNumberId"]: e["ErrorCode"] for e in answer["PhoneNumberErrors"]}
    assert codes == {vc_number: "PhoneNumberAssociationsExist", dial_in: "BadRequest",
                     "+18005550100": "NotFound"}
    # ForceAssociate "removes any previously existing associations".
    forced = chime.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=second, E164PhoneNumbers=[vc_number], ForceAssociate=True)
    assert forced["PhoneNumberErrors"] == []
    number = chime.get_phone_number(PhoneNumberId=vc_number)["PhoneNumber"]
    assert [(a["Name"], a["Value"]) for a in number["Associations"]] == [("VoiceConnectorId", second)]
    assert chime.list_phone_numbers(FilterName="VoiceConnectorId", FilterValue=first)["PhoneNumbers"] == []
    chime.delete_voice_connector(VoiceConnectorId=first)  # nothing associated with it any more


def test_api_associate_phone_numbers_whole_request_errors(emulator: RunningEmulator) -> None:
    chime = emulator.client()
    ident = _vc(chime)
    (number,) = acquire(chime, 1, product=VC_PRODUCT, AreaCode="303")
    with raises_code("NotFoundException"):
        emulator.client("us-west-2").associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=ident, E164PhoneNumbers=[number])
    with raises_code("BadRequestException", mentions="more than once"):
        chime.associate_phone_numbers_with_voice_connector(VoiceConnectorId=ident,
                                                           E164PhoneNumbers=[number, number])
    with raises_code("BadRequestException", mentions="at least one"):
        chime.associate_phone_numbers_with_voice_connector(VoiceConnectorId=ident, E164PhoneNumbers=[])
    with raises_code("BadRequestException", mentions="e164PhoneNumbers.1.member"):
        chime.associate_phone_numbers_with_voice_connector(VoiceConnectorId=ident, E164PhoneNumbers=["12ab"])
    assert chime.get_phone_number(PhoneNumberId=number)["PhoneNumber"]["Status"] == "Unassigned"
