"""Lookout for Vision's modeled errors. A conflict or a missing resource names the resource
(``ResourceId``, ``ResourceType``: PROJECT, DATASET, MODEL or MODEL_PACKAGE_JOB), and an
exceeded quota names the quota too, as the service's error shapes require."""

from typing import Any

from mlmocks.core.errors import ServiceError, modeled_error


class _AboutAResource(ServiceError):
    """An error whose shape names the resource it is about."""

    def __init__(self, message: str, resource_id: str, resource_type: str, **members: Any) -> None:
        super().__init__(message, ResourceId=resource_id, ResourceType=resource_type, **members)


class ResourceNotFoundException(_AboutAResource):
    code = "ResourceNotFoundException"


class ConflictException(_AboutAResource):
    code = "ConflictException"


class ServiceQuotaExceededException(_AboutAResource):
    code = "ServiceQuotaExceededException"

    def __init__(self, message: str, resource_id: str, resource_type: str, quota_code: str) -> None:
        super().__init__(
            message, resource_id, resource_type, QuotaCode=quota_code, ServiceCode="lookoutvision"
        )


def __getattr__(code: str) -> type[ServiceError]:
    # The errors with no members beyond the message.
    return modeled_error("lookoutvision", code)
