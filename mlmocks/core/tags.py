"""Tags, written once: the rules a service's tags keep, the backend side of tagging, and
the TagResource / UntagResource / ListTagsForResource handlers.

A service states its rules (``TagRules``: how many, which prefix is reserved, its errors),
says which resource an ARN names (``TaggingBackend.taggable``), and how its operations
spell tags on the wire (``TagOperations``). Every taggable resource keeps its tags as a
``dict`` in ``tags``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from .errors import ServiceError


class Tagged(Protocol):
    tags: dict[str, str]


@dataclass(frozen=True)
class TagRules:
    #: Tags a resource may carry (the max of the model's tag list or map).
    max_tags: int
    #: The service's error for a resource that would carry too many: (ARN, count) -> error.
    too_many: Callable[[str, int], ServiceError]
    #: Keys callers may neither set nor remove (``aws:``); they do not count to the max.
    reserved_prefix: str | None = None
    #: The service's error for reserved keys: (the keys) -> error.
    reserved: Callable[[list[str]], ServiceError] | None = None

    def checked(self, tags: Mapping[str, str] | None, arn: str = "") -> dict[str, str]:
        """The tags a new resource is created with, checked (``arn``: the resource's, where
        the service's error names it before the resource exists)."""
        return self.merged(arn, {}, tags or {})

    def merged(self, arn: str, current: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
        """``current`` with ``new`` set on it (TagResource), checked."""
        self._refuse_reserved(new)
        merged = {**current, **new}
        count = sum(1 for key in merged if not self._is_reserved(key))
        if count > self.max_tags:
            raise self.too_many(arn, count)
        return merged

    def without(self, current: Mapping[str, str], keys: Iterable[str]) -> dict[str, str]:
        """``current`` less ``keys`` (UntagResource); keys it lacks are no error."""
        keys = set(keys)
        self._refuse_reserved(keys)
        return {key: value for key, value in current.items() if key not in keys}

    def _is_reserved(self, key: str) -> bool:
        return self.reserved_prefix is not None and key.lower().startswith(self.reserved_prefix)

    def _refuse_reserved(self, keys: Iterable[str]) -> None:
        reserved = [key for key in keys if self._is_reserved(key)]
        if reserved and self.reserved is not None:
            raise self.reserved(reserved)


class TaggingBackend:
    """The backend side of tagging, mixed into a service backend. The methods take the
    backend's lock, so moto's Resource Groups Tagging API may call them too."""

    TAG_RULES: ClassVar[TagRules]
    lock: Any

    def taggable(self, arn: str) -> Tagged:
        """The resource ``arn`` names, or the service's error."""
        raise NotImplementedError

    def tag_resource(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        with self.lock:
            resource = self.taggable(resource_arn)
            # In place: resources may share one dict (the versions of a trained model).
            resource.tags.update(self.TAG_RULES.merged(resource_arn, resource.tags, tags))

    def untag_resource(self, resource_arn: str, tag_keys: Iterable[str]) -> None:
        with self.lock:
            resource = self.taggable(resource_arn)
            kept = self.TAG_RULES.without(resource.tags, tag_keys)
            for key in [key for key in resource.tags if key not in kept]:
                del resource.tags[key]

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, str]:
        with self.lock:
            return dict(self.taggable(resource_arn).tags)


def tag_dict(tags: Iterable[Mapping[str, Any]] | Mapping[str, str] | None, key: str = "key", value: str = "value") -> dict[str, str]:
    """Tags as the wire has them (a list of ``{key: .., value: ..}``, or a map) as a dict."""
    if isinstance(tags, Mapping):
        return dict(tags)
    return {tag[key]: tag.get(value, "") for tag in tags or ()}


def tag_list(tags: Mapping[str, str], key: str = "key", value: str = "value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in tags.items()]


class TagOperations:
    """TagResource / UntagResource / ListTagsForResource of a service whose backend is a
    ``TaggingBackend`` (mixed in before ServiceResponse, so the three count as the
    service's own operations)."""

    #: How the operations spell a tag: a list of entries with these two members, or, with
    #: None, a map.
    TAG_MEMBERS: ClassVar[tuple[str, str] | None] = ("key", "value")
    #: How ListTagsForResource's output names the tags.
    TAGS_MEMBER: ClassVar[str] = "tags"
    backend: Any

    def tag_resource(self, resource_arn: str, tags: Any) -> dict[str, Any]:
        self.backend.tag_resource(resource_arn, tag_dict(tags, *self.TAG_MEMBERS or ()))
        return {}

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
        self.backend.untag_resource(resource_arn, tag_keys)
        return {}

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, Any]:
        tags = self.backend.list_tags_for_resource(resource_arn)
        if self.TAG_MEMBERS is not None:
            tags = tag_list(tags, *self.TAG_MEMBERS)
        return {self.TAGS_MEMBER: tags}
