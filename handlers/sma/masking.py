"""Phone numbers reduced to their last four digits before they reach a log or a repr.

Numbers are personal data; CloudWatch Logs are read by many. Whatever a field is called, any run
of digits that could be a phone number is masked: 7 or more digits (in any script), optionally
led by `+`, with at most two of the separators people write numbers with (white space, `(`, `)`,
`.`, `-`) between digits; in strings, keys, and numbers of 7 or more digits (an event type or an
id sent as a JSON number included). Known number fields (`To`, `From`, `CallerIdNumber`, ...) are
masked whole, however short.

Only canonical UUIDs (`8-4-4-4-12` hex digits: transaction, call and request ids) are left as
they are: they are what an operator searches logs for, and a third of them hold a 7-digit run.
Other long digit runs are masked even when they are not numbers (an account id, a millisecond
timestamp): from the digits alone a log cannot tell.

No `re`: every log line passes through here, and the regex module would cost the handler's cold
start more than this whole library.
"""

from __future__ import annotations

# Fields whose whole value is a phone number (or a URI that carries one).
NUMBER_KEYS = frozenset(
    {"To", "From", "CallerIdNumber", "Uri", "FromPhoneNumber", "ToPhoneNumber", "E164PhoneNumber",
     "to", "from"}
)
_KEEP = 4
_MIN_DIGITS = 7
_SEPARATORS = frozenset("().-")  # and white space
_MAX_SEPARATORS = 2  # between two digits of one number
_DROP_ASCII_DIGITS = str.maketrans("", "", "0123456789")
_DROP_HEX = str.maketrans("", "", "0123456789abcdefABCDEF")
_UUID_LENGTH = 36  # hyphens at 8, 13, 18 and 23
_SMALL = 10 ** (_MIN_DIGITS - 1)  # integers below this in size have fewer than 7 digits


def mask_number(value: object) -> str:
    """`+12065550102` -> `***0102`; fewer than five digits are hidden entirely."""
    digits = [c for c in str(value) if c.isdigit()]
    if len(digits) <= _KEEP:
        return "****"
    return "***" + "".join(digits[-_KEEP:])


def _mask_int(value: int) -> str:
    """mask_number for an integer, without turning a huge one into a string."""
    magnitude = -value if value < 0 else value
    return "****" if magnitude < 10**_KEEP else f"***{magnitude % 10**_KEEP:0{_KEEP}d}"


def _is_uuid_at(text: str, start: int) -> bool:
    """Whether a canonical UUID starts at `start` and is a token of its own (no letter or digit
    right after it; the caller checks before it)."""
    end = start + _UUID_LENGTH
    if end > len(text) or (end < len(text) and text[end].isalnum()):
        return False
    if not text[start + 8] == text[start + 13] == text[start + 18] == text[start + 23] == "-":
        return False
    return not text[start:end].replace("-", "").translate(_DROP_HEX)


def _is_separator(char: str) -> bool:
    return char in _SEPARATORS or char.isspace()


def _mask_runs(text: str) -> str:
    """Every number-like run in `text` masked; UUID tokens skipped whole."""
    parts: list[str] = []
    copied = 0  # text[:copied] is already in parts
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        at_token_start = i == 0 or not text[i - 1].isalnum()
        if at_token_start and char in "0123456789abcdefABCDEF" and _is_uuid_at(text, i):
            i += _UUID_LENGTH
            continue
        if not char.isdigit():
            i += 1
            continue
        start = i - 1 if i and text[i - 1] == "+" else i
        digits, run_end, j = 1, i + 1, i + 1
        while j < end:
            k = j
            while k < end and k - j < _MAX_SEPARATORS and _is_separator(text[k]):
                k += 1
            if k < end and text[k].isdigit():
                digits, run_end, j = digits + 1, k + 1, k + 1
            else:
                break
        if digits >= _MIN_DIGITS:
            parts.append(text[copied:start])
            parts.append(mask_number(text[start:run_end]))
            copied = run_end
        i = run_end
    if not parts:
        return text
    parts.append(text[copied:])
    return "".join(parts)


def mask_text(text: str) -> str:
    """Mask every number-like run (7+ digits) inside free text, keeping its last four digits."""
    # Fast exits for the common cases (too short, an id, no long digit run possible): every log
    # field goes through here.
    if len(text) < _MIN_DIGITS or (len(text) == _UUID_LENGTH and _is_uuid_at(text, 0)):
        return text
    if text.isascii():
        digits = len(text) - len(text.translate(_DROP_ASCII_DIGITS))
    else:
        digits = sum(c.isdigit() for c in text)
    return text if digits < _MIN_DIGITS else _mask_runs(text)


def _masked_key(key: object) -> object:
    """A mapping key masked like a value, and still usable as a key."""
    if isinstance(key, str):
        return mask_text(key)
    if key is None or isinstance(key, (int, float)):  # bool is an int
        return masked(key)
    return mask_text(str(key))


def masked(value: object, key: str = "") -> object:
    """A deep copy of a JSON-like value with phone numbers masked, for logs and reprs.

    `key` is the field the value sits in: known number fields are masked whole; every other
    field, whatever its name, has its number-like runs masked. A value of another type is
    masked as its str() (that is how a log writes it).
    """
    if isinstance(value, str):  # first: nearly every value logged is a string
        if key in NUMBER_KEYS and value:
            # A bare number is masked whole; a URI (`sip:+1...@host`) keeps its non-number parts.
            return mask_text(value) if any(c.isalpha() for c in value) else mask_number(value)
        return mask_text(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        # A malformed event may carry a number (or an id or event type) as a JSON number.
        return _mask_int(value) if key in NUMBER_KEYS or not -_SMALL < value < _SMALL else value
    if isinstance(value, float):
        if value.is_integer() and (key in NUMBER_KEYS or not -_SMALL < value < _SMALL):
            return _mask_int(int(value))  # 12065550102.0 ends in 0102
        text = float.__repr__(value)
        if len(text) < _MIN_DIGITS and key not in NUMBER_KEYS:
            return value  # 0.123: too few digits to hide anything
        hidden = mask_number(text) if key in NUMBER_KEYS else mask_text(text)
        return value if hidden == text else hidden
    if isinstance(value, dict):
        return {_masked_key(k): masked(v, k if isinstance(k, str) else "") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v, key) for v in value]
    return masked(str(value), key)
