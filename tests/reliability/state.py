"""A generic snapshot of every mlmocks backend's full state, for any service.

It walks each backend of every registered service (every account and region moto has
made), and the job control's state, into plain comparable data: attributes, dicts,
lists, sets, times. Objects met twice (a job pointing back at its backend) are shown as
references. Statuses move lazily, when a job is looked at, so ``settle`` first moves
every job as far as its progression allows: a look that moves a job on is not a change
made by the request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any

from mlmocks.core.control import _control_state
from mlmocks.core.jobs import Job
from mlmocks.core.listing import Store
from mlmocks.core.registry import specs

#: Derived caches, rebuilt on demand: not state.
_CACHES = {(Store, "_views")}
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()), threading.Condition, threading.Event)


def backends() -> Iterator[tuple[str, Any]]:
    """(label, backend) for every backend of every service, and the job control's."""
    for name, spec in sorted(specs().items()):
        for account, region, backend in spec.backends().iter_backends():
            yield f"{name}/{account}/{region}", backend
    for account, region, backend in _control_state.iter_backends():
        yield f"control/{account}/{region}", backend


def settle() -> None:
    """Move every job on as far as its progression allows."""
    for _, backend in backends():
        with getattr(backend, "lock", threading.RLock()):
            for job in _jobs(backend):
                job.status  # noqa: B018 - a look moves it
            if hasattr(backend, "settle_jobs"):
                backend.settle_jobs()


def snapshot() -> dict[str, Any]:
    """Every backend's state, by label. moto makes a backend the first time a request
    looks for it, so a backend as new as a fresh one counts as absent."""
    settle()
    result = {}
    for label, backend in backends():
        with getattr(backend, "lock", threading.RLock()):
            frozen = _Walker().freeze(backend, label)
        if frozen != _fresh(type(backend), backend.region_name, backend.account_id, label):
            result[label] = frozen
    return result


@cache
def _fresh(kind: type, region: str, account: str, label: str) -> Any:
    return _Walker().freeze(kind(region, account), label)


def unlike_fresh() -> str | None:
    """Where some backend differs from a new one of its kind (None: every backend is as
    new, which is what a reset must leave)."""
    return difference({}, snapshot())


def difference(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """The first place where two snapshots differ, described (None: identical)."""
    return _first_difference(before, after, "")


def _first_difference(a: Any, b: Any, path: str) -> str | None:
    if type(a) is not type(b):
        return f"{path}: {_short(a)} became {_short(b)}"
    if isinstance(a, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in b:
                return f"{path}/{key}: removed ({_short(a[key])})"
            if key not in a:
                return f"{path}/{key}: added ({_short(b[key])})"
            found = _first_difference(a[key], b[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for index, (x, y) in enumerate(zip(a, b, strict=False)):
            found = _first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        if len(a) != len(b):
            return f"{path}: {len(a)} items became {len(b)}"
        return None
    return None if a == b else f"{path}: {_short(a)} became {_short(b)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "..."


def _jobs(backend: Any) -> list[Job]:
    found: list[Job] = []
    seen: set[int] = set()

    def visit(value: Any) -> None:
        if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None), datetime)):
            return
        seen.add(id(value))
        if isinstance(value, Job):
            found.append(value)
        if isinstance(value, dict):
            for item in list(value.values()):
                visit(item)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in list(value):
                visit(item)
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            for item in list(vars(value).values()):
                visit(item)

    visit(backend)
    return found


class _Walker:
    def __init__(self) -> None:
        self.seen: dict[int, str] = {}

    def freeze(self, value: Any, path: str) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, (bytes, bytearray)):
            return ("bytes", bytes(value))
        if isinstance(value, (datetime, date, timedelta)):
            return ("time", value.isoformat() if not isinstance(value, timedelta) else str(value))
        if isinstance(value, Enum):
            return ("enum", str(value))
        if isinstance(value, _LOCK_TYPES) or callable(value) and not hasattr(value, "__dict__"):
            return ("unsnapshotted", type(value).__name__)
        if isinstance(value, type):
            return ("type", value.__qualname__)
        key = id(value)
        if key in self.seen:
            return ("ref", self.seen[key])
        self.seen[key] = path
        if isinstance(value, dict):
            return {repr(k): self.freeze(v, f"{path}/{k!r}") for k, v in list(value.items())}
        if isinstance(value, (list, tuple)):
            return [self.freeze(v, f"{path}[{i}]") for i, v in enumerate(list(value))]
        if isinstance(value, (set, frozenset)):
            return ("set", sorted(repr(v) for v in value))
        if hasattr(value, "__dict__"):
            attributes = {
                name: self.freeze(item, f"{path}.{name}")
                for name, item in list(vars(value).items())
                if not any(isinstance(value, cls) and name == attr for cls, attr in _CACHES)
            }
            return {"__class__": type(value).__qualname__, **attributes}
        return ("repr", repr(value))
