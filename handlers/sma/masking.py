"""Phone numbers reduced to their last four digits before they reach a log or a repr.

Numbers are personal data; CloudWatch Logs are read by many. Known number fields (`To`, `From`,
`CallerIdNumber`, ...) are always masked; any other string is scanned for number-like runs.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    import re

# Fields whose whole value is a phone number (or a URI that carries one).
NUMBER_KEYS = frozenset(
    {"To", "From", "CallerIdNumber", "Uri", "FromPhoneNumber", "ToPhoneNumber", "E164PhoneNumber",
     "to", "from"}
)
_KEEP = 4
_PATTERN: re.Pattern[str] | None = None
_DROP_ASCII_DIGITS = str.maketrans("", "", "0123456789")


def mask_number(value: object) -> str:
    """`+12065550102` -> `***0102`; fewer than five digits are hidden entirely."""
    digits = [c for c in str(value) if c.isdigit()]
    if len(digits) <= _KEEP:
        return "****"
    return "***" + "".join(digits[-_KEEP:])


def _number_runs() -> re.Pattern[str]:
    # Compiled on first use: free-text masking is a rare path (errors, reprs).
    global _PATTERN
    if _PATTERN is None:
        import re

        # 7+ digits, optionally led by "+" and split by the separators people write numbers with.
        _PATTERN = re.compile(r"\+?\d(?:[\s().-]{0,2}\d){6,}")
    return _PATTERN


def mask_text(text: str) -> str:
    """Mask every number-like run (7+ digits) inside free text, keeping its last four digits."""
    # Fast exit for the common case (no long digit run possible): every log field goes through here.
    if text.isascii():
        digits = len(text) - len(text.translate(_DROP_ASCII_DIGITS))
    else:
        digits = sum(c.isdigit() for c in text)
    if digits < 7:
        return text
    return _number_runs().sub(lambda m: mask_number(m.group(0)), text)


def masked(value: object, key: str = "") -> object:
    """A deep copy of a JSON-like value with phone numbers masked, for logs and reprs.

    Identifiers (keys ending in `Id` or `_id`, e.g. CallId, transaction_id) are left readable: they are not
    numbers and are what an operator searches logs for.
    """
    if isinstance(value, str):  # first: nearly every value logged is a string
        if key in NUMBER_KEYS and value:
            # A bare number is masked whole; a URI (`sip:+1...@host`) keeps its non-number parts.
            return mask_text(value) if any(c.isalpha() for c in value) else mask_number(value)
        if key.endswith(("Id", "_id")):
            return value
        return mask_text(value)
    if key in NUMBER_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        # A malformed event may carry the number as a JSON number (12065550102.0 ends in 0102).
        return mask_number(int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, dict):
        return {k: masked(v, k if isinstance(k, str) else "") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v, key) for v in value]
    return value
