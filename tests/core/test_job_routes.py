"""A service's own turns on a job's way (core.jobs: Job.route, Lifecycle.other_ends)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from moto.moto_api import state_manager

from mlmocks.core.jobs import Job, Lifecycle

ROUTED = Lifecycle(
    kind="mlmocks-test::routed",
    happy_path=("NEW", "CHECKING", "RUNNING", "DONE"),
    failed="FAILED",
    other_ends=("PARTLY_DONE",),
)


class Routed(Job):
    LIFECYCLE = ROUTED

    def __init__(self, check_fails: bool = False, partly: bool = False) -> None:
        self.check_fails = check_fails
        self.partly = partly
        self.entered: list[str] = []
        super().__init__()

    def on_enter(self, status: str, at: datetime) -> None:
        self.entered.append(status)
        if status == "CHECKING" and self.check_fails:
            self.route(["FAILED"], failure="the check failed")
        elif status == "RUNNING" and self.partly:
            self.route(["PARTLY_DONE"])


@pytest.fixture(params=["immediate", "manual", "time"])
def progression(request: pytest.FixtureRequest) -> Iterator[str]:
    transition = {"progression": request.param, "times": 1, "seconds": 0}
    state_manager.set_transition(ROUTED.kind, transition)
    yield request.param
    state_manager.unset_transition(ROUTED.kind)


def finish(job: Job) -> str:
    for _ in range(10):
        job.observe()
    return job.status


def test_a_route_from_on_enter_replaces_the_rest_of_the_path(progression: str) -> None:
    job = Routed(check_fails=True)
    assert finish(job) == "FAILED"
    assert job.entered == ["CHECKING", "FAILED"]
    assert job.failure == "the check failed"
    assert job.is_finished and job.end_time is not None


def test_another_end_is_terminal(progression: str) -> None:
    job = Routed(partly=True)
    assert finish(job) == "PARTLY_DONE"
    assert job.entered == ["CHECKING", "RUNNING", "PARTLY_DONE"]
    assert job.is_finished and job.end_time is not None and job.failure is None
    assert ROUTED.terminal == {"DONE", "FAILED", "PARTLY_DONE"}


def test_without_a_route_the_happy_path_is_walked(progression: str) -> None:
    job = Routed()
    assert finish(job) == "DONE"
    assert job.entered == ["CHECKING", "RUNNING", "DONE"]


def test_ending_names_where_the_job_is_headed(progression: str) -> None:
    state_manager.set_transition(ROUTED.kind, {"progression": "manual", "times": 1000})
    job = Routed()
    assert job.ending == "DONE"
    job.destine_to_fail("asked for")
    assert job.ending == "FAILED"
    job.step()
    job.step()
    job.step()
    assert (job.status, job.failure) == ("FAILED", "asked for")
