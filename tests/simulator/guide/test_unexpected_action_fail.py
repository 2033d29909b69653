"""Developer Guide, "Debugging unexpected ACTION_FAILED events" (current page) and each action page's
"Error handling" table: a bad parameter fails that one action with the documented ErrorType and
ErrorMessage. One case per documented row, plus the simulator's readings where the pages are silent."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.calls.service import CallService
from emulator.errors import BadRequestError
from pstn.action_checks import ActionError, check_action, speech_problem
from pstn.answer_checks import judge_answer, validate_response
from tests.simulator.guide.actions import VALID_ACTIONS, action_with, answer
from tests.simulator.plans import hangup, on, speak
from tests.simulator.support import FakeDirectory, invocation, planned_call

IAP, MISS, IAS = "InvalidActionParameter", "MissingRequiredActionParameter", "InvalidAudioSource"
LEG = "CallId or ParticipantTag parameter for action is invalid."
ARN = "arn:aws:chime:us-east-1:123456789012:vc/abcdef1234"

ROWS: list[tuple[str, str, Any, str | None, str]] = [
    # unexpected-action-fail: CallAndBridge, PlayAudio, PlayAudioAndGetDigits (audio sources)
    ("PlayAudio", "AudioSource.Type", "URL", IAS, "Audio Source parameter value is invalid."),
    ("PlayAudio", "AudioSource.BucketName", "", IAS, "Audio Source parameter value is invalid."),
    ("PlayAudio", "AudioSource.Key", ..., IAS, "Audio Source parameter value is invalid."),
    ("PlayAudio", "AudioSource", ..., IAS, "Audio Source parameter value is invalid."),
    ("PlayAudioAndGetDigits", "FailureAudioSource.Key", "", IAS, "Audio Source parameter value is invalid."),
    ("CallAndBridge", "RingbackTone.Type", "URL", IAS, "Ringtone parameter value is invalid."),
    ("CallAndBridge", "RingbackTone.Key", "", IAS, "Ringtone parameter value is invalid."),
    # unexpected-action-fail: CallAndBridge
    ("CallAndBridge", "Endpoints", [], IAP, "Invalid number of endpoints provided."),
    ("CallAndBridge", "Endpoints", ..., IAP, "Invalid number of endpoints provided."),
    (
        "CallAndBridge",
        "Endpoints",
        [{"BridgeEndpointType": "PSTN", "Uri": "+15557770000"}] * 2,
        IAP,
        "Invalid number of endpoints provided.",
    ),
    ("CallAndBridge", "Endpoints.0.Uri", ..., IAP, "Endpoint parameter is invalid."),
    ("CallAndBridge", "Endpoints.0.Uri", "15557770000", IAP, "Endpoint parameter is invalid."),
    ("CallAndBridge", "Endpoints.0.Arn", ARN, IAP, "Endpoint parameter is invalid."),  # PSTN with an Arn
    ("CallAndBridge", "Endpoints.0.BridgeEndpointType", "SIP", IAP, "Endpoint parameter is invalid."),
    (
        "CallAndBridge",
        "Endpoints.0",
        {"BridgeEndpointType": "AWS", "Uri": "x" * 37, "Arn": ARN},
        IAP,
        "Endpoint parameter is invalid.",
    ),  # the current page: 1-36 characters
    (
        "CallAndBridge",
        "Endpoints.0",
        {"BridgeEndpointType": "AWS", "Uri": "a b", "Arn": ARN},
        IAP,
        "Endpoint parameter is invalid.",
    ),
    (
        "CallAndBridge",
        "Endpoints.0",
        {"BridgeEndpointType": "AWS", "Uri": "5550100"},
        IAP,
        "Endpoint parameter is invalid.",
    ),
    ("CallAndBridge", "CallerIdNumber", "+0123", IAP, "Invalid caller ID."),
    ("CallAndBridge", "CallerIdNumber", "15550100099", IAP, "Invalid caller ID."),
    ("CallAndBridge", "CallerIdNumber", ..., IAP, "Caller ID not defined."),
    ("CallAndBridge", "CallerIdNumber", "", IAP, "Caller ID not defined."),
    (
        "CallAndBridge",
        "CallTimeoutSeconds",
        0,
        IAP,
        "The MaxCallTimeout parameter is invalid. Timeout must be between 0 and 120 seconds.",
    ),
    (
        "CallAndBridge",
        "CallTimeoutSeconds",
        121,
        IAP,
        "The MaxCallTimeout parameter is invalid. Timeout must be between 0 and 120 seconds.",
    ),
    ("CallAndBridge", "Endpoints.0", {"BridgeEndpointType": "AWS", "Uri": "5550100", "Arn": ARN}, None, ""),
    # unexpected-action-fail: JoinChimeMeeting, ModifyChimeMeetingAttendees
    ("JoinChimeMeeting", "JoinToken", "", IAP, "JoinToken parameter value is invalid."),
    ("JoinChimeMeeting", "JoinToken", ..., IAP, "JoinToken parameter value is invalid."),
    ("JoinChimeMeeting", "ParticipantTag", "LEG-B", IAP, LEG),  # the page: LEG-A only
    (
        "ModifyChimeMeetingAttendees",
        "Operation",
        "Kick",
        IAP,
        "The value in the Operation field of the ModifyChimeMeetingAttendees action is invalid.",
    ),
    ("ModifyChimeMeetingAttendees", "MeetingId", "", IAP, "The meeting ID parameter is invalid."),
    ("ModifyChimeMeetingAttendees", "AttendeeList", [], IAP, "Attendee List parameter is invalid."),
    ("ModifyChimeMeetingAttendees", "AttendeeList", ["a"] * 101, IAP, "Attendee List parameter is invalid."),
    ("ModifyChimeMeetingAttendees", "AttendeeList", "", IAP, "Attendee List parameter is invalid."),
    # unexpected-action-fail: Pause (100-30000; the Pause page says only "> 0")
    ("Pause", "DurationInMilliseconds", 99, IAP, "The Duration parameter is invalid."),
    ("Pause", "DurationInMilliseconds", 30001, IAP, "The Duration parameter is invalid."),
    ("Pause", "DurationInMilliseconds", "soon", IAP, "The Duration parameter is invalid."),
    ("Pause", "DurationInMilliseconds", "\u00b2", IAP, "The Duration parameter is invalid."),
    ("Pause", "DurationInMilliseconds", ..., MISS, "Missing a required action parameter."),
    ("Pause", "DurationInMilliseconds", "30000", None, ""),
    # unexpected-action-fail: PlayAudioAndGetDigits (and the same parameters of SpeakAndGetDigits)
    ("PlayAudioAndGetDigits", "MaxNumberOfDigits", 129, IAP, "The MaxNumberOfDigits parameter is invalid."),
    (
        "SpeakAndGetDigits",
        "MaxNumberOfDigits",
        0,
        IAP,
        "The MaxNumberOfDigits parameter is invalid.",
    ),  # < Min 1
    ("SpeakAndGetDigits", "MaxNumberOfDigits", 1, None, ""),  # Min = Max: the samples rely on it
    (
        "PlayAudioAndGetDigits",
        "RepeatDurationInMilliseconds",
        0,
        IAP,
        "The RepeatDurationInMilliseconds parameter is invalid.",
    ),
    (
        "PlayAudioAndGetDigits",
        "RepeatDurationInMilliseconds",
        ...,
        MISS,
        "Missing a required action parameter.",
    ),
    ("PlayAudioAndGetDigits", "InputDigitsRegex", "([", IAP, "The InputDigitsRegex parameter is invalid."),
    ("SpeakAndGetDigits", "TerminatorDigits", ["##"], IAP, "TerminatorDigits parameter value is invalid."),
    ("SpeakAndGetDigits", "Repeat", 0, IAP, "Repeat parameter value is invalid."),
    (
        "SpeakAndGetDigits",
        "InBetweenDigitsDurationInMilliseconds",
        0,
        IAP,
        "The InBetweenDigitsDurationInMilliseconds parameter is invalid.",
    ),
    # unexpected-action-fail: ReceiveDigits
    (
        "ReceiveDigits",
        "InBetweenDigitsDurationInMilliseconds",
        0,
        IAP,
        "The InBetweenDigitsDurationInMilliseconds parameter is invalid.",
    ),
    (
        "ReceiveDigits",
        "FlushDigitsDurationInMilliseconds",
        1000,
        IAP,
        "The FlushDigitsDurationInMilliseconds parameter is invalid.",
    ),  # not more than InBetween
    ("ReceiveDigits", "InputDigitsRegex", "", IAP, "The InputDigitsRegex parameter is invalid."),
    ("ReceiveDigits", "InputDigitsRegex", ..., IAP, "The InputDigitsRegex parameter is invalid."),
    ("ReceiveDigits", "InputDigitsRegex", "(", IAP, "The InputDigitsRegex parameter is invalid."),
    # unexpected-action-fail: RecordAudio (with the record-audio page's limits)
    (
        "RecordAudio",
        "RecordingDestination.Type",
        "URL",
        IAP,
        "The RecordingDestination parameter is invalid.",
    ),
    (
        "RecordAudio",
        "RecordingDestination.BucketName",
        "",
        IAP,
        "The RecordingDestination parameter is invalid.",
    ),
    (
        "RecordAudio",
        "RecordingDestination.Prefix",
        "p" * 980,
        IAP,
        "The RecordingDestination parameter is invalid.",
    ),
    ("RecordAudio", "RecordingDestination.Prefix", "p" * 979, None, ""),
    ("RecordAudio", "DurationInSeconds", 0, IAP, "The DurationInSeconds parameter is invalid."),
    ("RecordAudio", "SilenceThreshold", 0, IAP, "The SilenceThreshold parameter is invalid."),
    ("RecordAudio", "SilenceThreshold", 1001, IAP, "The SilenceThreshold parameter is invalid."),
    ("RecordAudio", "SilenceDurationInSeconds", 0, IAP, "The SilenceDurationInSeconds parameter is invalid."),
    (
        "RecordAudio",
        "SilenceDurationInSeconds",
        1001,
        IAP,
        "The SilenceDurationInSeconds parameter is invalid.",
    ),
    ("RecordAudio", "RecordingTerminators", ..., MISS, "Missing a required action parameter."),
    ("RecordAudio", "RecordingTerminators", ["A"], IAP, "RecordingTerminators parameter value is invalid."),
    ("RecordAudio", "ParticipantTag", "LEG-C", IAP, LEG),
    # unexpected-action-fail / voice-focus: Enable
    ("VoiceFocus", "Enable", ..., MISS, "Missing a required action parameter."),
    ("VoiceFocus", "Enable", "yes", MISS, "Missing a required action parameter."),
    ("VoiceFocus", "Enable", "True", None, ""),  # the voice-focus sample sends the string
    ("VoiceFocus", "CallId", ..., MISS, "Missing a required action parameter."),
    # speak page: Error handling
    ("Speak", "Text", ..., MISS, "Text is a required parameter."),
    ("Speak", "Text", "", MISS, "Text is a required parameter."),
    ("Speak", "Text", "x" * 1001, MISS, "Text is limited to 1,000 characters"),
    ("Speak", "Text", "x" * 1000, None, ""),
    ("Speak", "Engine", "generative", IAP, "Engine parameter value is invalid."),
    ("Speak", "TextType", "html", IAP, "TextType parameter value is invalid."),
    ("Speak", "TextType", "ssml", IAP, "Text parameter value is invalid."),  # "hi" is not SSML
    ("Speak", "ParticipantTag", "LEG-C", IAP, LEG),
    ("Speak", "CallId", ..., None, ""),  # the bridging sample's Speak {CallId: ''} works on AWS
    ("Speak", "CallId", "", None, ""),
    # speak-and-get-digits page
    ("SpeakAndGetDigits", "SpeechParameters.Text", "y" * 1001, MISS, "Text is limited to 1,000 characters"),
    ("SpeakAndGetDigits", "FailureSpeechParameters.Text", ..., MISS, "Text is a required parameter."),
    ("SpeakAndGetDigits", "SpeechParameters", ..., MISS, "Missing a required action parameter."),
    # play-audio page
    ("PlayAudio", "Repeat", 0, IAP, "Repeat parameter value is invalid."),
    ("PlayAudio", "PlaybackTerminators", ["12"], IAP, "PlaybackTerminators parameter value is invalid."),
    ("PlayAudio", "PlaybackTerminators", "#", IAP, "PlaybackTerminators parameter value is invalid."),
    ("PlayAudio", "ParticipantTag", "", None, ""),  # "" is the default leg, as the samples send it
    # hangup page: 0, 480 and 486 only
    ("Hangup", "SipResponseCode", "200", IAP, "SipResponseCode parameter value is invalid."),
    ("Hangup", "SipResponseCode", 486, None, ""),
    ("Hangup", "SipResponseCode", True, IAP, "SipResponseCode parameter value is invalid."),
    # send-digits page
    ("SendDigits", "ToneDurationInMilliseconds", 20000000, IAP, "ToneDuration parameter value is invalid."),
    ("SendDigits", "ToneDurationInMilliseconds", 49, IAP, "ToneDuration parameter value is invalid."),
    ("SendDigits", "Digits", "1" * 51, IAP, "Digits parameter value is invalid."),
    ("SendDigits", "Digits", "12a", IAP, "Digits parameter value is invalid."),
    ("SendDigits", "Digits", ..., MISS, "Missing a required action parameter."),
    ("SendDigits", "CallId", "", MISS, "Missing a required action parameter."),
    # start-bot-conversation page
    (
        "StartBotConversation",
        "BotAliasArn",
        "arn:aws:lex:us-east-1:1:bot/X",
        IAP,
        "BotAliasArn parameter value is invalid.",
    ),
    ("StartBotConversation", "BotAliasArn", ..., MISS, "Missing a required action parameter."),
    ("StartBotConversation", "ParticipantTag", "LEG-B", IAP, LEG),
    (
        "StartBotConversation",
        "Configuration",
        {"blob": "z" * 11000},
        IAP,
        "Configuration parameter value is invalid.",
    ),
    (
        "StartBotConversation",
        "Configuration",
        {"WelcomeMessages": [{"Content": "Hi", "ContentType": "PlainText"}]},
        IAP,
        "Configuration.WelcomeMessages parameter value is invalid.",
    ),
    (
        "StartBotConversation",
        "Configuration",
        {
            "SessionState": {"DialogAction": {"Type": "ElicitIntent"}},
            "WelcomeMessages": [{"Content": "Hi", "ContentType": "PlainText"}],
        },
        None,
        "",
    ),
    (
        "StartBotConversation",
        "Configuration",
        {"SessionState": {"DialogAction": {"Type": "Close"}}},
        IAP,
        "Configuration.SessionState.DialogAction.Type parameter value is invalid.",
    ),
    # start-call-recording page (and stop/pause/resume: CallId only)
    ("StartCallRecording", "Track", "LEFT", IAP, "Track parameter value is invalid."),
    ("StartCallRecording", "Track", ..., MISS, "Missing a required action parameter."),
    ("StartCallRecording", "Destination.Type", "Amazon S3", IAP, "Destination parameter value is invalid."),
    ("StartCallRecording", "Destination", ..., MISS, "Missing a required action parameter."),
    ("StartCallRecording", "CallId", ..., MISS, "Missing a required action parameter."),
    ("StopCallRecording", "CallId", ..., MISS, "Missing a required action parameter."),
    ("PauseCallRecording", "CallId", "", MISS, "Missing a required action parameter."),
    ("ResumeCallRecording", "CallId", 5, IAP, "CallId parameter for action is invalid"),
]


@pytest.mark.parametrize(
    ("kind", "path", "value", "error_type", "message"),
    ROWS,
    ids=[f"{k}-{p}-{i}" for i, (k, p, *_) in enumerate(ROWS)],
)
def test_documented_action_failures(
    kind: str, path: str, value: Any, error_type: str | None, message: str
) -> None:
    error = check_action(action_with(kind, path, value))
    if error_type is None:
        assert error is None
        return
    assert error is not None
    assert (error.error_type, error.message) == (error_type, message)


@pytest.mark.parametrize("kind", sorted(VALID_ACTIONS))
def test_every_documented_action_is_accepted_with_its_required_parameters(kind: str) -> None:
    assert check_action({"Type": kind, "Parameters": VALID_ACTIONS[kind]}) is None


def test_unknown_parameters_are_ignored() -> None:
    """lex-lambda sends `CustomSipHeaders`, update-call `AttendeeJoinToken`: both run on AWS."""
    assert check_action(action_with("JoinChimeMeeting", "AttendeeJoinToken", "t")) is None
    assert check_action(action_with("CallAndBridge", "CustomSipHeaders", {"x": 1})) is None


def test_modify_attendees_failures_carry_an_error_list() -> None:
    error = check_action(action_with("ModifyChimeMeetingAttendees", "Operation", "Kick"))
    assert error is not None and error.error_list == ()


def test_sip_headers_row_names_the_refused_headers() -> None:
    aws = {"BridgeEndpointType": "AWS", "Uri": "5550100", "Arn": ARN}
    bridge = action_with("CallAndBridge", "Endpoints.0", aws)
    bridge["Parameters"]["SipHeaders"] = {"X-AMZN": "String", "x-vc-id": "1", "X-Ok": "1", "Via": "v"}
    error = check_action(bridge)
    assert error == ActionError(IAP, "Invalid SIP header(s) provided: X-AMZN, x-vc-id, Via.", "SipHeaders")
    bridge["Parameters"]["SipHeaders"] = {"X-Ok": "1", "User-to-User": "616d;encoding=hex", "Diversion": "d"}
    assert check_action(bridge) is None


def test_sip_headers_with_a_pstn_endpoint_are_refused() -> None:
    """CallAndBridge page: "Use only with the AWS endpoint type" (the stricter of two pages)."""
    bridge = action_with("CallAndBridge", "SipHeaders", {"X-Ok": "1"})
    error = check_action(bridge)
    assert error is not None and error.message == "Invalid SIP header(s) provided: X-Ok."


def test_polly_refuses_unknown_voices_and_language_codes_when_the_speech_runs() -> None:
    assert speech_problem(action_with("Speak", "VoiceId", "Joanna")) is None
    error = speech_problem(action_with("Speak", "VoiceId", "Robot"))
    assert error == ActionError(IAP, "VoiceId parameter value is invalid.", "VoiceId")
    error = speech_problem(action_with("Speak", "LanguageCode", "xx-XX"))
    assert error is not None and error.field == "LanguageCode"
    inherited = action_with("SpeakAndGetDigits", "SpeechParameters.VoiceId", "Robot")
    assert speech_problem(inherited) is not None


def test_the_tutorials_answer_runs_its_speak_and_fails_its_hangup() -> None:
    """The seed tutorial's handler: Speak without CallId (runs), Hangup with SipResponseCode "200"."""
    tutorial = answer(
        ("Speak", {"Engine": "neural", "Text": "Hello!", "VoiceId": "Joanna"}),
        ("Hangup", {"SipResponseCode": "200"}),
    )
    verdict = judge_answer(tutorial)
    assert verdict.response_error is None
    [failure] = verdict.action_failures
    assert (failure.index, failure.action_type) == (1, "Hangup")
    assert failure.error.message == "SipResponseCode parameter value is invalid."
    legacy = validate_response(tutorial)
    assert legacy is not None and legacy.error_type == IAP and "Actions[1] Hangup" in legacy.detail


def test_injected_service_failures_reach_the_handler(service: CallService, directory: FakeDirectory) -> None:
    """The Speak page's service-side errors (SystemException, ActionExecutionThrottled, AccessDenied)
    cannot come from parameters: a test injects them for the next actions of a type."""
    assert (
        service.handle_admin(
            "PUT", "/_emulator/action-faults/Speak", {"errorType": "ActionExecutionThrottled"}
        )[0]
        == 200
    )
    rules = (
        on("NEW_INBOUND_CALL", speak("{A}", "hi"), hangup()),
        on("ACTION_FAILED", speak("{A}", "sorry"), hangup()),
    )
    record = planned_call(service, directory, "+15550201501", *rules)
    failed = invocation(record, "ACTION_FAILED")["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "ActionExecutionThrottled",
        "Amazon Polly is throttling the request to synthesize speech.",
    )
    succeeded = [a["detail"] for a in record["actions"] if a["outcome"] == "succeeded"]
    assert succeeded[0] == "sorry"  # the fault was used up by the first Speak
    with pytest.raises(BadRequestError, match="errorMessage is required"):
        service.handle_admin("PUT", "/_emulator/action-faults/Pause", {"errorType": "SomethingElse"})
