"""Conformance of raw responses to botocore's output shapes.

boto3 drops what its parser does not know, so a parsed response cannot show an unknown
key or a wrongly typed member: this checks the raw HTTP response instead, from a botocore
``before-parse`` hook that sees every response of every client (in-process and against
the server alike). Every response of an operation mlmocks implements is checked; the
operations seen answered successfully are recorded, so a full test run can prove that
every implemented operation's responses were checked.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any

from botocore.model import OperationModel, Shape, StructureShape
from botocore.utils import parse_timestamp

from mlmocks.core.registry import implemented_operations, specs
from mlmocks.core.spec import operation_model
from mlmocks.core.validation import model_pattern

#: How a timestamp in a JSON body is written unless its shape says otherwise
#: (``timestampFormat``): epoch seconds, in the json and rest-json protocols alike
#: (botocore's parsers read the other forms too, which is why a parsed response cannot
#: show a timestamp in the wrong form).
_BODY_TIMESTAMP_FORMAT = "unixTimestamp"
_ISO8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})")

#: (service, operation) pairs answered with a 2xx that conformed.
SEEN: set[tuple[str, str]] = set()

#: Output patterns of the models that the real service's answers do not follow, by
#: (shape name, pattern): the pattern is not checked there.
_PATTERN_ERRATA = {
    # The pattern puts the literal "aws" where a Greengrass component version ARN has the
    # account id, and allows no ":versions:<version>" tail; Lookout for Vision answers the
    # ARN Greengrass gives the component (arn:aws:greengrass:<region>:<account>:components:<name>:versions:<version>).
    ("ComponentVersionArn", "arn:[^:]*:greengrass:[^:]*:aws:components:[^:]+"),
    # The region part, [a-z\-]*, allows no digit, so no region (us-east-1) matches it.
    ("EdgePackagingJobArn", r"arn:aws[a-z\-]*:sagemaker:[a-z\-]*:\d{12}:edge-packaging-job/?[a-zA-Z_0-9+=,.@\-_/]+"),
}

_ERROR_BODY_EXTRAS = {"message", "Message", "__type", "code"}
_COMMON_ERRORS = {"AccessDeniedException"}


def check_response(
    service: str,
    operation: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    unmodeled_validation: str | None = None,
) -> list[str]:
    """What is wrong with this raw response of ``service``'s ``operation`` (nothing: []).

    ``unmodeled_validation`` names a validation error the service answers with status
    400 although its model omits it (SageMaker's ValidationException)."""
    model = operation_model(service, operation)
    if 200 <= status < 300:
        return _check_success(model, status, body)
    return _check_error(model, status, headers, body, unmodeled_validation)


def _check_success(model: OperationModel, status: int, body: bytes) -> list[str]:
    problems = []
    expected = model.http.get("responseCode", 200)
    if status != expected:
        problems.append(f"status {status}, the model says {expected}")
    shape = model.output_shape
    try:
        document = json.loads(body) if body.strip() else {}
    except ValueError:
        return [*problems, f"body is not JSON: {body[:80]!r}"]
    if shape is None:
        if document not in ({}, None):
            problems.append(f"the operation has no output, the body is {document!r}")
        return problems
    assert isinstance(shape, StructureShape)
    payload = shape.serialization.get("payload")
    if payload is not None:
        problems += _check_value(shape.members[payload], document, payload, model.metadata["protocol"])
        return problems
    body_members = {
        name: member
        for name, member in shape.members.items()
        if "location" not in member.serialization
    }
    problems += _check_members(shape, body_members, document, "", model.metadata["protocol"])
    return problems


def _check_error(
    model: OperationModel,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    unmodeled_validation: str | None,
) -> list[str]:
    try:
        document = json.loads(body) if body.strip() else {}
    except ValueError:
        return [f"error body is not JSON: {body[:80]!r}"]
    if not isinstance(document, dict):
        return [f"error body is not a JSON object: {document!r}"]
    code = _header(headers, "x-amzn-errortype") or document.get("__type") or document.get("code")
    if not code:
        return ["error without a code (X-Amzn-ErrorType header, __type or code)"]
    code = str(code).split(":")[0].split("#")[-1]
    modeled = {error.name: error for error in model.error_shapes}
    # Any action may be refused access (AWS's common errors): moto's IAM enforcement answers
    # it for every operation, in the service's own shape where the model defines one.
    for error in model.service_model.error_shapes:
        if error.name in _COMMON_ERRORS:
            modeled.setdefault(error.name, error)
    if code == unmodeled_validation and code not in modeled:
        unknown = set(document) - _ERROR_BODY_EXTRAS
        return ([f"{code} answered with status {status}, not 400"] if status != 400 else []) + (
            [f"{code} body has unknown keys {sorted(unknown)}"] if unknown else []
        )
    if code not in modeled:
        return [f"error {code} is not one of the operation's modeled errors {sorted(modeled)}"]
    shape = modeled[code]
    problems = []
    expected = shape.metadata.get("error", {}).get("httpStatusCode", 400)
    if status != expected:
        problems.append(f"{code} answered with status {status}, the model says {expected}")
    unknown = set(document) - set(shape.members) - _ERROR_BODY_EXTRAS
    if unknown:
        problems.append(f"{code} body has unknown keys {sorted(unknown)}")
    return problems


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _check_members(
    shape: StructureShape, members: Mapping[str, Shape], document: Any, path: str, protocol: str
) -> list[str]:
    if not isinstance(document, dict):
        return [f"{path or shape.name}: expected an object, got {type(document).__name__}"]
    problems = []
    wire_names = {member.serialization.get("name", name): name for name, member in members.items()}
    for key in document:
        if key not in wire_names:
            problems.append(f"{path}{key}: not a member of {shape.name}")
    for name in shape.required_members:
        if name in members and members[name].serialization.get("name", name) not in document:
            problems.append(f"{path}{name}: required member missing")
    for key, value in document.items():
        if key in wire_names:
            problems += _check_value(members[wire_names[key]], value, f"{path}{key}", protocol)
    if shape.metadata.get("union") and len(document) != 1:
        problems.append(f"{path or shape.name}: a union with {len(document)} members set, not exactly one")
    return problems


def _check_value(shape: Shape, value: Any, path: str, protocol: str) -> list[str]:
    kind = shape.type_name
    if value is None:
        return [f"{path}: null"]
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.metadata.get("document"):
            return []
        return _check_members(shape, shape.members, value, f"{path}.", protocol)
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        member = shape.member  # type: ignore[attr-defined]
        return _check_length(shape, len(value), path, "items") + [
            p for i, item in enumerate(value) for p in _check_value(member, item, f"{path}[{i}]", protocol)
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {type(value).__name__}"]
        return _check_length(shape, len(value), path, "entries") + [
            p
            for key, item in value.items()
            for p in [
                *_check_value(shape.key, key, f"{path} key {key!r}", protocol),  # type: ignore[attr-defined]
                *_check_value(shape.value, item, f"{path}.{key}", protocol),  # type: ignore[attr-defined]
            ]
        ]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {value!r}"]
        enum = shape.metadata.get("enum")
        if enum and value not in enum:
            return [f"{path}: {value!r} is not one of {enum}"]
        problems = _check_length(shape, len(value), path, "characters")
        source = shape.metadata.get("pattern")
        erratum = (shape.name, source) in _PATTERN_ERRATA
        pattern = model_pattern(source) if source and not erratum else None
        if pattern is not None and not pattern.fullmatch(value):
            problems.append(f"{path}: {value!r} does not match the pattern {source!r}")
        return problems
    if kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return _check_range(shape, value, path) if ok else [f"{path}: expected an integer, got {value!r}"]
    if kind in ("float", "double"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return _check_range(shape, value, path) if ok else [f"{path}: expected a number, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean, got {value!r}"]
    if kind == "timestamp":
        form = shape.serialization.get("timestampFormat") or _BODY_TIMESTAMP_FORMAT
        if form == "unixTimestamp":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            return [] if ok else [f"{path}: expected epoch seconds ({protocol}), got {value!r}"]
        if not isinstance(value, str):
            return [f"{path}: expected an {form} timestamp ({protocol}), got {value!r}"]
        if form == "iso8601" and not _ISO8601.fullmatch(value):
            return [f"{path}: not a timestamp in ISO 8601: {value!r}"]
        try:
            parse_timestamp(value)
        except (ValueError, TypeError):
            return [f"{path}: not a timestamp: {value!r}"]
        return []
    if kind == "blob":
        return [] if isinstance(value, str) else [f"{path}: expected base64 text, got {value!r}"]
    return []


def _check_length(shape: Shape, length: int, path: str, unit: str) -> list[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and length < low) or (high is not None and length > high):
        return [f"{path}: {length} {unit}, outside {low} to {high}"]
    return []


def _check_range(shape: Shape, value: float, path: str) -> list[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        return [f"{path}: {value} is outside {low} to {high}"]
    return []


@lru_cache(maxsize=1)
def _implemented() -> dict[str, frozenset[str]]:
    return implemented_operations()


@cache
def _validation_code(service: str) -> str:
    responses = importlib.import_module(f"{specs()[service].package}.responses")
    return str(responses.RESPONSE_CLASS.VALIDATION_ERROR.code)


def before_parse_hook(
    operation_model: OperationModel, response_dict: Mapping[str, Any], **_: Any
) -> None:
    """botocore ``before-parse`` handler: check every response of an mlmocks operation."""
    service = operation_model.service_model.service_name
    operation = operation_model.name
    if operation not in _implemented().get(service, frozenset()):
        return
    status = int(response_dict["status_code"])
    problems = check_response(
        service,
        operation,
        status,
        response_dict["headers"],
        response_dict["body"] or b"",
        unmodeled_validation=_validation_code(service),
    )
    if problems:
        raise AssertionError(
            f"{service} {operation} answered {status} off its model:\n  " + "\n  ".join(problems)
        )
    if 200 <= status < 300:
        SEEN.add((service, operation))
