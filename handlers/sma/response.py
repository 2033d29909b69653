"""The response envelope a PSTN audio Lambda returns, with the service's documented limits.

`Actions` absent keeps the actions still queued; `[]` stops them. `TransactionAttributes` is merged
key by key into what the call already carries (`{}` clears it; absent changes nothing), and is
limited to 100 string pairs and 20 KB.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs milliseconds at cold start; mypy still sees these imports
if TYPE_CHECKING:
    from collections.abc import Iterable

SCHEMA_VERSION = "1.0"
MAX_ACTIONS = 10
MAX_ATTRIBUTE_PAIRS = 100
MAX_ATTRIBUTE_BYTES = 20 * 1024
KEEP_PENDING = None  # pass as `actions` to leave the queued actions running


def build_response(actions: Iterable[dict[str, object]] | None = (),
                   transaction_attributes: dict[str, str] | None = None) -> dict[str, object]:
    """`{"SchemaVersion": "1.0", "Actions": [...], "TransactionAttributes": {...}}`.

    Raises ValueError naming the field when the response would be rejected by the service.
    """
    response: dict[str, object] = {"SchemaVersion": SCHEMA_VERSION}
    if actions is not None:
        listed = list(actions)
        if len(listed) > MAX_ACTIONS:
            raise ValueError(f"Actions: at most {MAX_ACTIONS} actions per response (got {len(listed)})")
        for i, action in enumerate(listed):
            if not (isinstance(action, dict) and isinstance(action.get("Type"), str)
                    and isinstance(action.get("Parameters"), dict)):
                raise ValueError(f"Actions[{i}]: must be {{Type, Parameters}}; build it with sma.actions")
        response["Actions"] = listed
    if transaction_attributes is not None:
        response["TransactionAttributes"] = check_transaction_attributes(transaction_attributes)
    return response


def check_transaction_attributes(attributes: dict[str, str]) -> dict[str, str]:
    """A copy of `attributes` if it fits the documented limits, else ValueError naming the problem."""
    if not isinstance(attributes, dict):
        raise ValueError("TransactionAttributes: must be an object of string keys and values")
    if len(attributes) > MAX_ATTRIBUTE_PAIRS:
        raise ValueError(
            f"TransactionAttributes: at most {MAX_ATTRIBUTE_PAIRS} pairs (got {len(attributes)})")
    for key, value in attributes.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"TransactionAttributes: keys must be non-empty strings (got {key!r})")
        if not isinstance(value, str):
            raise ValueError(
                f"TransactionAttributes.{key}: values must be strings (got {type(value).__name__})")
    import json  # already loaded by sma.log; local so this module imports nothing

    # Measured as the JSON object the service stores, in UTF-8.
    size = len(json.dumps(attributes, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    if size > MAX_ATTRIBUTE_BYTES:
        raise ValueError(f"TransactionAttributes: at most 20 KB (got {size} bytes)")
    return dict(attributes)

