"""The primary call handler: answer, greet, hang up cleanly.

Lambda handler `call_handler.handler` (bundle root: `handlers/`). Configuration, read and validated
once at load (a bad value logs a WARNING and falls back to the default):

| Variable        | Default                                                          |
|-----------------|------------------------------------------------------------------|
| `GREETING`      | "Hello! This is a test call from Amazon Chime SDK PSTN Audio."   |
| `VOICE_ID`      | Joanna                                                           |
| `ENGINE`        | neural (standard or neural)                                      |
| `LANGUAGE_CODE` | unset (the voice's own language)                                 |

A GREETING wrapped in `<speak>...</speak>` is sent as SSML.

Events:
- NEW_INBOUND_CALL, CALL_ANSWERED: Speak the greeting to LEG-A, then Hangup "0".
- ACTION_SUCCESSFUL: after a Hangup nothing; after anything else Hangup "0" (the flow is done).
- ACTION_FAILED (logged as a WARNING with its ErrorType and ErrorMessage; never loops):
  - a Speak: said once more in Polly's default voice (Joanna, standard engine, plain text; SSML or
    refused text become "Sorry, we cannot take your call right now. Goodbye."), then Hangup "0".
    Hangup "480" instead when the error is AccessDenied, when the call already had this fallback,
    or when the failed Speak was already in that voice;
  - a Hangup naming a CallId: sent once more without it; any other failed Hangup: nothing more;
  - anything else: Hangup "480". If the event shows LEG-A Disconnected: nothing more.
- INVALID_LAMBDA_RESPONSE: logged as an ERROR; Hangup "480".
- HANGUP, NEW_OUTBOUND_CALL, RINGING, ACTION_INTERRUPTED: no actions (`[]`).
- DIGITS_RECEIVED: Actions omitted, so whatever is queued keeps running.
- Anything malformed or unknown: an ERROR line and Hangup "480".

Mid-call update verbs (UpdateSipMediaApplicationCall `--arguments`, delivered as
CALL_UPDATE_REQUESTED); the returned actions replace what is still queued, and once they finish
the call is hung up:
- `{"action": "custom-action"}`: say "Your custom action was received." (the tutorial's example).
- `{"action": "speak", "text": "..."}`: say the given text (1 to 1,000 characters).
- `{"action": "greet"}`: say the greeting again.
- `{"action": "hangup", "code": "0"}`: hang up now; `code` is optional, one of 0, 480, 486.
- anything else: a WARNING line; Actions omitted, so the call carries on as it was.

One JSON log line per invocation (transaction id, event type, sequence, action types returned,
duration), phone numbers masked to their last four digits.
"""

from __future__ import annotations

import os

from sma.config import load_voice_config
from sma.greeter import greeting_router

DEFAULT_GREETING = "Hello! This is a test call from Amazon Chime SDK PSTN Audio."

CONFIG = load_voice_config(os.environ, greeting=DEFAULT_GREETING, voice_id="Joanna", engine="neural")
_ROUTER = greeting_router(CONFIG, name="call-handler")


def handler(event: object, context: object) -> dict[str, object]:
    """Lambda entry point: a PSTN audio response for any event; never raises."""
    return _ROUTER(event, context)
