"""The listing helper on its own: positions, tokens and filters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from freezegun import freeze_time
from moto.moto_api import state_manager

from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import InvalidToken, Store, paginate


@dataclass
class Item:
    name: str
    size: int


def make_store(*names: str) -> Store[Item]:
    store: Store[Item] = Store()
    for index, name in enumerate(names):
        store.add(name, Item(name, index % 3))
    return store


def walk(store: Store[Item], **kwargs: object) -> list[list[str]]:
    pages, token = [], None
    while True:
        page = paginate(store, sort_name="name", sort_key=lambda i: i.name, next_token=token, **kwargs)  # type: ignore[arg-type]
        pages.append([item.name for item in page.items])
        token = page.next_token
        if token is None:
            return pages


def test_pages_cover_everything_once_in_order() -> None:
    store = make_store("d", "a", "c", "b", "e")
    assert walk(store, max_results=2) == [["a", "b"], ["c", "d"], ["e"]]
    assert walk(store, max_results=2, descending=True) == [["e", "d"], ["c", "b"], ["a"]]
    # No token when the last page is exactly full.
    assert walk(store, max_results=5) == [["a", "b", "c", "d", "e"]]


def test_filters_apply_before_paging() -> None:
    store = make_store("a", "b", "c", "d", "e", "f")
    assert walk(store, max_results=1, where=lambda i: i.size == 0) == [["a"], ["d"]]


def test_equal_keys_keep_insertion_order_across_pages() -> None:
    store = make_store("x1", "x2", "x3", "x4")
    pages, token = [], None
    while True:
        page = paginate(store, sort_name="size", sort_key=lambda i: 0, max_results=1, next_token=token)
        pages.append(page.items[0].name)
        token = page.next_token
        if token is None:
            break
    assert pages == ["x1", "x2", "x3", "x4"]


def test_changes_between_pages_neither_repeat_nor_skip() -> None:
    store = make_store("a", "b", "c", "d")
    first = paginate(store, sort_name="name", sort_key=lambda i: i.name, max_results=2)
    assert [i.name for i in first.items] == ["a", "b"]
    store.remove("b")  # the item the token points after is gone
    store.add("bb", Item("bb", 0))  # and one sorts right after it
    rest = paginate(
        store, sort_name="name", sort_key=lambda i: i.name, max_results=10, next_token=first.next_token
    )
    assert [i.name for i in rest.items] == ["bb", "c", "d"]


@pytest.mark.parametrize(
    "token", ["", "garbage", "e30", "eyJzIjoibmFtZSJ9", "!!!!", "\u00e9", "eyJzIjogMX0"]
)
def test_foreign_tokens_are_rejected(token: str) -> None:
    with pytest.raises(InvalidToken):
        paginate(make_store("a"), sort_name="name", sort_key=lambda i: i.name, max_results=1, next_token=token)


def test_token_is_bound_to_its_sort() -> None:
    store = make_store("a", "b", "c")
    token = paginate(store, sort_name="name", sort_key=lambda i: i.name, max_results=1).next_token
    with pytest.raises(InvalidToken):
        paginate(store, sort_name="size", sort_key=lambda i: i.size, max_results=1, next_token=token)
    with pytest.raises(InvalidToken):
        paginate(
            store, sort_name="name", sort_key=lambda i: i.name, descending=True, max_results=1, next_token=token
        )


def test_tokens_use_the_standard_base64_alphabet() -> None:
    # Sort keys with '>', '?' or '~' once made URL-safe tokens with '-' or '_', which
    # services whose token pattern is [a-zA-Z0-9/+=] (Lookout for Vision) reject.
    store = make_store("a>?~", "b>?~", "c")
    token = paginate(store, sort_name="name", sort_key=lambda i: i.name, max_results=1).next_token
    assert token is not None and re.fullmatch(r"[a-zA-Z0-9/+=]+", token)
    assert walk(store, max_results=1) == [["a>?~"], ["b>?~"], ["c"]]


# -- views sorted by a key that moves (a job's status) ------------------------------------------


THING = Lifecycle(kind="mlmocks-test::thing", happy_path=("NEW", "BUSY", "DONE"))


class Thing(Job):
    LIFECYCLE = THING

    def __init__(self, name: str, partner: Job | None = None) -> None:
        self.name = name
        self.partner = partner
        super().__init__()

    @property
    def shown(self) -> str:
        """The status a list shows: the partner's, once there is one (as a Lookout for
        Vision model shows its hosting's)."""
        return self.partner.status if self.partner is not None else self.status


@pytest.fixture
def manual_things() -> Iterator[None]:
    state_manager.set_transition(THING.kind, {"progression": "manual", "times": 1000})
    yield
    state_manager.unset_transition(THING.kind)


def by_status(store: Store[Thing], key: Callable[[Thing], str] = lambda t: t.status) -> list[str]:
    page = paginate(store, sort_name="status", sort_key=key, stable=False, max_results=100)
    return [thing.name for thing in page.items]


def test_status_order_follows_jobs_that_move(manual_things: None) -> None:
    store: Store[Thing] = Store()
    for name in ("a", "b", "c"):
        store.add(name, Thing(name))
    assert by_status(store) == ["a", "b", "c"]  # all NEW
    store.get("c").step()  # type: ignore[union-attr]
    assert by_status(store) == ["c", "a", "b"]  # BUSY < NEW
    store.get("b").step()  # type: ignore[union-attr]
    store.get("b").step()  # type: ignore[union-attr]
    assert by_status(store) == ["c", "b", "a"]  # BUSY < DONE < NEW


def test_status_order_of_finished_jobs_notices_new_jobs_and_their_effects() -> None:
    store: Store[Thing] = Store()
    for name in ("a", "b"):
        store.add(name, Thing(name))
    assert by_status(store, key=lambda t: t.shown) == ["a", "b"]  # all DONE at once
    assert by_status(store, key=lambda t: t.shown) == ["a", "b"]  # (now from the cache)
    state_manager.set_transition(THING.kind, {"progression": "manual", "times": 1000})
    try:
        store.get("a").partner = Thing("partner-of-a")  # type: ignore[union-attr]
        assert by_status(store, key=lambda t: t.shown) == ["b", "a"]  # DONE < NEW
    finally:
        state_manager.unset_transition(THING.kind)


def test_status_order_moves_with_time() -> None:
    state_manager.set_transition(THING.kind, {"progression": "time", "seconds": 10})
    try:
        with freeze_time("2026-01-01 00:00:00") as clock:
            store: Store[Thing] = Store()
            store.add("early", Thing("early"))
            clock.tick(10)
            store.add("late", Thing("late"))
            assert by_status(store) == ["early", "late"]  # BUSY < NEW
            assert by_status(store) == ["early", "late"]  # nothing moved since
            clock.tick(10)
            assert by_status(store) == ["late", "early"]  # BUSY < DONE
            clock.tick(10)
            assert by_status(store) == ["early", "late"]  # both DONE: insertion order
    finally:
        state_manager.unset_transition(THING.kind)
