"""Many threads at once: nothing lost, nothing duplicated, names unique, tokens honoured.

Threads share nothing but the mock: each has its own boto3 clients, and a barrier
starts them together. Every response still passes through the conformance hook, so an
answer off the model fails the thread that got it.
"""

from __future__ import annotations

import random
import sys
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import Aws
from tests.reliability import report
from tests.reliability.audit import ErrorLog
from tests.reliability.services import ReliabilityFixture, fixtures, make

THREADS = 8
TOTAL_JOBS = 2000
ROUNDS = 5
MIXED_CALLS_PER_THREAD = 25

FIXTURES = sorted(fixtures().items())
on_the_server = pytest.mark.parametrize("aws", ["server"], indirect=True)


def in_threads(work: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Run ``work(index)`` in ``threads`` threads started together; their results, or
    the exception each raised, in thread order."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            results[index] = error

    workers = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    # Switch threads far more often than Python's default 5 ms, so a check-then-act
    # that is not atomic is interrupted between its check and its act.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
            assert not worker.is_alive(), "a thread hung"
    finally:
        sys.setswitchinterval(interval)
    return results


def code(error: BaseException) -> str | None:
    return error.response["Error"]["Code"] if isinstance(error, ClientError) else None


def clients(aws: Aws, fixture: ReliabilityFixture, count: int = THREADS) -> list[Any]:
    # Created up front: creating boto3 clients is not thread-safe.
    return [fixture.client(make(aws)) for _ in range(count)]


@on_the_server
def test_threads_creating_jobs_across_services_lose_and_duplicate_none(aws: Aws, error_log: ErrorLog) -> None:
    assert FIXTURES, "no service lends the reliability tests its jobs"
    share, extra = divmod(TOTAL_JOBS, len(FIXTURES))
    work: list[tuple[str, str]] = []
    for index, (service, fixture) in enumerate(FIXTURES):
        fixture.prepare(make(aws))
        count = share + (1 if index < extra else 0)
        work += [(service, f"bulk-{service[:4]}-{number}") for number in range(count)]
    per_thread = {
        (thread, service): client
        for service, fixture in FIXTURES
        for thread, client in enumerate(clients(aws, fixture))
    }
    by_service = dict(FIXTURES)

    def create(thread: int) -> int:
        done = 0
        for service, name in work[thread::THREADS]:
            by_service[service].create_job(per_thread[(thread, service)], name)
            done += 1
        return done

    results = in_threads(create)
    errors = [result for result in results if isinstance(result, BaseException)]
    logged = [f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in error_log.records]
    assert not errors, f"{errors[0]}\nlogged: {logged}"
    report.race("8 threads creating 2,000 jobs across the services", THREADS, sum(results))

    listed = []
    for service, fixture in FIXTURES:
        names = fixture.job_names(per_thread[(0, service)])
        duplicated = [name for name, seen in Counter(names).items() if seen > 1]
        assert not duplicated, f"{service} lists {duplicated} more than once"
        assert sorted(names) == sorted(name for s, name in work if s == service)
        listed += names
    assert len(listed) == TOTAL_JOBS


@pytest.mark.parametrize(("service", "fixture"), FIXTURES, ids=[s for s, _ in FIXTURES])
def test_threads_racing_for_one_name_get_one_success(aws: Aws, service: str, fixture: ReliabilityFixture) -> None:
    fixture.prepare(make(aws))
    racers = clients(aws, fixture)
    for round_ in range(ROUNDS):
        name = f"raced-{round_}"
        results = in_threads(lambda thread, name=name: fixture.create_job(racers[thread], name))
        report.race("8 threads racing to create one name", THREADS, THREADS)
        succeeded = [result for result in results if not isinstance(result, BaseException)]
        refused = [code(result) for result in results if isinstance(result, BaseException)]
        assert len(succeeded) == 1, f"{len(succeeded)} creates of {name} succeeded: {results}"
        assert refused == [fixture.conflict_code] * (THREADS - 1), results
        assert fixture.job_names(racers[0]).count(name) == 1


@pytest.mark.parametrize(
    ("service", "fixture"),
    [(s, f) for s, f in FIXTURES if f.create_job_with_token],
    ids=[s for s, f in FIXTURES if f.create_job_with_token],
)
def test_threads_racing_with_one_idempotency_token_make_one_job(
    aws: Aws, service: str, fixture: ReliabilityFixture
) -> None:
    assert fixture.create_job_with_token is not None
    create = fixture.create_job_with_token
    fixture.prepare(make(aws))
    racers = clients(aws, fixture)
    for round_ in range(ROUNDS):
        name, token = f"tokened-{round_}", f"token-{round_}"
        results = in_threads(lambda thread, name=name, token=token: create(racers[thread], name, token))
        report.race("8 threads racing with one idempotency token", THREADS, THREADS)
        errors = [result for result in results if isinstance(result, BaseException)]
        assert not errors, errors
        assert len(set(results)) == 1, f"one token made {set(results)}"
        assert fixture.job_names(racers[0]).count(name) == 1


@pytest.mark.parametrize(("service", "fixture"), FIXTURES, ids=[s for s, _ in FIXTURES])
def test_concurrent_list_create_stop_delete_answer_only_modeled_errors(
    aws: Aws, service: str, fixture: ReliabilityFixture
) -> None:
    fixture.prepare(make(aws))
    racers = clients(aws, fixture)
    names = [f"mixed-{index}" for index in range(6)]
    calls: dict[str, Callable[[Any, str], Any]] = {
        "create": fixture.create_job,
        "list": lambda client, _: fixture.job_names(client),
    }
    for label, call in (("stop", fixture.stop_job), ("delete", fixture.delete_job), ("describe", fixture.describe_job)):
        if call is not None:
            calls[label] = call

    def mixed(thread: int) -> Counter[str]:
        chosen = random.Random(thread)
        seen: Counter[str] = Counter()
        for _ in range(MIXED_CALLS_PER_THREAD):
            label = chosen.choice(sorted(calls))
            try:
                calls[label](racers[thread], chosen.choice(names))
                seen[f"{label} ok"] += 1
            except ClientError as error:
                # The conformance hook has checked the error is one the operation models.
                seen[f"{label} {code(error)}"] += 1
        return seen

    results = in_threads(mixed)
    errors = [result for result in results if isinstance(result, BaseException)]
    assert not errors, errors[0]
    report.race("8 threads mixing list, create, stop, delete", THREADS, THREADS * MIXED_CALLS_PER_THREAD)
    listed = fixture.job_names(racers[0])
    assert len(listed) == len(set(listed)) and set(listed) <= set(names)
