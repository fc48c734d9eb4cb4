"""Clean Rooms' errors: the error shapes of its service model, by name."""

from mlmocks.core.errors import ServiceError, modeled_error


def __getattr__(code: str) -> type[ServiceError]:
    return modeled_error("cleanrooms", code)
