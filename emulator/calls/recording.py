"""Call recording: StartCallRecording, StopCallRecording, PauseCallRecording, ResumeCallRecording (pages of
those names and "Using call recording").

One recording per leg, started once and stopped once ("You can only start and stop recording once for
an individual call leg"); paused and resumed any number of times in between. The object is
`<bucket>/<prefix>/YYYY/MM/DD/YYYY-MM-DD-HH-MM-SS-mmm_<TransactionId>_<CallId>.wav` (prefix
`Amazon-Chime-SMA-Call-Recordings` when the Location names only a bucket), stamped with the
recording's start, written when it stops (the action, the leg hanging up or the call ending) with the
metadata `transaction-id`, `call-id`, `recording-duration` (seconds, pauses included)
and `recording-audio-file-format`. StartCallRecording's ActionData adds CallRecordingDestination
{Type: "S3", Location: "<bucket>/<key>"}.

Readings (the guide is silent): a second start is InvalidActionParameter "Recording already started or
stopped for this call leg"; stop/pause/resume with nothing to act on is InvalidActionParameter "CallId
parameter for action is invalid"; a destination bucket that refuses writes is ErrorType
`NoAccessToDestination`, "Error while accessing destination" (the page's `Error` string, split); and,
because AWS's on-demand-recording sample pauses LEG-A's CallId after starting the recording on LEG-B,
stop/pause/resume on a leg without a recording act on the call's only recording.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from emulator.calls.model import Call, CallRecording, Leg

if TYPE_CHECKING:
    from emulator.calls.engine import Engine, Runner

DEFAULT_PREFIX = "Amazon-Chime-SMA-Call-Recordings"
INVALID = "CallId parameter for action is invalid"


def _leg(call: Call, params: dict[str, Any]) -> Leg | None:
    leg = call.leg_by_call_id(str(params["CallId"]))
    return leg if leg is not None and leg.connected else None


def _start(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = _leg(call, params)
    if leg is None:
        engine.fail(call, action, "InvalidActionParameter", INVALID)
        return
    if leg.recording is not None:
        engine.fail(
            call, action, "InvalidActionParameter", "Recording already started or stopped for this call leg"
        )
        return
    bucket, _, prefix = str(params["Destination"]["Location"]).strip("/").partition("/")
    if not engine.objects.writable(bucket):
        engine.fail(call, action, "NoAccessToDestination", "Error while accessing destination")
        return
    when = datetime.fromtimestamp(call.epoch_ms() / 1000, UTC)
    stamp = f"{when:%Y-%m-%d-%H-%M-%S}-{when.microsecond // 1000:03d}"
    folder = f"{prefix.strip('/') or DEFAULT_PREFIX}/{when:%Y/%m/%d}"
    key = f"{folder}/{stamp}_{call.transaction_id}_{leg.call_id}.wav"
    leg.recording = CallRecording(str(params["Track"]), bucket, key, "recording", call.timeline.now)
    engine.start(call, action, leg, "recording")
    data = {
        "Type": "StartCallRecording",
        "Parameters": params,
        "CallRecordingDestination": {"Type": "S3", "Location": f"{bucket}/{key}"},
    }
    engine.finish(call, data, leg, f"s3://{bucket}/{key}")


def _recording_for(call: Call, params: dict[str, Any]) -> tuple[Leg, CallRecording] | None:
    leg = _leg(call, params)
    if leg is None:
        return None
    if leg.recording is not None:
        return leg, leg.recording
    others = [(other, other.recording) for other in call.legs if other.recording is not None]
    if len(others) == 1:
        call.note(f"{leg.tag} has no recording: acting on {others[0][0].tag}'s, the call's only one")
        return others[0][0], others[0][1]
    return None


def _change(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    kind = action["Type"]
    found = _recording_for(call, params)
    allowed = {
        "StopCallRecording": ("recording", "paused"),
        "PauseCallRecording": ("recording",),
        "ResumeCallRecording": ("paused",),
    }[kind]
    if found is None or found[1].state not in allowed:
        engine.fail(call, action, "InvalidActionParameter", INVALID)
        return
    leg, recording = found
    if kind == "StopCallRecording":
        deliver(engine, call, leg, recording)
    elif kind == "PauseCallRecording":
        recording.state, recording.pauses = "paused", recording.pauses + 1
        call.note(f"{leg.tag} recording paused (a tone, then silence)")
    else:
        recording.state = "recording"
        call.note(f"{leg.tag} recording resumed (a tone)")
    engine.start(call, action, leg, "recording")
    engine.finish(call, {"Type": kind, "Parameters": params}, leg, recording.state)


def deliver(engine: Engine, call: Call, leg: Leg, recording: CallRecording) -> None:
    length = call.timeline.now - recording.started_ms
    metadata = {
        "transaction-id": call.transaction_id,
        "call-id": leg.call_id,
        "recording-duration": f"{length / 1000:g}",
        "recording-audio-file-format": "audio/wav",
    }
    recording.state = "stopped"
    if engine.objects.write(recording.bucket, recording.key, length, metadata):
        call.note(f"{leg.tag} recording delivered to s3://{recording.bucket}/{recording.key}")
    else:
        call.note(f"{leg.tag} recording could not be delivered to {recording.bucket}")


def stop_with_leg(engine: Engine, call: Call, leg: Leg) -> None:
    """A recording stops when its leg or the call ends."""
    if leg.recording is not None and leg.recording.state != "stopped":
        deliver(engine, call, leg, leg.recording)


RUNNERS: dict[str, Runner] = {
    "StartCallRecording": _start,
    "StopCallRecording": _change,
    "PauseCallRecording": _change,
    "ResumeCallRecording": _change,
}
