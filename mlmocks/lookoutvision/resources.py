"""What a project's datasets and model versions share: each is a job whose creation (and
deletion) walks a lifecycle of its own, and which, once ready, shows the status of its
latest operation (a dataset's update, a model's hosting), itself a job of another kind."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from mlmocks.core.jobs import Job

from .exceptions import ResourceNotFoundException

R = TypeVar("R", bound="Resource")


class Resource(Job):
    """A dataset or a model version, with the operation it hands its status over to."""

    #: The status from which the latest operation's status is the resource's.
    READY: ClassVar[str]
    #: Status messages of the statuses the resource shows.
    MESSAGES: ClassVar[dict[str, str]]

    @property
    def operation(self) -> Job | None:
        """The latest operation on the resource, if any."""
        return None

    @property
    def gone(self) -> bool:
        """Whether the resource's deletion has completed (its project no longer has it)."""
        raise NotImplementedError

    def not_found(self) -> ResourceNotFoundException:
        """What a request for the resource answers once it is gone."""
        raise NotImplementedError

    def _active_operation(self) -> Job | None:
        return self.operation if super().status == self.READY else None

    @property
    def status(self) -> str:
        operation = self._active_operation()
        return operation.status if operation is not None else super().status

    @property
    def status_message(self) -> str:
        operation = self._active_operation()
        failure = operation.failure if operation is not None else self.failure
        return failure or self.MESSAGES.get(self.status, "")

    def observe(self: R) -> R:
        """A client's look (its Describe), counted at whichever job the status is read
        from (manual progression). A look may complete the resource's deletion: then the
        resource is gone, and the look answers ResourceNotFound, as any later request."""
        operation = self._active_operation()
        if operation is not None:
            operation.observe()
        else:
            super().observe()
        if self.gone:
            raise self.not_found()
        return self
