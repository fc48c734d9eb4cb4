"""The figures of a reliability run, and ``RELIABILITY.md`` written from them.

Tests record what they did here (requests fuzzed, races run, faults injected). With
xdist each worker hands its figures to the controller through ``workeroutput``; the
controller (or the only process) writes ``build/RELIABILITY.md`` (ignored by git, so a
test run leaves the tree clean) once a run has covered every implemented operation in both
modes with no test filter, so a partial run never overwrites it.
``MLMOCKS_RELIABILITY_REPORT`` names another file to write (or ``-`` for none):
``MLMOCKS_RELIABILITY_REPORT=RELIABILITY.md python -m pytest -n 2`` refreshes the
committed snapshot, the only way it is rewritten.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
_KEY = "mlmocks_reliability"
_lock = threading.Lock()


class Figures:
    def __init__(self) -> None:
        #: "service operation" -> mode -> counter of "requests", "2xx", "4xx", "state compared",
        #: "kind:<mutation>", "code:<error code>"
        self.fuzz: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        #: race name -> counter of "runs", "threads", "calls"
        self.races: dict[str, Counter[str]] = defaultdict(Counter)
        #: fault name -> times injected
        self.faults: Counter[str] = Counter()
        #: nodeid -> first line of the docstring, for regression tests
        self.regressions: dict[str, str] = {}
        #: nodeid -> outcome, for every reliability test (controller side)
        self.outcomes: dict[str, str] = {}
        self.settings: dict[str, Any] = {}
        #: "service operation: problem" -> count, for moto's answers on a shared host
        self.moto_deviations: Counter[str] = Counter()

    def as_json(self) -> dict[str, Any]:
        return {
            "fuzz": {op: {mode: dict(c) for mode, c in modes.items()} for op, modes in self.fuzz.items()},
            "races": {name: dict(c) for name, c in self.races.items()},
            "faults": dict(self.faults),
            "regressions": self.regressions,
            "settings": self.settings,
            "moto_deviations": dict(self.moto_deviations),
        }

    def merge(self, data: dict[str, Any]) -> None:
        for op, modes in data.get("fuzz", {}).items():
            for mode, counts in modes.items():
                self.fuzz[op][mode].update(counts)
        for name, counts in data.get("races", {}).items():
            self.races[name].update(counts)
        self.faults.update(data.get("faults", {}))
        self.regressions.update(data.get("regressions", {}))
        self.settings.update(data.get("settings", {}))
        self.moto_deviations.update(data.get("moto_deviations", {}))


FIGURES = Figures()


#: The "service" the job-control API's figures are kept under.
CONTROL = "mlmocks-api"


def fuzzed(
    service: str, operation: str, mode: str, kind: str, status: int, code: str | None, compared: bool,
    html: bool = False,
) -> None:
    with _lock:
        counts = FIGURES.fuzz[f"{service} {operation}"][mode]
        counts["requests"] += 1
        if html:
            counts["html"] += 1
        counts["2xx" if 200 <= status < 300 else "4xx" if 400 <= status < 500 else f"{status // 100}xx"] += 1
        counts[f"kind:{kind}"] += 1
        if code:
            counts[f"code:{code}"] += 1
        if compared:
            counts["state compared"] += 1


def moto_deviation(service: str, operation: str, problem: str) -> None:
    with _lock:
        FIGURES.moto_deviations[f"{service} {operation}: {problem}"] += 1


def race(name: str, threads: int, calls: int) -> None:
    with _lock:
        FIGURES.races[name]["runs"] += 1
        FIGURES.races[name]["threads"] += threads
        FIGURES.races[name]["calls"] += calls


def fault(name: str, times: int = 1) -> None:
    with _lock:
        FIGURES.faults[name] += times


def setting(name: str, value: Any) -> None:
    FIGURES.settings[name] = value


# -- pytest hooks (the plugin is loaded by tests/conftest.py) --------------------------------


def _is_reliability(nodeid: str) -> bool:
    return nodeid.startswith("tests/reliability/")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "regression(what_failed): a test kept for a failure the reliability tests found"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Regression tests: every test of test_regressions.py (the first line of its
    docstring says what failed) and any test marked ``regression("what failed")``."""
    for item in items:
        if not _is_reliability(item.nodeid):
            continue
        marker = item.get_closest_marker("regression")
        if marker is not None:
            what = marker.args[0]
        elif "test_regressions" in item.nodeid:
            what = (getattr(item, "function", None).__doc__ or item.name).strip().splitlines()[0]  # type: ignore[union-attr]
        else:
            continue
        FIGURES.regressions[item.nodeid.split("[")[0]] = what


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _is_reliability(report.nodeid):
        return
    if report.when == "call" or report.failed or report.skipped:
        previous = FIGURES.outcomes.get(report.nodeid)
        if previous != "failed":
            FIGURES.outcomes[report.nodeid] = report.outcome


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_KEY] = json.dumps(FIGURES.as_json())
        return
    _write_if_complete(config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    data = getattr(node, "workeroutput", {}).get(_KEY)
    if data:
        FIGURES.merge(json.loads(data))


def _write_if_complete(config: pytest.Config) -> None:
    target = os.environ.get("MLMOCKS_RELIABILITY_REPORT", str(ROOT / "build" / "RELIABILITY.md"))
    if target == "-" or not FIGURES.fuzz:
        return
    if config.getoption("keyword") or config.getoption("markexpr") or config.getoption("lf", False):
        return
    from mlmocks.core.registry import implemented_operations

    expected = {f"{s} {o}" for s, ops in implemented_operations().items() for o in ops}
    covered = {op for op, modes in FIGURES.fuzz.items() if {"decorator", "server"} <= set(modes)}
    if not expected <= covered:
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(FIGURES))


# -- the document ----------------------------------------------------------------------------


def _outcome(figures: Figures, test: str) -> str:
    """passed, failed or not run, over every parametrization of a test."""
    found = {outcome for nodeid, outcome in figures.outcomes.items() if nodeid.split("[")[0] == test}
    return "failed" if "failed" in found else "passed" if found == {"passed"} else "not run" if not found else ", ".join(sorted(found))


def _moto_section(figures: Figures) -> list[str]:
    if not figures.moto_deviations:
        return []
    return [
        "## Answered by moto",
        "",
        "On a host shared with moto, requests for moto's own resources are moto's to answer "
        "(after mlmocks checked them against the model). Where moto's status code differs "
        "from the model's, the run counts it here instead of failing:",
        "",
        "| operation: what differs | times |",
        "|---|---:|",
        *[f"| {what} | {_n(count)} |" for what, count in sorted(figures.moto_deviations.items())],
        "",
    ]


def _n(value: int) -> str:
    return f"{value:,}"


def render(figures: Figures) -> str:
    from mlmocks.core.registry import implemented_operations
    from tests.reliability.services import without_fixture

    settings = figures.settings
    total: Counter[str] = Counter()
    for modes in figures.fuzz.values():
        for counts in modes.values():
            total.update(counts)
    control = {op.split(" ", 1)[1]: modes.get("server", Counter()) for op, modes in figures.fuzz.items()
               if op.startswith(f"{CONTROL} ")}
    outcomes = Counter(figures.outcomes.values())
    failed = sorted(nodeid for nodeid, outcome in figures.outcomes.items() if outcome == "failed")
    lines = [
        "# Reliability",
        "",
        "Written by the test run (`tests/reliability/`), never by hand: run "
        "`python -m pytest -n 2 tests/reliability` (or the whole suite) to refresh it. A longer "
        "fuzz run: `MLMOCKS_FUZZ_EXAMPLES=2000 python -m pytest -n 2 tests/reliability` (see README).",
        "",
        f"- fuzz examples per operation and mode: {settings.get('examples')}"
        f" ({'derandomized, as in CI' if settings.get('derandomized') else 'random'}),"
        f" per-example deadline {settings.get('deadline_ms')} ms",
        f"- moto {settings.get('moto')}, botocore {settings.get('botocore')}, hypothesis {settings.get('hypothesis')}",
        "",
        "## Summary",
        "",
        "| figure | count |",
        "|---|---:|",
        f"| operations fuzzed (each in-process and over HTTP) | {len([op for op in figures.fuzz if not op.startswith(CONTROL)])} |",
        f"| job-control API endpoints fuzzed (over HTTP, with the network guard's cases) | {len(control)} |",
        f"| requests fuzzed (operations and control API) | {_n(total['requests'])} |",
        f"| answered 2xx, conforming to the output shape | {_n(total['2xx'])} |",
        f"| answered 4xx in the service's wire format: a modeled error, the service's validation error, or UnknownOperationException for a path naming no operation | {_n(total['4xx'])} |",
        f"| answered 5xx | {_n(total['5xx'])} |",
        f"| answered with an HTML body | {_n(total['html'])} |",
        f"| rejected requests whose backends' full state was compared before and after | {_n(total['state compared'])} |",
        f"| races run | {_n(sum(c['runs'] for c in figures.races.values()))} |",
        f"| faults injected | {_n(sum(figures.faults.values()))} |",
        f"| reliability tests passed / failed | {outcomes['passed']} / {outcomes['failed']} |",
        f"| failures found and fixed (each kept as a regression test, below) | {len(figures.regressions)} |",
        "",
    ]
    if failed:
        lines += ["Failing in this run:", "", *[f"- `{nodeid}`" for nodeid in failed], ""]
    lines += [
        "## Requests fuzzed per operation",
        "",
        "| service | operation | in-process | over HTTP | 2xx | 4xx | errors answered |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    implemented = implemented_operations()
    for service in sorted(implemented):
        for operation in sorted(implemented[service]):
            modes = figures.fuzz.get(f"{service} {operation}", {})
            both: Counter[str] = Counter()
            for counts in modes.values():
                both.update(counts)
            codes = sorted((k[5:] for k in both if k.startswith("code:")), key=lambda c: -both[f"code:{c}"])
            shown = ", ".join(f"{code} {both[f'code:{code}']}" for code in codes)
            lines.append(
                f"| {service} | {operation} | {_n(modes.get('decorator', Counter())['requests'])} "
                f"| {_n(modes.get('server', Counter())['requests'])} | {_n(both['2xx'])} | {_n(both['4xx'])} | {shown} |"
            )
    if control:
        lines += [
            "",
            "## Control API fuzzed (`/mlmocks-api/`, and moto's control endpoints as a web page would call them)",
            "",
            "| endpoint | requests | 2xx | 4xx | state compared |",
            "|---|---:|---:|---:|---:|",
            *[
                f"| `{name}` | {_n(c['requests'])} | {_n(c['2xx'])} | {_n(c['4xx'])} | {_n(c['state compared'])} |"
                for name, c in sorted(control.items())
            ],
        ]
    kinds = sorted((k[5:] for k in total if k.startswith("kind:")), key=lambda k: -total[f"kind:{k}"])
    lines += [
        "",
        "## What the fuzzed requests broke",
        "",
        "| request | count |",
        "|---|---:|",
        *[f"| {kind} | {_n(total[f'kind:{kind}'])} |" for kind in kinds],
        "",
        "## Races (the 2,000 jobs against the threaded server; the others in-process and against the server)",
        "",
        "| race | runs | threads | calls |",
        "|---|---:|---:|---:|",
        *[
            f"| {name} | {_n(c['runs'])} | {_n(c['threads'])} | {_n(c['calls'])} |"
            for name, c in sorted(figures.races.items())
        ],
        "",
        *_moto_section(figures),
        "## Faults injected",
        "",
        "| fault | times |",
        "|---|---:|",
        *[f"| {name} | {_n(count)} |" for name, count in sorted(figures.faults.items())],
        "",
        "## Failures found and fixed",
        "",
        "Each failure the reliability tests found is fixed and kept as a regression test:",
        "",
        "| regression test | what failed | now |",
        "|---|---|---|",
        *[
            f"| `{nodeid.split('/')[-1]}` | {doc} | {_outcome(figures, nodeid)} |"
            for nodeid, doc in sorted(figures.regressions.items())
        ],
        "",
    ]
    missing = without_fixture()
    if missing:
        lines += [
            "Services without a reliability fixture (`tests/<service>/reliability.py`): fuzzed "
            "from the model alone, left out of the races: " + ", ".join(missing) + ".",
            "",
        ]
    return "\n".join(lines)
