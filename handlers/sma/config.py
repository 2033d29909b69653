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
    from collections.abc import Callable, Mapping
    from typing import TypeVar

    Default = TypeVar("Default", str, "str | None")


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

    def setting(name: str, default: Default, normalise: Callable[[str], str],
                problem_of: Callable[[str], str | None]) -> Default | str:
        # Unset or blank keeps the default quietly; a bad value keeps it with a WARNING.
        raw = environ.get(name)
        if raw is None or not raw.strip():
            return default
        value = normalise(raw.strip())
        problem = problem_of(value)
        if problem:
            warn(name, raw, problem, default)
            return default
        return value

    def engine_problem(value: str) -> str | None:
        return None if value in ENGINES else f"must be one of {', '.join(ENGINES)}"

    chosen_voice = setting("VOICE_ID", voice_id, str, _voice_id_problem)
    chosen_engine = setting("ENGINE", engine, str.lower, engine_problem)
    chosen_language = setting("LANGUAGE_CODE", language_code, str, _language_code_problem)

    return VoiceConfig(chosen_greeting, chosen_voice, chosen_engine, chosen_language)
