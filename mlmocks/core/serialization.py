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

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any

from botocore.model import Shape
from moto.core.constants import MISSING
from moto.core.utils import get_value

from .moto_compat import (
    AttributePickerContext,
    BaseJSONSerializer,
    HeaderSerializer,
    ResponseSerializer,
    XFormedAttributePicker,
    get_serializer_class,
)
from .spec import operation_model


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


# -- compiled writers ---------------------------------------------------------------------------
#
# For the JSON protocols (json and rest-json: every service of mlmocks speaks one), a
# result is written by a function built once per operation from its output shape: one
# closure per shape, which knows its members, their wire names, pick plans and timestamp
# formats, so a call does no per-member dispatch at all. It writes what moto's JSON
# serializers write, byte for byte (the same suite check covers it); where moto's walk
# would do something unusual (a payload member, an event stream, a wire name that moto's
# list or map writing drops), there is no compiled writer and moto's serializer writes it.

#: What a compiled writer gives back: moto's ``ResponseDict``.
ResultWriter = Callable[[Any], dict[str, Any]]
_Write = Callable[[Any], Any]


class _NotCompiled(Exception):
    """A shape moto's serializer writes in a way the compiled writers do not copy."""


@cache
def result_writer(service_name: str, operation_name: str) -> ResultWriter | None:
    """The compiled writer of the operation's successful results, or None (moto's
    serializer writes them)."""
    operation = operation_model(service_name, operation_name)
    model = operation.service_model
    if model.protocol not in ("json", "rest-json") or operation.has_event_stream_output:
        return None
    base: Any = serializer_class(service_name, model.protocol)
    serializer = base(operation_model=operation)
    shape = operation.output_shape
    try:
        if shape is not None and "payload" in shape.serialization:
            raise _NotCompiled("payload")
        compiler = _Compiler(serializer, rest=model.protocol == "rest-json")
        if model.protocol == "json":
            return _json_writer(serializer, compiler, shape)
        return _rest_json_writer(serializer, compiler, shape)
    except _NotCompiled:
        return None


def _json_writer(serializer: Any, compiler: _Compiler, shape: Any) -> ResultWriter:
    write = compiler.structure(shape, top=True) if shape is not None else None
    status = serializer.operation_model.http.get("responseCode", serializer.DEFAULT_RESPONSE_CODE)
    content_type = serializer._get_protocol_specific_content_type()
    dumps = json.dumps

    def written(result: Any) -> dict[str, Any]:
        body = write(result) if write is not None and result is not None else {}
        return {"body": dumps(body), "headers": {"Content-Type": content_type}, "status_code": status}

    return written


def _rest_json_writer(serializer: Any, compiler: _Compiler, shape: Any) -> ResultWriter:
    status = serializer.operation_model.http.get("responseCode", serializer.DEFAULT_RESPONSE_CODE)
    content_type = serializer.CONTENT_TYPE
    dumps = json.dumps
    body_write = None
    header_members: list[tuple[str, Shape, str]] = []
    has_body_members = False
    if shape is not None:
        body_write = compiler.structure(shape, top=True)
        for key, member in shape.members.items():
            if "location" not in member.serialization:
                has_body_members = True
            elif member.serialization["location"] in ("header", "headers"):
                header_members.append((key, member, member.serialization.get("name", key)))
    header_serializer = HeaderSerializer() if header_members else None
    pick = _PICKER.pick

    def written(result: Any) -> dict[str, Any]:
        body = body_write(result) if body_write is not None and result is not None else {}
        headers: dict[str, Any] = {}
        if not body and not has_body_members:
            text = "{}"  # REQUIRES_EMPTY_BODY
        else:
            text = dumps(body)
            headers["Content-Type"] = content_type
        if header_serializer is not None and result is not None:
            for key, member, name in header_members:
                value = pick(result, key, member)
                if value is not None:
                    header_serializer.serialize(headers, value, member, name)
        headers["Content-Type"] = content_type
        return {"body": text, "headers": headers, "status_code": status}

    return written


class _Compiler:
    """Builds the writer of each shape once (recursive shapes refer to their writer
    through a cell filled when it is built)."""

    def __init__(self, serializer: Any, rest: bool) -> None:
        self._serializer = serializer
        #: REST protocols write no header-bound or status member in a body, at any depth.
        self._rest = rest
        self._built: dict[tuple[str, bool], _Write] = {}
        self._default_timestamp = serializer.DEFAULT_TIMESTAMP_FORMAT

    def value(self, shape: Any) -> _Write:
        type_name = shape.type_name
        if type_name == "structure":
            return self.structure(shape)
        if type_name == "list":
            return self._list(shape)
        if type_name == "map":
            return self._map(shape)
        if type_name == "string":
            return _string
        if type_name == "timestamp":
            return self._timestamp(shape)
        if type_name in ("integer", "long"):
            return int
        if type_name in ("float", "double"):
            return float
        if type_name == "blob":
            return self._serializer._base64
        return _as_is

    def structure(self, shape: Any, top: bool = False) -> _Write:
        if shape.is_document_type:
            if top:
                raise _NotCompiled("document at the top")
            return _as_is
        remembered = (shape.name, top)
        if remembered in self._built:
            return self._built[remembered]
        # (member name, shape, wire name, writer (None: a string), names to try on a dict
        # (None: the picker's general way))
        members: list[tuple[str, Shape, str, _Write | None, tuple[str, ...] | None]] = []

        def write(value: Any) -> dict[str, Any]:
            wrapper: dict[str, Any] = {}
            is_dict = type(value) is dict
            for key, member, wire_name, member_write, dict_names in members:
                if is_dict and dict_names is not None:
                    # The picker's lookup on a dict, inline: the first name present wins.
                    member_value = None
                    for name in dict_names:
                        found = value.get(name, MISSING)
                        if found is not MISSING:
                            member_value = found
                            break
                else:
                    member_value = pick(value, key, member)
                if member_value is None:
                    continue
                if member_write is None:  # a string that is a str
                    if type(member_value) is str:
                        wrapper[wire_name] = member_value
                        continue
                    wrapper[wire_name] = _string(member_value)
                else:
                    wrapper[wire_name] = member_write(member_value)
            return wrapper

        self._built[remembered] = write
        pick = _PICKER.pick
        for key, member in shape.members.items():
            member.parent = shape  # as moto sets it, for the picker's aliases
            if self._rest and "location" in member.serialization:
                continue  # a header or status code (written apart) is not in the body
            wire_name = member.serialization.get("name", key)
            if not top and wire_name in ("body", "headers"):
                raise _NotCompiled("a member moto's walk takes for its own")
            if member.type_name == "structure" and member.is_document_type:
                member_write: _Write | None = _as_is
            else:
                member_write = None if member.type_name == "string" else self.value(member)
            names, how = _PICKER.plan({}, key, member)
            members.append((key, member, wire_name, member_write, names if how == "dict" else None))
        return write

    def _list(self, shape: Any) -> _Write:
        item = shape.member
        if item.serialization.get("name", item.name) != item.name:
            raise _NotCompiled("a list item moto writes unserialized")
        item_write = self.value(item)
        writes_none = item.type_name == "structure" and not item.is_document_type

        def write(value: Any) -> list[Any]:
            if writes_none:
                return [None if entry is None else item_write(entry) for entry in value]
            return [item_write(entry) for entry in value]

        return write

    def _map(self, shape: Any) -> _Write:
        entry = shape.value
        if "name" in entry.serialization:
            raise _NotCompiled("a map whose values moto writes under one name")
        entry_write = self.value(entry)
        skips_none = entry.type_name == "structure" and not entry.is_document_type

        def write(value: Any) -> dict[Any, Any]:
            if skips_none:
                return {k: entry_write(v) for k, v in value.items() if v is not None}
            return {k: entry_write(v) for k, v in value.items()}

        return write

    def _timestamp(self, shape: Any) -> _Write:
        timestamp_format = shape.serialization.get("timestampFormat", self._default_timestamp).lower()
        convert = self._serializer._timestamp_serializer._convert_timestamp_to_str
        fast = _FAST_TIMESTAMPS.get(timestamp_format)

        def write(value: Any) -> Any:
            if (
                fast is not None
                and type(value) is datetime
                and value.year >= 1000
                and (value.tzinfo is None or not value.utcoffset())  # (else moto converts it to UTC)
            ):
                return fast(value)
            return convert(value, timestamp_format)

        return write


def _iso8601(value: datetime) -> str:
    # moto's: the datetime's own fields (as strftime writes them), microseconds if any, "Z".
    text = value.isoformat()[:19]
    return f"{text}.{value.microsecond:06d}Z" if value.microsecond else f"{text}Z"


_EPOCH = datetime(1970, 1, 1)


def _unix(value: datetime) -> int | float:
    # moto's: calendar.timegm of the fields (the zone is not applied), then milliseconds.
    seconds = (value.replace(tzinfo=None, microsecond=0) - _EPOCH) // _SECOND
    if value.microsecond:
        return seconds + (value.microsecond // 1000) / 1000.0
    return int(seconds)


_SECOND = timedelta(seconds=1)

#: moto's conversions of a datetime, written without strftime or a timetuple (a list of
#: 10 jobs has 30 timestamps); anything else goes through moto's converter.
_FAST_TIMESTAMPS: dict[str, Callable[[datetime], Any]] = {"iso8601": _iso8601, "unixtimestamp": _unix}


def _string(value: Any) -> Any:
    # moto's JSON string: an Enum's value, str() of anything but an empty container or None.
    if isinstance(value, Enum):
        value = value.value
    return str(value) if value not in [None, {}, []] else value


def _as_is(value: Any) -> Any:
    return value
