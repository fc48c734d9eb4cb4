"""The targets, judged on one run's figures, and the tables printed for people."""

from __future__ import annotations

from typing import Any

#: The performance targets (ratios measured side by side in one run), and the
#: benchmark's own, marked as such: creating jobs is linear too, start-up stays cheap.
LATENCY_VS_WIRE_FLOOR = 1.3  # mlmocks / botocore answered at once with the same bytes
IN_MOCK_VS_RECORDED = 0.5  # in-mock time / the recorded run's (inprocess.RECORDED_INSIDE_MOCK_MS)
LATENCY_VS_MOTO = 0.7  # mlmocks / moto's own call of the same protocol
SERVER = 1.5  # mlmocks-server / moto_server, requests/s on a mlmocks call
SERVER_MOTO_CALL = 1.0  # the same, on a moto call served through mlmocks-server
SCALING = 11.0  # t(100,000) / t(10,000)
BYTES_PER_JOB = 2048
RETAINED = 0.01  # what a reset leaves of the stored bytes
SUITE = 1.0  # 500 tests under @mock_mljobs / the same under @mock_aws on moto's services
IMPORT = 1.25


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def target(name: str, value: Any, limit: str, passed: bool) -> None:
        found.append({"target": name, "value": value, "limit": limit, "pass": bool(passed)})

    for row in results.get("latency", []):
        where = f"{row['service']} {row['operation']}"
        target(f"latency {where} / wire floor", row["ratio_wire_floor"], f"<= {LATENCY_VS_WIRE_FLOOR}",
               row["ratio_wire_floor"] <= LATENCY_VS_WIRE_FLOOR)
        recorded = row.get("recorded_inside_mock_ms")
        if recorded:
            value = row["mlmocks"]["inside_mock_ms"] / recorded
            target(f"in mock {where} / recorded {recorded:.3f} ms", value, f"<= {IN_MOCK_VS_RECORDED}",
                   value <= IN_MOCK_VS_RECORDED)
        target(f"latency {where} / moto {row['moto_operation']}", row["ratio_moto"],
               f"<= {LATENCY_VS_MOTO}", row["ratio_moto"] <= LATENCY_VS_MOTO)
    sizes = results.get("settings", {}).get("scaling_sizes", [])
    for row in results.get("scaling", []):
        origin = "" if row["kind"] == "list" else " (create)"
        target(f"t({sizes[-1]})/t({sizes[0]}) {row['service']} {row['listing']}{origin}", row["ratio"],
               f"<= {SCALING}", row["ratio"] <= SCALING)
    for row in results.get("memory", []):
        target(f"memory {row['service']} {row['job']}: bytes per job at {row['n']}", row["bytes_per_job"],
               f"<= {BYTES_PER_JOB}", row["bytes_per_job"] <= BYTES_PER_JOB)
        target(f"memory {row['service']}: a reset leaves", row["retained_fraction"],
               f"<= {RETAINED}", row["retained_fraction"] <= RETAINED)
    if "server" in results:
        row = results["server"]
        target(f"server {row['service']} {row['operation']} rps / moto {row['moto_operation']}",
               row["ratio"], f">= {SERVER}", row["ratio"] >= SERVER)
        if "moto_via_ratio" in row:
            target(f"server moto {row['moto_call']} rps: through mlmocks-server / moto_server",
                   row["moto_via_ratio"], f">= {SERVER_MOTO_CALL}", row["moto_via_ratio"] >= SERVER_MOTO_CALL)
    if "suite" in results:
        row = results["suite"]
        target(f"suite of {row['tests']} tests: @mock_mljobs / @mock_aws", row["ratio"], f"<= {SUITE}",
               row["ratio"] <= SUITE)
    if "startup" in results:
        row = results["startup"]
        target("import: from mlmocks import mock_mljobs / import moto (bench's own)", row["import_ratio"],
               f"<= {IMPORT}", row["import_ratio"] <= IMPORT)
        loaded = row["service_modules_loaded_on_import"]
        target("services load lazily (no service models on import; bench's own)", ", ".join(loaded) or "none",
               "none", not loaded)
    return found


# -- tables -------------------------------------------------------------------------------------


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    lines = [line, "  ".join("-" * w for w in widths)]
    for row in rows:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    return "\n".join(lines)


def _ms(stats: dict[str, float]) -> str:
    return f"{stats['median_ms']:.3f} / {stats['p95_ms']:.3f}"


def _x(value: float) -> str:
    return f"{value:.2f}x"


def render(results: dict[str, Any]) -> str:
    out: list[str] = []
    machine = results["machine"]
    out.append(f"mlmocks benchmark  {machine['when']}  commit {machine['commit']}")
    out.append(
        f"{machine['cpu']} x{machine['cpus']}, {machine['platform']}, Python {machine['python']}; "
        f"load average {machine['load_before']} -> {machine.get('load_after', '?')}"
    )
    out.append(", ".join(f"{name} {version}" for name, version in machine["versions"].items()))
    if results.get("latency"):
        out.append("\n1. Per-call latency, ms median / p95 (moto: moto's own call of the same protocol;"
                   " floor: botocore's Stubber with the same response)")
        rows = [
            [
                f"{r['service']} {r['operation']}",
                _ms(r["mlmocks"]),
                r["moto_operation"],
                _ms(r["moto"]),
                _ms(r["floor"]),
                _x(r["ratio_moto"]),
                _x(r["ratio_floor"]),
            ]
            for r in results["latency"]
        ]
        out.append(_table(["call", "mlmocks", "moto's call", "moto", "floor", "/moto", "/floor"], rows))
        out.append("\n1b. Where the time goes, ms median. In the mock: routing, the handler, serializing;"
                   " botocore's side: the rest of the call.\n    In mock, canned: the same call with every handler"
                   " answering the same bytes at once (moto's stubber, routing, the request).\n    Wire floor:"
                   " botocore answered at once with the same raw HTTP response, so only signing and parsing"
                   " are left.")
        rows = [
            [
                f"{r['service']} {r['operation']}",
                f"{r['mlmocks']['inside_mock_ms']:.3f}",
                f"{r['moto']['inside_mock_ms']:.3f}",
                _x(r["ratio_inside_mock"]),
                f"{r['mlmocks']['median_ms'] - r['mlmocks']['inside_mock_ms']:.3f}",
                f"{r['moto']['median_ms'] - r['moto']['inside_mock_ms']:.3f}",
                f"{r['direct_floor']['inside_mock_ms']:.3f}",
                f"{r['wire_floor']['median_ms']:.3f}",
                _x(r["wire_floor"]["median_ms"] / r["floor"]["median_ms"]),
                _x(r["moto_ratio_floor"]),
                _x(r["handoff_ratio"]) if "handoff_ratio" in r else "",
            ]
            for r in results["latency"]
        ]
        out.append(_table(
            ["call", "mlmocks in mock", "moto in mock", "in-mock ratio", "mlmocks botocore side",
             "moto botocore side", "in mock, canned", "wire floor", "wire floor/floor", "moto/its floor", "moto+mlmocks/moto"],
            rows,
        ))
    if results.get("scaling"):
        sizes = [str(n) for n in results["settings"]["scaling_sizes"]]
        out.append("\n2. List scaling: whole pagination at the default page size, seconds (items, pages)")
        rows = []
        for r in results["scaling"]:
            cells = []
            for n in sizes:
                m = r["by_n"][n]
                extra = f" ({m['items']}, {m['pages']})" if "pages" in m else ""
                cells.append(f"{m['seconds']:.3f}{extra}")
            rows.append([f"{r['service']} {r['listing']}", *cells, _x(r["ratio"])])
        out.append(_table(["list", *[f"N={n}" for n in sizes], f"t({sizes[-1]})/t({sizes[0]})"], rows))
    if results.get("memory"):
        out.append("\n3. Memory (tracemalloc) per stored job, and what a reset leaves")
        rows = [
            [f"{r['service']} {r['job']}", str(r["n"]), f"{r['bytes_per_job']:.0f}",
             f"{r['retained_after_reset_bytes']}", f"{100 * r['retained_fraction']:.2f}%"]
            for r in results["memory"]
        ]
        out.append(_table(["job", "N", "bytes/job", "retained bytes", "retained"], rows))
    if "server" in results:
        r = results["server"]
        out.append(f"\n4. Server throughput: {r['clients']} concurrent client processes, median of {r['rounds']}"
                   f" alternating slices of {r['seconds']:.1f} s")
        out.append(_table(
            ["server", "operation", "requests/s"],
            [["mlmocks-server", f"{r['service']} {r['operation']}", f"{r['mlmocks_rps']:.0f}"],
             ["moto_server", r["moto_operation"], f"{r['moto_rps']:.0f}"]],
        ))
        if "moto_via_mlmocks_rps" in r:
            out.append(_table(
                ["server", "operation", "requests/s"],
                [["moto_server", r["moto_call"], f"{r['moto_call_rps']:.0f}"],
                 ["mlmocks-server", r["moto_call"], f"{r['moto_via_mlmocks_rps']:.0f}"]],
            ).split("\n", 2)[-1])
        out.append(f"ratio mlmocks/moto: {_x(r['ratio'])}")
        if "moto_via_ratio" in r:
            out.append(f"moto's call, through mlmocks-server / on moto_server: {_x(r['moto_via_ratio'])}")
    if "startup" in results:
        r = results["startup"]
        out.append("\n5. Start-up, fresh interpreters (median ms)")
        imports = r["import_ms"]
        out.append(_table(
            ["statement", "ms"],
            [["import moto", f"{imports['moto']:.1f}"], ["import mlmocks", f"{imports['mlmocks']:.1f}"],
             ["from mlmocks import mock_mljobs", f"{imports['mlmocks_api']:.1f}"]],
        ))
        empty = r["empty_test"]
        out.append(_table(
            ["decorated empty test", "import ms", "first call ms", "each after ms"],
            [[name, f"{e['import_ms']:.1f}", f"{e['first_ms']:.2f}", f"{e['each_ms']:.3f}"]
             for name, e in (("@mock_aws", empty["moto"]), ("@mock_mljobs", empty["mlmocks"]))],
        ))
    if "suite" in results:
        r = results["suite"]
        out.append(f"\n6. An imagined suite: {r['tests']} decorated tests of {r['calls_per_test']} calls each, half"
                   f" Bedrock, half SageMaker (median of {r['repeats']} fresh interpreters)")
        out.append(_table(
            ["suite", "import s", "tests s", "ms per test"],
            [[name, f"{r['import_seconds'][key]:.2f}", f"{r['seconds'][key]:.2f}", f"{r['ms_per_test'][key]:.2f}"]
             for name, key in (("@mock_aws, moto's services", "moto"), ("@mock_mljobs", "mlmocks"))],
        ))
        out.append(f"ratio mlmocks/moto (import and tests): {_x(r['ratio'])}")
    found = results.get("targets", [])
    if found:
        passed = sum(t["pass"] for t in found)
        out.append(f"\nTargets: {passed}/{len(found)} pass")
        rows = [
            ["pass" if t["pass"] else "MISS", t["target"],
             f"{t['value']:.3g}" if isinstance(t["value"], float) else str(t["value"]), t["limit"]]
            for t in found
        ]
        out.append(_table(["", "target", "value", "limit"], rows))
    return "\n".join(out)
