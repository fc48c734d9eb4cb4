"""``python -m bench``: run the benchmark, print the tables, write the JSON file.

    python -m bench                      # the full run (the better part of an hour)
    python -m bench --quick              # tiny sizes, seconds: what the test suite runs
    python -m bench --only latency,scaling --services bedrock --json /tmp/r.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

SECTIONS = ("latency", "scaling", "memory", "server", "startup", "suite")
DEFAULT_JSON = Path(__file__).resolve().parent / "results.json"


@dataclass(frozen=True)
class Settings:
    stored: int  # jobs on each side for the per-call latency
    rounds: int
    warmup: int
    scaling_sizes: tuple[int, ...]
    scaling_repeats: tuple[int, ...]  # passes per size
    memory_n: int
    server_clients: int
    server_seconds: float
    server_rounds: int
    server_warmup: float  # seconds the client processes get to start before the first slice
    startup_repeats: int
    empty_test_laps: int
    suite_tests: int
    suite_repeats: int


FULL = Settings(
    stored=10, rounds=400, warmup=40, scaling_sizes=(10_000, 100_000), scaling_repeats=(3, 1), memory_n=100_000,
    server_clients=4, server_seconds=2.0, server_rounds=3, server_warmup=3.0, startup_repeats=7,
    empty_test_laps=30, suite_tests=500, suite_repeats=2,
)
QUICK = Settings(
    stored=3, rounds=5, warmup=1, scaling_sizes=(4, 12), scaling_repeats=(1, 1), memory_n=12,
    server_clients=2, server_seconds=0.2, server_rounds=1, server_warmup=1.0, startup_repeats=1,
    empty_test_laps=2, suite_tests=4, suite_repeats=1,
)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True).stdout
        commit += "+changes" if dirty.strip() else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": commit,
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in ("mlmocks", "moto", "boto3", "botocore")},
        "load_before": _load(),
    }


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, no meaningful timings (the smoke test)")
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--services", help="comma-separated services (default: all)")
    parser.add_argument("--server-service", default="bedrock", help="service of the server section (default: bedrock)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"where to write (default: {DEFAULT_JSON})")
    args = parser.parse_args(argv)

    # Requests only ever reach mocks and local servers; no real credentials are used.
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)

    from mlmocks.core.registry import register

    from . import inprocess, report, subprocesses
    from .services import SERVICES

    register()  # so the Lookout for Vision client exists before any section makes one
    settings = QUICK if args.quick else FULL
    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    chosen = SERVICES
    if args.services:
        wanted = args.services.split(",")
        chosen = tuple(s for s in SERVICES if s.service in wanted)
        missing = set(wanted) - {s.service for s in chosen}
        if missing:
            parser.error(f"no benchmark entry for: {', '.join(sorted(missing))}")

    results: dict[str, Any] = {"machine": machine(), "settings": {**settings.__dict__, "quick": args.quick}}
    started = time.perf_counter()

    def progress(section: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {section}...", file=sys.stderr, flush=True)

    if "latency" in sections:
        progress("latency")
        results["latency"] = inprocess.latency(chosen, settings.stored, settings.rounds, settings.warmup)
    if "scaling" in sections:
        progress("scaling")
        results["scaling"] = inprocess.scaling(chosen, settings.scaling_sizes, settings.scaling_repeats)
    if "memory" in sections:
        progress("memory")
        results["memory"] = inprocess.memory(chosen, settings.memory_n)
    if "server" in sections:
        progress("server")
        server_bench = next(s for s in SERVICES if s.service == args.server_service)
        results["server"] = subprocesses.server(
            server_bench, settings.server_clients, settings.server_seconds, settings.server_rounds,
            settings.server_warmup,
        )
    if "startup" in sections:
        progress("startup")
        results["startup"] = subprocesses.startup(settings.startup_repeats, settings.empty_test_laps)
    if "suite" in sections:
        progress("suite")
        results["suite"] = subprocesses.suite(settings.suite_tests, settings.suite_repeats)
    results["machine"]["load_after"] = _load()
    results["machine"]["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.targets(results)

    print(report.render(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nwritten to {args.json}", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
