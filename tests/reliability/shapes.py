"""Hypothesis strategies from botocore shapes: values that satisfy an input shape, and
values that break one of its constraints.

Everything here reads the service model, nothing is written per service. Java-style
patterns that Python's ``re`` cannot read (``\\p{L}`` classes) are narrowed to an
ASCII subset for generation, so generated values still satisfy the original pattern.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any

from botocore.model import Shape, StructureShape
from hypothesis import strategies as st

from mlmocks.core.validation import model_pattern

#: Generated strings and collections stay this small unless a constraint needs more.
TEXT_SLACK = 16
LIST_SLACK = 3
#: Below this depth, optional members are left out (recursive shapes end).
MAX_DEPTH = 5

#: Marks values that must never reach a file path, an evaluator or a shell.
CANARY = "mlmocks-canary-7f3a"
#: Strings an attacker would try: paths, templates, code, injections. Each carries the canary.
HOSTILE_STRINGS = (
    f"../../../../../../tmp/{CANARY}",
    f"/tmp/{CANARY}",
    f"file:///tmp/{CANARY}",
    f"s3://bucket/../../../tmp/{CANARY}",
    f"__import__('os').system('touch /tmp/{CANARY}')",
    f"{{{{7*7}}}}{CANARY}",
    f"${{jndi:ldap://{CANARY}/a}}",
    f"$(touch /tmp/{CANARY})",
    f"`touch /tmp/{CANARY}`",
    f"{CANARY}'; DROP TABLE jobs; --",
    f"%s%s%s%n{CANARY}",
)
#: Text that is awkward on the wire or in a log.
AWKWARD_STRINGS = (
    "\x00",
    "nul\x00in the middle",
    "line\nbreak\r\n",
    "tab\tand\x0bvertical",
    "\x1b[31mred\x1b[0m",
    "\u202eright-to-left",
    "zero\u200bwidth",
    "e\u0301\u0301\u0301",
    "名前",
    "🤖💥",
    "\ufeffbom",
    "\uffff",
    " ",
    "",
    "a" * 300,
)
#: Lone surrogates: valid in JSON text (``"\\ud800"``), not in UTF-8.
SURROGATES = ("\ud800", "x\udfffy")


@dataclass(frozen=True)
class Site:
    """Where a member sits in a request: its shape, its path in the params dict, where it
    goes on the wire (``uri``, ``querystring``, ``header``, ``headers`` or ``body``) and the
    key path inside the body's JSON document for body members."""

    shape: Shape
    path: tuple[Any, ...]
    location: str
    wire_path: tuple[Any, ...]
    required: bool


# -- patterns ----------------------------------------------------------------------------

_CLASS_SUBSETS = {
    "L": "a-zA-Z",
    "M": "",
    "N": "0-9",
    "Nd": "0-9",
    "Z": " ",
    "Zs": " ",
    "S": "+=",
    "P": ".,_-",
    "Alnum": "a-zA-Z0-9",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Upper": "A-Z",
    "Lower": "a-z",
    "Punct": ".,_-",
    "Space": " ",
    "Print": "a-zA-Z0-9 ",
    "Graph": "a-zA-Z0-9",
    "XDigit": "0-9a-f",
    "ASCII": "a-zA-Z0-9 ",
    "IsAlphabetic": "a-zA-Z",
}


def _narrow(pattern: str) -> str | None:
    """The pattern with ``\\p{..}`` classes replaced by ASCII subsets (None: cannot)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] in "pP" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                end = pattern.find("}", i)
                name = pattern[i + 3 : end]
                subset = _CLASS_SUBSETS.get(name)
                if pattern[i + 1] == "P" or subset is None:
                    return None
                out.append(subset if in_class else f"[{subset}]" if subset else "")
                i = end + 1
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@cache
def generating_pattern(pattern: str) -> re.Pattern[str] | None:
    """A Python pattern whose matches all match ``pattern`` (None: none found)."""
    for candidate in (pattern, _narrow(pattern)):
        if candidate is None:
            continue
        try:
            return re.compile(candidate, re.ASCII)
        except re.error:
            continue
    return None


def string_ok(shape: Shape, value: str) -> bool:
    """Whether ``value`` satisfies the string shape's enum, length and pattern."""
    metadata = shape.metadata
    enum = metadata.get("enum")
    if enum and value not in enum:
        return False
    if len(value) < metadata.get("min", 0) or len(value) > metadata.get("max", len(value)):
        return False
    source = metadata.get("pattern")
    if source is not None:
        compiled = model_pattern(source)  # as the server checks it
        if compiled is not None and compiled.fullmatch(value) is None:
            return False
    return True


# -- valid values ------------------------------------------------------------------------

_SAFE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=TEXT_SLACK
)


class ValidValues:
    """Strategies for values that satisfy a shape. ``seeds`` maps member names to values
    known to name existing resources or to pass a service's own checks (from its
    setup), drawn often for members of that name when they fit the member's shape."""

    def __init__(self, seeds: Mapping[str, Sequence[str]] | None = None) -> None:
        self.seeds = {name: tuple(values) for name, values in (seeds or {}).items() if values}

    def for_shape(self, shape: Shape, name: str | None = None, depth: int = 0) -> st.SearchStrategy[Any]:
        generated = self._generated(shape, depth)
        seeds = [value for value in self.seeds.get(name or "", ()) if _fits(shape, value)]
        if seeds:
            # Mostly an existing resource (or a known good value), so operations can succeed.
            return st.one_of(st.sampled_from(seeds), st.sampled_from(seeds), generated)
        return generated

    def request(self, shape: StructureShape) -> st.SearchStrategy[dict[str, Any]]:
        """Params for an input shape: either any members at random, or lean ones (the
        required members and some seeded ones only), which pass the checks a service
        makes across members (exactly one of two, say) far more often."""
        lean = st.fixed_dictionaries(
            {
                name: self.for_shape(member, name, 1)
                for name, member in shape.members.items()
                if name in shape.required_members
            },
            optional={
                name: self.for_shape(member, name, 1)
                for name, member in shape.members.items()
                if name not in shape.required_members and name in self.seeds
            },
        )
        return st.one_of(lean, self.for_shape(shape))

    def _generated(self, shape: Shape, depth: int) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, depth)
        if kind == "list":
            member = self.for_shape(shape.member, None, depth + 1)  # type: ignore[attr-defined]
            low = shape.metadata.get("min", 0)
            high = min(shape.metadata.get("max", low + LIST_SLACK), low + LIST_SLACK)
            return st.lists(member, min_size=low, max_size=high)
        if kind == "map":
            low = shape.metadata.get("min", 0)
            high = min(shape.metadata.get("max", low + LIST_SLACK), low + LIST_SLACK)
            return st.dictionaries(
                self.for_shape(shape.key, None, depth + 1),  # type: ignore[attr-defined]
                self.for_shape(shape.value, None, depth + 1),  # type: ignore[attr-defined]
                min_size=low,
                max_size=high,
            )
        if kind == "string":
            return self._generated_string(shape)
        if kind in ("integer", "long"):
            low = shape.metadata.get("min", -(2**31) if kind == "integer" else -(2**53))
            high = shape.metadata.get("max", 2**31 - 1 if kind == "integer" else 2**53)
            return st.integers(min_value=int(low), max_value=int(high))
        if kind in ("float", "double"):
            return st.floats(
                min_value=shape.metadata.get("min"),
                max_value=shape.metadata.get("max"),
                allow_nan=False,
                allow_infinity=False,
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            return st.datetimes(
                min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)
            ).map(lambda moment: moment.replace(microsecond=0))
        if kind == "blob":
            low = shape.metadata.get("min", 0)
            return st.binary(min_size=low, max_size=low + 64)
        return st.none()

    def structure(self, shape: Shape, depth: int) -> st.SearchStrategy[Any]:
        assert isinstance(shape, StructureShape)
        if getattr(shape, "is_document_type", False) or shape.metadata.get("document"):
            return st.dictionaries(st.text(string.ascii_letters, max_size=8), st.integers(), max_size=3)
        members = shape.members
        if shape.metadata.get("union"):
            return st.one_of(
                [
                    st.fixed_dictionaries({name: self.for_shape(member, name, depth + 1)})
                    for name, member in members.items()
                ]
            )
        required = {
            name: self.for_shape(members[name], name, depth + 1)
            for name in shape.required_members
            if name in members
        }
        optional = {}
        if depth < MAX_DEPTH:
            optional = {
                name: self.for_shape(member, name, depth + 1)
                for name, member in members.items()
                if name not in required
            }
        return st.fixed_dictionaries(required, optional=optional)

    @staticmethod
    @cache
    def _generated_string(shape: Shape) -> st.SearchStrategy[str]:
        metadata = shape.metadata
        enum = metadata.get("enum")
        if enum:
            return st.sampled_from(list(enum))
        low = metadata.get("min", 0)
        high = metadata.get("max", low + TEXT_SLACK * 4)
        source = metadata.get("pattern")

        def fits(value: str) -> bool:
            return low <= len(value) <= high and string_ok(shape, value)

        if source is not None:
            compiled = generating_pattern(source)
            if compiled is not None:
                return st.from_regex(compiled, fullmatch=True, alphabet=st.characters(codec="ascii")).filter(fits)
            return st.text(string.ascii_letters + string.digits, min_size=max(low, 1), max_size=low + TEXT_SLACK).filter(fits)
        text = st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
            min_size=low,
            max_size=min(high, low + TEXT_SLACK),
        )
        return text


def _fits(shape: Shape, value: Any) -> bool:
    """Whether a seed can stand for a member of ``shape`` (strings are checked in full)."""
    kind = shape.type_name
    if kind == "string":
        return isinstance(value, str) and string_ok(shape, value)
    if kind == "structure":
        return isinstance(value, dict) and set(value) <= set(shape.members)  # type: ignore[attr-defined]
    expected = {"structure": dict, "map": dict, "list": list, "boolean": bool, "integer": int, "long": int}
    return isinstance(value, expected.get(kind, object))


# -- where things are --------------------------------------------------------------------


def sites(shape: StructureShape, params: Mapping[str, Any], protocol: str) -> Iterator[Site]:
    """Every member present in ``params`` (and every required one absent), with its place."""
    payload = shape.serialization.get("payload")
    for name, member in shape.members.items():
        location = member.serialization.get("location") or "body"
        if protocol == "json":
            location = "body"
        wire_name = member.serialization.get("name", name)
        required = name in shape.required_members
        if location == "body":
            wire_path: tuple[Any, ...] = () if name == payload else (wire_name,)
        else:
            wire_path = (wire_name,)
        if name == payload and member.type_name in ("blob", "string"):
            location = "payload"
        yield Site(member, (name,), location, wire_path, required)
        if name in params and location == "body":
            yield from _nested(member, params[name], (name,), wire_path)


def _nested(shape: Shape, value: Any, path: tuple[Any, ...], wire_path: tuple[Any, ...]) -> Iterator[Site]:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        assert isinstance(shape, StructureShape)
        for name, member in shape.members.items():
            wire_name = member.serialization.get("name", name)
            yield Site(member, (*path, name), "body", (*wire_path, wire_name), name in shape.required_members)
            if name in value:
                yield from _nested(member, value[name], (*path, name), (*wire_path, wire_name))
    elif kind == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            member = shape.member  # type: ignore[attr-defined]
            yield Site(member, (*path, index), "body", (*wire_path, index), True)
            yield from _nested(member, item, (*path, index), (*wire_path, index))
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            member = shape.value  # type: ignore[attr-defined]
            yield Site(member, (*path, key), "body", (*wire_path, key), True)
            yield from _nested(member, item, (*path, key), (*wire_path, key))


# -- values that break a constraint ------------------------------------------------------


def broken_values(shape: Shape, location: str) -> list[tuple[str, Any]]:
    """(constraint broken, value) pairs for a member of ``shape`` sent in ``location``.

    The values have the member's own type, so botocore's serializers still write them;
    wrong types are made on the wire (see ``wire.py``)."""
    found = _broken_values(shape, location)
    if location in ("header", "headers"):
        # What http.client cannot put in a header is no request at all.
        found = [(label, value) for label, value in found if not (isinstance(value, str) and bad_header(value))]
    return found


def _broken_values(shape: Shape, location: str) -> list[tuple[str, Any]]:
    metadata = shape.metadata
    kind = shape.type_name
    found: list[tuple[str, Any]] = []
    on_the_path = location in ("uri", "querystring", "header", "headers")
    if kind == "string":
        enum = metadata.get("enum")
        if enum:
            found += [("enum", f"{enum[0]}X"), ("enum", str(enum[0]).lower() + "_nope"), ("enum", "")]
        if "max" in metadata:
            found.append(("too long", "a" * (int(metadata["max"]) + 1)))
            found.append(("too long", "名" * (int(metadata["max"]) + 1)))
        if metadata.get("min", 0) > 0:
            found.append(("too short", "a" * (int(metadata["min"]) - 1)))
        if "pattern" in metadata:
            candidates = (" ", "!!", "a b", "ü", "a/b", "..", *HOSTILE_STRINGS)
            for candidate in candidates:
                if not string_ok(shape, candidate):
                    found.append(("pattern", candidate))
        found += [("hostile", value) for value in HOSTILE_STRINGS]
        found += [("unicode/control", value) for value in AWKWARD_STRINGS]
        if not on_the_path:
            found += [("lone surrogate", value) for value in SURROGATES]
    elif kind in ("integer", "long"):
        if "min" in metadata:
            found.append(("out of range", int(metadata["min"]) - 1))
        if "max" in metadata:
            found.append(("out of range", int(metadata["max"]) + 1))
        found += [("out of range", 2**63), ("out of range", -(2**63) - 1), ("out of range", 10**30)]
    elif kind in ("float", "double"):
        if "min" in metadata:
            found.append(("out of range", float(metadata["min"]) - 1))
        if "max" in metadata:
            found.append(("out of range", float(metadata["max"]) + 1))
        found += [("out of range", 1e308)]
    elif kind in ("list", "map"):
        if "max" in metadata and int(metadata["max"]) < 2000:
            found.append(("too many", int(metadata["max"]) + 1))
        if metadata.get("min", 0) > 0:
            found.append(("too few", int(metadata["min"]) - 1))
    elif kind == "timestamp":
        found += [("out of range", datetime(1, 1, 1, tzinfo=timezone.utc)), ("out of range", datetime(9999, 12, 31, tzinfo=timezone.utc))]
    elif kind == "blob":
        if "max" in metadata and int(metadata["max"]) <= 2**22:
            found.append(("too long", b"\x00" * (int(metadata["max"]) + 1)))
        if metadata.get("min", 0) > 0:
            found.append(("too short", b""))
    return found


def bad_header(value: str) -> bool:
    """Text http.client refuses to send in a header (line breaks, NUL, non-Latin-1)."""
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return True
    return any(char in value for char in "\r\n\x00") or value != value.strip()


def wrong_types(shape: Shape) -> list[Any]:
    """JSON values of another type than ``shape`` takes."""
    kind = shape.type_name
    candidates: list[Any] = ["text", 7, -1, 2.5, True, None, [], [1, "x"], {}, {"nested": {"deeper": []}}]
    accepts = {
        "string": (str,),
        "integer": (int,),
        "long": (int,),
        "float": (int, float),
        "double": (int, float),
        "boolean": (bool,),
        "timestamp": (int, float),
        "blob": (str,),
        "list": (list,),
        "map": (dict,),
        "structure": (dict,),
    }.get(kind, ())
    wrong = []
    for value in candidates:
        if value is None:
            continue  # null is the same as absent
        ok = isinstance(value, accepts) and not (isinstance(value, bool) and bool not in accepts)
        if not ok:
            wrong.append(value)
    return wrong
