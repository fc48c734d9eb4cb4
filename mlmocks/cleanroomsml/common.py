"""What every family of Clean Rooms ML shares: its tag rules, its statuses, how its views
leave out what is unset, and how its List calls page (newest first)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from mlmocks.core.jobs import Job
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.tags import TagRules

from .exceptions import ResourceNotFoundException, ValidationException

T = TypeVar("T")

#: User tags a resource may carry; keys starting with aws: are reserved.
MAX_TAGS = 50
TAG_RULES = TagRules(
    max_tags=MAX_TAGS,
    too_many=lambda arn, count: ValidationException(f"A resource can have at most {MAX_TAGS} tags, not {count}"),
    reserved_prefix="aws:",
    reserved=lambda keys: ValidationException(f"Tag keys starting with aws: are reserved: {', '.join(keys)}"),
)

#: Statuses of a job still being created (the ones a cancel stops).
CREATING = frozenset({"CREATE_PENDING", "CREATE_IN_PROGRESS"})

#: Page size when a List call gives no maxResults (ListTrainedModelVersions documents
#: 10; the others document only the 1..100 range).
DEFAULT_MAX_RESULTS = 100


def found(item: T | None, missing: str) -> T:
    """``item``, if there is one; else ResourceNotFoundException with the message ``missing``."""
    if item is None:
        raise ResourceNotFoundException(missing)
    return item


def present(**members: Any) -> dict[str, Any]:
    """An output structure without the members that have no value."""
    return {name: value for name, value in members.items() if value is not None}


def digest(image_uri: str | None) -> str | None:
    """The digest a container image is reported with (deterministic per image URI)."""
    return None if image_uri is None else "sha256:" + hashlib.sha256(image_uri.encode()).hexdigest()


def status_details(job: Job) -> dict[str, str] | None:
    failure = job.failure
    return None if failure is None else {"message": failure}


def page(
    store: Store[T],
    where: Callable[[T], bool] | None,
    max_results: int | None,
    next_token: str | None,
    default: int = DEFAULT_MAX_RESULTS,
) -> Page[T]:
    """One page of a List call: newest first."""
    return paginate(
        store,
        sort_name="createTime",
        sort_key=lambda item: item.creation_time,
        descending=True,
        where=where,
        max_results=max_results or default,
        next_token=next_token,
    )
