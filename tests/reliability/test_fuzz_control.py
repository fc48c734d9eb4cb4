"""The job-control API (``/mlmocks-api/<method>``) and moto's control endpoints, fuzzed
over HTTP against a server of their own.

Each control method gets arguments drawn around what it takes (real kinds and job
names, numbers at and past their bounds, NaN, wrong types, deep nesting, huge strings,
unknown names) and bodies that are not JSON objects; the network guard's cases (other
methods, content types, origins, hosts) are drawn for every control endpoint and for
moto's. Every answer must be JSON, never HTML, never a 5xx; a rejected request must leave
every backend, the failure rules and the state manager's transitions as they were.

Runs a third of the operation fuzz run's examples per endpoint in CI, and as many
(``MLMOCKS_FUZZ_EXAMPLES``) in a long run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.moto_api import state_manager

from mlmocks.core.control import _REMOTE_METHODS
from mlmocks.core.registry import control_methods, job_kinds
from tests.helpers import KIND, ROLE, SOURCE
from tests.reliability import report, state
from tests.reliability.test_faults import RESET, Server
from tests.reliability.test_fuzz import EXAMPLES, FUZZ_SETTINGS, LONG_RUN

#: A third of the operations' examples in CI (the control API is small), all of them in
#: a long run.
CONTROL_SETTINGS = settings(FUZZ_SETTINGS, max_examples=EXAMPLES if LONG_RUN else max(10, EXAMPLES // 3))

METHODS = sorted([*_REMOTE_METHODS, *control_methods()])
JOB = "fuzzed-job"
MOTO_WRITES = ["/moto-api/reset", "/moto-api/state-manager/set-transition", "/moto-api/state-manager/unset-transition",
               "/moto-api/reset-auth", "/moto-api/seed"]


@pytest.fixture
def seeded(server: Server) -> Iterator[Server]:
    server.raw(RESET)
    server.aws.client("bedrock").create_model_import_job(
        jobName=JOB, importedModelName="fuzzed-model", roleArn=ROLE, modelDataSource=SOURCE
    )
    yield server
    for kind in job_kinds():
        server.aws.control.reset_progression(kind)
    server.aws.control.clear_failures()
    server.raw(RESET)


def _everything() -> tuple[Any, dict[str, Any]]:
    transitions = {kind: state_manager.get_transition(kind) for kind in job_kinds()}
    return state.snapshot(), transitions


# -- what is drawn -----------------------------------------------------------------------------------

_texts = st.one_of(st.sampled_from([KIND, JOB, "", "x" * 5000, "nope", "bedrock::nope", *job_kinds()]), st.text(max_size=30))
_numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, 2, 999, 1000, 1001, 110294117, 10**30, 365 * 24 * 3600, 365 * 24 * 3600 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),
)
_scalars = st.one_of(_texts, _numbers, st.booleans(), st.none())
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)
_NAMES = sorted({name for names in _REMOTE_METHODS.values() for name in names} | {"collaboration_id", "members", "region", "name", "unknown"})


#: Arguments each control method takes, valid: drawn as they are, or with one changed.
VALID = {
    "kinds": st.just({}),
    "fail": st.fixed_dictionaries({"kind": st.just(KIND), "message": st.text(min_size=1, max_size=50)},
                                  optional={"job": st.sampled_from([JOB, "later-job"])}),
    "clear_failures": st.fixed_dictionaries({}, optional={"kind": st.sampled_from(job_kinds())}),
    "advance": st.fixed_dictionaries({"kind": st.just(KIND), "job": st.just(JOB)},
                                     optional={"steps": st.integers(min_value=1, max_value=1000)}),
    "status": st.fixed_dictionaries({"kind": st.just(KIND), "job": st.just(JOB)}),
    "set_progression": st.one_of(
        st.fixed_dictionaries({"kind": st.sampled_from(job_kinds()), "progression": st.just("immediate")}),
        st.fixed_dictionaries({"kind": st.sampled_from(job_kinds()), "progression": st.just("manual"),
                               "times": st.integers(min_value=1, max_value=1_000_000)}),
        st.fixed_dictionaries({"kind": st.sampled_from(job_kinds()), "progression": st.just("time"),
                               "seconds": st.floats(min_value=0, max_value=365 * 24 * 3600)}),
    ),
    "reset_progression": st.fixed_dictionaries({"kind": st.sampled_from(job_kinds())}),
    "declare_collaboration": st.fixed_dictionaries({
        "collaboration_id": st.uuids().map(str),
        "members": st.dictionaries(st.from_regex(r"\A\d{12}\Z"), st.uuids().map(str), min_size=1, max_size=3),
    }, optional={"region": st.sampled_from(["us-east-1", "eu-west-1"]), "name": st.text(min_size=1, max_size=20)}),
}


@st.composite
def control_bodies(draw: st.DrawFn, method: str = "") -> tuple[str, bytes]:
    """(what was drawn, body) for a control method."""
    how = draw(st.sampled_from(["valid", "valid", "one changed", "arguments", "constant", "deep", "not an object", "bytes"]))
    if how in ("valid", "one changed") and method in VALID:
        arguments = dict(draw(VALID[method]))
        if how == "one changed":
            name = draw(st.sampled_from(sorted(arguments) or ["kind"]) | st.sampled_from(_NAMES))
            arguments[name] = draw(_values)
        return how, json.dumps(arguments).encode()
    if how in ("valid", "one changed", "arguments"):
        names = draw(st.lists(st.sampled_from(_NAMES), max_size=5, unique=True))
        arguments = {name: draw(_values) for name in names}
        if draw(st.booleans()):
            arguments.setdefault("kind", KIND)
        if draw(st.booleans()):
            arguments["progression"] = draw(st.sampled_from(["immediate", "manual", "time", "later"]))
        return "arguments", json.dumps(arguments).encode()
    if how == "constant":
        name = draw(st.sampled_from(["steps", "seconds", "times"]))
        constant = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0"]))
        return "non-finite number", f'{{"kind": "{KIND}", "job": "{JOB}", "progression": "time", "{name}": {constant}}}'.encode()
    if how == "deep":
        depth = draw(st.sampled_from([33, 100, 100_000]))
        return "deep nesting", b'{"kind": ' + b"[" * depth + b"]" * depth + b"}"
    if how == "not an object":
        return "not an object", json.dumps(draw(st.one_of(_scalars, st.lists(_scalars, max_size=3)))).encode()
    return "bytes", draw(st.binary(max_size=64))


@st.composite
def hostile(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """(what was drawn, HTTP method, headers) that a web page, or DNS rebinding, could send."""
    case = draw(st.sampled_from(["method", "content type", "origin", "host", "cross-site"]))
    headers = {"Content-Type": "application/json"}
    method = "POST"
    if case == "method":
        method = draw(st.sampled_from(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]))
    elif case == "content type":
        headers["Content-Type"] = draw(st.sampled_from(
            ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=a", "text/json", "application/jsonx"]
        ))
    elif case == "origin":
        headers["Origin"] = draw(st.sampled_from(["http://evil.example", "null", "https://localhost.evil.example", "ftp://localhost"]))
    elif case == "host":
        headers["Host"] = draw(st.sampled_from(["attacker.example", "attacker.example:80", "127.0.0.1.nip.io", "localhost.evil"]))
    else:
        headers["Sec-Fetch-Site"] = "cross-site"
    return f"refused: {case}", method, headers


# -- the checks ---------------------------------------------------------------------------------------


def _check(server: Server, operation: str, kind: str, method: str, path: str, body: bytes,
           headers: dict[str, str], must_refuse: bool) -> None:
    before = _everything()
    status, answered, text = server.request(method, path, body, headers)
    problems = []
    if status >= 500:
        problems.append(f"answered {status}")
    if b"<html" in text.lower() or b"<!doctype" in text.lower():
        problems.append("an HTML body")
    if b"Traceback" in text:
        problems.append("a traceback")
    if method != "HEAD" and not answered.get("content-type", "").startswith("application/json"):
        problems.append(f"Content-Type {answered.get('content-type')!r}")
    rejected = not 200 <= status < 300
    if must_refuse and not rejected:
        problems.append(f"a request the guard must refuse was answered {status}")
    if rejected:
        after = _everything()
        changed = state.difference(before[0], after[0])
        if changed or before[1] != after[1]:
            problems.append(f"a rejected request changed state: {changed or (before[1], after[1])}")
    code = None
    if rejected and text:
        try:
            document = json.loads(text)
            code = document.get("__type") if isinstance(document, dict) else None
        except ValueError:
            pass
    report.fuzzed("mlmocks-api", operation, "server", kind, status, code or ("rejected" if rejected else None),
                  compared=rejected, html="an HTML body" in problems)
    assert not problems, f"{method} {path} answered {status}: {problems}\nheaders={headers}\nbody={body[:300]!r}\nanswer={text[:300]!r}"


@pytest.mark.parametrize("method", [*METHODS, "no_such_method", "_private"])
def test_fuzzed_control_requests(seeded: Server, method: str) -> None:
    @CONTROL_SETTINGS
    @given(control_bodies(method))
    def fuzz(drawn: tuple[str, bytes]) -> None:
        kind, body = drawn
        _check(seeded, method, kind, "POST", f"/mlmocks-api/{method}", body, {"Content-Type": "application/json"},
               must_refuse=kind in ("deep nesting", "non-finite number", "not an object") or method.startswith(("no_", "_")))

    fuzz()
    # The service still answers, whatever the control was told.
    bedrock = seeded.aws.client("bedrock")
    if method == "reset":
        # A reset (drawn or not) forgets every job: the service answers that it is gone.
        seeded.aws.control.reset()
        with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
            bedrock.get_model_import_job(jobIdentifier=JOB)
        assert bedrock.list_model_import_jobs()["modelImportJobSummaries"] == []
        return
    assert bedrock.get_model_import_job(jobIdentifier=JOB)["jobName"] == JOB
    assert bedrock.list_model_import_jobs()["modelImportJobSummaries"]


@pytest.mark.parametrize("path", [*(f"/mlmocks-api/{m}" for m in METHODS), *MOTO_WRITES])
def test_fuzzed_requests_the_guard_refuses(seeded: Server, path: str) -> None:
    """Every control endpoint, called as a web page (or a rebound DNS name) could: refused,
    with nothing changed."""

    @CONTROL_SETTINGS
    @given(hostile(), control_bodies())
    def fuzz(guard: tuple[str, str, dict[str, str]], drawn: tuple[str, bytes]) -> None:
        kind, method, headers = guard
        _check(seeded, path.rsplit("/", 1)[-1] if path.startswith("/mlmocks-api/") else path, kind, method, path,
               drawn[1], headers, must_refuse=True)

    fuzz()
