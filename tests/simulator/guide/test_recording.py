"""Developer Guide pages "RecordAudio", "StartCallRecording", "StopCallRecording", "PauseCallRecording",
"ResumeCallRecording" and "Using call recording": how each recording ends, the object it leaves
(key, destination fields, metadata), and the failures the guide names."""

from __future__ import annotations

import re
from typing import Any

from emulator.calls.service import CallService
from tests.simulator.plans import action, bridge, hangup, on, receive_digits
from tests.simulator.support import FakeDirectory, admin_post, invocation, planned_call

NUMBER = "+15550200801"
CALLEE = "+15550200899"


def record_audio(**params: Any) -> dict[str, Any]:
    base = {
        "CallId": "{A}",
        "RecordingTerminators": ["#"],
        "RecordingDestination": {
            "Type": "S3",
            "BucketName": "valid-bucket-name",
            "Prefix": "valid-prefix-name",
        },
    }
    return action("RecordAudio", **{**base, **params})


def objects(service: CallService, bucket: str) -> list[dict[str, Any]]:
    return list(service.handle_admin("GET", f"/_emulator/objects?bucket={bucket}", None)[1]["objects"])


def test_a_terminator_ends_the_recording(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", record_audio(DurationInSeconds="10")),
        script=[{"at": 2, "digits": "#"}],
    )
    data = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    destination = data["RecordingDestination"]
    assert (destination["Type"], destination["BucketName"]) == ("S3", "valid-bucket-name")
    assert destination["Key"].startswith("valid-prefix-name") and data["RecordingTerminatorUsed"] == "#"
    [stored] = objects(service, "valid-bucket-name")
    assert stored["key"] == destination["Key"] and stored["durationMs"] == 2000
    assert stored["metadata"]["call-id"] == record["participants"][0]["CallId"]


def test_duration_ends_it_without_a_terminator_used(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", record_audio(DurationInSeconds=4))
    )
    data = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert "RecordingTerminatorUsed" not in data and record["invocations"][1]["virtualMs"] == 4000


def test_silence_detection_ends_it_after_the_silence(service: CallService, directory: FakeDirectory) -> None:
    """pstn-model's example: SilenceDurationInSeconds 3, SilenceThreshold 100; the caller stops at 2 s."""
    params = {"DurationInSeconds": "10", "SilenceDurationInSeconds": 3, "SilenceThreshold": 100}
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", record_audio(**params)),
        script=[{"at": 2, "silent": True}],
    )
    data = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    assert "RecordingTerminatorUsed" not in data and record["invocations"][1]["virtualMs"] == 5000


def test_a_silent_caller_without_silence_detection_records_to_the_duration(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", record_audio(DurationInSeconds=6)), silent=True
    )
    assert record["invocations"][1]["virtualMs"] == 6000


def test_the_prefix_is_used_verbatim(service: CallService, directory: FakeDirectory) -> None:
    """lex-pstn-demo passes "recordings/", the workshop "<callid>-": keys start with the prefix as given."""
    params = {
        "DurationInSeconds": 1,
        "RecordingDestination": {"Type": "S3", "BucketName": "b", "Prefix": "recordings/"},
    }
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", record_audio(**params)))
    key = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["RecordingDestination"]["Key"]
    call_id = record["participants"][0]["CallId"]
    assert re.fullmatch(rf"recordings/{call_id}_\d+\.wav", key)


def test_a_bucket_that_refuses_writes_fails_the_recording(
    service: CallService, directory: FakeDirectory
) -> None:
    service.handle_admin("PUT", "/_emulator/buckets/valid-bucket-name", {"writable": False})
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", record_audio(DurationInSeconds=1)),
        on("ACTION_FAILED", hangup()),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "InvalidActionParameter",
        "An error occurred while uploading the recording to the S3 bucket.",
    )


def test_a_hang_up_still_leaves_the_recording(service: CallService, directory: FakeDirectory) -> None:
    planned_call(
        service, directory, NUMBER, on("NEW_INBOUND_CALL", record_audio()), script=[{"at": 7, "hangup": True}]
    )
    [stored] = objects(service, "valid-bucket-name")
    assert stored["durationMs"] == 7000


def start_recording(
    call_id: str = "{A}", location: str = "recordings-bucket", track: str = "BOTH"
) -> dict[str, Any]:
    return action(
        "StartCallRecording", CallId=call_id, Track=track, Destination={"Type": "S3", "Location": location}
    )


def test_call_recording_key_format_and_metadata(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", start_recording(location="recordings-bucket/calls")),
        on("ACTION_SUCCESSFUL", action("StopCallRecording", CallId="{A}"), type="StartCallRecording"),
        script=[{"at": 9, "hangup": True}],
    )
    data = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]
    location = data["CallRecordingDestination"]["Location"]
    assert data["CallRecordingDestination"]["Type"] == "S3"
    pattern = (
        r"recordings-bucket/calls/\d{4}/\d{2}/\d{2}/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}_"
        + re.escape(f"{record['transactionId']}_{record['participants'][0]['CallId']}")
        + r"\.wav"
    )
    assert re.fullmatch(pattern, location), location
    [stored] = objects(service, "recordings-bucket")
    assert f"recordings-bucket/{stored['key']}" == location
    assert stored["metadata"] == {
        "transaction-id": record["transactionId"],
        "call-id": record["participants"][0]["CallId"],
        "recording-duration": "0",
        "recording-audio-file-format": "audio/wav",
    }


def test_the_default_prefix(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", start_recording()))
    location = invocation(record, "ACTION_SUCCESSFUL")["ActionData"]["CallRecordingDestination"]["Location"]
    assert location.startswith("recordings-bucket/Amazon-Chime-SMA-Call-Recordings/")


def test_pause_resume_stop_and_delivery_at_the_end(service: CallService, directory: FakeDirectory) -> None:
    """on-demand-recording: keys 5/6/7 pause, resume and stop the recording started after the bridge."""
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", bridge(CALLEE), receive_digits("[5-7]", between=500, flush=2000)),
        on("ACTION_SUCCESSFUL", start_recording("{B}"), type="CallAndBridge"),
        on("DIGITS_RECEIVED", action("PauseCallRecording", CallId="{A}"), digits="5"),
        on("DIGITS_RECEIVED", action("ResumeCallRecording", CallId="{A}"), digits="6"),
        on("DIGITS_RECEIVED", action("StopCallRecording", CallId="{A}"), digits="7"),
        on("ACTION_FAILED", hangup("{A}")),
        script=[
            {"at": 2, "digits": "5"},
            {"at": 4, "digits": "6"},
            {"at": 6, "digits": "7"},
            {"at": 8, "digits": "6"},
        ],
    )
    types = [
        i["event"]["ActionData"]["Type"]
        for i in record["invocations"]
        if i["eventType"] == "ACTION_SUCCESSFUL"
    ]
    # ... and Hangup of LEG-A while LEG-B is still up: HANGUP, then ACTION_SUCCESSFUL (the Hangup page).
    assert types == [
        "CallAndBridge",
        "StartCallRecording",
        "PauseCallRecording",
        "ResumeCallRecording",
        "StopCallRecording",
        "Hangup",
    ]
    # The recording was LEG-B's; LEG-A's CallId acted on it (the call's only recording: the sample's case).
    assert any("acting on LEG-B's" in n["note"] for n in record["notes"])
    [stored] = objects(service, "recordings-bucket")
    assert stored["metadata"]["recording-duration"] == "6.5"  # from 0 to the stop at 6.5 s, pause counted
    # resume after the stop: nothing left to resume
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["Type"], failed["ErrorMessage"]) == (
        "ResumeCallRecording",
        "CallId parameter for action is invalid",
    )


def test_a_recording_starts_once_per_leg(service: CallService, directory: FakeDirectory) -> None:
    record = planned_call(
        service,
        directory,
        NUMBER,
        on(
            "NEW_INBOUND_CALL",
            start_recording(),
            action("StopCallRecording", CallId="{A}"),
            start_recording(),
        ),
        on("ACTION_FAILED", hangup()),
    )
    assert invocation(record, "ACTION_FAILED")["ActionData"]["ErrorMessage"] == (
        "Recording already started or stopped for this call leg"
    )


def test_a_destination_that_refuses_writes(service: CallService, directory: FakeDirectory) -> None:
    service.handle_admin("PUT", "/_emulator/buckets/locked", {"writable": False})
    record = planned_call(
        service,
        directory,
        NUMBER,
        on("NEW_INBOUND_CALL", start_recording(location="locked")),
        on("ACTION_FAILED", hangup()),
    )
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "NoAccessToDestination",
        "Error while accessing destination",
    )


def test_the_recording_is_delivered_when_the_call_ends(
    service: CallService, directory: FakeDirectory
) -> None:
    record = planned_call(service, directory, NUMBER, on("NEW_INBOUND_CALL", start_recording()))
    assert objects(service, "recordings-bucket") == []
    admin_post(service, record["transactionId"], "hangup", {})
    [stored] = objects(service, "recordings-bucket")
    assert stored["metadata"]["transaction-id"] == record["transactionId"]
