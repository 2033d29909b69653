"""The emulated chime-sdk-voice service: one function per operation, run inside one transaction.

The HTTP layer parses and validates a request from the model, then calls `Backend.handle` with
the operation name and the member dict; typed `ServiceError`s raised here become the answer.

Each resource family's module lists its operations in `OPERATIONS`; this registry is the only
module that imports them. They share code through helper modules (`relations` for questions that
span families, `settling`, `calling_names`, `tag_store`, `resources`, `kinds`), never each other,
so imports run one way (tests/emulator/test_backend_layers.py).
"""

from __future__ import annotations

from collections.abc import Callable

from emulator.backend import (
    calls,
    phone_number_orders,
    phone_number_settings,
    phone_numbers,
    sip_media_applications,
    sip_rules,
    tags,
    voice_connectors,
)
from emulator.backend.context import Ctx, Doc, Params
from emulator.backend.service_config import Config
from emulator.errors import BadRequestError
from emulator.store import Store, Tx

Operation = Callable[[Tx, Ctx, Params], Doc]

OPERATIONS: dict[str, Operation] = {
    **phone_number_orders.OPERATIONS,
    **phone_numbers.OPERATIONS,
    **phone_number_settings.OPERATIONS,
    **sip_media_applications.OPERATIONS,
    **sip_rules.OPERATIONS,
    **voice_connectors.OPERATIONS,
    **tags.OPERATIONS,
    **calls.OPERATIONS,
}


class NotEmulatedError(BadRequestError):
    """An operation the model has but the emulator does not implement.

    BadRequestException (400) because every operation lists it, so clients surface it as a
    modelled error rather than retrying it as they would a 5xx.
    """


class Backend:
    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config

    def emulates(self, operation: str) -> bool:
        return operation in OPERATIONS

    def handle(self, operation: str, region: str, params: Params) -> Doc:
        function = OPERATIONS.get(operation)
        if function is None:
            raise NotEmulatedError(f"{operation} is not emulated by this local chime-sdk-voice emulator")
        ctx = Ctx(self.config, region)
        with self.store.transaction() as tx:
            out = function(tx, ctx, params)
        for finish in ctx.after_commit:
            out = finish(out)
        return out
