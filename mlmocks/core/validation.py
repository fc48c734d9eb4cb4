"""Request checks from the botocore operation model.

``parse_request`` walks an operation's input shape once: it gathers each member from
where the protocol puts it (URI label, query string, header, JSON body), converts it to
its Python type, and checks what the model states (required members, types, enums,
lengths, patterns, ranges). Every broken constraint becomes one sentence in AWS's own
wording, naming the field (``jobTags.1.member.key``); all of them are raised together as
``InvalidInput``, which the dispatcher turns into the service's validation error.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import cache
from typing import Any

from botocore.model import OperationModel, Shape, StructureShape
from botocore.utils import parse_timestamp

from .errors import InvalidInput
from .request import Body

_MISSING = object()


def parse_request(
    operation: OperationModel,
    *,
    body: bytes | Body,
    uri_params: Mapping[str, str],
    query: Any,
    headers: Mapping[str, str],
    patterns: bool = True,
) -> dict[str, Any]:
    """The request's parameters, checked against the operation's input shape (raises
    ``InvalidInput``). ``patterns=False`` leaves string patterns unchecked."""
    shape = operation.input_shape
    if shape is None:
        return {}
    walker = _Walker(patterns)
    if not isinstance(body, Body):
        body = Body(body)
    protocol = operation.service_model.protocol
    if protocol == "json":
        document = walker.json_body(body)
        result = walker.structure(shape, document, "") if document is not _MISSING else {}
    else:
        result = walker.rest_input(shape, body, uri_params, query, headers)
    if walker.problems:
        raise InvalidInput(walker.problems)
    return result if isinstance(result, dict) else {}


def _render(value: Any) -> str:
    if isinstance(value, (dict, list)):
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    else:
        text = str(value)
    return text if len(text) <= 100 else text[:97] + "..."


@cache
def model_pattern(source: str) -> Any:
    """The compiled pattern, or None when it cannot be compiled (then it is not checked).

    botocore's patterns are Java-style: most compile with ``re``; the ones using
    Unicode property classes (``\\p{L}``) need the ``regex`` module, loaded only then."""
    if "\\p{" not in source and "\\P{" not in source:
        try:
            return re.compile(source, re.DOTALL)
        except re.error:
            pass
    try:
        import regex

        return regex.compile(source, regex.DOTALL)
    except Exception:  # noqa: BLE001 - an exotic pattern is skipped, never an error
        return None


class _Walker:
    def __init__(self, patterns: bool = True) -> None:
        self.problems: list[str] = []
        self.patterns = patterns

    def problem(self, value: Any, path: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{_render(value)}'"
        self.problems.append(f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}")

    # -- locating members ------------------------------------------------------------------

    def json_body(self, body: Body) -> Any:
        document = body.document()
        if not isinstance(document, dict):
            self.problems.append("Could not parse request body as a JSON object")
            return _MISSING
        return document

    def rest_input(
        self,
        shape: StructureShape,
        body: Body,
        uri_params: Mapping[str, str],
        query: Any,
        headers: Mapping[str, str],
    ) -> dict[str, Any]:
        payload = shape.serialization.get("payload")
        members = shape.members
        needs_body = payload is not None or any(
            "location" not in m.serialization for m in members.values()
        )
        document: Any = {}
        if needs_body and payload is None:
            document = self.json_body(body)
        result: dict[str, Any] = {}
        required = set(shape.required_members)
        claimed_query: set[str] = set()
        for name, member in members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            raw: Any = _MISSING
            if location == "uri":
                raw = uri_params.get(wire_name, _MISSING)
            elif location == "querystring":
                if member.type_name == "map":
                    continue  # gathered after the named ones
                claimed_query.add(wire_name)
                if member.type_name == "list":
                    values = query.getlist(wire_name)
                    raw = values if values else _MISSING
                else:
                    raw = query.get(wire_name, _MISSING)
            elif location == "header":
                raw = headers.get(wire_name, _MISSING)
            elif location == "headers":
                prefix = wire_name.lower()
                found = {k[len(prefix):]: v for k, v in headers.items() if k.lower().startswith(prefix)}
                raw = found if found else _MISSING
            elif location == "statusCode":
                continue
            elif name == payload:
                if member.type_name in ("blob", "string"):
                    raw = body.raw if body.raw else _MISSING
                    if raw is not _MISSING and member.type_name == "string":
                        try:
                            raw = body.raw.decode("utf-8")
                        except UnicodeDecodeError:
                            self.problem("<bytes>", name, "Member must be valid UTF-8")
                            continue
                else:
                    raw = self.json_body(body)
                    if raw is _MISSING:
                        continue
                    if raw == {} and not body.raw.strip():
                        raw = _MISSING
            else:
                if document is _MISSING:
                    continue
                raw = document.get(wire_name, _MISSING)
            if raw is _MISSING or raw is None:
                if name in required and document is not _MISSING:
                    self.problem(None, name, "Member must not be null")
                continue
            value = self.value(member, raw, name, from_text=location in ("uri", "querystring", "header"))
            if value is not _MISSING:
                result[name] = value
        for name, member in members.items():
            if member.serialization.get("location") == "querystring" and member.type_name == "map":
                rest = {k: v for k, v in query.items() if k not in claimed_query}
                if rest:
                    value = self.value(member, rest, name, from_text=True)
                    if value is not _MISSING:
                        result[name] = value
        return result

    # -- values ------------------------------------------------------------------------------

    def value(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        handler: Callable[..., Any] = getattr(self, shape.type_name, self.other)
        return handler(shape, raw, path, from_text)

    def structure(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        assert isinstance(shape, StructureShape)
        if shape.is_document_type if hasattr(shape, "is_document_type") else False:
            return raw
        if not isinstance(raw, dict):
            self.problem(raw, path or shape.name, "Member must be of type structure")
            return _MISSING
        result: dict[str, Any] = {}
        required = set(shape.required_members)
        prefix = f"{path}." if path else ""
        present = 0
        for name, member in shape.members.items():
            wire_name = member.serialization.get("name", name)
            item = raw.get(wire_name)
            if item is None:
                if name in required:
                    self.problem(None, prefix + name, "Member must not be null")
                continue
            present += 1
            value = self.value(member, item, prefix + name)
            if value is not _MISSING:
                result[name] = value
        if shape.metadata.get("union") and present != 1:
            shown = path or shape.name
            self.problems.append(
                f"Value at '{shown}' failed to satisfy constraint: Member must have exactly one member set"
            )
        return result

    def list(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        if not isinstance(raw, list):
            self.problem(raw, path, "Member must be of type list")
            return _MISSING
        self.size(shape, raw, path)
        member = shape.member
        values = []
        for index, item in enumerate(raw, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                self.problem(None, item_path, "Member must not be null")
                continue
            value = self.value(member, item, item_path, from_text)
            if value is not _MISSING:
                values.append(value)
        return values

    def map(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        if not isinstance(raw, dict):
            self.problem(raw, path, "Member must be of type map")
            return _MISSING
        self.size(shape, raw, path)
        key_shape, value_shape = shape.key, shape.value
        result = {}
        for key, item in raw.items():
            checked_key = self.value(key_shape, key, f"{path}.{key}", from_text=True)
            if item is None:
                self.problem(None, f"{path}.{key}", "Member must not be null")
                continue
            value = self.value(value_shape, item, f"{path}.{key}", from_text)
            if checked_key is not _MISSING and value is not _MISSING:
                result[checked_key] = value
        return result

    def string(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        if not isinstance(raw, str):
            self.problem(raw, path, "Member must be of type string")
            return _MISSING
        metadata = shape.metadata
        enum = metadata.get("enum")
        if enum and raw not in enum:
            self.problem(raw, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            return _MISSING
        ok = self.size(shape, raw, path)
        source = metadata.get("pattern") if self.patterns else None
        if source is not None and ok:
            pattern = model_pattern(source)
            if pattern is not None and pattern.fullmatch(raw) is None:
                self.problem(raw, path, f"Member must satisfy regular expression pattern: {source}")
                return _MISSING
        return raw if ok else _MISSING

    def size(self, shape: Shape, raw: Any, path: str) -> bool:
        metadata = shape.metadata
        length = len(raw)
        if "max" in metadata and length > metadata["max"]:
            self.problem(raw, path, f"Member must have length less than or equal to {metadata['max']}")
            return False
        if "min" in metadata and length < metadata["min"]:
            self.problem(raw, path, f"Member must have length greater than or equal to {metadata['min']}")
            return False
        return True

    def boolean(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        if from_text and isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        if isinstance(raw, bool):
            return raw
        self.problem(raw, path, "Member must be of type boolean")
        return _MISSING

    def integer(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        value: Any = raw
        if from_text and isinstance(raw, str):
            try:
                value = int(raw.strip())
            except ValueError:
                value = _MISSING
        elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
            value = int(raw)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(raw, path, "Member must be of type integer")
            return _MISSING
        return self.in_range(shape, value, path)

    long = integer

    def float(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        value: Any = raw
        if from_text and isinstance(raw, str):
            try:
                value = float(raw)
            except ValueError:
                value = _MISSING
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.problem(raw, path, "Member must be of type double")
            return _MISSING
        return self.in_range(shape, float(value), path)

    double = float

    def in_range(self, shape: Shape, value: Any, path: str) -> Any:
        metadata = shape.metadata
        if "min" in metadata and value < metadata["min"]:
            self.problem(value, path, f"Member must have value greater than or equal to {metadata['min']}")
            return _MISSING
        if "max" in metadata and value > metadata["max"]:
            self.problem(value, path, f"Member must have value less than or equal to {metadata['max']}")
            return _MISSING
        return value

    def timestamp(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        try:
            if isinstance(raw, bool):
                raise ValueError
            if isinstance(raw, (int, float)):
                if not math.isfinite(raw):
                    raise ValueError
                return datetime.fromtimestamp(raw, tz=timezone.utc)
            if isinstance(raw, str):
                text = raw.strip()
                try:
                    return datetime.fromtimestamp(float(text), tz=timezone.utc)
                except ValueError:
                    parsed = parse_timestamp(text)
                    return parsed.astimezone(timezone.utc)
        except (ValueError, OverflowError, OSError, TypeError):
            pass
        self.problem(raw, path, "Member must be of type timestamp")
        return _MISSING

    def blob(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        if isinstance(raw, (bytes, bytearray)):
            value = bytes(raw)
        elif isinstance(raw, str):
            try:
                value = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                self.problem(raw, path, "Member must be of type blob (base64)")
                return _MISSING
        else:
            self.problem(raw, path, "Member must be of type blob")
            return _MISSING
        return value if self.size(shape, value, path) else _MISSING

    def other(self, shape: Shape, raw: Any, path: str, from_text: bool = False) -> Any:
        return raw
