"""The in-process sections: per-call latency, list scaling, memory per stored job.

Everything here runs under ``mock_mljobs`` in this process, through boto3 clients, the
way a test suite calls mlmocks.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.stub import Stubber

from mlmocks.core.registry import implemented_operations

from .services import MOTO_BASELINES, Call, Listing, MotoBaseline, ServiceBench
from .timing import MockClock, Stopwatch, Subject, interleaved, ratio


def _bound(client: Any, call: Call) -> Callable[[], Any]:
    method = getattr(client, call[0])
    params = call[1]
    return lambda: method(**params)


def _operation(client: Any, method: str) -> str:
    return str(client.meta.method_to_api_mapping[method])


@contextmanager
def moto_alone() -> Iterator[None]:
    """moto as it is without mlmocks: mlmocks' URL patterns out of moto's routing.

    mlmocks answers first on the hosts it shares with moto (Bedrock, SageMaker) and hands
    moto's operations on; this takes that hand-off out (and mlmocks' direct path), so
    moto's own calls are timed as moto alone answers them."""
    import moto.backend_index as backend_index

    from mlmocks.core import direct
    from mlmocks.core.registry import specs

    keys = {spec.key for spec in specs().values()}
    patterns = backend_index.backend_url_patterns
    saved = list(patterns)
    patterns[:] = [entry for entry in saved if entry[0] not in keys]
    direct.ENABLED = False
    try:
        yield
    finally:
        patterns[:] = saved
        direct.ENABLED = True


#: In-mock time of each benchmarked call in the run recorded before the direct path and
#: the compiled writers (bench/RESULTS.md at 44bf4ee, table 1b): the performance issue's
#: in-mock target is half of it.
RECORDED_INSIDE_MOCK_MS = {
    "bedrock GetModelImportJob": 0.297,
    "bedrock ListModelImportJobs": 0.478,
    "sagemaker DescribeCompilationJob": 0.361,
    "sagemaker ListCompilationJobs": 0.511,
    "neptunedata GetMLDataProcessingJob": 0.321,
    "neptunedata ListMLDataProcessingJobs": 0.335,
    "lookoutvision DescribeModelPackagingJob": 0.344,
    "lookoutvision ListModelPackagingJobs": 0.455,
    "cleanroomsml GetTrainedModel": 0.390,
    "cleanroomsml ListTrainedModels": 0.521,
}


@contextmanager
def canned_answers(status: int, headers: dict[str, str], body: str | bytes) -> Iterator[None]:
    """mlmocks' direct path with every handler replaced by one answering these bytes at
    once: the in-mock floor of an in-process mock answering through moto's stubber."""
    from mlmocks.core import direct

    real_route = direct._route

    def route(clean: str) -> Any:
        routed = real_route(clean)
        return None if routed is None else (routed[0], lambda request, url, request_headers: (status, headers, body))

    direct._route = route  # type: ignore[assignment]
    try:
        yield
    finally:
        direct._route = real_route  # type: ignore[assignment]


def reset() -> None:
    """What ``POST /moto-api/reset`` does: every backend, moto's and mlmocks', emptied."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


# -- 1. per-call latency --------------------------------------------------------------------------


def latency(services: tuple[ServiceBench, ...], stored: int, rounds: int, warmup: int) -> list[dict[str, Any]]:
    """Each service's describe/get and list call, next to moto's own call of the same
    protocol and to the floor (the same boto3 call answered by botocore's Stubber with
    the same response), ``stored`` jobs on each side."""
    from mlmocks import mock_mljobs

    rows = []
    with mock_mljobs(), MockClock().installed() as clock:
        moto_clients: dict[str, Any] = {}
        for bench in services:
            client = bench.client()
            bench.prepare(client)
            bench.seed(client, stored)
            protocol = client.meta.service_model.protocol
            baseline = MOTO_BASELINES[protocol]
            if protocol not in moto_clients:
                moto_clients[protocol] = baseline.client()
                with moto_alone():
                    baseline.seed(moto_clients[protocol], stored)
            for role, ours, theirs in (
                ("describe", bench.describe_call(client), baseline.describe),
                ("list", bench.list_call(client), baseline.list),
            ):
                pair = Pair(bench, baseline, client, moto_clients[protocol], ours, theirs)
                rows.append({"call": role, **pair.measure(clock, rounds, warmup)})
    return rows


@dataclass
class Pair:
    """One of our calls and moto's counterpart, with their floors."""

    bench: ServiceBench
    baseline: MotoBaseline
    client: Any
    moto_client: Any
    ours: Call
    theirs: Call

    def measure(self, clock: MockClock, rounds: int, warmup: int) -> dict[str, Any]:
        clock.last_response = None
        answer = _bound(self.client, self.ours)()
        answer.pop("ResponseMetadata", None)
        status, headers, body = clock.last_response
        with moto_alone():
            moto_answer = _bound(self.moto_client, self.theirs)()
        moto_answer.pop("ResponseMetadata", None)
        floor, add_floor_answer = _stubbed(self.bench.client(), self.ours[0], answer)
        moto_floor, add_moto_floor_answer = _stubbed(self.baseline.client(), self.theirs[0], moto_answer)
        subjects = {
            "mlmocks": Subject(_bound(self.client, self.ours), clock=clock),
            # The same call, every handler answering these bytes at once: what is left
            # in the mock is moto's stubber, routing and the request, no service code.
            "direct_floor": Subject(
                _bound(self.client, self.ours), context=lambda: canned_answers(status, headers, body), clock=clock
            ),
            "moto": Subject(_bound(self.moto_client, self.theirs), context=moto_alone, clock=clock),
            "floor": Subject(_bound(floor, self.ours), before=add_floor_answer),
            "wire_floor": Subject(_bound(_canned(self.bench, status, headers, body), self.ours)),
            # moto's own call, by the same measure: its floor is its response, stubbed.
            "moto_floor": Subject(_bound(moto_floor, self.theirs), before=add_moto_floor_answer),
        }
        # (Only while the baseline call is still moto's: mlmocks took some over.)
        shared_host = self.baseline.service == self.bench.service and _operation(
            self.moto_client, self.theirs[0]
        ) not in implemented_operations().get(self.baseline.service, frozenset())
        if shared_host:
            # moto's call with mlmocks loaded: what the hand-off on a shared host costs.
            subjects["moto_with_mlmocks"] = Subject(_bound(self.moto_client, self.theirs))
        stats = interleaved(subjects, rounds, warmup)
        ours, theirs = stats["mlmocks"], stats["moto"]
        row: dict[str, Any] = {
            "service": self.bench.service,
            "operation": _operation(self.client, self.ours[0]),
            "protocol": self.baseline.protocol,
            "moto_operation": f"{self.baseline.service} {_operation(self.moto_client, self.theirs[0])}",
            **stats,
            "ratio_moto": ratio(ours["median_ms"], theirs["median_ms"]),
            "ratio_floor": ratio(ours["median_ms"], stats["floor"]["median_ms"]),
            "ratio_wire_floor": ratio(ours["median_ms"], stats["wire_floor"]["median_ms"]),
            "moto_ratio_floor": ratio(theirs["median_ms"], stats["moto_floor"]["median_ms"]),
            "ratio_inside_mock": ratio(ours["inside_mock_ms"], theirs["inside_mock_ms"]),
            "recorded_inside_mock_ms": RECORDED_INSIDE_MOCK_MS.get(
                f"{self.bench.service} {_operation(self.client, self.ours[0])}"
            ),
        }
        if shared_host:
            row["handoff_ratio"] = ratio(stats["moto_with_mlmocks"]["median_ms"], theirs["median_ms"])
        return row


class _UncheckedStubber(Stubber):
    """botocore's Stubber, taking a response its output shape would refuse (moto's
    GetModelCustomizationJob leaves out the required validationDataConfig)."""

    def _validate_operation_response(self, operation_name: str, service_response: Any) -> None:
        pass


def _stubbed(client: Any, method: str, answer: dict[str, Any]) -> tuple[Any, Callable[[], None]]:
    """``client`` answered by botocore's Stubber, and what queues ``answer`` for one call."""
    stubber = _UncheckedStubber(client)
    stubber.activate()
    return client, lambda: stubber.add_response(method, answer)


def _canned(bench: ServiceBench, status: int, headers: dict[str, str], body: str | bytes) -> Any:
    """A client of the service whose every request is answered at once with this raw
    HTTP response: the floor of any mock that answers over HTTP (botocore still signs
    the request and parses the response)."""
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import MockRawResponse
    from moto.core.models import botocore_stubber

    client = bench.client()

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, headers, MockRawResponse(body))  # type: ignore[arg-type]

    # botocore calls every before-send handler: moto's must go, or it would still
    # answer (and be timed) behind the canned response.
    client.meta.events.unregister("before-send", botocore_stubber)
    client.meta.events.register_first("before-send", answer)
    return client


# -- 2. list scaling ------------------------------------------------------------------------------


def scaling(
    services: tuple[ServiceBench, ...], sizes: tuple[int, ...], repeats: tuple[int, ...]
) -> list[dict[str, Any]]:
    """Create N jobs, then page through each listing with boto3's paginator at the
    service's default page size; the median of ``repeats[k]`` passes at ``sizes[k]``."""
    from mlmocks import mock_mljobs

    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for bench in services:
        for n, passes_at_n in zip(sizes, repeats, strict=True):
            with mock_mljobs():
                client = bench.client()
                bench.prepare(client)
                # Garbage left by earlier stores (jobs and backends refer to each other)
                # is collected first, so each timing is of this store's own work.
                gc.collect()
                with Stopwatch() as creating:
                    bench.seed(client, n)
                _scaling_entry(rows, bench, "create", n, {"seconds": creating.seconds, "items": n})
                for listing in bench.listings:
                    if listing.seed is not None:
                        listing.seed(client, n)
                    passes = [_page_through(client, listing) for _ in range(passes_at_n)]
                    passes.sort(key=lambda p: p["seconds"])
                    _scaling_entry(rows, bench, listing.label, n, passes[len(passes) // 2])
    result = list(rows.values())
    for row in result:
        first, last = sizes[0], sizes[-1]
        row["ratio"] = ratio(row["by_n"][str(last)]["seconds"], row["by_n"][str(first)]["seconds"])
    return result


def _scaling_entry(
    rows: dict[tuple[str, str], dict[str, Any]], bench: ServiceBench, label: str, n: int, measured: dict[str, Any]
) -> None:
    """``label`` "create" is the creation of the jobs; any other, a listing."""
    creating = label == "create"
    row = rows.setdefault(
        (bench.service, label),
        {
            "service": bench.service,
            "listing": f"create {bench.job}s" if creating else label,
            "kind": "create" if creating else "list",
            "by_n": {},
        },
    )
    row["by_n"][str(n)] = measured


def _page_through(client: Any, listing: Listing) -> dict[str, Any]:
    gc.collect()
    items = pages = 0
    with Stopwatch() as watch:
        if client.can_paginate(listing.method):
            iterator = client.get_paginator(listing.method).paginate(**listing.params)
            key = iterator.result_keys[0].expression
            for page in iterator:
                pages += 1
                items += len(page.get(key, []))
        else:
            answer = getattr(client, listing.method)(**listing.params)
            pages = 1
            items = max((len(v) for v in answer.values() if isinstance(v, list)), default=0)
    return {"seconds": watch.seconds, "items": items, "pages": pages}


# -- 3. memory per stored job ---------------------------------------------------------------------


def memory(services: tuple[ServiceBench, ...], n: int) -> list[dict[str, Any]]:
    """Bytes traced by tracemalloc per stored job at ``n`` jobs, and what a reset gives back."""
    from mlmocks import mock_mljobs

    rows = []
    with mock_mljobs():
        for bench in services:
            client = bench.client()
            # Warm up first (lazy imports, compiled patterns, botocore's caches), so the
            # traced growth is the jobs' own.
            bench.prepare(client)
            bench.seed(client, min(n, 20))
            reset()
            gc.collect()
            tracemalloc.start()
            try:
                base = tracemalloc.get_traced_memory()[0]
                bench.prepare(client)
                bench.seed(client, n)
                gc.collect()
                stored = tracemalloc.get_traced_memory()[0] - base
                reset()
                gc.collect()
                retained = tracemalloc.get_traced_memory()[0] - base
            finally:
                tracemalloc.stop()
            rows.append(
                {
                    "service": bench.service,
                    "job": bench.job,
                    "n": n,
                    "stored_bytes": stored,
                    "bytes_per_job": stored / n,
                    "retained_after_reset_bytes": retained,
                    "retained_fraction": ratio(max(retained, 0), stored),
                }
            )
    return rows
