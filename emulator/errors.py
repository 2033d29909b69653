"""Service errors, shaped like the chime-sdk-voice API's: HTTP status, `x-amzn-ErrorType`, `{"Message"}`.

Raised from anywhere inside the emulator (backend, validation, call simulator) and turned into a
wire response in exactly one place, the HTTP layer.
"""

from __future__ import annotations


class ServiceError(Exception):
    code = "ServiceFailureException"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestError(ServiceError):
    code, status = "BadRequestException", 400


class ResourceLimitExceededError(ServiceError):
    code, status = "ResourceLimitExceededException", 400


class UnauthorizedClientError(ServiceError):
    code, status = "UnauthorizedClientException", 401


class ForbiddenError(ServiceError):
    code, status = "ForbiddenException", 403


class NotFoundError(ServiceError):
    code, status = "NotFoundException", 404


class ConflictError(ServiceError):
    code, status = "ConflictException", 409


class ThrottledClientError(ServiceError):
    code, status = "ThrottledClientException", 429


class ServiceFailureError(ServiceError):
    code, status = "ServiceFailureException", 500


class ServiceUnavailableError(ServiceError):
    code, status = "ServiceUnavailableException", 503
