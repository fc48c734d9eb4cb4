"""BatchDelete* of Bedrock's job families (evaluation, prompt optimization): each job
named is deleted, or listed among the errors, on its own. A deleted job walks
``Deleting`` and is gone when it would enter ``Deleted`` (its family removes it then)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from mlmocks.core.jobs import Job
from mlmocks.core.listing import Store

#: The statuses a deleted job walks; the last is never shown.
DELETING = ("Deleting", "Deleted")


def batch_delete(
    store: Store[Any],
    identifiers: list[str],
    deletable: Collection[str],
    what: str,
    track: Callable[[Job], None],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(errors, deleted jobs) as the BatchDelete outputs list them. ``what`` names the
    kind of job in messages; ``track`` is the backend's ``track_job``."""
    errors: list[dict[str, Any]] = []
    deleted: list[dict[str, Any]] = []
    for identifier in dict.fromkeys(identifiers):
        job = store.find(identifier)
        if job is None:
            errors.append({
                "jobIdentifier": identifier,
                "code": "ResourceNotFoundException",
                "message": f"The {what} {identifier} was not found",
            })
            continue
        status = job.status
        if status not in deletable:
            allowed = ", ".join(sorted(deletable))
            errors.append({
                "jobIdentifier": identifier,
                "code": "ValidationException",
                "message": f"The {what} {identifier} is {status}: only jobs that are {allowed} can be deleted",
            })
            continue
        job.walk_on(DELETING)
        track(job)
        deleted.append({"jobIdentifier": identifier, "jobStatus": DELETING[0]})
    return errors, deleted
