"""What Bedrock's job families (batch inference, evaluation, prompt optimization) do
alike: find a job or answer ResourceNotFound, stop it, and BatchDelete* (each job named
is deleted, or listed among the errors, on its own; a deleted job walks ``Deleting`` and
is gone when it would enter ``Deleted``, its family removing it then)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from mlmocks.core.jobs import Job
from mlmocks.core.listing import Store

from .exceptions import ConflictException, ResourceNotFoundException

J = TypeVar("J", bound=Job)

#: The statuses a deleted job walks; the last is never shown.
DELETING = ("Deleting", "Deleted")


def find(store: Store[J], identifier: str, what: str) -> J:
    """The job ``identifier`` names (``what`` names the kind in the error)."""
    job = store.find(identifier)
    if job is None or job.retired:
        raise ResourceNotFoundException(f"The {what} {identifier} was not found")
    return job


def look(store: Store[J], identifier: str, what: str) -> J:
    """A client's look at a job (its Get): a job whose deletion ends as it is looked at is gone."""
    job = find(store, identifier, what).observe()
    if job.retired:
        raise ResourceNotFoundException(f"The {what} {identifier} was not found")
    return job


def stop(job: Job, identifier: str, what: str, stoppable: Collection[str], track: Callable[[Job], None]) -> None:
    """Walk a job's stopping statuses, if its status allows (else a conflict with its
    status, Bedrock's ConflictException); ``track``: the backend's ``track_job``."""
    status = job.status
    if status not in stoppable:
        raise ConflictException(f"The {what} {identifier} is {status} and cannot be stopped")
    job.begin_stopping()
    track(job)


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
                "code": "ConflictException",
                "message": f"The {what} {identifier} is {status}: only jobs that are {allowed} can be deleted",
            })
            continue
        job.walk_on(DELETING)
        track(job)
        deleted.append({"jobIdentifier": identifier, "jobStatus": DELETING[0]})
    return errors, deleted
