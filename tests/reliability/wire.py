"""Requests on the wire, as an SDK sends them, and the two ways to deliver them.

A params dict becomes an HTTP request through botocore's own serializer for the
service's protocol, with validation off (so broken values are written as given), and is
signed with botocore's SigV4Auth like any SDK signs it. Mutations that no serializer
would write (wrong JSON types, missing members, malformed bodies, odd content types)
are made afterwards, on the serialized request. ``InProcess`` hands the signed request
to moto's botocore stubber, as boto3 does under the decorator; ``OverHttp`` sends the
bytes to an ``mlmocks-server`` with ``http.client``.
"""

from __future__ import annotations

import copy
import http.client
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, prepare_request_dict
from botocore.credentials import Credentials
from botocore.model import OperationModel, ServiceModel
from botocore.serialize import create_serializer

from mlmocks.core.spec import _loader

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
CREDENTIALS = Credentials(ACCESS_KEY, "secret")
REGION = "us-east-1"


@cache
def botocore_service(service: str) -> ServiceModel:
    """The service model as botocore's client reads it (the model mlmocks checks against)."""
    return ServiceModel(_loader().load_service_model(service, "service-2"), service)


def botocore_operation(service: str, operation: str) -> OperationModel:
    return botocore_service(service).operation_model(operation)


@dataclass
class WireRequest:
    service: str
    operation: str
    method: str
    url_path: str
    query: dict[str, Any]
    headers: dict[str, str]
    body: bytes
    #: What was done to it ("valid", "missing required jobName", ...), for reports.
    kind: str = "valid"
    detail: str = ""
    region: str = REGION
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        shown = self.body if len(self.body) < 400 else self.body[:400] + b"..."
        return (
            f"{self.kind} ({self.detail})\n{self.method} {self.url_path} query={self.query!r}\n"
            f"headers={self.headers!r}\nbody={shown!r}"
        )

    # -- wire mutations --------------------------------------------------------------------

    def document(self) -> Any:
        return json.loads(self.body) if self.body.strip() else {}

    def with_document(self, document: Any, kind: str, detail: str) -> WireRequest:
        body = json.dumps(document).encode()
        return replace(self, body=body, kind=kind, detail=detail)

    def with_body(self, body: bytes, kind: str, detail: str) -> WireRequest:
        return replace(self, body=body, kind=kind, detail=detail)

    def with_header(self, name: str, value: str | None, kind: str, detail: str) -> WireRequest:
        headers = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        if value is not None:
            headers[name] = value
        return replace(self, headers=headers, kind=kind, detail=detail)

    def with_query(self, name: str, value: Any, kind: str, detail: str) -> WireRequest:
        query = dict(self.query)
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
        return replace(self, query=query, kind=kind, detail=detail)


def serialize(service: str, operation: str, params: Mapping[str, Any], kind: str = "valid", detail: str = "") -> WireRequest:
    model = botocore_operation(service, operation)
    serializer = create_serializer(model.metadata["protocol"], include_validation=False)
    serialized = serializer.serialize_to_request(copy.deepcopy(dict(params)), model)
    body = serialized["body"]
    shape = model.input_shape
    # An empty URI label leaves a path that addresses no operation, or another one.
    empty_label = shape is not None and any(
        member.serialization.get("location") == "uri" and params.get(name) == ""
        for name, member in shape.members.items()
    )
    if isinstance(body, str):
        body = body.encode()
    elif isinstance(body, dict):  # a form body; none of our protocols
        body = json.dumps(body).encode()
    return WireRequest(
        service=service,
        operation=operation,
        method=serialized["method"],
        url_path=serialized["url_path"],
        query=dict(serialized["query_string"] or {}),
        headers={k: v for k, v in serialized["headers"].items()},
        body=body or b"",
        kind=kind,
        detail=detail,
        extra={"empty label": True} if empty_label else {},
    )


def set_in(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """``document`` with the node at ``path`` replaced (``path`` () replaces the root)."""
    if not path:
        return value
    document = copy.deepcopy(document)
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return document


def delete_in(document: Any, path: tuple[Any, ...]) -> Any:
    document = copy.deepcopy(document)
    node = document
    for key in path[:-1]:
        node = node[key]
    if isinstance(node, dict):
        node.pop(path[-1], None)
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        del node[path[-1]]
    return document


# -- delivering --------------------------------------------------------------------------


#: The longest request line the server reads (Python's http.server); a longer one is 414.
MAX_REQUEST_LINE = 65536


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    #: Length of the request line sent over HTTP (0 in-process).
    request_line: int = 0


def signed(request: WireRequest, endpoint: str) -> AWSRequest:
    """The request addressed to ``endpoint`` and signed as botocore signs it."""
    request_dict = {
        "url_path": request.url_path,
        "query_string": request.query,
        "method": request.method,
        "headers": dict(request.headers),
        "body": request.body,
    }
    prepare_request_dict(request_dict, endpoint)
    aws_request = AWSRequest(
        method=request.method, url=request_dict["url"], headers=request_dict["headers"], data=request.body
    )
    signing_name = botocore_service(request.service).signing_name
    SigV4Auth(CREDENTIALS, signing_name, request.region).add_auth(aws_request)
    return aws_request


class InProcess:
    """Delivers through moto's botocore stubber, as boto3 does under ``mock_mljobs``."""

    mode = "decorator"

    def __init__(self, endpoints: Mapping[str, str] | None = None) -> None:
        self.endpoints = dict(endpoints or {})

    def endpoint(self, service: str) -> str:
        """The service's endpoint in REGION (a request's own region only signs it)."""
        if service not in self.endpoints:
            import boto3

            client = boto3.client(
                service, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key="secret"
            )
            self.endpoints[service] = client.meta.endpoint_url
        return self.endpoints[service]

    def send(self, request: WireRequest) -> Response:
        from moto.core.models import botocore_stubber

        prepared = signed(request, self.endpoint(request.service)).prepare()
        answer = botocore_stubber(f"before-send.{request.service}.{request.operation}", prepared)
        assert answer is not None, f"moto did not intercept {prepared.url}"
        return Response(answer.status_code, dict(answer.headers.items()), answer.content)


class OverHttp:
    """Sends the bytes to an ``mlmocks-server``."""

    mode = "server"

    def __init__(self, endpoint: str, timeout: float = 60) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def send(self, request: WireRequest) -> Response:
        prepared = signed(request, self.endpoint).prepare()
        parts = urlsplit(prepared.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            connection.request(
                request.method, target, body=prepared.body or b"", headers=dict(prepared.headers.items())
            )
            answer = connection.getresponse()
            line = len(f"{request.method} {target} HTTP/1.1".encode())
            return Response(answer.status, dict(answer.getheaders()), answer.read(), line)
        finally:
            connection.close()
