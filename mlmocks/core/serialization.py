"""Responses written by moto's protocol serializers, with the per-member work done once.

moto's serializers find each member's value with ``XFormedAttributePicker``: for every
member of every item they build a context object and work out the names the value may
go by (the member's name, its snake_case form, aliases from the shape and from the
object's class) before looking them up. Those names depend only on the object's type,
the member and its shape, so here they are worked out once and remembered, and the
serializer skips the context (whose key path only response transformers read; mlmocks
has none). The output is moto's, byte for byte; a list of N items costs N lookups
instead of N rounds of alias resolution.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.model import Shape
from moto.core.constants import MISSING
from moto.core.serialize import (
    AttributePickerContext,
    ResponseSerializer,
    XFormedAttributePicker,
    get_serializer_class,
)
from moto.core.utils import get_value


class _RememberingPicker(XFormedAttributePicker):
    """moto's picker, remembering the names it tries per (object type, member, shape).

    An object's explicit aliases (moto's ``Meta.serialization_aliases``) are taken as
    its class's, which is where moto declares them."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[tuple[type, str, Shape], tuple[str, ...]] = {}

    def names(self, obj: Any, key: str, shape: Shape) -> tuple[str, ...]:
        remembered = (type(obj), key, shape)
        names = self._names.get(remembered)
        if names is None:
            context = AttributePickerContext(obj=obj, key=key, shape=shape)
            names = tuple(dict.fromkeys(self.get_possible_keys(context)))
            self._names[remembered] = names
        return names

    def pick(self, obj: Any, key: str, shape: Shape) -> Any:
        for name in self.names(obj, key, shape):
            value = get_value(obj, name, MISSING)
            if value is not MISSING:
                return value
        return None


_PICKER = _RememberingPicker()


@cache
def serializer_class(service_name: str, protocol: str) -> type[ResponseSerializer]:
    """moto's serializer for the protocol, picking values through ``_PICKER``."""
    base: Any = get_serializer_class(service_name, protocol)
    methods: dict[str, str] = {}

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

    Serializer.__name__ = Serializer.__qualname__ = f"Remembering{base.__name__}"
    return Serializer
