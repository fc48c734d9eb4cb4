"""mlmocks' resources in moto's dashboard and ``/moto-api/data.json``.

moto lists every instance of its model classes there: per service, per class name, each
instance's public attributes that are JSON. mlmocks' services keep their resources in
their backends instead, so each of a service's resource classes is shown through a view
that, when the page is asked for, walks the service's backends and lists what they hold
now (jobs with their current status; deleted resources are gone, as in the API). A
service is listed from the first time one of its backends is made.

Reading a job's status is a look at it, as moto's dashboard reading moto's own managed
states is: under the ``immediate`` progression a job a test never described is shown
finished. Describes are not counted, so ``manual`` progressions are not moved on.
"""

from __future__ import annotations

import enum
import sys
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import date, datetime
from types import ModuleType, SimpleNamespace
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend

from .moto_compat import show_on_dashboard

_lock = threading.Lock()
_tracked: set[str] = set()
_SKIP = object()


def track(module_name: str) -> None:
    """Show the resource classes of the service whose backends ``module_name`` (e.g.
    ``mlmocks.bedrock.models``) holds on moto's dashboard, under its boto3 name."""
    if module_name in _tracked:
        return
    with _lock:
        if module_name in _tracked:
            return
        module = sys.modules[module_name]
        service = module_name.split(".")[1]
        for cls in resource_classes(_package(module)):
            show_on_dashboard(service, cls.__name__, _ClassView(module, cls.__name__))
        _tracked.add(module_name)


def _package(module: ModuleType) -> str:
    return module.__name__.rpartition(".")[0]


def resource_classes(package: str) -> list[type]:
    """The public classes the (imported) modules of a service's package define, but its
    backends, responses and errors."""
    from moto.core.responses import BaseResponse

    return [
        value
        for name, module in sorted(sys.modules.items())
        if module is not None and name.startswith(f"{package}.")
        for class_name, value in vars(module).items()
        if isinstance(value, type)
        and value.__module__ == name
        and not class_name.startswith("_")
        and not issubclass(value, (BaseBackend, BackendDict, BaseException, BaseResponse))
    ]


class _ClassView:
    """Stands in moto's model data for one class: ``instances_tracked`` is what the
    service's backends hold of that class now."""

    def __init__(self, module: ModuleType, class_name: str) -> None:
        self._module = module
        self._class_name = class_name

    @property
    def instances_tracked(self) -> list[SimpleNamespace]:
        return snapshots(self._module).get(self._class_name, [])

    @instances_tracked.setter
    def instances_tracked(self, value: list[Any]) -> None:
        # moto's reset empties its own lists; this one is read from the backends.
        pass


def snapshots(module: ModuleType) -> dict[str, list[SimpleNamespace]]:
    """Every resource the module's backends hold (of its service's classes), by class name, each as an object whose
    attributes are the resource's public attributes (and properties) in JSON types."""
    found: dict[str, list[SimpleNamespace]] = {}
    seen: set[int] = set()
    package = f"{_package(module)}."
    for backends in [v for v in vars(module).values() if isinstance(v, BackendDict)]:
        for _, _, backend in list(backends.iter_backends()):
            with getattr(backend, "lock", None) or nullcontext():
                settle = getattr(backend, "settle_jobs", None)
                if settle is not None:
                    settle()
                for resource in _walk(backend, seen):
                    cls = type(resource)
                    if cls.__module__.startswith(package) and not cls.__name__.startswith("_"):
                        snapshot = _snapshot(resource)
                        # Where it lives, as moto's own models show it.
                        snapshot.__dict__.setdefault("account_id", backend.account_id)
                        snapshot.__dict__.setdefault("region_name", backend.region_name)
                        found.setdefault(cls.__name__, []).append(snapshot)
    return found


def _walk(backend: BaseBackend, seen: set[int]) -> Iterator[Any]:
    """Every object of mlmocks' classes reachable from ``backend``'s public attributes
    (its private ones are indexes and caches), through containers and other such
    objects, each once, in the order the backend holds them; not a retired job (one the
    API no longer shows, such as a deleted endpoint)."""
    stack: list[Any] = [value for name, value in reversed(vars(backend).items()) if not name.startswith("_")]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        if isinstance(value, dict):
            seen.add(id(value))
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, (list, tuple, set, frozenset, deque)):
            seen.add(id(value))
            stack.extend(reversed(list(value)))
        elif (
            not isinstance(value, (type, BaseBackend))
            and type(value).__module__.startswith("mlmocks.")
            and hasattr(value, "__dict__")
            and getattr(value, "retired", False) is not True
        ):
            seen.add(id(value))
            yield value
            stack.extend(reversed(list(vars(value).values())))


def _snapshot(resource: Any) -> SimpleNamespace:
    data: dict[str, Any] = {}
    for name, value in vars(resource).items():
        if not name.startswith("_"):
            plain = _plain(value)
            if plain is not _SKIP:
                data[name] = plain
    for cls in type(resource).__mro__:
        if not cls.__module__.startswith("mlmocks."):
            continue
        for name, attribute in vars(cls).items():
            if isinstance(attribute, property) and not name.startswith("_") and name not in data:
                try:
                    plain = _plain(getattr(resource, name))
                except Exception:  # noqa: BLE001 - what cannot be read is not shown
                    continue
                if plain is not _SKIP:
                    data[name] = plain
    return SimpleNamespace(**data)


def _plain(value: Any) -> Any:
    """``value`` in JSON types (times as ISO 8601), or _SKIP where it has no such form
    (another resource, bytes)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        items = {}
        for key, item in value.items():
            plain = _plain(item)
            if not isinstance(key, str) or plain is _SKIP:
                return _SKIP
            items[key] = plain
        return items
    if isinstance(value, (list, tuple)):
        plains = [_plain(item) for item in value]
        return _SKIP if any(plain is _SKIP for plain in plains) else plains
    return _SKIP


# -- the jobs page (mlmocks-server's /mlmocks/) ----------------------------------------------

#: Where mlmocks-server serves the jobs page: plain HTML, CSS and a script shipped in
#: the package (``mlmocks/static``), which call the job control at ``/mlmocks-api/``.
PAGE_PATH = "/mlmocks/"
_PAGE_FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "index.html": ("index.html", "text/html; charset=utf-8"),
    "jobs.css": ("jobs.css", "text/css; charset=utf-8"),
    "jobs.js": ("jobs.js", "text/javascript; charset=utf-8"),
}
#: The page may load its own files and call its own server, nothing else; no other page
#: may frame it (its buttons change state).
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def page_response(path: str, method: str) -> tuple[int, dict[str, str], bytes]:
    """Answer a request for the jobs page or one of its files: (status, headers, body)."""
    import json
    from importlib import resources

    if method not in ("GET", "HEAD"):
        body = json.dumps({"__type": "MethodNotAllowed", "message": f"{path[:200]} takes GET only"}).encode()
        return 405, {"Content-Type": "application/json", "Allow": "GET, HEAD"}, body
    if path == PAGE_PATH.rstrip("/"):
        return 308, {"Location": PAGE_PATH}, b""
    found = _PAGE_FILES.get(path[len(PAGE_PATH):])
    if found is None:
        body = json.dumps({"__type": "NotFound", "message": f"no page {path[:200]}"}).encode()
        return 404, {"Content-Type": "application/json"}, body
    name, content_type = found
    content = resources.files("mlmocks").joinpath("static").joinpath(name).read_bytes()
    return 200, {**_PAGE_HEADERS, "Content-Type": content_type}, content
