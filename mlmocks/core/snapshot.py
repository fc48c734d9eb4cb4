"""mlmocks' whole state as bytes, and back: what ``mlmocks-server --state FILE`` keeps
across a restart, and what the job control's ``snapshot()`` / ``restore(data)`` hand over.

What it holds is found, not listed: every moto ``BackendDict`` that a module of mlmocks
defines (each service's backends, Clean Rooms ML's collaboration directories, the job
control's failure rules), every account and region in them, pickled as one graph, so
whatever a job family keeps in its backend (resources, jobs with their statuses and
times, tags, client tokens, the objects they share) comes back as it was, for families
written after this module too; and the state manager's progression of every mlmocks job
kind. moto's own services' state is not in it.

The file is a line of magic, a line of JSON (the format version, the mlmocks version that
wrote it, the payload's length and SHA-256) and the payload. ``load`` checks all of it
and unpickles the whole payload before anything live is touched, so a file that is
corrupt, cut short, of another format or another mlmocks version is refused with a
``SnapshotError`` that says why, and the state in memory is as it was. Unpickling is
restricted to mlmocks' classes and a few of the standard library's value types; still,
read only snapshots you trust (the checksum guards against damage, not against an author).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
import tempfile
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend

from .moto_compat import backends_held, replace_backends

#: The first line of every snapshot file.
MAGIC = b"mlmocks-state\n"
#: The format this mlmocks writes. Each one it still reads has a loader in ``_LOADERS``;
#: a newer one, or an older one no longer read, is refused naming both.
FORMAT = 1
#: A header line is never longer (a file whose first line is not one is not a snapshot).
_MAX_HEADER = 4096
_PROTOCOL = 4

_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))


class SnapshotError(Exception):
    """A snapshot that cannot be written or read; the message says why."""


def _new_lock() -> Any:
    return threading.Lock()


def _new_rlock() -> Any:
    return threading.RLock()


def _mlmocks_version() -> str:
    from mlmocks import __version__

    return __version__


# -- what is saved ---------------------------------------------------------------------------


def backend_dicts() -> dict[str, BackendDict[Any]]:
    """Every BackendDict that a module of mlmocks defines, by its backend class
    (``module.QualName``), every service's models imported first."""
    from . import control  # noqa: F401 - its failure rules are a BackendDict too
    from .registry import specs

    for spec in specs().values():
        spec.backends()
    found: dict[str, BackendDict[Any]] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "mlmocks" or name.startswith("mlmocks.")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, BackendDict) and value.backend.__module__.startswith("mlmocks."):
                key = f"{value.backend.__module__}.{value.backend.__qualname__}"
                if found.get(key, value) is not value:
                    raise SnapshotError(f"two BackendDicts hold {key} backends: a snapshot cannot tell them apart")
                found[key] = value
    return dict(sorted(found.items()))


def _transitions() -> dict[str, dict[str, Any]]:
    """The progression set on each mlmocks job kind (a kind on its default: absent)."""
    from .moto_compat import transitions_set
    from .registry import job_kinds

    kinds = set(job_kinds())
    return {kind: transition for kind, transition in transitions_set().items() if kind in kinds}


@dataclass
class _State:
    #: backend class key -> account -> region -> backend
    backends: dict[str, dict[str, dict[str, BaseBackend]]]
    transitions: dict[str, dict[str, Any]]


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        # A lock is made anew, unheld (objects that share one share the new one).
        if isinstance(obj, _LOCK_TYPES):
            return (_new_rlock if "RLock" in type(obj).__name__ else _new_lock, ())
        return NotImplemented


def snapshot() -> bytes:
    """mlmocks' state now, as the bytes of a snapshot file. Each backend's lock is held
    while it is read, so no request is half-way through any of them."""
    dicts = backend_dicts()
    state = _State({}, _transitions())
    backends: list[BaseBackend] = []
    for key, backend_dict in dicts.items():
        accounts: dict[str, dict[str, BaseBackend]] = backends_held(backend_dict)
        for regions in accounts.values():
            backends.extend(regions.values())
        if accounts:
            state.backends[key] = accounts
    buffer = io.BytesIO()
    with ExitStack() as locks:
        # Always in one order (the keys'), one lock once.
        seen: set[int] = set()
        for backend in backends:
            lock = getattr(backend, "lock", None)
            if lock is not None and id(lock) not in seen:
                seen.add(id(lock))
                locks.enter_context(lock)
        try:
            _Pickler(buffer, protocol=_PROTOCOL).dump(state)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            raise SnapshotError(f"mlmocks' state cannot be saved: {error}") from error
    payload = buffer.getvalue()
    header = {
        "format": FORMAT,
        "mlmocks": _mlmocks_version(),
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "written": datetime.now(timezone.utc).isoformat(),
        "bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload


# -- what is read ----------------------------------------------------------------------------

#: Standard-library value types a backend's state may hold, by module.
_VALUE_TYPES = {
    "builtins": {"set", "frozenset", "bytearray", "complex", "slice", "range", "list", "dict", "tuple", "str",
                 "int", "float", "bool", "bytes", "object"},
    "datetime": {"datetime", "date", "time", "timedelta", "timezone"},
    "collections": {"OrderedDict", "deque", "defaultdict", "Counter"},
    "decimal": {"Decimal"},
    "uuid": {"UUID"},
    "freezegun.api": {"FakeDatetime", "FakeDate"},
}
_LOCK_MAKERS = {"_new_lock": _new_lock, "_new_rlock": _new_rlock}


class _Unpickler(pickle.Unpickler):
    """Makes mlmocks' classes and plain value types, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in _LOCK_MAKERS:
            return _LOCK_MAKERS[name]
        if name in _VALUE_TYPES.get(module, ()):
            return super().find_class(module, name)
        if module == "mlmocks" or module.startswith("mlmocks."):
            try:
                found = super().find_class(module, name)
            except (ImportError, AttributeError):
                raise SnapshotError(
                    f"the snapshot holds a {module}.{name}, which this mlmocks lacks "
                    "(it was written by another version)"
                ) from None
            if isinstance(found, type):
                return found
        raise SnapshotError(f"the snapshot names {module}.{name}, which a snapshot of mlmocks never holds")


def _loader_v1(payload: bytes) -> _State:
    state = _Unpickler(io.BytesIO(payload)).load()
    if not isinstance(state, _State):
        raise SnapshotError("the snapshot's payload is not mlmocks' state")
    return state


_LOADERS = {1: _loader_v1}


def read(data: bytes, source: str = "the snapshot") -> _State:
    """The state in snapshot bytes, checked whole; SnapshotError says what is wrong
    (``source`` names the file in the message)."""
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise SnapshotError(f"{source} is truncated: it ends inside its first line")
        raise SnapshotError(f"{source} is not an mlmocks state file (it does not begin with {MAGIC!r})")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    if end < 0:
        if len(data) < len(MAGIC) + _MAX_HEADER:
            raise SnapshotError(f"{source} is truncated: it ends inside its header")
        raise SnapshotError(f"{source} is corrupt: its header line is not closed")
    try:
        header = json.loads(data[len(MAGIC):end])
        if not isinstance(header, dict):
            raise ValueError("not an object")
        version, length, digest = header["format"], header["bytes"], header["sha256"]
    except (ValueError, KeyError, TypeError):
        raise SnapshotError(f"{source} is corrupt: its header is not mlmocks' state header") from None
    if version not in _LOADERS:
        newer = isinstance(version, int) and version > FORMAT
        raise SnapshotError(
            f"{source} is in snapshot format {version!r}, which this mlmocks ({_mlmocks_version()}) "
            f"does not read: it reads format {', '.join(map(str, _LOADERS))}"
            + (" (the file was written by a newer mlmocks: upgrade to read it)" if newer else "")
        )
    if header.get("mlmocks") != _mlmocks_version():
        raise SnapshotError(
            f"{source} was written by mlmocks {header.get('mlmocks')!r}, and this is mlmocks "
            f"{_mlmocks_version()}: a snapshot holds each version's own objects, so only the version "
            "that wrote it reads it (start that version, or start without the file)"
        )
    payload = data[end + 1:]
    if not isinstance(length, int) or len(payload) < length:
        raise SnapshotError(f"{source} is truncated: {len(payload)} of its {length} bytes of state are there")
    if len(payload) > length:
        raise SnapshotError(f"{source} is corrupt: {len(payload) - length} bytes follow its state")
    if hashlib.sha256(payload).hexdigest() != digest:
        raise SnapshotError(f"{source} is corrupt: its state does not match its checksum")
    try:
        return _LOADERS[version](payload)
    except SnapshotError as error:
        raise SnapshotError(f"{source} cannot be read: {error}") from None
    except Exception as error:  # noqa: BLE001 - whatever unpickling raised, the file is bad
        raise SnapshotError(f"{source} cannot be read: {type(error).__name__}: {error}") from None


def restore(data: bytes, source: str = "the snapshot") -> None:
    """Put mlmocks' state back to what ``data`` holds, in place of all of it now (moto's
    own services are left as they are). Nothing changes where the data is refused."""
    state = read(data, source)
    dicts = backend_dicts()
    unknown = sorted(set(state.backends) - set(dicts))
    if unknown:
        raise SnapshotError(f"{source} holds state of {', '.join(unknown)}, which this mlmocks lacks")
    from . import jobs
    from .dashboard import track
    from .registry import job_kinds

    for key, backend_dict in dicts.items():
        held = state.backends.get(key, {})
        replace_backends(backend_dict, held)
        for regions in held.values():
            for backend in regions.values():
                if hasattr(backend, "track_job"):  # a service's: shown on moto's dashboard
                    track(type(backend).__module__)
    from moto.moto_api import state_manager

    for kind in job_kinds():
        transition = state.transitions.get(kind)
        if transition is None:
            state_manager.unset_transition(kind)
        else:
            state_manager.set_transition(kind, dict(transition))
    jobs._status_changed()


# -- files -----------------------------------------------------------------------------------


def save_file(path: str) -> int:
    """Write mlmocks' state to ``path`` atomically (a whole new file, or the old one
    untouched); returns its size."""
    data = snapshot()
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".mlmocks-state-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return len(data)


def check_writable(path: str) -> None:
    """Refuse (SnapshotError) a state file whose folder cannot take the new file a save
    writes, at start rather than at shutdown."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".mlmocks-state-", dir=os.path.dirname(os.path.abspath(path)))
    except OSError as error:
        raise SnapshotError(f"{path} cannot be written: {error.strerror or error}") from None
    os.close(handle)
    os.unlink(temporary)


def load_file(path: str) -> bool:
    """Restore mlmocks' state from ``path`` if the file exists (False where it does not)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise SnapshotError(f"{path} cannot be read: {error.strerror or error}") from None
    restore(data, source=path)
    return True


#: The file the server keeps state in (``mlmocks-server --state``), for ``save()``.
state_file: str | None = None
