"""The sections that need other processes: server throughput and start-up."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .services import MOTO_BASELINES, REGION, ServiceBench
from .timing import ratio

# -- 4. server throughput -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _servers(*commands: list[str]) -> Iterator[list[str]]:
    """Servers started with ``command + [port]`` on free local ports (all at once, so
    they boot side by side); yields their URLs once every one answers."""
    started = []
    try:
        for command in commands:
            port = _free_port()
            process = subprocess.Popen([*command, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started.append((command, process, f"http://127.0.0.1:{port}"))
        deadline = time.monotonic() + 60
        for command, process, endpoint in started:
            while True:
                try:
                    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"{}", headers={"Content-Type": "application/json"})
                    urllib.request.urlopen(reset, timeout=5).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{' '.join(command)} did not start") from None
                    time.sleep(0.1)
        yield [endpoint for _, _, endpoint in started]
    finally:
        for _, process, _ in started:
            process.terminate()
        for _, process, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _client(service: str, endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(retries={"max_attempts": 1}),
    )


_worker_clients: dict[tuple[str, str], Any] = {}


def _worker(service: str, endpoint: str, method: str, params: dict[str, Any], start_at: float,
            seconds: float) -> tuple[int, float, float]:
    """One client process: calls as fast as it can from ``start_at`` for ``seconds``.
    Returns its calls, the seconds it actually ran and the CPU seconds it spent."""
    key = (service, endpoint)
    if key not in _worker_clients:
        _worker_clients[key] = _client(service, endpoint)
        for _ in range(5):
            getattr(_worker_clients[key], method)(**params)
    call = getattr(_worker_clients[key], method)
    while time.time() < start_at:
        time.sleep(0.001)
    began, cpu = time.time(), time.process_time()
    end = start_at + seconds
    count = 0
    while time.time() < end:
        call(**params)
        count += 1
    return count, max(time.time() - began, 1e-9), time.process_time() - cpu


def server(bench: ServiceBench, clients: int, seconds: float, rounds: int, warmup: float) -> dict[str, Any]:
    """Requests per second from ``clients`` concurrent client processes: the service's
    describe/get on ``mlmocks-server``, and moto's own call of the same protocol on moto's
    server, in alternating slices of ``seconds`` (after a slice each to warm up)."""
    baseline = MOTO_BASELINES[_client(bench.service, "http://127.0.0.1:1").meta.service_model.protocol]
    ours_cmd = [sys.executable, "-m", "mlmocks", "--port"]
    moto_cmd = [sys.executable, "-m", "moto.server", "--port"]
    with _servers(ours_cmd, moto_cmd) as (ours, theirs):
        ours_client = _client(bench.service, ours)
        bench.prepare(ours_client)
        bench.seed(ours_client, 10)
        describe = bench.describe_call(ours_client)
        baseline.seed(_client(baseline.service, theirs), 10)
        subjects = {
            "mlmocks": (bench.service, ours, *describe),
            "moto": (baseline.service, theirs, *baseline.describe),
        }
        # A call moto answers (not one mlmocks took over), on moto_server and through
        # mlmocks-server (which hands it to moto's backend).
        moto_call = next(b for b in MOTO_BASELINES.values() if not _taken_over(b))
        for endpoint in (ours, theirs):
            moto_call.seed(_client(moto_call.service, endpoint), 10)
        subjects["moto_call"] = (moto_call.service, theirs, *moto_call.describe)
        subjects["moto_via_mlmocks"] = (moto_call.service, ours, *moto_call.describe)
        rates: dict[str, list[float]] = {name: [] for name in subjects}
        context = multiprocessing.get_context("spawn")
        with context.Pool(clients) as pool:
            for index in range(rounds + 1):
                order = list(subjects) if index % 2 == 0 else list(reversed(subjects))
                for name in order:
                    # Every worker starts at the same moment, well after the slowest
                    # one has its client ready.
                    start_at = time.time() + (warmup if index == 0 else 0.3)
                    args = [(*subjects[name], start_at, seconds)] * clients
                    total = sum(calls / ran for calls, ran, _ in pool.starmap(_worker, args, chunksize=1))
                    if index > 0:  # the first round warms up clients and servers
                        rates[name].append(total)
    rps = {name: statistics.median(values) for name, values in rates.items()}
    via = {
        "moto_call": f"{moto_call.service} {_operation_name(moto_call.service, moto_call.describe[0])}",
        "moto_call_rps": rps["moto_call"],
        "moto_via_mlmocks_rps": rps["moto_via_mlmocks"],
        "moto_via_ratio": ratio(rps["moto_via_mlmocks"], rps["moto_call"]),
    }
    return {
        **via,
        "service": bench.service,
        "operation": _operation_name(bench.service, describe[0]),
        "moto_operation": f"{baseline.service} {_operation_name(baseline.service, baseline.describe[0])}",
        "clients": clients,
        "seconds": seconds,
        "rounds": rounds,
        "mlmocks_rps": rps["mlmocks"],
        "moto_rps": rps["moto"],
        "ratio": ratio(rps["mlmocks"], rps["moto"]),
    }


def _taken_over(baseline: Any) -> bool:
    """Whether mlmocks answers the baseline's describe itself (then it is no moto call)."""
    from mlmocks.core.registry import implemented_operations

    operation = _operation_name(baseline.service, baseline.describe[0])
    return operation in implemented_operations().get(baseline.service, frozenset())


def _operation_name(service: str, method: str) -> str:
    return str(_client(service, "http://127.0.0.1:1").meta.method_to_api_mapping[method])


# -- 5. start-up --------------------------------------------------------------------------------

_IMPORT = """
import json, sys, time
start = time.perf_counter()
{statement}
seconds = time.perf_counter() - start
loaded = sorted(m for m in sys.modules if m.startswith("mlmocks.") and m.rsplit(".", 1)[-1] in ("models", "responses"))
print(json.dumps({{"seconds": seconds, "service_modules_loaded": loaded}}))
"""

_EMPTY_TEST = """
import json, statistics, time
start = time.perf_counter()
{statement}

@mock
def test_nothing():
    pass

imported = time.perf_counter()
test_nothing()
first = time.perf_counter()
laps = []
for _ in range({repeats}):
    lap = time.perf_counter()
    test_nothing()
    laps.append(time.perf_counter() - lap)
print(json.dumps({{"import": imported - start, "first": first - imported, "each": statistics.median(laps)}}))
"""

IMPORTS = {
    "moto": "import moto",
    "mlmocks": "import mlmocks",
    "mlmocks_api": "from mlmocks import mock_mljobs",
}
DECORATORS = {
    "moto": "from moto import mock_aws as mock",
    "mlmocks": "from mlmocks import mock_mljobs as mock",
}


def _child(code: str) -> dict[str, Any]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def startup(repeats: int, laps: int) -> dict[str, Any]:
    """Import times in fresh interpreters (median of ``repeats``, interleaved, after one
    untimed run each to warm the bytecode caches), and one decorated empty test."""
    if repeats > 1:
        for statement in IMPORTS.values():
            _child(_IMPORT.format(statement=statement))
    imports: dict[str, list[float]] = {name: [] for name in IMPORTS}
    loaded: list[str] = []
    tests: dict[str, dict[str, list[float]]] = {name: {"import": [], "first": [], "each": []} for name in DECORATORS}
    for _ in range(repeats):
        for name, statement in IMPORTS.items():
            result = _child(_IMPORT.format(statement=statement))
            imports[name].append(result["seconds"])
            if name == "mlmocks_api":
                loaded = sorted(set(loaded) | set(result["service_modules_loaded"]))
        for name, statement in DECORATORS.items():
            result = _child(_EMPTY_TEST.format(statement=statement, repeats=laps))
            for key in tests[name]:
                tests[name][key].append(result[key])
    median = {name: statistics.median(values) * 1e3 for name, values in imports.items()}
    empty = {
        name: {f"{key}_ms": statistics.median(values) * 1e3 for key, values in parts.items()}
        for name, parts in tests.items()
    }
    return {
        "import_ms": median,
        "import_ratio": ratio(median["mlmocks_api"], median["moto"]),
        "bare_import_ratio": ratio(median["moto"] + median["mlmocks"], median["moto"]),
        "service_modules_loaded_on_import": loaded,
        "empty_test": empty,
        "empty_test_first_ratio": ratio(
            empty["mlmocks"]["import_ms"] + empty["mlmocks"]["first_ms"],
            empty["moto"]["import_ms"] + empty["moto"]["first_ms"],
        ),
        "empty_test_each_ratio": ratio(empty["mlmocks"]["each_ms"], empty["moto"]["each_ms"]),
    }


# -- 6. an imagined user's suite ----------------------------------------------------------------

_SUITE = """
import json, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
import boto3
{statement}
from bench.services import {names}
imported = time.perf_counter()
tests = []
for index in range({tests}):
    bench = {rotation}[index % {count}]

    @mock
    def test(bench=bench):
        # What a test of job-driving code does: two jobs made, one read, the list, one again.
        client = bench.client()
        bench.create(client, 0)
        bench.create(client, 1)
        getattr(client, bench.describe[0])(**bench.describe[1])
        getattr(client, bench.list[0])(**bench.list[1])
        getattr(client, bench.describe[0])(**bench.describe[1])

    tests.append(test)
for test in tests:
    test()
done = time.perf_counter()
print(json.dumps({{"import": imported - start, "tests": done - imported}}))
"""

#: The imagined suite's tests, each under the decorator: mlmocks' services against moto's
#: own of the same protocols (each ``MOTO_BASELINES`` entry has the same five calls).
SUITES = {
    "mlmocks": ("from mlmocks import mock_mljobs as mock", "BEDROCK, SAGEMAKER", "(BEDROCK, SAGEMAKER)"),
    "moto": (
        "from moto import mock_aws as mock",
        "MOTO_BASELINES",
        "(MOTO_BASELINES['rest-json'], MOTO_BASELINES['json'])",
    ),
}


def suite(tests: int, repeats: int) -> dict[str, Any]:
    """``tests`` decorated tests making 5 calls each (half Bedrock, half SageMaker, each
    test with its own client, as tests make them), run in fresh interpreters, the two
    suites alternating ``repeats`` times; the median of each. moto's side imports no
    mlmocks at all."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    seconds: dict[str, list[float]] = {name: [] for name in SUITES}
    imports: dict[str, list[float]] = {name: [] for name in SUITES}
    for index in range(repeats):
        order = list(SUITES) if index % 2 == 0 else list(reversed(SUITES))
        for name in order:
            statement, names, rotation = SUITES[name]
            code = _SUITE.format(root=root, statement=statement, names=names, rotation=rotation, tests=tests, count=2)
            result = _child(code)
            seconds[name].append(result["tests"])
            imports[name].append(result["import"])
    median = {name: statistics.median(values) for name, values in seconds.items()}
    return {
        "tests": tests,
        "calls_per_test": 5,
        "repeats": repeats,
        "seconds": median,
        "import_seconds": {name: statistics.median(values) for name, values in imports.items()},
        "ms_per_test": {name: 1e3 * value / tests for name, value in median.items()},
        "ratio": ratio(median["mlmocks"] + statistics.median(imports["mlmocks"]),
                       median["moto"] + statistics.median(imports["moto"])),
    }
