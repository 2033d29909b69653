"""HTTP/1.1 request framing, read strictly: where a request's body ends, or why it cannot be known.

A request whose length is ambiguous (a Content-Length that is not one plain decimal number, two
that disagree, a Transfer-Encoding next to a Content-Length, a header line the parser could not
read, which hides the headers after it) is refused with `FramingError`; the HTTP layer then answers
and closes the connection, so no byte of such a request is ever read as the start of another.
Bodies over the configured limit are refused before they are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from io import BufferedIOBase

_DIGITS = re.compile(r"[0-9]+")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]+)[ \t]*(?:;[^\r\n]*)?\r?\n")
_MAX_LINE = 8192  # a chunk-size line or trailer line; far more than any real client sends
_MAX_TRAILERS = 64
# More digits than this is more than any limit can allow (and int() refuses thousands of digits).
_MAX_LENGTH_DIGITS = 18


class FramingError(Exception):
    """A request the HTTP layer refuses; the connection is closed after the answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _bad(message: str) -> FramingError:
    return FramingError(400, "BadRequestException", message)


def too_large(limit: int) -> FramingError:
    return FramingError(413, "RequestEntityTooLargeException",
                        f"The request body is larger than {limit} bytes (the emulator's --max-body-bytes)")


@dataclass(frozen=True)
class Framing:
    length: int  # bytes of body to read (0 when chunked: the chunks say)
    chunked: bool = False


def request_framing(headers: Message, version: str, limit: int) -> Framing:
    """The body's framing from the parsed headers; raises FramingError for anything ambiguous."""
    # email's parser stops at a line it cannot read and keeps the rest as "payload": headers hidden
    # there (a Content-Length among them) would otherwise be silently ignored.
    if headers.defects or headers.get_payload():
        raise _bad("Malformed header line (a header name must be followed directly by ':')")
    lengths: list[str] = []
    codings: list[str] = []
    # One pass over the headers as received: this runs for every request, and `items()` would
    # re-sanitise every value on the way (three times slower with a typical SDK request).
    for name, value in headers.raw_items():
        if "\n" in value or "\r" in value:
            raise _bad(f"Header {name} is folded over several lines, which HTTP/1.1 does not allow")
        lowered = name.lower()
        if lowered == "content-length":
            lengths.append(value)
        elif lowered == "transfer-encoding":
            codings.append(value)
    if codings:
        if lengths:
            raise _bad("Transfer-Encoding and Content-Length together are refused: "
                       "the body's length is ambiguous")
        if version == "HTTP/1.0":
            raise _bad("Transfer-Encoding is not allowed in an HTTP/1.0 request")
        named = [c.strip().lower() for value in codings for c in value.split(",")]
        if named != ["chunked"]:
            raise FramingError(501, "NotImplementedException",
                               f"Transfer-Encoding {', '.join(codings)} is not supported: send a "
                               "Content-Length, or Transfer-Encoding: chunked alone")
        return Framing(0, chunked=True)
    if not lengths:
        return Framing(0)
    # Repeats of one value ("5" twice, or "5, 5") are one length; anything else is refused.
    values = {v.strip(" \t") for value in lengths for v in value.split(",")}
    if len(values) != 1:
        raise _bad(f"Conflicting Content-Length values: {', '.join(lengths)}")
    (text,) = values
    if not _DIGITS.fullmatch(text):
        raise _bad(f"Invalid Content-Length {text!r}: it must be a decimal number of bytes")
    if len(text) > _MAX_LENGTH_DIGITS or int(text) > limit:
        raise too_large(limit)
    return Framing(int(text))


def _line(rfile: BufferedIOBase, what: str) -> bytes:
    line = rfile.readline(_MAX_LINE + 1)
    if len(line) > _MAX_LINE:
        raise _bad(f"The chunked body's {what} line is too long")
    if not line.endswith(b"\n"):
        raise _bad("The connection ended inside the chunked body")
    return line


def read_chunked(rfile: BufferedIOBase, limit: int) -> bytes:
    """A chunked body, decoded; trailers are read and dropped. Raises FramingError."""
    parts: list[bytes] = []
    total = 0
    while True:
        match = _CHUNK_SIZE.fullmatch(_line(rfile, "chunk-size"))
        if match is None:
            raise _bad("Malformed chunk size in the chunked body")
        digits = match.group(1).lstrip(b"0") or b"0"
        if len(digits) > 16 or total + int(digits, 16) > limit:
            raise too_large(limit)
        size = int(digits, 16)
        if size == 0:
            break
        data = rfile.read(size)
        if len(data) < size:
            raise _bad("The connection ended inside the chunked body")
        if _line(rfile, "chunk-end") not in (b"\r\n", b"\n"):
            raise _bad("A chunk in the chunked body is longer than its size says")
        parts.append(data)
        total += size
    for _ in range(_MAX_TRAILERS + 1):
        if _line(rfile, "trailer") in (b"\r\n", b"\n"):
            return b"".join(parts)
    raise _bad("Too many trailer lines after the chunked body")
