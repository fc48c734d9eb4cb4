"""Lookout for Vision's modeled errors. Conflicts and missing resources name the resource
(``ResourceId``, ``ResourceType``), as the service's error shapes require."""

from mlmocks.core.errors import ServiceError


class ValidationException(ServiceError):
    code = "ValidationException"


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"


class ConflictException(ServiceError):
    code = "ConflictException"
