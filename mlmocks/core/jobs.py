"""Job lifecycles, driven by moto's state manager.

A ``Lifecycle`` names a job kind (its state-manager model name, e.g.
``bedrock::model-import-job``) and the statuses a job of that kind walks through: the
happy path, the failure status that ends a failed job, and the statuses a stopped job
walks through. How fast a job walks is moto's state-manager setting for that name,
exactly as for moto's own models: ``immediate`` (the default: a job is found at its end
the first time it is looked at), ``manual`` (one step after ``times`` looks by a client) or
``time`` (one step every ``seconds``), so ``/moto-api/state-manager/set-transition``
works on mlmocks' jobs too.

Statuses move lazily, when a job is looked at, and every status a job enters runs its
``on_enter`` hook with the time it entered: that is where a service puts the side
effects of completion (an import job that completes creates its imported model).
Times come from ``datetime.now``, so freezegun moves them.

A test author can make a job end in its failure status with a chosen message, or push
it on by hand: see ``mlmocks.core.control``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar

from moto.moto_api import state_manager


def now() -> datetime:
    """The current time, timezone-aware UTC (freezegun moves it)."""
    return datetime.now(timezone.utc)


_changes = itertools.count(1)
_last_change = 0


def status_changes() -> int:
    """A number that changes whenever any job is created or enters a status, so that a
    list sorted by status can tell whether its order may have changed."""
    return _last_change


def _status_changed() -> None:
    global _last_change
    # Each change takes a number never used before, so a reader that saw one number
    # sees a different one after any later change, whatever the threads' order.
    _last_change = next(_changes)


def _no_failure(kind: str, identifiers: Sequence[str]) -> str | None:
    return None


#: The failure a test author asked of a new job of ``kind`` known by ``identifiers``, if
#: any. The job control (mlmocks.core.control), which jobs know nothing of, sets it.
failure_for_new_job: Callable[[str, Sequence[str]], str | None] = _no_failure


@dataclass(frozen=True)
class Lifecycle:
    #: moto state-manager model name of the job kind.
    kind: str
    #: Statuses of a job that succeeds, first to last.
    happy_path: tuple[str, ...]
    #: Status that ends a failed job, in place of the happy path's last one.
    failed: str | None = None
    #: Statuses a job walks through once stopped, last one terminal.
    stopping: tuple[str, ...] = ()
    #: Other statuses a job may end in, put on its path by the service with ``Job.route``
    #: (a batch that partly succeeded, a job that expired).
    other_ends: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Jobs share the happy path as it is, and compare paths with it: a tuple.
        object.__setattr__(self, "happy_path", tuple(self.happy_path))

    def register(self) -> None:
        """Give moto's state manager the kind's default progression (moto's: immediate)."""
        if self.kind not in state_manager.get_registered_models():
            state_manager.register_default_transition(self.kind, {"progression": "immediate"})

    @property
    def terminal(self) -> frozenset[str]:
        ends = {self.happy_path[-1]}
        if self.failed:
            ends.add(self.failed)
        if self.stopping:
            ends.add(self.stopping[-1])
        ends.update(self.other_ends)
        return frozenset(ends)


class JobStateError(Exception):
    """A test author asked a job for something its status does not allow."""


class Job:
    """A job that walks its kind's lifecycle. Services subclass it and set LIFECYCLE."""

    LIFECYCLE: ClassVar[Lifecycle]
    #: Set when the job control should no longer find the job: deleted with its resource,
    #: or replaced by a newer job of the same identifiers (a dataset's next update).
    retired = False

    def __init__(self) -> None:
        lifecycle = self.LIFECYCLE
        lifecycle.register()
        # The kind's own tuple until the job leaves it (shared: 100,000 jobs, one path).
        self._path: Sequence[str] = lifecycle.happy_path
        self._position = 0
        self._ticks = 0
        self._failure_message: str | None = None
        self.creation_time = now()
        self.last_modified_time = self.creation_time
        self.end_time: datetime | None = None
        self._entered_at = self.creation_time
        message = failure_for_new_job(lifecycle.kind, self.identifiers())
        if message is not None:
            self.destine_to_fail(message)
        # A new job may change what another shows (a model's hosting, say).
        _status_changed()

    # -- what services define -------------------------------------------------------------

    def identifiers(self) -> Sequence[str]:
        """Names a test author may use for this job (name, id, ARN)."""
        return ()

    def on_enter(self, status: str, at: datetime) -> None:
        """Side effects of entering ``status`` at time ``at``. Default: none."""

    # -- status ---------------------------------------------------------------------------

    @property
    def status(self) -> str:
        self._progress()
        return self._path[self._position]

    @property
    def failure(self) -> str | None:
        """Why the job failed, once it has (services expose it under their own name)."""
        if self.status == self.LIFECYCLE.failed:
            return self._failure_message
        return None

    @property
    def ending(self) -> str:
        """The status the job is on its way to end in, as things stand (the last of its
        path): a service's ``route`` leaves a failure a test author asked for alone."""
        return self._path[-1]

    @property
    def is_finished(self) -> bool:
        return self.status in self.LIFECYCLE.terminal

    @property
    def destined_failure(self) -> str | None:
        """The message the job control destined the job to fail with (before it fails,
        and after), if any."""
        return self._failure_message

    @property
    def next_status(self) -> str | None:
        """The status a step would move the job to (None: at the end of its path)."""
        position = self._position + 1
        return self._path[position] if position < len(self._path) else None

    @property
    def can_fail(self) -> bool:
        """Whether the job may still be destined to fail: its kind has a failure status
        and the job is on its way to success (not finished, stopping or deleting)."""
        lifecycle = self.LIFECYCLE
        current = self.status
        return (
            lifecycle.failed is not None
            and tuple(self._path[: self._position + 1]) == lifecycle.happy_path[: self._position + 1]
            and current not in lifecycle.terminal
        )

    def step(self) -> str:
        """Move one status on now, whatever the progression (a test author's push)."""
        if self._position + 1 < len(self._path):
            self._enter(self._position + 1, now())
        return self._path[self._position]

    def destine_to_fail(self, message: str) -> None:
        """End in the failure status with ``message`` instead of succeeding."""
        lifecycle = self.LIFECYCLE
        if lifecycle.failed is None:
            raise JobStateError(f"{lifecycle.kind} jobs have no failure status")
        current = self._path[self._position]
        happy = lifecycle.happy_path
        # Only a job still on its way to success can fail (not one stopping or deleting).
        if tuple(self._path[: self._position + 1]) != happy[: self._position + 1] or (
            current in lifecycle.terminal
        ):
            raise JobStateError(f"the job is already {current}")
        # Fail from the last in-progress status of the happy path.
        self._path = (*self._path[: self._position + 1], *happy[self._position + 1 : -1], lifecycle.failed)
        self._failure_message = message

    def begin_stopping(self) -> None:
        """Walk the stopping statuses from here (the service checks it may stop)."""
        self.walk_on(self.LIFECYCLE.stopping)

    def walk_on(self, statuses: Sequence[str]) -> None:
        """Enter the first of ``statuses`` now and walk the rest from there, in place of
        what was left of the path (a stop, an update of a finished resource). The service
        checks the job may."""
        self._path = (*self._path[: self._position + 1], *statuses)
        self._enter(self._position + 1, now())

    def route(self, statuses: Sequence[str], failure: str | None = None) -> None:
        """Walk ``statuses`` after the current status, in place of what was left of the
        path, without entering any now: a service's own turn on the way (a check that
        fails where it runs, a batch that ends partly done). ``failure``: the message,
        where they end in the failure status. May be called from ``on_enter``."""
        self._path = (*self._path[: self._position + 1], *statuses)
        if failure is not None:
            self._failure_message = failure

    def _progress(self) -> None:
        last = len(self._path) - 1
        if self._position == last:
            return
        transition = state_manager.get_transition(self.LIFECYCLE.kind)
        progression = transition.get("progression", "immediate")
        if progression == "manual":
            if self._ticks >= int(transition.get("times", 1)):
                self._enter(self._position + 1, now())
        elif progression == "time":
            seconds = timedelta(seconds=float(transition.get("seconds", 1)))
            current = now()
            while self._position < len(self._path) - 1 and current >= self._entered_at + seconds:
                self._enter(self._position + 1, self._entered_at + seconds)
        else:
            at = now()
            while self._position < len(self._path) - 1:
                self._enter(self._position + 1, at)

    def _enter(self, position: int, at: datetime) -> None:
        self._position = position
        self._entered_at = at
        # Looks are counted from the status a job entered, however it got there (a
        # step of its own, a stop, a test author's push).
        self._ticks = 0
        status = self._path[position]
        self.last_modified_time = at
        if status in self.LIFECYCLE.terminal:
            self.end_time = at
        self.on_enter(status, at)
        _status_changed()

    def observe(self) -> Any:
        """A client looked at the job (its Get/Describe): counts the look, for ``manual``
        progression, and moves the status on. (The job control's ``advance`` is not a
        look: it pushes a status whatever the progression, through ``step``.)"""
        self._ticks += 1
        self._progress()
        return self
