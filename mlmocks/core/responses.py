"""One request, start to finish: route -> validate -> call the backend -> serialize.

Each service's ``responses.py`` subclasses ``ServiceResponse`` and holds one method per
operation, named like boto3's (``create_model_import_job``), taking the validated
parameters and returning what the output shape describes (a dict, or an object whose
attributes carry the member names in snake_case). Routing, validation against the
service model, errors in the protocol's wire format and response serialization all
happen here, the same way for every service and in every mode (decorator or server).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar
from urllib.parse import parse_qs, urlparse

from botocore import xform_name
from moto.core.base_backend import BackendDict
from moto.core.common_types import TYPE_RESPONSE
from moto.core.model import OperationModel
from moto.core.request import Request, determine_request_protocol
from moto.core.responses import BaseResponse
from moto.utilities.utils import get_partition
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from .errors import (
    AccessDenied,
    InternalError,
    InvalidInput,
    NotImplementedOperation,
    ServiceError,
    UnknownOperation,
    modeled_error,
)
from .idempotency import modeled_token_member
from .listing import InvalidToken
from .moto_compat import (
    ActionCandidate,
    ProtocolRouter,
    RequiredArg,
    RestRouter,
    SmithyRule,
    get_router_class,
    match_path,
    moto_url_paths,
    to_uri_params,
    to_werkzeug_rule_string,
)
from .request import Body, Call
from .serialization import result_writer, serializer_class
from .spec import service_model
from .validation import parse_request

if TYPE_CHECKING:
    from .backend import ServiceBackend

log = logging.getLogger("mlmocks")


_ROUTERS: dict[str, tuple[ProtocolRouter, ...]] = {}
#: Routers are built once, by one thread: building them at once in several threads of the
#: server shares moto's lazily filled operation models and compiles werkzeug rules
#: concurrently, which CPython 3.11 can fail on ("AST constructor recursion depth mismatch").
_ROUTERS_BUILDING = threading.Lock()


def _routers(service: str) -> tuple[ProtocolRouter, ...]:
    routers = _ROUTERS.get(service)
    if routers is None:
        with _ROUTERS_BUILDING:
            routers = _ROUTERS.get(service) or _build_routers(service)
            _ROUTERS[service] = routers
    return routers


def _build_routers(service: str) -> tuple[ProtocolRouter, ...]:
    """The routers of the service's own protocol, tried in turn. (moto's
    ServiceOperationRouter picks one from the Content-Type, and fails on a type the
    service does not speak: a request's body is read in the service's protocol whatever
    its header says.)

    moto's REST router also requires an operation's required query members and headers
    to be present, so a request leaving one out would reach no operation: a second
    router tells operations apart by path, method and fixed query values only, so the
    request reaches its operation and validation names what is missing."""
    model = service_model(service)
    router_class = get_router_class(model.service_name, model.protocol)
    assert router_class is not None, f"moto has no router for {model.protocol}"
    if not issubclass(router_class, RestRouter):
        return (router_class(model),)

    class Router(_RememberingPaths, router_class):  # type: ignore[valid-type, misc]
        pass

    class PathRouter(Router):
        def _create_rules(self, path: str, method: str, operations: list[OperationModel]) -> list[Any]:
            return [_PathRule(to_werkzeug_rule_string(path), operations=operations, methods=[method])]

    return (Router(model), PathRouter(model))


class _RememberingPaths:
    """A REST router that remembers the rule and labels each method and path matched
    (werkzeug's matching was a tenth of a call; tests call the same paths again and
    again). The rule still tells the path's operations apart by each request's query
    and headers."""

    #: Paths remembered per router, at most (then it starts again).
    REMEMBERED = 4096

    _map: Any
    _get_path: Callable[[Request], str]

    def __init__(self, model: Any) -> None:
        super().__init__(model)  # type: ignore[call-arg]
        self._matched: dict[tuple[str, str], tuple[SmithyRule, dict[str, Any]]] = {}

    def _match(self, request: Request) -> tuple[OperationModel | None, dict[str, Any]]:
        key = (request.method, self._get_path(request))
        matched = self._matched.get(key)
        if matched is None:
            matcher = self._map.bind(request.host)
            try:
                rule, arguments = match_path(matcher, key[1], request.method)
            except MethodNotAllowed as not_allowed:
                raise NotFound() from not_allowed
            assert isinstance(rule, SmithyRule)
            matched = (rule, to_uri_params(arguments))
            if len(self._matched) >= self.REMEMBERED:
                self._matched.clear()
            self._matched[key] = matched
        rule, uri_params = matched
        return rule.match_request(request), dict(uri_params)


class _PathRule(SmithyRule):
    """Operations on one path told apart by the fixed query values of their URIs only."""

    @staticmethod
    def _initialize_candidates(operations: list[OperationModel]) -> list[ActionCandidate]:
        return [
            ActionCandidate(op, [RequiredArg(name, value) for name, value in op.http_trait.query_args.items()])
            for op in operations
        ]


def _route(service: str, request: Request) -> tuple[OperationModel, dict[str, Any]]:
    """The operation a request addresses, and its URI labels (NotFound: none)."""
    *first, last = _routers(service)
    for router in first:
        try:
            return router.match(request)
        except NotFound:
            pass
    return last.match(request)


@cache
def _modeled_errors(service: str) -> frozenset[str]:
    return frozenset(shape.name for shape in service_model(service).error_shapes)


@cache
def _message_member(service: str) -> str:
    """How the service's modeled errors spell their message member (Message or message)."""
    for shape in service_model(service).error_shapes:
        for member in shape.members:
            if member.lower() == "message":
                return member
    return "message"


@cache
def _moto_url_paths(moto_service: str) -> list[tuple[re.Pattern[str], Callable[..., Any]]]:
    """moto's own path -> handler table of a service, in moto's matching order."""
    return moto_url_paths(moto_service)


@cache
def _content_type(service: str) -> str:
    """The Content-Type of the service's protocol."""
    model = service_model(service)
    if model.protocol == "json":
        return f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"
    return "application/json"


BackendT = TypeVar("BackendT", bound="ServiceBackend")


class ServiceResponse(BaseResponse, Generic[BackendT]):
    """Base of every service's responses class, typed by its backend class."""

    #: boto3 name of the service.
    SERVICE: ClassVar[str]
    #: The service's BackendDict.
    BACKENDS: ClassVar[BackendDict[Any]]
    #: The service's own error for input that breaks the model.
    VALIDATION_ERROR: ClassVar[type[ServiceError]]
    #: The service's error for a request moto's IAM enforcement refuses (a subclass of
    #: AccessDenied where the service's error body has members of its own).
    ACCESS_DENIED: ClassVar[type[ServiceError]] = AccessDenied
    #: Where the host is shared, the moto service that answers everything else.
    MOTO_SERVICE: ClassVar[str | None] = None
    #: Bodies stay bytes (moto would decode them as text; images and bad bytes are not).
    use_raw_body = True
    #: The operation the request being answered was routed to.
    operation_name = ""

    def __init__(self) -> None:
        super().__init__(service_name=self.SERVICE)
        #: The request being answered, once routed and validated.
        self.call: Call | None = None
        #: One id a request, in the x-amzn-RequestId header and in any error body that
        #: carries its request id (Neptune's ``requestId``).
        self.request_id = str(uuid.uuid4())

    # -- what subclasses may override ---------------------------------------------------

    #: On a shared host, operations both sides answer (tags): ours only for our resources.
    SHARED_OPERATIONS: ClassVar[frozenset[str]] = frozenset()

    def owns(self, operation: str, body: dict[str, Any]) -> bool:
        """Whether a request for one of SHARED_OPERATIONS is about our resources.

        ``body`` is the request's JSON body as sent, not yet validated (the account and
        region are known by then). A request for moto's resources is validated against
        the model, then handed to moto."""
        return True

    #: Operations with a client token their model does not mark ``idempotencyToken``:
    #: operation -> the member (see mlmocks.core.idempotency).
    CLIENT_TOKENS: ClassVar[dict[str, str]] = {}
    #: How long a client token names its request (None: as long as the state lives).
    CLIENT_TOKEN_LIFETIME: ClassVar[timedelta | None] = None

    def token_conflict(self, operation: str, member: str, token: str, arguments: dict[str, Any]) -> ServiceError:
        """The service's error for a client token used again with other parameters."""
        return modeled_error(self.SERVICE, "ConflictException")(
            f"The {member} {token} was already used for a {operation} request with other parameters"
        )

    @property
    def params(self) -> dict[str, Any]:
        """The validated input members of the request, by the model's member names."""
        return self.call.arguments if self.call is not None else {}

    def check(self, operation: str) -> None:
        """Checks a service makes of every request beyond its model (``self.params`` is
        validated by then); raise the service's error to refuse it. Default: none."""

    # -- plumbing ---------------------------------------------------------------------

    @property
    def backend(self) -> BackendT:
        """The backend of the request's account and region."""
        backend: BackendT = self.BACKENDS[self.current_account][self.region]
        return backend

    def _get_action(self) -> str:
        # The operation the request was routed to. (moto would match the request again
        # against its own copy of the botocore models, which lacks a service that botocore
        # dropped; its IAM enforcement names the action from this.)
        return self.operation_name

    def setup_class(
        self, request: Request, full_url: str | None = None, headers: Any = None, use_raw_body: bool | None = None
    ) -> None:
        """moto's ``setup_class``, less what only moto's own services read: form data and
        files, and a query dict built from the query string, else the body, else the
        headers (a third of the time of a call went there). What moto's IAM enforcement,
        its account and region lookups and our handlers read is set the same way."""
        from moto.iam.models import mark_account_as_visited

        full_url = request.raw_url if full_url is None else full_url
        self.is_werkzeug_request = request.from_wsgi_server
        self.normalized_request = request
        self.parsed_url = urlparse(full_url)
        self.uri = full_url
        self.path = self.parsed_url.path
        self.raw_path = request.raw_path
        self.method = request.method
        self.headers = request.headers
        self.body = self.raw_body = request.get_data()
        self.querystring = parse_qs(self.parsed_url.query, keep_blank_values=True)
        # moto's IAM check signs ``data`` for a request with an empty body, and would
        # take the query (or headers) moto puts there: these protocols sign the raw body.
        self.data = {}
        self.uri_match = {}
        self.response_headers = {"server": "amazon.com"}
        self.region = self.get_region_from_url(request, full_url)
        self.partition = get_partition(self.region)
        if "host" not in request.headers:
            request.environ["HTTP_HOST"] = self.parsed_url.netloc
        self.access_key = self.get_access_key()
        self.current_account = self.get_current_account()
        mark_account_as_visited(
            account_id=self.current_account,
            access_key=self.access_key,
            service=self.SERVICE,
            region=self.region,
        )

    def get_access_key(self) -> str:
        # moto's, read once a request: moto's account lookup reads it again (a regex
        # search of the Authorization header each time).
        known: str | None = vars(self).get("access_key")
        return str(super().get_access_key()) if known is None else known

    def get_region_from_url(self, request: Any, full_url: str) -> str:
        # moto looks for ".<region>.amazonaws.com" anywhere in the URL, so a path or
        # query value holding one would pick the region: only the host names it.
        parts = self.parsed_url if full_url == getattr(self, "uri", None) else urlparse(full_url)
        host_url = f"{parts.scheme}://{parts.netloc}/"
        # moto's first answer, the host, without its search of the User-Agent beforehand.
        named = self.region_regex.search(host_url)
        if named:
            return str(named.group(1))
        return super().get_region_from_url(request, host_url)

    @classmethod
    def implemented_operations(cls) -> frozenset[str]:
        model = service_model(cls.SERVICE)
        return frozenset(op for op in model.operation_names if cls._handler(op) is not None)

    @classmethod
    def _handler(cls, operation: str) -> Callable[..., Any] | None:
        # Only methods written in a service's own class count as operations: moto's
        # BaseResponse has methods of its own whose names could collide.
        name = xform_name(operation)
        for klass in cls.__mro__:
            if klass in (ServiceResponse, BaseResponse):
                return None
            if name in vars(klass):
                return getattr(cls, name)
        return None

    @classmethod
    def dispatch(cls, request: Request, full_url: str, headers: Any) -> TYPE_RESPONSE:
        return cls()._respond(request, full_url)

    def _respond(self, request: Request, full_url: str) -> TYPE_RESPONSE:
        # Read the body before anything else can take it as form data; parsed at most once.
        body = Body(request.get_data())
        try:
            operation, uri_params = _route(self.SERVICE, request)
        except NotFound:
            # No operation of the model, so none of moto's either (on a shared host).
            return self._error(None, self._unknown_operation(request, full_url))
        handler = self._handler(operation.name)
        if handler is None:
            if self.MOTO_SERVICE:
                return self._hand_to_moto(request, full_url)
            # An error code a client can catch, in the service's format, naming the operation.
            message = f"mlmocks does not implement {self.SERVICE} {operation.name}"
            return self._error(operation, NotImplementedOperation(message))
        self.operation_name = operation.name
        try:
            self.setup_class(request, full_url)
            try:
                self.backend  # noqa: B018 - a region moto knows, for us and for moto
            except KeyError:  # signed for a region moto does not know
                raise self.VALIDATION_ERROR(
                    f"{self.SERVICE} is not available in region {self.region!r}"
                ) from None
            for_moto = operation.name in self.SHARED_OPERATIONS and not self.owns(
                operation.name, body.json_object()
            )
            if not for_moto:  # moto authorizes its own requests
                # moto's IAM enforcement (set_initial_no_auth_action_count), as for its own services.
                self._authenticate_and_authorize_normal_action()
            arguments = parse_request(
                operation,
                body=body,
                uri_params=uri_params,
                query=request.args,
                headers=request.headers,  # type: ignore[arg-type]
                # moto's own identifiers do not always follow the model's patterns.
                patterns=not for_moto,
            )
            if for_moto:
                # Checked against the model first: moto does not validate, and fails on
                # what does not fit the shape.
                return self._hand_to_moto(request, full_url)
            self.call = Call(operation, arguments, self.current_account, self.region, body)
            self.check(operation.name)
            token_member = self.CLIENT_TOKENS.get(operation.name) or modeled_token_member(operation)
            token = self.params.get(token_member) if token_member else None
            kwargs = {xform_name(name): value for name, value in self.params.items() if name != token_member}
            backend = self.backend
            with backend.lock:
                # Statuses move lazily; settled once here, every job that has finished by
                # now has left its side effects (the model a completed import creates)
                # before the handler looks, so no handler settles jobs itself.
                backend.settle_jobs()
                if token is None:
                    result = handler(self, **kwargs)
                else:
                    assert token_member is not None
                    result = backend.client_tokens.once(
                        operation.name,
                        token,
                        kwargs,
                        act=lambda: handler(self, **kwargs),
                        conflict=lambda: self.token_conflict(operation.name, token_member, token, kwargs),
                        lifetime=self.CLIENT_TOKEN_LIFETIME,
                    )
        except HTTPException as denied:  # moto's IAM said no: in this service's own format
            message = getattr(denied, "message", None) or str(denied.description)
            return self._error(operation, self.ACCESS_DENIED(message))
        except InvalidInput as invalid:
            return self._error(operation, self.VALIDATION_ERROR(invalid.message))
        except InvalidToken as invalid:
            field = next((k for k, v in self.params.items() if v == invalid.token), "nextToken")
            message = f"Invalid pagination token {invalid.token!r} at '{field}': it was not returned by this listing"
            return self._error(operation, self.VALIDATION_ERROR(message))
        except ServiceError as error:
            return self._error(operation, error)
        except Exception as bug:  # noqa: BLE001 - a bug must not leak a traceback
            log.exception("mlmocks failed on %s %s", self.SERVICE, operation.name)
            internal = InternalError(f"mlmocks could not handle this request: {bug!r}")
            return self._error(operation, internal)
        try:
            return self._serialize(operation, result)
        except Exception as bug:  # noqa: BLE001 - a result the serializer cannot write
            log.exception("mlmocks could not serialize %s %s", self.SERVICE, operation.name)
            return self._error(operation, InternalError(f"mlmocks could not write its answer: {bug!r}"))

    def _unknown_operation(self, request: Request, full_url: str) -> UnknownOperation:
        model = service_model(self.SERVICE)
        if model.protocol == "json":
            target = request.headers.get("X-Amz-Target")
            error = UnknownOperation(f"{self.SERVICE} has no operation named by X-Amz-Target {target!r}")
            error.status = 400
            return error
        path = urlparse(full_url).path
        return UnknownOperation(f"No operation of {self.SERVICE} matches {request.method} {path}")

    def _hand_to_moto(self, request: Request, full_url: str) -> TYPE_RESPONSE:
        assert self.MOTO_SERVICE
        model = service_model(self.SERVICE)
        if model.protocol != "json":
            # A REST service's operation is its method and path: moto would take an
            # X-Amz-Target header, meaningless here, for the name of an action.
            request.environ.pop("HTTP_X_AMZ_TARGET", None)
        try:
            determine_request_protocol(model, request.content_type)
        except NotImplementedError:
            # moto reads the body in the protocol its Content-Type names, and fails on
            # one the service does not speak: the body is in the service's own protocol.
            request.environ["CONTENT_TYPE"] = _content_type(self.SERVICE)
        path = urlparse(full_url).path
        for pattern, handler in _moto_url_paths(self.MOTO_SERVICE):
            if pattern.match(path):
                return self._typed(handler(request, full_url, request.headers))
        return 404, {}, "Not yet implemented"

    def _typed(self, answer: Any) -> TYPE_RESPONSE:
        """moto's answer, with the protocol's Content-Type where moto set none (moto's
        Clean Rooms answers JSON without one, which the server would call HTML)."""
        if isinstance(answer, (str, bytes)):
            answer = (200, {}, answer)
        status, headers, body = answer
        if not any(name.lower() == "content-type" for name in headers):
            headers = {**headers, "Content-Type": _content_type(self.SERVICE)}
        return status, headers, body

    def _serialize(self, operation: OperationModel | None, result: Any) -> TYPE_RESPONSE:
        if operation is None:
            operation = OperationModel({}, service_model(self.SERVICE))
        model = operation.service_model
        writer = None if isinstance(result, Exception) else result_writer(model.service_name, operation.name)
        serialized: Any
        if writer is not None:
            serialized = writer(result)
        else:
            serializer = serializer_class(model.service_name, model.protocol)(operation_model=operation)
            serialized = serializer.serialize(result)
        headers = dict(serialized["headers"])
        headers["x-amzn-RequestId"] = self.request_id
        return serialized["status_code"], headers, serialized["body"]

    def _error(self, operation: OperationModel | None, error: ServiceError) -> TYPE_RESPONSE:
        error.request_id = self.request_id
        if error.code in _modeled_errors(self.SERVICE):
            return self._serialize(operation, error)
        # An error the service answers but its model omits (SageMaker's
        # ValidationException, an unknown operation): written here in the protocol's
        # JSON error format, since moto's serializer only knows modeled shapes.
        headers = {
            "Content-Type": _content_type(self.SERVICE),
            "X-Amzn-ErrorType": error.code,
            "x-amzn-RequestId": self.request_id,
        }
        body = {"__type": error.code, _message_member(self.SERVICE): error.message}
        return error.status, headers, json.dumps(body)

