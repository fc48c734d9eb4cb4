"""Lookout for Vision's modeled errors. A conflict or a missing resource names the resource
(``ResourceId``, ``ResourceType``: PROJECT, DATASET, MODEL or MODEL_PACKAGE_JOB), and an
exceeded quota names the quota, as the service's error shapes require."""

from mlmocks.core.errors import ServiceError, modeled_error


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, ResourceId=resource_id, ResourceType=resource_type)


class ConflictException(ServiceError):
    code = "ConflictException"

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, ResourceId=resource_id, ResourceType=resource_type)


class ServiceQuotaExceededException(ServiceError):
    code = "ServiceQuotaExceededException"

    def __init__(self, message: str, resource_id: str, resource_type: str, quota_code: str) -> None:
        super().__init__(
            message,
            ResourceId=resource_id,
            ResourceType=resource_type,
            QuotaCode=quota_code,
            ServiceCode="lookoutvision",
        )


def __getattr__(code: str) -> type[ServiceError]:
    # The errors with no members beyond the message.
    return modeled_error("lookoutvision", code)
