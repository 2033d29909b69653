"""The backup call handler (the SIP rule's priority-2 target, in the backup Region).

The same flow, events and update verbs as `call_handler` (see its docstring), with the backup's
own defaults so a caller can tell which Region answered:

| Variable        | Default                                                               |
|-----------------|-----------------------------------------------------------------------|
| `GREETING`      | "Hello! This is the backup handler for Amazon Chime SDK PSTN Audio."  |
| `VOICE_ID`      | Matthew                                                               |
| `ENGINE`        | neural                                                                |
| `LANGUAGE_CODE` | unset                                                                 |
"""

from __future__ import annotations

import os

from sma.config import load_voice_config
from sma.greeter import greeting_router

DEFAULT_GREETING = "Hello! This is the backup handler for Amazon Chime SDK PSTN Audio."

CONFIG = load_voice_config(os.environ, greeting=DEFAULT_GREETING, voice_id="Matthew", engine="neural")
_ROUTER = greeting_router(CONFIG, name="backup-handler")


def handler(event: object, context: object) -> dict[str, object]:
    """Lambda entry point: a PSTN audio response for any event; never raises."""
    return _ROUTER(event, context)
