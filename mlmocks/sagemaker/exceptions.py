"""SageMaker's errors.

``ResourceInUse``, ``ResourceNotFound``, ``ResourceLimitExceeded`` and
``ConflictException`` are error shapes of the service model (HTTP 400, as every
SageMaker error). ``ValidationException`` is not in the model but is what SageMaker
answers for input it rejects (and for actions a resource's status does not allow): boto3
reports it as a ``ClientError`` with that code.
"""

from mlmocks.core.errors import ServiceError, modeled_error


class ValidationException(ServiceError):
    code = "ValidationException"


def __getattr__(code: str) -> type[ServiceError]:
    return modeled_error("sagemaker", code)
