"""The listing helper on its own: positions, tokens and filters."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

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
