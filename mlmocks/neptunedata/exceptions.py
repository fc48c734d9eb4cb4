"""Neptune's modeled errors: each body carries ``code``, ``requestId`` and
``detailedMessage``, as the Neptune data API answers."""

import uuid

from mlmocks.core.errors import ServiceError


class NeptuneError(ServiceError):
    def __init__(self, message: str) -> None:
        super().__init__(message, detailedMessage=message, requestId=str(uuid.uuid4()))


class BadRequestException(NeptuneError):
    code = "BadRequestException"


class InvalidParameterException(NeptuneError):
    code = "InvalidParameterException"


class MLResourceNotFoundException(NeptuneError):
    code = "MLResourceNotFoundException"


class PreconditionsFailedException(NeptuneError):
    code = "PreconditionsFailedException"
