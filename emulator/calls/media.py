"""Actions that play, record or send media on one leg: Speak, PlayAudio, Pause, RecordAudio, SendDigits,
VoiceFocus. Each takes virtual time; PlayAudio, RecordAudio and Pause can be interrupted by an update.

What each does, from its Developer Guide page (readings marked):
- Speak: about 60 ms of speech per character (reading: the simulator has no synthesizer).
- PlayAudio: the object's length x Repeat; a digit in PlaybackTerminators stops it at once (not
  repeated; the digit is consumed). A missing object or a bucket that refuses reads is
  InvalidAudioSource "Cannot access S3 bucket or audio file."; a non-WAV or > 50 MB object "Audio
  Source parameter value is invalid.".
- RecordAudio: ends on DurationInSeconds, a RecordingTerminators digit (RecordingTerminatorUsed) or
  SilenceDurationInSeconds of the party's silence (scripted: the simulator hears no audio); the object
  is `<Prefix><CallId>_<epoch ms>.wav` in the bucket (reading: the guide gives no key format).
  SilenceThreshold is accepted, not modelled.
- SendDigits: the digits reach the person on that leg (their record lists them); each tone takes
  ToneDurationInMilliseconds (default 250), each comma 500 ms.
- VoiceFocus: sets the leg's noise reduction flag; more than 5 a second is ActionExecutionThrottled
  (the guide's limit is per account; the simulator counts per call, on its virtual clock).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from emulator.calls.model import Call, Leg
from pstn.action_checks import AUDIO_INVALID, LEG_INVALID, as_bool, as_int

if TYPE_CHECKING:
    from emulator.calls.engine import Engine, Runner

SPEECH_MS_PER_CHAR = 60  # roughly 15 characters a second of synthesized speech
CANNOT_ACCESS = "Cannot access S3 bucket or audio file."
UPLOAD_FAILED = "An error occurred while uploading the recording to the S3 bucket."
THROTTLED = "Failed to run action. The maximum number of actions per second has been reached."
VOICE_FOCUS_PER_SECOND = 5
_TAG = re.compile(r"<[^>]*>")


def speech_ms(text: str, text_type: object = None) -> int:
    spoken = _TAG.sub("", text) if text_type == "ssml" else text
    return max(1, len(spoken)) * SPEECH_MS_PER_CHAR


def audio_ms(
    engine: Engine, call: Call, action: dict[str, Any], source: dict[str, Any], invalid: str = AUDIO_INVALID
) -> int | None:
    """The length of an S3 audio source, or None after failing the action for it."""
    found, problem = engine.objects.audio(str(source["BucketName"]), str(source["Key"]))
    if found is None:
        engine.fail(
            call, action, "InvalidAudioSource", CANNOT_ACCESS if problem == "inaccessible" else invalid
        )
        return None
    return found.duration_ms


def _speak(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    engine.start(call, action, leg, "speech")
    data = {"Type": "Speak", "Parameters": params}
    engine.after(
        call, speech_ms(params["Text"], params.get("TextType")), lambda: engine.finish(call, data, leg)
    )


def _play_audio(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    length = audio_ms(engine, call, action, params["AudioSource"])
    if length is None:
        return
    run = engine.start(call, action, leg, "media", interruptible=True)
    data = {"Type": "PlayAudio", "Parameters": params}
    engine.after(call, length * (as_int(params.get("Repeat")) or 1), lambda: engine.finish(call, data, leg))
    terminators = set(params.get("PlaybackTerminators") or ())

    def on_digit(who: Leg, key: str) -> bool:
        if who is not leg or key not in terminators:
            return False
        engine.finish(call, data, leg, f"stopped by {key}")
        return True

    if terminators:
        run.on_digit = on_digit


def _pause(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    engine.start(call, action, leg, "media", interruptible=True)
    data = {"Type": "Pause", "Parameters": params}
    engine.after(call, as_int(params["DurationInMilliseconds"]) or 0, lambda: engine.finish(call, data, leg))


def _record_audio(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = engine.leg_or_fail(call, action, params)
    if leg is None:
        return
    destination = params["RecordingDestination"]
    bucket, prefix = str(destination["BucketName"]), str(destination.get("Prefix") or "")
    key = f"{prefix}{leg.call_id}_{call.epoch_ms()}.wav"
    run = engine.start(call, action, leg, "recording", interruptible=True)
    started = call.timeline.now
    terminators = set(params["RecordingTerminators"])
    silence_s = as_int(params.get("SilenceDurationInSeconds"))
    stored: list[bool] = []

    def store() -> bool:
        if not stored:
            length = call.timeline.now - started
            metadata = {
                "transaction-id": call.transaction_id,
                "call-id": leg.call_id,
                "recording-duration": f"{length / 1000:g}",
            }
            stored.append(engine.objects.write(bucket, key, length, metadata))
        return stored[0]

    def end(terminator: str | None = None) -> None:
        if not store():
            engine.fail(call, action, "InvalidActionParameter", UPLOAD_FAILED)
            return
        data: dict[str, Any] = {
            "Type": "RecordAudio",
            "Parameters": params,
            "RecordingDestination": {"Type": "S3", "BucketName": bucket, "Key": key},
        }
        if terminator is not None:
            data["RecordingTerminatorUsed"] = terminator
        engine.finish(call, data, leg, f"s3://{bucket}/{key}")

    duration_s = as_int(params.get("DurationInSeconds"))
    if duration_s:
        engine.after(call, duration_s * 1000, end, "recording duration")

    def on_digit(who: Leg, digit: str) -> bool:
        if who is not leg or digit not in terminators:
            return False
        end(digit)
        return True

    silence_timer: list[Any] = []

    def watch_silence(who: Leg | None = None) -> None:
        for timer in silence_timer:
            timer.cancel()
        silence_timer.clear()
        party = leg.party
        if silence_s and party is not None and party.silent and party.silent_since is not None:
            ends_at = max(party.silent_since, started) + silence_s * 1000
            silence_timer.append(engine.after(call, ends_at - call.timeline.now, end, "silence"))

    run.on_digit = on_digit
    run.on_silence = watch_silence
    run.on_stop = lambda why: None if store() else call.note(f"recording to {bucket} could not be written")
    watch_silence()


def _send_digits(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = call.leg_by_call_id(str(params["CallId"]))
    if leg is None or not leg.connected:
        engine.fail(call, action, "InvalidActionParameter", LEG_INVALID)
        return
    keys = str(params["Digits"])
    tone = as_int(params.get("ToneDurationInMilliseconds")) or 250
    engine.start(call, action, leg, "sending digits")
    data = {"Type": "SendDigits", "Parameters": params}

    def sent() -> None:
        if leg.party is not None:
            leg.party.heard_digits.append(keys)
        call.note(f"{leg.tag} heard DTMF {keys}")
        engine.finish(call, data, leg, keys)

    engine.after(call, sum(500 if key == "," else tone for key in keys), sent)


def _voice_focus(engine: Engine, call: Call, action: dict[str, Any], params: dict[str, Any]) -> None:
    leg = call.leg_by_call_id(str(params["CallId"]))
    if leg is None or not leg.connected:
        engine.fail(call, action, "InvalidActionParameter", LEG_INVALID)
        return
    recent = call.voice_focus_times
    while recent and recent[0] <= call.timeline.now - 1000:
        recent.popleft()
    if len(recent) >= VOICE_FOCUS_PER_SECOND:
        engine.fail(call, action, "ActionExecutionThrottled", THROTTLED)
        return
    recent.append(call.timeline.now)
    leg.voice_focus = bool(as_bool(params["Enable"]))
    engine.start(call, action, leg, "voice focus")
    engine.finish(call, {"Type": "VoiceFocus", "Parameters": params}, leg, "on" if leg.voice_focus else "off")


RUNNERS: dict[str, Runner] = {
    "Speak": _speak,
    "PlayAudio": _play_audio,
    "Pause": _pause,
    "RecordAudio": _record_audio,
    "SendDigits": _send_digits,
    "VoiceFocus": _voice_focus,
}
