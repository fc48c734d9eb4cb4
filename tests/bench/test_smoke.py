"""The benchmark runs end to end at tiny sizes, so it never rots. No timings are judged
here (speed targets live in bench/, measured side by side in one run): only that every
section ran for every service and that what it listed and counted is right."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import QUICK
from bench.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text()), done.stdout


def test_every_section_covers_every_service(quick_run: tuple[dict[str, Any], str]) -> None:
    results, printed = quick_run
    services = [bench.service for bench in SERVICES]
    latency = [(row["service"], row["call"]) for row in results["latency"]]
    assert latency == [(service, call) for service in services for call in ("describe", "list")]
    for row in results["latency"]:
        for subject in ("mlmocks", "moto", "floor", "wire_floor", "direct_floor"):
            assert row[subject]["n"] == QUICK.rounds and row[subject]["median_ms"] > 0
        assert row["mlmocks"]["inside_mock_ms"] > 0 and row["moto"]["inside_mock_ms"] > 0
        # Answering canned bytes leaves less in the mock than the service's own handling.
        assert row["recorded_inside_mock_ms"] > 0
    assert [row["service"] for row in results["memory"]] == services
    assert all(row["bytes_per_job"] > 0 for row in results["memory"])
    assert results["server"]["mlmocks_rps"] > 0 and results["server"]["moto_rps"] > 0
    startup = results["startup"]
    assert set(startup["import_ms"]) == {"moto", "mlmocks", "mlmocks_api"}
    assert startup["service_modules_loaded_on_import"] == []
    suite = results["suite"]
    assert suite["tests"] == QUICK.suite_tests and set(suite["seconds"]) == {"mlmocks", "moto"}
    assert all(value > 0 for value in suite["seconds"].values())
    assert "Targets:" in printed


def test_lists_page_through_everything(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    rows = {(row["service"], row["listing"]): row for row in results["scaling"]}
    for bench in SERVICES:
        assert rows[(bench.service, f"create {bench.job}s")]["kind"] == "create"
        for listing in bench.listings:
            for n, measured in rows[(bench.service, listing.label)]["by_n"].items():
                assert 0 < measured["items"] <= int(n) + 4
    for n in map(str, QUICK.scaling_sizes):
        # Unfiltered paginated lists return every job, over as many pages as the
        # service's default page size makes.
        assert rows[("bedrock", "ListModelImportJobs")]["by_n"][n]["items"] == int(n)
        compilation = rows[("sagemaker", "ListCompilationJobs")]["by_n"][n]
        assert (compilation["items"], compilation["pages"]) == (int(n), -(-int(n) // 10))
        assert rows[("lookoutvision", "ListModelPackagingJobs")]["by_n"][n]["items"] == int(n)
        # Filters keep the half of the jobs named "...-a...".
        assert rows[("bedrock", "ListModelImportJobs status+name, ascending")]["by_n"][n]["items"] == int(n) // 2
        # Neptune ML's lists return the newest 10 ids unless told more.
        neptune = rows[("neptunedata", "ListMLDataProcessingJobs (no paging)")]["by_n"][n]
        assert neptune["items"] == min(int(n), 10)


def test_targets_are_judged(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    targets = results["targets"]
    assert targets and all(isinstance(target["pass"], bool) for target in targets)
    # Three per call (wire floor, recorded in-mock time, moto), one per list, two per
    # memory row (bytes, reset), one or two of the server, the suite, import and lazy loading.
    server = 2 if "moto_via_ratio" in results["server"] else 1
    expected = 3 * len(results["latency"]) + len(results["scaling"]) + 2 * len(results["memory"]) + server + 3
    assert len(targets) == expected
