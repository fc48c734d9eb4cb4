"""How Bedrock's job lists page: sortBy has one value, CreationTime, newest first unless
sortOrder says Ascending; 1000 a page when maxResults is not given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mlmocks.core.listing import Page, Store, paginate, within

T = TypeVar("T")

#: Page size when a List call gives no maxResults.
DEFAULT_MAX_RESULTS = 1000


def by_creation_time(
    store: Store[T],
    wanted: Callable[[T], bool],
    max_results: int | None,
    next_token: str | None,
    sort_order: str | None,
) -> Page[T]:
    """One page of ``store``'s items that are ``wanted``, by creation time."""
    return paginate(
        store,
        sort_name="CreationTime",
        sort_key=lambda item: getattr(item, "creation_time"),  # noqa: B009 - any resource with one
        descending=sort_order != "Ascending",
        where=wanted,
        max_results=max_results or DEFAULT_MAX_RESULTS,
        next_token=next_token,
    )


def job_filter(
    after: datetime | None, before: datetime | None, name_contains: str | None, status_equals: str | None
) -> Callable[[Any], bool]:
    """The filters every Bedrock job list has: a creation (submit) time range, a part of
    the job's name, its status."""

    def wanted(job: Any) -> bool:
        return (
            within(job.creation_time, after, before)
            and (name_contains is None or name_contains in job.job_name)
            and (status_equals is None or job.status == status_equals)
        )

    return wanted
