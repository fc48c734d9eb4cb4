"""Job control for test authors, the same in-process and over HTTP.

``JobControl`` acts on this process's backends (decorator mode, the pytest fixture);
``RemoteJobControl`` has the same methods and sends each as ``POST
/mlmocks-api/<method>`` to an ``mlmocks-server`` (server mode). Jobs are named by kind
(the state-manager model name, e.g. ``bedrock::model-import-job``) and by any
identifier the service gives them (name, id or ARN).

A service may add methods of its own (``ServiceSpec.control_methods``) for state a test
author sets up outside the service's API; both controls offer them under their names,
with the same arguments.

Failure rules live in a moto ``BackendDict``, so moto's reset (the decorator's start and
end, ``/moto-api/reset``) clears them with everything else.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
import logging
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BackendDict, BaseBackend
from moto.moto_api import state_manager

from . import jobs, registry
from .jobs import Job, JobStateError

CONTROL_PATH = "/mlmocks-api/"

#: Bounds of the control's arguments: a control call does a bounded amount of work
#: under a backend's lock, and keeps a bounded amount of state.
MAX_STEPS = 1000
MAX_TIMES = 1_000_000
#: A year, in seconds: the longest ``time`` progression step.
MAX_SECONDS = 365 * 24 * 3600
MAX_TEXT = 2048
#: Control requests over HTTP: the largest body and the deepest JSON nesting read.
MAX_CONTROL_BODY = 256 * 1024
MAX_NESTING = 32
#: ``restore`` over HTTP carries a whole snapshot (base64): its body may be this large.
MAX_RESTORE_BODY = 64 * 1024 * 1024

log = logging.getLogger("mlmocks")

#: How a kind's jobs move (moto's state-manager progressions).
Progression = Literal["immediate", "manual", "time"]


class ControlState(BaseBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        #: (kind, job identifier) -> failure message, for jobs existing or yet to come.
        self.named_failures: dict[tuple[str, str], str] = {}
        #: kind -> failure message for every new job of that kind.
        self.kind_failures: dict[str, str] = {}


_control_state = BackendDict(
    ControlState, "mlmocks", use_boto3_regions=False, additional_regions=["aws"]
)


def _state() -> ControlState:
    return _control_state[DEFAULT_ACCOUNT_ID]["aws"]


def failure_for_new_job(kind: str, identifiers: Sequence[str]) -> str | None:
    """The failure a test author asked of a job being created, if any."""
    state = _state()
    for identifier in identifiers:
        message = state.named_failures.get((kind, identifier))
        if message is not None:
            return message
    return state.kind_failures.get(kind)


def failure_rules() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """A copy of the failure rules now (named, by kind), for ``restore_failure_rules``."""
    state = _state()
    return dict(state.named_failures), dict(state.kind_failures)


def restore_failure_rules(rules: tuple[dict[tuple[str, str], str], dict[str, str]]) -> None:
    """Put the failure rules back to what ``failure_rules`` returned."""
    state = _state()
    state.named_failures.clear()
    state.named_failures.update(rules[0])
    state.kind_failures.clear()
    state.kind_failures.update(rules[1])


# A new job asks for its destined failure through core.jobs, which knows no control.
jobs.failure_for_new_job = failure_for_new_job


class ControlError(Exception):
    """A control request that cannot be carried out (unknown kind or job, wrong state)."""


def _text(name: str, value: Any, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise ControlError(f"{name} must be a string, not {type(value).__name__}")
    if not 0 < len(value) <= MAX_TEXT:
        raise ControlError(f"{name} must be 1 to {MAX_TEXT} characters long, not {len(value)}")


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ControlError(f"{name} must be an integer, not {type(value).__name__}")
    if not low <= value <= high:
        raise ControlError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ControlError(f"seconds must be a number, not {type(value).__name__}")
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ControlError(f"seconds must be a finite number from 0 to {MAX_SECONDS}, not {value}")
    return float(value) if isinstance(value, float) else value


def check_transition(transition: Any) -> None:
    """A moto state-manager transition a job can walk by (``/moto-api/state-manager/
    set-transition`` sets them too): ControlError names what is wrong."""
    if not isinstance(transition, dict):
        raise ControlError("the transition must be a JSON object")
    progression = transition.get("progression")
    unknown = set(transition) - {"progression", "times", "seconds"}
    if unknown:
        raise ControlError(f"unknown transition members: {', '.join(sorted(map(str, unknown)))}")
    if progression == "manual":
        _integer("times", transition.get("times", 1), 1, MAX_TIMES)
    elif progression == "time":
        _seconds(transition.get("seconds", 1))
    elif progression != "immediate":
        raise ControlError(f"unknown progression {progression!r}: immediate, manual or time")
    if progression != "manual" and "times" in transition:
        raise ControlError(f"times belongs to the manual progression, not {progression}")
    if progression != "time" and "seconds" in transition:
        raise ControlError(f"seconds belongs to the time progression, not {progression}")


def _check_kind(kind: str) -> registry.ServiceSpec:
    _text("kind", kind)
    spec = registry.spec_for_kind(kind)
    if spec is None:
        raise ControlError(f"unknown job kind {kind!r}; kinds: {', '.join(registry.job_kinds())}")
    return spec


def _find_jobs(kind: str, job: str) -> list[tuple[Any, Job]]:
    """Every (backend, job) of ``kind`` known by ``job``, across accounts and regions."""
    spec = _check_kind(kind)
    _text("job", job)
    found: list[tuple[Any, Job]] = []
    for _, _, backend in spec.backends().iter_backends():
        found.extend((backend, match) for match in backend.find_jobs(kind, job))  # type: ignore[attr-defined]
    return found


def _service_method(name: str) -> Callable[..., Any]:
    method = None if name.startswith("_") else registry.control_method(name)
    if method is None:
        raise AttributeError(f"the job control has no method {name!r}")
    return method


def _stoppable(job: Job) -> bool:
    lifecycle = job.LIFECYCLE
    status = job.status
    return bool(lifecycle.stopping) and status not in lifecycle.terminal and status not in lifecycle.stopping


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _row(service: str, account: str, region: str, job: Job) -> dict[str, Any]:
    """What the jobs page shows of one job (the caller holds its backend's lock)."""
    lifecycle = job.LIFECYCLE
    identifiers = [str(identifier) for identifier in job.identifiers()]
    arns = [identifier for identifier in identifiers if identifier.startswith("arn:")]
    names = [identifier for identifier in identifiers if not identifier.startswith("arn:")]
    status = job.status
    next_status = job.next_status
    return {
        "service": service,
        "kind": lifecycle.kind,
        "account": account,
        "region": region,
        # What the control's job argument takes: the first identifier.
        "job": identifiers[0] if identifiers else "",
        "name": names[0] if names else None,
        "arn": arns[0] if arns else None,
        "identifiers": identifiers,
        "status": status,
        "created": _time(job.creation_time),
        "updated": _time(job.last_modified_time),
        "ended": _time(job.end_time),
        "failure": job.failure,
        "destined_failure": job.destined_failure if status != lifecycle.failed else None,
        "finished": status in lifecycle.terminal,
        "actions": {
            "advance": next_status,
            "fail": job.can_fail,
            "stop": lifecycle.stopping[0] if _stoppable(job) else None,
        },
    }


def _searchable(row: dict[str, Any]) -> str:
    parts = [row["kind"], row["account"], row["region"], row["status"], *row["identifiers"],
             row["failure"] or "", row["destined_failure"] or ""]
    return "\n".join(parts).lower()


class JobControl:
    """Steer mlmocks' jobs from a test, in this process."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # The methods services contribute (see ServiceSpec.control_methods).
        return _service_method(name)

    def kinds(self) -> list[str]:
        """Every job kind, as documented in the README."""
        return registry.job_kinds()

    def fail(self, kind: str, message: str, job: str | None = None) -> None:
        """Make ``job`` (or, without ``job``, every new job of ``kind``) end in its
        failure status with ``message``. A named job may exist already (it must still
        be running) or be created later."""
        _check_kind(kind)
        _text("message", message)
        _text("job", job, optional=True)
        state = _state()
        if job is None:
            state.kind_failures[kind] = message
            return
        for backend, found in _find_jobs(kind, job):
            with backend.lock:
                try:
                    found.destine_to_fail(message)
                except JobStateError as error:
                    raise ControlError(f"cannot fail {kind} {job!r}: {error}") from None
        # Kept for a job of that name yet to come, once the request is known to be good
        # (a refused request leaves no rule behind).
        state.named_failures[(kind, job)] = message

    def clear_failures(self, kind: str | None = None) -> None:
        """Forget failure rules (of one kind, or all)."""
        if kind is not None:
            _check_kind(kind)
        state = _state()
        if kind is None:
            state.named_failures.clear()
            state.kind_failures.clear()
            return
        state.kind_failures.pop(kind, None)
        for key in [key for key in state.named_failures if key[0] == kind]:
            del state.named_failures[key]

    def advance(self, kind: str, job: str, steps: int = 1) -> str:
        """Push a job ``steps`` statuses on now (at most MAX_STEPS), whatever the
        progression. Returns its status."""
        _integer("steps", steps, 1, MAX_STEPS)
        found = _find_jobs(kind, job)
        if not found:
            raise ControlError(f"no {kind} job known as {job!r}")
        status = ""
        for backend, match in found:
            with backend.lock:
                before = None
                for _ in range(steps):
                    status = match.step()
                    if status == before:  # at the end of its path: no more to do
                        break
                    before = status
        return status

    def status(self, kind: str, job: str) -> str:
        """A job's status as a describe would show it (without counting as a describe)."""
        _text("job", job)
        found = _find_jobs(kind, job)
        if not found:
            raise ControlError(f"no {kind} job known as {job!r}")
        backend, match = found[0]
        with backend.lock:
            return match.status

    def set_progression(
        self, kind: str, progression: Progression, times: int | None = None, seconds: float | None = None
    ) -> None:
        """Set how a kind's jobs move: ``immediate``, ``manual`` (one step per ``times``
        describes) or ``time`` (one step per ``seconds``). Same as moto's state manager."""
        _check_kind(kind)
        transition: dict[str, Any] = {"progression": progression}
        if progression == "manual":
            transition["times"] = 1 if times is None else times
        elif progression == "time":
            transition["seconds"] = 1 if seconds is None else seconds
        elif times is not None or seconds is not None:
            raise ControlError(f"times and seconds belong to the manual and time progressions, not {progression!r}")
        check_transition(transition)
        state_manager.set_transition(kind, transition)

    def reset_progression(self, kind: str) -> None:
        """Put a kind back on its default progression (moto's: immediate)."""
        _check_kind(kind)
        state_manager.unset_transition(kind)

    def stop(self, kind: str, job: str) -> str:
        """Walk a running job through its kind's stopping statuses (what the service's
        Stop, Cancel or, where that is its only way out, Delete walks), whatever the
        service would check first. Returns the status it enters."""
        found = _find_jobs(kind, job)
        if not found:
            raise ControlError(f"no {kind} job known as {job!r}")
        status = ""
        for backend, match in found:
            with backend.lock:
                if not _stoppable(match):
                    if not match.LIFECYCLE.stopping:
                        raise ControlError(f"{kind} jobs cannot be stopped: the service has no stopping statuses")
                    raise ControlError(f"cannot stop {kind} {job!r}: it is {match.status}")
                match.begin_stopping()
                backend.track_job(match)  # settled again until it ends
                status = match.status
        return status

    def jobs(self, service: str | None = None, status: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
        """Every job and long-running resource of every service that the job control
        can act on (in every account and region), as plain data: what the jobs page
        shows. ``service`` and ``status`` keep those equal to them; ``text`` those that
        contain it (case-insensitively) in their kind, names, ARN, account, region or
        failure message. A look here is not a describe: ``manual`` progressions are not
        moved on (``immediate`` and ``time`` ones are, as by any look)."""
        _text("service", service, optional=True)
        _text("status", status, optional=True)
        _text("text", text, optional=True)
        all_specs = registry.specs()
        if service is not None and service not in all_specs:
            raise ControlError(f"unknown service {service!r}; services: {', '.join(all_specs)}")
        needle = text.lower() if text is not None else None
        rows = []
        for spec in all_specs.values():
            if service is not None and spec.service != service:
                continue
            for account, region, backend in list(spec.backends().iter_backends()):
                with backend.lock:  # type: ignore[attr-defined]
                    for found in backend.tracked_jobs():  # type: ignore[attr-defined]
                        row = _row(spec.service, account, region, found)
                        if status is not None and row["status"] != status:
                            continue
                        if needle is not None and needle not in _searchable(row):
                            continue
                        rows.append(row)
        return rows

    def progressions(self) -> dict[str, dict[str, Any]]:
        """Each job kind's service and progression now (``progression``, with ``times``
        or ``seconds`` where it has them)."""
        result = {}
        for kind in registry.job_kinds():
            spec = registry.spec_for_kind(kind)
            transition = dict(state_manager.get_transition(kind))
            transition.setdefault("progression", "immediate")
            result[kind] = {"service": spec.service if spec else "", **transition}
        return result

    def snapshot(self) -> bytes:
        """mlmocks' whole state (every service's resources and jobs, tags, client tokens,
        failure rules, progressions) as the bytes of a state file (core/snapshot.py)."""
        from . import snapshot

        try:
            return snapshot.snapshot()
        except snapshot.SnapshotError as error:
            raise ControlError(str(error)) from None

    def restore(self, data: bytes) -> None:
        """Put mlmocks' state back to a ``snapshot()``'s, in place of all of it now; data
        that is corrupt, cut short or of another version is refused (ControlError says
        why) and nothing changes."""
        from . import snapshot

        if not isinstance(data, (bytes, bytearray)):
            raise ControlError(f"data must be bytes, not {type(data).__name__}")
        try:
            snapshot.restore(bytes(data))
        except snapshot.SnapshotError as error:
            raise ControlError(str(error)) from None

    def save(self, path: str | None = None) -> dict[str, Any]:
        """Write mlmocks' state to ``path`` (default: the file ``mlmocks-server --state``
        keeps it in) atomically; returns the path and its size."""
        from . import snapshot

        _text("path", path, optional=True)
        target = path or snapshot.state_file
        if target is None:
            raise ControlError("no state file to save to: start mlmocks-server with --state FILE, or name a path")
        try:
            size = snapshot.save_file(target)
        except snapshot.SnapshotError as error:
            raise ControlError(str(error)) from None
        except OSError as error:
            raise ControlError(f"cannot write {target}: {error.strerror or error}") from None
        return {"path": target, "bytes": size}

    def reset(self) -> None:
        """Forget every job, resource and failure rule (moto's reset, as
        ``POST /moto-api/reset``: moto's own services too) and put every job kind back
        on its default progression."""
        from .moto_compat import reset_moto

        reset_moto()
        for kind in registry.job_kinds():
            state_manager.unset_transition(kind)


#: The methods a remote control may call, with the arguments each takes.
_REMOTE_METHODS = {
    "kinds": (),
    "fail": ("kind", "message", "job"),
    "clear_failures": ("kind",),
    "advance": ("kind", "job", "steps"),
    "status": ("kind", "job"),
    "set_progression": ("kind", "progression", "times", "seconds"),
    "reset_progression": ("kind",),
    "reset": (),
    "stop": ("kind", "job"),
    "jobs": ("service", "status", "text"),
    "progressions": (),
    # Snapshots travel as base64 text (see _WIRE); save writes only the server's own file.
    "snapshot": (),
    "restore": ("data",),
    "save": (),
}
#: How a method's bytes travel in JSON: (argument decoder, result encoder).
_WIRE: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], Callable[[Any], Any]]] = {
    "snapshot": (lambda arguments: arguments, lambda data: base64.b64encode(data).decode("ascii")),
    "restore": (lambda arguments: {**arguments, "data": _base64_argument(arguments.get("data"))}, lambda result: result),
}


def _base64_argument(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ControlError(f"data must be base64 text, not {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ControlError("data is not base64 text") from None


def handle_control_request(path: str, body: bytes) -> tuple[int, dict[str, str], str]:
    """Answer ``POST /mlmocks-api/<method>`` with a JSON body of the method's arguments."""
    headers = {"Content-Type": "application/json"}
    method = path[len(CONTROL_PATH):].strip("/")
    service_method = None if method in _REMOTE_METHODS or method.startswith("_") else registry.control_method(method)
    if method not in _REMOTE_METHODS and service_method is None:
        methods = [*_REMOTE_METHODS, *registry.control_methods()]
        return 404, headers, json.dumps(
            {"message": f"unknown control method {method!r}; methods: {', '.join(methods)}"}
        )
    try:
        arguments = _arguments(body, MAX_RESTORE_BODY if method == "restore" else MAX_CONTROL_BODY)
        if service_method is not None:
            inspect.signature(service_method).bind(**arguments)
            result = service_method(**arguments)
        else:
            unknown = set(arguments) - set(_REMOTE_METHODS[method])
            if unknown:
                raise ValueError(f"unknown arguments: {', '.join(sorted(unknown))}")
            inspect.signature(getattr(JobControl, method)).bind(None, **arguments)
            decode, encode = _WIRE.get(method, (lambda given: given, lambda result: result))
            result = encode(getattr(JobControl(), method)(**decode(arguments)))
    except (ControlError, ValueError, TypeError) as error:
        return 400, headers, json.dumps({"message": str(error)[:4096]})
    except Exception as bug:  # noqa: BLE001 - a bug must not leak a traceback
        log.exception("mlmocks' job control failed on %s", method)
        return 500, headers, json.dumps({"message": f"the job control failed: {bug!r}"[:4096]})
    return 200, headers, json.dumps({"result": result})


def _arguments(body: bytes, limit: int = MAX_CONTROL_BODY) -> dict[str, Any]:
    """The JSON object of a control request's arguments, within the size and nesting
    bounds (ValueError names what is wrong)."""
    if len(body) > limit:
        raise ValueError(f"a control request's body is at most {limit} bytes, not {len(body)}")
    try:
        text = body.decode("utf-8") if body else "{}"
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8 text") from None
    depth = _nesting(text)
    if depth > MAX_NESTING:
        raise ValueError(f"the body nests deeper than {MAX_NESTING} levels")
    arguments = json.loads(text or "{}", parse_constant=_no_constant)
    if not isinstance(arguments, dict):
        raise ValueError("the body must be a JSON object")
    return arguments


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _nesting(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets inside strings
    left out), without parsing it."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class RemoteJobControl:
    """``JobControl``'s methods, carried out by an ``mlmocks-server`` at ``endpoint``."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/")

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # A service's own methods, with the arguments they take in-process.
        signature = inspect.signature(_service_method(name))

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._call(name, **signature.bind(*args, **kwargs).arguments)

        call.__name__ = name
        return call

    def _call(self, method: str, **arguments: Any) -> Any:
        import urllib.request

        data = json.dumps({k: v for k, v in arguments.items() if v is not None}).encode()
        request = urllib.request.Request(
            f"{self.endpoint}{CONTROL_PATH}{method}",
            data=data,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310 (a local server)
                return json.loads(response.read())["result"]
        except urllib.error.HTTPError as error:
            raise ControlError(json.loads(error.read()).get("message", str(error))) from None

    def kinds(self) -> list[str]:
        return self._call("kinds")

    def fail(self, kind: str, message: str, job: str | None = None) -> None:
        self._call("fail", kind=kind, message=message, job=job)

    def clear_failures(self, kind: str | None = None) -> None:
        self._call("clear_failures", kind=kind)

    def advance(self, kind: str, job: str, steps: int = 1) -> str:
        return self._call("advance", kind=kind, job=job, steps=steps)

    def status(self, kind: str, job: str) -> str:
        return self._call("status", kind=kind, job=job)

    def set_progression(
        self, kind: str, progression: Progression, times: int | None = None, seconds: float | None = None
    ) -> None:
        self._call("set_progression", kind=kind, progression=progression, times=times, seconds=seconds)

    def reset_progression(self, kind: str) -> None:
        self._call("reset_progression", kind=kind)

    def reset(self) -> None:
        self._call("reset")

    def stop(self, kind: str, job: str) -> str:
        return self._call("stop", kind=kind, job=job)

    def jobs(self, service: str | None = None, status: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
        return self._call("jobs", service=service, status=status, text=text)

    def progressions(self) -> dict[str, dict[str, Any]]:
        return self._call("progressions")

    def snapshot(self) -> bytes:
        return base64.b64decode(self._call("snapshot"))

    def restore(self, data: bytes) -> None:
        self._call("restore", data=base64.b64encode(data).decode("ascii"))

    def save(self) -> dict[str, Any]:
        """Have the server write its state to its ``--state`` file now."""
        return self._call("save")
