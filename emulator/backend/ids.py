"""New resource ids in the forms the service uses: GUIDs, and Voice Connector ids."""

from __future__ import annotations

import secrets
import string
import uuid


def new_guid() -> str:
    return str(uuid.uuid4())


def new_voice_connector_id() -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(22))
