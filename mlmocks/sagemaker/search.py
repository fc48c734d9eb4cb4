"""SageMaker's Search for the resources mlmocks owns (training jobs, hyperparameter tuning
jobs); moto's Search keeps answering for every other resource type.

A SearchExpression is read as the API reference describes it: Filters (a property
``Name`` in dots, such as ``TrainingJobName``, ``HyperParameters.epochs`` or
``Tags.team``; an Operator, Equals by default; a Value), NestedFilters (filters that one
element of a list property must all pass), SubExpressions, all joined by the
expression's Operator (And by default). Results sort by ``SortBy`` (LastModifiedTime by
default), Descending by default, and page through core listing's tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from functools import cache
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.spec import service_model

from .exceptions import ValidationException
from .job_common import DEFAULT_MAX_RESULTS

_MISSING = object()


@cache
def record_members(shape: str) -> frozenset[str]:
    """The members a search record of ``shape`` (TrainingJob, ...) may have."""
    return frozenset(service_model("sagemaker").shape_for(shape).members)


def record(shape: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as a search record of ``shape``: only its members, none empty."""
    members = record_members(shape)
    return {key: value for key, value in values.items() if key in members and value is not None}


def lookup(item: Any, path: str) -> Any:
    """The value at a dotted property name; a list yields its elements' values."""
    value = item
    for part in path.split("."):
        if isinstance(value, list) and value and all(isinstance(v, dict) and set(v) >= {"Key", "Value"} for v in value):
            value = {v["Key"]: v["Value"] for v in value}  # Tags
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif isinstance(value, list):
            found = [v.get(part, _MISSING) for v in value if isinstance(v, dict)]
            value = [v for v in found if v is not _MISSING] or _MISSING
        else:
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def _coerce(actual: Any, expected: str) -> Any:
    if isinstance(actual, bool):
        return expected.strip().lower() == "true"
    if isinstance(actual, (int, float)):
        return float(expected)
    if isinstance(actual, datetime):
        try:
            return datetime.fromtimestamp(float(expected), timezone.utc)
        except ValueError:
            parsed = datetime.fromisoformat(expected.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return expected


def _compare(actual: Any, operator: str, expected: str | None) -> bool:
    if operator == "Exists":
        return actual is not _MISSING
    if operator == "NotExists":
        return actual is _MISSING
    if actual is _MISSING:
        return operator == "NotEquals"
    if expected is None:
        raise ValidationException(f"A filter with the operator {operator} needs a Value.")
    if isinstance(actual, list):
        if operator == "NotEquals":
            return all(_compare(a, "Equals", expected) is False for a in actual)
        return any(_compare(a, operator, expected) for a in actual)
    if isinstance(actual, dict):
        return operator == "NotEquals"
    if operator == "In":
        return any(_compare(actual, "Equals", v.strip()) for v in expected.split(","))
    if operator == "Contains":
        return isinstance(actual, str) and expected in actual
    try:
        wanted = _coerce(actual, expected)
    except ValueError:
        raise ValidationException(f"The filter value {expected!r} cannot be compared with {actual!r}.") from None
    if isinstance(actual, str) and isinstance(wanted, str) and operator == "Equals":
        return actual == wanted
    tests: dict[str, Callable[[Any, Any], bool]] = {
        "Equals": lambda a, b: a == b,
        "NotEquals": lambda a, b: a != b,
        "GreaterThan": lambda a, b: a > b,
        "GreaterThanOrEqualTo": lambda a, b: a >= b,
        "LessThan": lambda a, b: a < b,
        "LessThanOrEqualTo": lambda a, b: a <= b,
    }
    return tests[operator](actual, wanted)


def _passes_filter(item: dict[str, Any], f: dict[str, Any], prefix: str = "") -> bool:
    name = f["Name"]
    if prefix and name.startswith(prefix + "."):
        name = name[len(prefix) + 1 :]
    return _compare(lookup(item, name), f.get("Operator", "Equals"), f.get("Value"))


def matches(item: dict[str, Any], expression: dict[str, Any] | None) -> bool:
    """Whether a search record passes a SearchExpression."""
    if not expression:
        return True
    results: list[bool] = [_passes_filter(item, f) for f in expression.get("Filters") or ()]
    for nested in expression.get("NestedFilters") or ():
        prefix = nested["NestedPropertyName"]
        elements = lookup(item, prefix)
        elements = elements if isinstance(elements, list) else []
        results.append(any(
            isinstance(element, dict) and all(_passes_filter(element, f, prefix) for f in nested["Filters"])
            for element in elements
        ))
    results += [matches(item, sub) for sub in expression.get("SubExpressions") or ()]
    return any(results) if expression.get("Operator") == "Or" else all(results)


def _sort_key(path: str) -> Callable[[dict[str, Any]], list[Any]]:
    def key(item: dict[str, Any]) -> list[Any]:
        value = lookup(item, path)
        if isinstance(value, list):
            value = value[0] if value else _MISSING
        if value is _MISSING or isinstance(value, dict):
            return [1, ""]  # without the property: last ascending, first descending
        if isinstance(value, datetime):
            return [0, value.timestamp()]
        if isinstance(value, bool | int | float):
            return [0, float(value)]
        return [0, str(value)]

    return key


def search(
    store: Store[Any],
    render: Callable[[Any], dict[str, Any]],
    *,
    search_expression: dict[str, Any] | None,
    sort_by: str | None,
    sort_order: str | None,
    next_token: str | None,
    max_results: int | None,
) -> Page[Any]:
    """One page of the items of ``store`` whose search record (``render``) passes."""
    sort_by = sort_by or "LastModifiedTime"
    key = _sort_key(sort_by)
    return paginate(
        store,
        sort_name=f"search:{sort_by}",
        sort_key=lambda item: key(render(item)),
        stable=False,
        descending=(sort_order or "Descending") == "Descending",
        where=lambda item: matches(render(item), search_expression),
        max_results=max_results or DEFAULT_MAX_RESULTS,
        next_token=next_token,
    )


#: Search's Resource values mlmocks answers: Resource -> (the backend's Store attribute,
#: the shape of its search record, the SearchRecord member that holds it).
SEARCHABLE: dict[str, tuple[str, str, str]] = {
    "TrainingJob": ("training_jobs", "TrainingJob", "TrainingJob"),
    "HyperParameterTuningJob": ("tuning_jobs", "HyperParameterTuningJobSearchEntity", "HyperParameterTuningJob"),
}


class Searching(ServiceBackend):
    """Search, a part of the SageMaker backend, for the resources of SEARCHABLE (each
    with a ``search_record()``)."""

    def search(
        self,
        resource: str,
        search_expression: dict[str, Any] | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
        cross_account_filter_option: str | None = None,
        visibility_conditions: list[dict[str, Any]] | None = None,
    ) -> tuple[str, list[dict[str, Any]], str | None]:
        """(the SearchRecord member, the page's records, the next token)."""
        attribute, shape, member = SEARCHABLE[resource]
        cached: dict[int, dict[str, Any]] = {}

        def render(item: Any) -> dict[str, Any]:
            # Rendered once per item and call: the filter and the sort read it.
            if id(item) not in cached:
                cached[id(item)] = record(shape, item.search_record())
            return cached[id(item)]

        page = search(
            getattr(self, attribute),
            render,
            search_expression=search_expression,
            sort_by=sort_by,
            sort_order=sort_order,
            next_token=next_token,
            max_results=max_results,
        )
        return member, [render(item) for item in page.items], page.next_token
