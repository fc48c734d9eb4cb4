"""Filter, sort and paginate for every List* call.

Resources live in a ``Store``: insertion-ordered, each with a sequence number that breaks
ties, and with sorted views cached until the store changes. A page starts where the
previous one ended: the next token carries the sort key of the last item returned, so
finding the start is a binary search and a whole pagination costs time linear in what
it returns, not quadratic in the store size. Tokens are opaque to callers and checked
when they come back: a token that was not made by this listing is the service's
validation error.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from .jobs import Job, status_changes

T = TypeVar("T")

SortKey = Callable[[Any], Any]


def sortable(value: Any) -> Any:
    """A JSON-safe, comparable form of a sort value."""
    if isinstance(value, datetime):
        return value.timestamp()
    return value


class Store(Generic[T]):
    """Resources of one kind in one backend, by identifier, and by any other names they
    are known by (``find``: a job by its name or its ARN)."""

    def __init__(self) -> None:
        self._items: dict[str, T] = {}
        #: alias -> key, and key -> its aliases.
        self._keys: dict[str, str] = {}
        self._aliases: dict[str, tuple[str, ...]] = {}
        self._seq: dict[str, int] = {}
        self._next_seq = 0
        self._version = 0
        self._views: dict[str, tuple[Any, list[tuple[Any, int]], list[T]]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def items(self) -> list[tuple[str, T]]:
        """Every (key, item), in the order they were added (a copy)."""
        return list(self._items.items())

    def find(self, identifier: str) -> T | None:
        """The item whose key or alias ``identifier`` is."""
        return self._items.get(self._keys.get(identifier, identifier))

    def add(self, key: str, item: T, aliases: tuple[str, ...] = ()) -> None:
        self._items[key] = item
        if aliases:
            self._aliases[key] = aliases
            for alias in aliases:
                self._keys[alias] = key
        self._seq[key] = self._next_seq
        self._next_seq += 1
        self._version += 1

    def remove(self, key: str) -> T | None:
        item = self._items.pop(key, None)
        if item is not None:
            for alias in self._aliases.pop(key, ()):
                del self._keys[alias]
            del self._seq[key]
            self._version += 1
        return item

    def sorted_view(
        self, name: str, key: SortKey, stable: bool = True
    ) -> tuple[list[tuple[Any, int]], list[T]]:
        """Items sorted ascending by (key, insertion order), with their sort keys.

        ``stable`` keys (names, creation times) are cached until the store changes. Keys
        that move on their own (a job's status) are cached only once every item is a
        finished job, and only until the store changes or any job is created or enters
        a status; until then they are computed on every call. (Computing them moves
        the jobs on, so under moto's default progression the second call caches.)"""
        cached = self._views.get(name)
        if stable:
            if cached is not None and cached[0] == self._version:
                return cached[1], cached[2]
            keys, items = self._sort(key)
            self._views[name] = (self._version, keys, items)
            return keys, items
        version = (self._version, status_changes())
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        keys, items = self._sort(key)
        settled = all(isinstance(item, Job) and item.is_finished for item in items)
        if settled and version == (self._version, status_changes()):
            self._views[name] = (version, keys, items)
        return keys, items

    def _sort(self, key: SortKey) -> tuple[list[tuple[Any, int]], list[T]]:
        decorated = sorted(
            ((sortable(key(item)), self._seq[ident]), item)
            for ident, item in self._items.items()
        )
        return [k for k, _ in decorated], [item for _, item in decorated]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_token: str | None


class InvalidToken(Exception):
    """A next token this listing did not make. The dispatcher answers it with the
    service's validation error, naming the field."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _encode_token(sort_name: str, descending: bool, position: tuple[Any, int]) -> str:
    raw = json.dumps({"s": sort_name, "d": descending, "p": list(position)}, separators=(",", ":"))
    # The standard base64 alphabet: the token patterns services model allow it (Lookout for
    # Vision's is [a-zA-Z0-9/+=]), which the URL-safe one's - and _ would break.
    return base64.b64encode(raw.encode()).decode().rstrip("=")


def _decode_token(token: str, sort_name: str, descending: bool) -> tuple[Any, int]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.b64decode(padded.encode("ascii")))
        position = data["p"]
        valid = (
            data["s"] == sort_name
            and data["d"] == descending
            and isinstance(position, list)
            and len(position) == 2
            and isinstance(position[1], int)
        )
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        valid = False
    if not valid:
        raise InvalidToken(token)
    return (position[0], position[1])


def paginate(
    store: Store[T],
    *,
    sort_name: str,
    sort_key: SortKey,
    descending: bool = False,
    stable: bool = True,
    where: Callable[[T], bool] | None = None,
    max_results: int,
    next_token: str | None = None,
) -> Page[T]:
    """One page of ``store``'s items that pass ``where``, in sort order.

    Raises ``InvalidToken`` for a token this listing did not make (including one made
    for another sort order)."""
    keys, items = store.sorted_view(sort_name, sort_key, stable)
    if next_token is None:
        start = len(items) - 1 if descending else 0
    else:
        position = _decode_token(next_token, sort_name, descending)
        try:
            if descending:
                start = bisect.bisect_left(keys, position) - 1
            else:
                start = bisect.bisect_right(keys, position)
        except TypeError:  # a position of the wrong type for these keys
            raise InvalidToken(next_token) from None
    step = -1 if descending else 1
    page: list[T] = []
    index = start
    last_index = None
    while 0 <= index < len(items):
        item = items[index]
        if where is None or where(item):
            if len(page) == max_results:
                # There is at least one more: the token points after the last returned.
                assert last_index is not None
                return Page(page, _encode_token(sort_name, descending, keys[last_index]))
            page.append(item)
            last_index = index
        index += step
    return Page(page, None)


#: The precision of the times a service shows (rest-json ISO 8601 times carry microseconds).
MICROSECOND = timedelta(microseconds=1)
#: Epoch-second times of the json protocol carry milliseconds.
MILLISECOND = timedelta(milliseconds=1)


def within(value: datetime, after: datetime | None, before: datetime | None, precision: timedelta = MICROSECOND) -> bool:
    """Whether ``value`` lies strictly between a List call's ``...After`` and ``...Before``
    bounds, compared at the precision the service shows times in, so a time read from a
    response and sent back as a bound excludes the item it was read from."""
    step = precision // MICROSECOND
    value = value.replace(microsecond=value.microsecond // step * step)
    return (after is None or value > after) and (before is None or value < before)
