"""A bound on how deeply a request body's JSON may nest, checked before anything parses it.

Python's JSON parser recurses once per level: a body of a few thousand `[` would end in
RecursionError, an internal error (500, which clients retry). The deepest input of the
chime-sdk-voice model nests 4 levels, so anything past `MAX_JSON_DEPTH` is a client error, and is
refused as the service refuses bad input: 400 BadRequestException.
"""

from __future__ import annotations

import operator
import re
from itertools import accumulate, count

from emulator.errors import BadRequestError

MAX_JSON_DEPTH = 32

# A JSON string, escapes included (possessive, so no backtracking whatever the input).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Openers count 2 and closers 0, so a running sum minus the brackets seen is the depth at each one.
_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in `body` (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS).translate(_STEPS)
    return max(map(operator.sub, accumulate(brackets), count(1)), default=0)


def check_json_depth(body: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise BadRequestError if `body` nests deeper than `limit`."""
    # Fewer brackets than the limit cannot nest past it: the common case costs two counts.
    if body.count(b"[") + body.count(b"{") <= limit:
        return
    depth = json_depth(body)
    if depth > limit:
        raise BadRequestError(f"The request body nests JSON {depth} levels deep; at most {limit} are allowed")
