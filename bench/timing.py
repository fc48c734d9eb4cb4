"""Timing helpers: subjects measured interleaved, so a noisy neighbour slows all alike."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any


class MockClock:
    """Time spent inside moto's request handling: the mock's side of a boto3 call
    (routing, the service's handler, serializing), as opposed to botocore's side
    (validating, serializing and signing the request, parsing the response)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.last_response: Any = None

    @contextmanager
    def installed(self) -> Iterator[MockClock]:
        # moto's before-send handler as botocore calls it: mlmocks' direct path and moto's
        # own routing alike.
        from moto.core.botocore_stubber import BotocoreStubber

        original = BotocoreStubber.__call__
        clock = self

        def call(stubber: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            response = original(stubber, event_name, request, **kwargs)
            clock.spent += time.perf_counter() - start
            if response is not None:  # (read after the clock: botocore reads it later)
                clock.last_response = (response.status_code, dict(response.headers), response.content)
            return response

        BotocoreStubber.__call__ = call  # type: ignore[method-assign]
        try:
            yield self
        finally:
            BotocoreStubber.__call__ = original  # type: ignore[method-assign]


@dataclass
class Subject:
    """One thing to time: ``call`` is timed; ``before`` (untimed) readies each call,
    ``context`` (entered untimed around each call) sets the scene it runs in. With a
    ``clock``, the time the call spent inside the mock is kept too."""

    call: Callable[[], Any]
    before: Callable[[], Any] = lambda: None
    context: Callable[[], AbstractContextManager[Any]] = nullcontext
    clock: MockClock | None = None
    samples: list[float] = field(default_factory=list)
    inside: list[float] = field(default_factory=list)

    def once(self, keep: bool = True) -> None:
        self.before()
        with self.context():
            if self.clock is not None:
                self.clock.spent = 0.0
            start = time.perf_counter()
            self.call()
            elapsed = time.perf_counter() - start
        if keep:
            self.samples.append(elapsed)
            if self.clock is not None:
                self.inside.append(self.clock.spent)


def interleaved(subjects: dict[str, Subject], rounds: int, warmup: int) -> dict[str, dict[str, float]]:
    """Median and p95 (milliseconds) of each subject over ``rounds`` calls, after
    ``warmup`` untimed ones. Each round calls every subject once, in a rotating order."""
    names = list(subjects)
    for _ in range(warmup):
        for name in names:
            subjects[name].once(keep=False)
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            subjects[name].once()
    stats = {}
    for name, subject in subjects.items():
        stats[name] = summary(subject.samples)
        if subject.inside:
            stats[name]["inside_mock_ms"] = statistics.median(subject.inside) * 1e3
    return stats


def summary(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1e3, "p95_ms": p95 * 1e3, "n": len(ordered)}


class Stopwatch:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds = time.perf_counter() - self._start


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("inf")
