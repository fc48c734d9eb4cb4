"""What SageMaker's job families share: the listing their List*Jobs calls make (the same
filters, sorts and defaults), the refusals of an action a job's status does not allow,
and the checks of a stopping condition."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from mlmocks.core.listing import MILLISECOND, Page, Store, paginate, within

from .exceptions import ValidationException

J = TypeVar("J")

#: Page size of SageMaker's List* calls without MaxResults.
DEFAULT_MAX_RESULTS = 10
#: The longest a job may run (StoppingCondition.MaxRuntimeInSeconds): 28 days.
MAX_RUNTIME_SECONDS = 28 * 24 * 3600
#: The longest FailureReason the API shows (the FailureReason shape's max).
MAX_FAILURE_REASON = 1024


def list_jobs(
    store: Store[J],
    *,
    name_of: Callable[[J], str] = lambda job: job.name,  # type: ignore[attr-defined]
    status_of: Callable[[J], str] = lambda job: job.status,  # type: ignore[attr-defined]
    creation_of: Callable[[J], datetime] = lambda job: job.creation_time,  # type: ignore[attr-defined]
    modified_of: Callable[[J], datetime] = lambda job: job.last_modified_time,  # type: ignore[attr-defined]
    next_token: str | None,
    max_results: int | None,
    creation_time_after: datetime | None = None,
    creation_time_before: datetime | None = None,
    last_modified_time_after: datetime | None = None,
    last_modified_time_before: datetime | None = None,
    name_contains: str | None = None,
    status_equals: str | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
    default_sort: str = "CreationTime",
    extra_sorts: dict[str, Callable[[J], Any]] | None = None,
    where: Callable[[J], bool] | None = None,
    default_max_results: int = DEFAULT_MAX_RESULTS,
) -> Page[J]:
    """One page of a List*Jobs call: every filter of the call, its sorts (Name,
    CreationTime, Status and any ``extra_sorts``), Ascending unless asked otherwise. A
    job's name, status and times are its attributes of those names unless told."""

    def wanted(job: J) -> bool:
        if name_contains is not None and name_contains not in name_of(job):
            return False
        if not within(creation_of(job), creation_time_after, creation_time_before, MILLISECOND):
            return False
        status = status_of(job)  # moves the job on first, so its times are current
        if status_equals is not None and status != status_equals:
            return False
        if not within(modified_of(job), last_modified_time_after, last_modified_time_before, MILLISECOND):
            return False
        return where is None or where(job)

    sort_by = sort_by or default_sort
    keys: dict[str, Callable[[J], Any]] = {
        "CreationTime": creation_of,
        "Name": name_of,
        "Status": status_of,
        **(extra_sorts or {}),
    }
    return paginate(
        store,
        sort_name=sort_by,
        sort_key=keys[sort_by],
        # A job's status (and what follows from it) moves on its own: never cached.
        stable=sort_by in ("CreationTime", "Name"),
        descending=sort_order == "Descending",
        where=wanted,
        max_results=max_results or default_max_results,
        next_token=next_token,
    )


def require_status(noun: str, name: str, status: str, allowed: Iterable[str], action: str) -> None:
    """SageMaker's refusal of an action on a ``noun`` job whose status does not allow it."""
    allowed = tuple(allowed)
    if status not in allowed:
        article = "An" if noun[0] in "aeiou" else "A"
        either = " or ".join([", ".join(allowed[:-1]), allowed[-1]] if len(allowed) > 2 else allowed)
        raise ValidationException(
            f"The request was rejected because the {noun} job {name} is in status {status}. "
            f"{article} {noun} job can be {action} only in status {either}."
        )


def not_found(noun: str, arn: str) -> ValidationException:
    """What SageMaker (and moto, whose tests check the message) answers for a job of
    ``noun`` that does not exist."""
    return ValidationException(f"Could not find {noun} job '{arn}'.")


def failure_reason(message: str | None) -> str | None:
    return None if message is None else message[:MAX_FAILURE_REASON]


def unique_names(entries: Iterable[dict[str, Any]] | None, member: str, where: str) -> None:
    """SageMaker's refusal of two entries of one list with the same name."""
    seen: set[Any] = set()
    for entry in entries or ():
        name = entry.get(member)
        if name in seen:
            raise ValidationException(f"{where}: {member} must be unique; {name!r} is given twice.")
        seen.add(name)


def check_stopping_condition(condition: dict[str, Any]) -> None:
    """SageMaker's checks of a StoppingCondition beyond its shape."""
    runtime = condition.get("MaxRuntimeInSeconds")
    if runtime is not None and runtime > MAX_RUNTIME_SECONDS:
        raise ValidationException(
            f"Value '{runtime}' at 'StoppingCondition.MaxRuntimeInSeconds' failed to satisfy "
            f"constraint: Member must have value less than or equal to {MAX_RUNTIME_SECONDS}"
        )
    wait = condition.get("MaxWaitTimeInSeconds")
    if wait is not None and runtime is not None and wait < runtime:
        raise ValidationException(
            "StoppingCondition.MaxWaitTimeInSeconds must be equal to or greater than "
            "StoppingCondition.MaxRuntimeInSeconds."
        )
