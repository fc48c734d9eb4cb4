"""Errors a service answers with.

Every error is a moto ``ServiceException`` whose ``code`` is an error shape of the
service model, so moto's protocol serializers write it in the service's own wire format
(status code from the model, ``X-Amzn-ErrorType``, body members), and boto3's
``client.exceptions.<Code>`` catches it. Extra modeled members of an error shape (for
example Neptune's ``detailedMessage``, Lookout for Vision's ``ResourceId``) are plain
attributes of the exception.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from moto.core.exceptions import ServiceException


class ServiceError(ServiceException):
    """A modeled error of a service. Subclasses set ``code``."""

    code = "ServiceError"
    #: HTTP status, for errors a service answers but its model does not describe
    #: (modeled errors take theirs from the model).
    status = 400
    #: The id of the request this error answers (the dispatcher sets it).
    request_id = ""

    def __init__(self, message: str, **members: Any) -> None:
        super().__init__(message)
        for name, value in members.items():
            setattr(self, name, value)


class UnknownOperation(ServiceError):
    code = "UnknownOperationException"
    status = 404


class AccessDenied(ServiceError):
    """moto's IAM enforcement refused the request."""

    code = "AccessDeniedException"
    status = 403


class InternalError(ServiceError):
    """A bug in mlmocks, answered in the service's wire format instead of a traceback."""

    code = "InternalServerException"
    status = 500


class InvalidInput(Exception):
    """A request that breaks its operation's input shape.

    Raised by the validation helper, which knows no service; the dispatcher turns it
    into the service's own validation error. ``problems`` holds one sentence per broken
    constraint, each naming the field.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        super().__init__(f"{count} validation {noun} detected: " + "; ".join(problems))

    @property
    def message(self) -> str:
        return str(self)



@cache
def modeled_error(service: str, code: str, base: type[ServiceError] = ServiceError) -> type[ServiceError]:
    """The ``ServiceError`` class of the error shape ``code`` of a service's model.

    A service's ``exceptions.py`` hands out these by name (a module ``__getattr__``), so it
    writes a class by hand only for an error that carries members of its own or that its
    model leaves out. A name the model has no error shape for fails at import, so a typo
    cannot answer an error boto3 would not recognise."""
    from .spec import service_model

    if code not in {shape.name for shape in service_model(service).error_shapes}:
        raise AttributeError(f"{service} has no error shape {code!r}")
    return type(code, (base,), {"code": code, "__module__": f"mlmocks.{service.replace('-', '')}.exceptions"})
