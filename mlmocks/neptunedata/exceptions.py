"""Neptune's modeled errors. Every body carries ``code``, ``requestId`` (the request's own
id, as in its x-amzn-RequestId header) and ``detailedMessage``, as the Neptune data API
answers; the HTTP status is the model's.

Which error a Neptune ML call gets follows the Neptune ML user guide ("Neptune ML
management API errors and exceptions"): a bad or duplicate id and a job that can no longer
be stopped are ``InvalidParameterException``; a job this one depends on that does not
exist or has not completed, and an S3 location that is not one, ``BadRequestException``.
"""

from mlmocks.core.errors import AccessDenied, ServiceError, modeled_error


class NeptuneError(ServiceError):
    @property
    def detailed_message(self) -> str:
        return self.message


class AccessDeniedException(NeptuneError, AccessDenied):
    """moto's IAM enforcement refused the request."""

    code = "AccessDeniedException"


def __getattr__(code: str) -> type[ServiceError]:
    return modeled_error("neptunedata", code, NeptuneError)
