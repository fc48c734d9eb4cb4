"""Responses written by moto's protocol serializers, with the per-member work done once.

moto's serializers find each member's value with ``XFormedAttributePicker``: for every
member of every item they build a context object and work out the names the value may
go by (the member's name, its snake_case form, aliases from the shape and from the
object's class) before looking them up. Those names depend only on the object's type,
the member and its shape, so here they are worked out once and remembered, and the
serializer skips the context (whose key path only response transformers read; mlmocks
has none). Structures below the top level (the items of a list) are walked in one loop.
The output is moto's, byte for byte: the test suite writes every response it provokes
with moto's own serializer too and compares (``tests/serialization_check.py``). A list
of N items costs N lookups instead of N rounds of alias resolution.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.model import Shape
from moto.core.constants import MISSING
from moto.core.utils import get_value

from .moto_compat import (
    AttributePickerContext,
    BaseJSONSerializer,
    ResponseSerializer,
    XFormedAttributePicker,
    get_serializer_class,
)


class _RememberingPicker(XFormedAttributePicker):
    """moto's picker, remembering the names it tries per (object type, member, shape),
    and looking them up as moto's ``get_value`` does (by key on what has
    ``__getitem__``, by attribute on the rest).

    An object's explicit aliases (moto's ``Meta.serialization_aliases``) are taken as
    its class's, which is where moto declares them."""

    def __init__(self) -> None:
        super().__init__()
        self._plans: dict[tuple[type, str, Shape], tuple[tuple[str, ...], str]] = {}

    def plan(self, obj: Any, key: str, shape: Shape) -> tuple[tuple[str, ...], str]:
        """The names to try, and how: "dict", "item", "attribute" or "moto" (a dotted
        name, which moto's ``get_value`` reads as a path)."""
        remembered = (type(obj), key, shape)
        plan = self._plans.get(remembered)
        if plan is None:
            context = AttributePickerContext(obj=obj, key=key, shape=shape)
            names = tuple(dict.fromkeys(self.get_possible_keys(context)))
            if any("." in name for name in names):
                how = "moto"
            elif type(obj) is dict:
                how = "dict"
            else:
                how = "item" if hasattr(obj, "__getitem__") else "attribute"
            plan = self._plans[remembered] = (names, how)
        return plan

    def pick(self, obj: Any, key: str, shape: Shape) -> Any:
        names, how = self.plan(obj, key, shape)
        for name in names:
            if how == "dict":
                value = obj.get(name, MISSING)
            elif how == "attribute":
                value = getattr(obj, name, MISSING)
            elif how == "item":
                try:
                    value = obj[name]
                except (KeyError, IndexError, TypeError, AttributeError):
                    value = MISSING
            else:
                value = get_value(obj, name, MISSING)
            if value is not MISSING:
                return value
        return None


_PICKER = _RememberingPicker()


#: A nested structure's members, as (member name, shape, wire name, type written inline).
_Members = tuple[tuple[str, Shape, str, str], ...]


@cache
def serializer_class(service_name: str, protocol: str) -> type[ResponseSerializer]:
    """moto's serializer for the protocol, picking values through ``_PICKER``."""
    base: Any = get_serializer_class(service_name, protocol)
    methods: dict[str, str] = {}
    nested: dict[Shape, _Members | None] = {}
    rest = protocol.startswith("rest")
    # Types written here rather than through moto's method, where that method is the
    # JSON serializers' own: strings (moto's str() of a str is the str) and timestamps.
    inline_types = set()
    if base._serialize_type_string is BaseJSONSerializer._serialize_type_string:
        inline_types.add("string")
    if base._serialize_type_timestamp is ResponseSerializer._serialize_type_timestamp:
        inline_types.add("timestamp")

    def members_of(shape: Any) -> _Members | None:
        """The members moto writes of a structure in the body (REST protocols write no
        header-bound member there); None where moto's walk would see something else
        (it tells the top level by a member named "body" or "headers" already written,
        so structures with such members keep it)."""
        if shape not in nested:
            walked = []
            for key, member in shape.members.items():
                member.parent = shape  # as moto sets it, for the picker's aliases
                if rest and "location" in member.serialization:
                    continue  # moto writes no header-bound member below the top level
                inline = member.type_name if member.type_name in inline_types else ""
                walked.append((key, member, member.serialization.get("name", key), inline))
            wire = {name for _, _, name, _ in walked}
            nested[shape] = None if wire & {"body", "headers"} else tuple(walked)
        return nested[shape]

    class Serializer(base):
        def get_value(self, value: Any, key: str, shape: Shape) -> Any:
            return _PICKER.pick(value, key, shape)

        def _serialize(self, serialized: Any, value: Any, shape: Shape, key: str) -> None:
            # moto's, without the path it keeps for the picker's context.
            type_name = shape.type_name
            name = methods.get(type_name)
            if name is None:
                name = methods[type_name] = f"_serialize_type_{type_name}"
            method: Any = getattr(self, name, self._default_serialize)
            method(serialized, value, shape, key)

        def _serialize_type_structure(self, serialized: Any, value: Any, shape: Any, key: str) -> None:
            # moto's walk of a structure's members, in one loop. At the top level, REST
            # protocols write the body members into ``serialized["body"]`` (a structure
            # with header-bound members keeps moto's walk, which writes the headers).
            members = None
            if value is not None and not shape.is_document_type:
                members = members_of(shape)
                if not key and members is not None:
                    if not rest:
                        target = serialized
                    elif len(members) == len(shape.members) and "body" in serialized:
                        target = serialized["body"]
                    else:
                        members = None
            if members is None:
                super()._serialize_type_structure(serialized, value, shape, key)
                return
            wrapper: dict[str, Any] = {} if key else target
            for member_key, member_shape, wire_name, inline in members:
                member_value = _PICKER.pick(value, member_key, member_shape)
                if member_value is None:
                    continue
                if inline == "string" and type(member_value) is str:
                    wrapper[wire_name] = member_value
                elif inline == "timestamp":
                    self._timestamp_serializer.serialize(wrapper, member_value, member_shape, wire_name)
                else:
                    self._serialize(wrapper, member_value, member_shape, member_key)
            if key:
                serialized[shape.serialization.get("name", key)] = wrapper

    Serializer.__name__ = Serializer.__qualname__ = f"Remembering{base.__name__}"
    return Serializer
