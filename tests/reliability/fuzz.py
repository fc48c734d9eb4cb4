"""Requests for one operation, valid and broken, drawn with hypothesis from its model.

``Plan(service, operation, seeds).draw(data)`` returns one ``WireRequest``: a valid one,
or one that breaks a single thing: a constraint of one member (enum, length, pattern,
range, awkward or hostile text), a required member left out, a member of the wrong JSON
type, or the body itself (empty, malformed, wrong content type, huge, unknown members).
"""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from botocore.model import StructureShape
from hypothesis import strategies as st

from mlmocks.core.registry import specs
from tests.reliability.shapes import (
    Site,
    ValidValues,
    bad_header,
    broken_values,
    sites,
    wrong_types,
)
from tests.reliability.wire import WireRequest, botocore_operation, delete_in, serialize, set_in

KINDS = ("valid", "valid", "constraint", "constraint", "constraint", "missing", "wrong type", "body", "region")
#: Regions a request may be signed for that no service has.
ODD_REGIONS = ("mars-east-9", "us-east-1x", "aws", "US-EAST-1", "eu-west-1;drop")

#: Bodies of a size no real request has, still under the server's limit.
HUGE = 1_500_000
MALFORMED_BODIES = (
    b"{",
    b"}",
    b"[]",
    b"null",
    b"0",
    b'"a string"',
    b'{"a":}',
    b"{'single': 'quotes'}",
    b"\xff\xfe\x00\x01binary",
    b'{"a": NaN}',
    b'{"a": 1e999}',
    b"[" * 100_000,
    b'{"a": ' * 50_000,
    b"\x00" * 64,
    "{\"\u00e9\": 1}".encode("latin-1"),
)
CONTENT_TYPES = (
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=mlmocks",
    "application/json; charset=utf-16",
    "application/x-amz-json-1.0",
    "application/x-amz-json-1.1",
    "image/png",
    "",
)


@cache
def validation_code(service: str) -> str:
    """The service's own validation error (answered even where its model omits it)."""
    responses = importlib.import_module(f"{specs()[service].package}.responses")
    return str(responses.RESPONSE_CLASS.VALIDATION_ERROR.code)


def answered_by_moto(request: WireRequest) -> bool:
    """Whether the request is for one of moto's resources on a host shared with moto
    (tags of moto's Bedrock models, say): the shared operation hands it to moto."""
    spec = specs()[request.service]
    responses = importlib.import_module(f"{spec.package}.responses").RESPONSE_CLASS
    if not spec.moto_service or request.operation not in responses.SHARED_OPERATIONS:
        return False
    document = body_json(request.body)
    handler = responses()
    handler.current_account, handler.region = "123456789012", request.region
    handler.path = request.url_path  # where a REST service's owns finds the ARN (Clean Rooms' /tags/{arn})
    return not handler.owns(request.operation, document if isinstance(document, dict) else {})


class Plan:
    def __init__(self, service: str, operation: str, seeds: Mapping[str, Sequence[str]] | None = None) -> None:
        self.service = service
        self.operation = operation
        self.model = botocore_operation(service, operation)
        self.protocol = self.model.metadata["protocol"]
        self.values = ValidValues(seeds)
        shape = self.model.input_shape
        self.shape: StructureShape | None = shape if isinstance(shape, StructureShape) else None
        self.valid = self.values.request(self.shape).filter(self._sendable) if self.shape is not None else st.just({})

    def _sendable(self, params: dict[str, Any]) -> bool:
        """Whether http.client can put every header member in a header at all."""
        assert self.shape is not None
        return not any(
            member.serialization.get("location") == "header"
            and isinstance(params.get(name), str)
            and bad_header(params[name])
            for name, member in self.shape.members.items()
        )

    def draw(self, data: Any) -> WireRequest:
        params = data.draw(self.valid, label="valid params")
        kind = data.draw(st.sampled_from(KINDS), label="kind")
        if kind == "constraint":
            request = self.broken_constraint(data, params)
        elif kind == "missing":
            request = self.missing(data, params)
        elif kind == "wrong type":
            request = self.wrong_type(data, params)
        elif kind == "body":
            request = self.broken_body(data, params)
        elif kind == "region":
            request = serialize(self.service, self.operation, params, "odd region", "")
            request.region = data.draw(st.sampled_from(ODD_REGIONS), label="region")
        else:
            request = None
        return request or serialize(self.service, self.operation, params)

    # -- mutations -------------------------------------------------------------------------

    def _sites(self, params: dict[str, Any]) -> list[Site]:
        return list(sites(self.shape, params, self.protocol)) if self.shape is not None else []

    def broken_constraint(self, data: Any, params: dict[str, Any]) -> WireRequest | None:
        candidates = [site for site in self._sites(params) if broken_values(site.shape, site.location)]
        if not candidates:
            return None
        site = data.draw(st.sampled_from(candidates), label="site")
        label, value = data.draw(st.sampled_from(broken_values(site.shape, site.location)), label="broken value")
        if label in ("too many", "too few"):
            value = self._sized(data, site, params, value)
        broken = _set_param(params, site.path, value)
        return serialize(self.service, self.operation, broken, kind=label, detail=_name(site))

    def _sized(self, data: Any, site: Site, params: dict[str, Any], count: int) -> Any:
        if site.shape.type_name == "list":
            item = data.draw(self.values.for_shape(site.shape.member), label="item")  # type: ignore[attr-defined]
            return [copy.deepcopy(item) for _ in range(count)]
        value = data.draw(self.values.for_shape(site.shape.value), label="value")  # type: ignore[attr-defined]
        return {f"k{index}": copy.deepcopy(value) for index in range(count)}

    def missing(self, data: Any, params: dict[str, Any]) -> WireRequest | None:
        candidates = [site for site in self._sites(params) if site.required and _present(params, site.path)]
        if not candidates:
            return None
        site = data.draw(st.sampled_from(candidates), label="site")
        detail = _name(site)
        if site.location == "uri":
            return serialize(self.service, self.operation, _set_param(params, site.path, ""), "missing", detail)
        request = serialize(self.service, self.operation, params)
        if site.location == "querystring":
            return request.with_query(site.wire_path[0], None, "missing", detail)
        if site.location in ("header", "headers"):
            return request.with_header(site.wire_path[0], None, "missing", detail)
        if site.location == "payload" or not site.wire_path:
            return request.with_body(b"", "missing", detail)
        return request.with_document(delete_in(request.document(), site.wire_path), "missing", detail)

    def wrong_type(self, data: Any, params: dict[str, Any]) -> WireRequest | None:
        request = serialize(self.service, self.operation, params)
        candidates = [
            site
            for site in self._sites(params)
            if _present(params, site.path)
            and (
                (site.location == "body" and site.wire_path)
                or (site.location in ("querystring", "header") and site.shape.type_name not in ("string", "list", "map"))
            )
        ]
        if not candidates:
            return None
        site = data.draw(st.sampled_from(candidates), label="site")
        detail = _name(site)
        if site.location == "body":
            value = data.draw(st.sampled_from(wrong_types(site.shape)), label="wrong value")
            return request.with_document(set_in(request.document(), site.wire_path, value), "wrong type", detail)
        text = data.draw(st.sampled_from(["not-a-value", "", "1.5", "99999999999999999999999", "true false", "NaN"]))
        if site.location == "querystring":
            return request.with_query(site.wire_path[0], text, "wrong type", detail)
        return request.with_header(site.wire_path[0], text, "wrong type", detail)

    def broken_body(self, data: Any, params: dict[str, Any]) -> WireRequest:
        request = serialize(self.service, self.operation, params)
        choice = data.draw(
            st.sampled_from(["empty", "malformed", "content type", "huge", "unknown member"]), label="body"
        )
        if choice == "empty":
            return request.with_body(b"", "empty body", "")
        if choice == "malformed":
            body = data.draw(st.sampled_from([*MALFORMED_BODIES, request.body[: len(request.body) // 2]]))
            return request.with_body(body, "malformed JSON", repr(body[:20]))
        if choice == "content type":
            content_type = data.draw(st.sampled_from(CONTENT_TYPES), label="content type")
            return request.with_header("Content-Type", content_type or None, "wrong content type", content_type)
        document = _document_or_none(request)
        if choice == "huge":
            if isinstance(document, dict):
                padded = {**document, "mlmocksPadding": "x" * HUGE}
                return request.with_document(padded, "huge body", f"{HUGE} bytes of padding")
            return request.with_body(b"x" * HUGE, "huge body", f"{HUGE} bytes")
        if isinstance(document, dict):
            extra = {**document, "mlmocksUnknownMember": {"nested": [1, 2, {"x": None}]}}
            return request.with_document(extra, "unknown member", "mlmocksUnknownMember")
        return request.with_query("mlmocksUnknownParameter", "1", "unknown member", "query")


def _document_or_none(request: WireRequest) -> Any:
    try:
        return request.document()
    except ValueError:
        return None


def _name(site: Site) -> str:
    return ".".join(str(part) for part in site.path)


def _present(params: Any, path: tuple[Any, ...]) -> bool:
    node = params
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return False
    return True


def _set_param(params: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(params)
    node: Any = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


def body_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None
