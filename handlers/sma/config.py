"""What a handler says, from environment variables, validated once when the handler is loaded.

`GREETING`, `VOICE_ID`, `ENGINE`, `LANGUAGE_CODE`. A bad value never stops the function from
loading (that would fail every call): it is replaced by the default and a WARNING line is logged
naming the variable.
"""

from __future__ import annotations

from sma import log
from sma.params import ENGINES, MAX_SPEAK_TEXT

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Mapping


class VoiceConfig:
    """Immutable speech settings for Speak actions."""

    __slots__ = ("engine", "greeting", "language_code", "text_type", "voice_id")

    greeting: str
    voice_id: str
    engine: str
    language_code: str | None
    text_type: str

    def __init__(self, greeting: str, voice_id: str, engine: str, language_code: str | None = None) -> None:
        for name, value in (("greeting", greeting), ("voice_id", voice_id), ("engine", engine),
                            ("language_code", language_code)):
            object.__setattr__(self, name, value)
        stripped = greeting.strip()
        # SSML is recognised by its root element, so operators can use it without another setting.
        ssml = stripped.startswith("<speak>") and stripped.endswith("</speak>")
        object.__setattr__(self, "text_type", "ssml" if ssml else "text")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"VoiceConfig is read-only ({name})")

    def __repr__(self) -> str:
        return (f"VoiceConfig(greeting={self.greeting!r}, voice_id={self.voice_id!r}, "
                f"engine={self.engine!r}, language_code={self.language_code!r})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VoiceConfig) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


def _voice_id_problem(value: str) -> str | None:
    # Amazon Polly voice ids are capitalised ASCII names (Joanna, Matthew, Kevin...).
    if not (2 <= len(value) <= 32 and value.isascii() and value.isalpha() and value[0].isupper()):
        return "must be an Amazon Polly voice id such as Joanna or Matthew"
    return None


def _language_code_problem(value: str) -> str | None:
    # Polly language codes: `arb`, `en-US`, `cmn-CN`, `en-GB-WLS`.
    parts = value.split("-")
    ok = (2 <= len(parts[0]) <= 3 and parts[0].isascii() and parts[0].isalpha() and parts[0].islower()
          and len(parts) <= 3
          and all(2 <= len(p) <= 3 and p.isascii() and p.isalpha() and p.isupper() for p in parts[1:]))
    return None if ok else "must be an Amazon Polly language code such as en-US"


def load_voice_config(environ: Mapping[str, str], *, greeting: str, voice_id: str, engine: str = "neural",
                      language_code: str | None = None) -> VoiceConfig:
    """Read GREETING / VOICE_ID / ENGINE / LANGUAGE_CODE; the keyword arguments are the defaults."""

    def warn(name: str, value: str, problem: str, default: object) -> None:
        shown = value if len(value) <= 80 else value[:77] + "..."
        log.emit(log.WARNING, f"config: {name} {problem}; using the default",
                 setting=name, value=shown, default=default)

    chosen_greeting = greeting
    raw = environ.get("GREETING")
    if raw is not None:
        text = raw.strip()
        if not text:
            warn("GREETING", raw, "is empty", greeting)
        elif len(text) > MAX_SPEAK_TEXT:
            warn("GREETING", raw, f"is longer than {MAX_SPEAK_TEXT} characters", greeting)
        else:
            chosen_greeting = text

    chosen_voice = voice_id
    raw = environ.get("VOICE_ID")
    if raw is not None and raw.strip():
        problem = _voice_id_problem(raw.strip())
        if problem:
            warn("VOICE_ID", raw, problem, voice_id)
        else:
            chosen_voice = raw.strip()

    chosen_engine = engine
    raw = environ.get("ENGINE")
    if raw is not None and raw.strip():
        if raw.strip().lower() in ENGINES:
            chosen_engine = raw.strip().lower()
        else:
            warn("ENGINE", raw, f"must be one of {', '.join(ENGINES)}", engine)

    chosen_language = language_code
    raw = environ.get("LANGUAGE_CODE")
    if raw is not None and raw.strip():
        problem = _language_code_problem(raw.strip())
        if problem:
            warn("LANGUAGE_CODE", raw, problem, language_code)
        else:
            chosen_language = raw.strip()

    return VoiceConfig(chosen_greeting, chosen_voice, chosen_engine, chosen_language)
