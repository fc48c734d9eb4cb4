"""Clean Rooms ML's modeled errors (the shapes of the same names in the service model)."""

from mlmocks.core.errors import ServiceError


class ValidationException(ServiceError):
    code = "ValidationException"


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"


class ConflictException(ServiceError):
    code = "ConflictException"


class AccessDeniedException(ServiceError):
    code = "AccessDeniedException"
