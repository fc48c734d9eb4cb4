"""The targets, judged on one run's figures, and the tables printed for people."""

from __future__ import annotations

from typing import Any

#: The targets of issue 7 (ratios measured side by side in one run), plus two of the
#: benchmark's own, marked as such: creating jobs is linear too, and a reset gives the
#: memory back.
LATENCY_VS_MOTO = 1.0
LATENCY_VS_FLOOR = 6.0
SCALING = 12.0
SERVER = 0.9
IMPORT = 1.25
RETAINED = 0.05


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def target(name: str, value: Any, limit: str, passed: bool) -> None:
        found.append({"target": name, "value": value, "limit": limit, "pass": bool(passed)})

    for row in results.get("latency", []):
        where = f"{row['service']} {row['operation']}"
        target(f"latency {where} / moto {row['moto_operation']}", row["ratio_moto"],
               f"<= {LATENCY_VS_MOTO}", row["ratio_moto"] <= LATENCY_VS_MOTO)
        target(f"latency {where} / floor", row["ratio_floor"], f"<= {LATENCY_VS_FLOOR}",
               row["ratio_floor"] <= LATENCY_VS_FLOOR)
    sizes = results.get("settings", {}).get("scaling_sizes", [])
    for row in results.get("scaling", []):
        origin = "" if row["kind"] == "list" else " (bench's own)"
        target(f"t({sizes[-1]})/t({sizes[0]}) {row['service']} {row['listing']}{origin}", row["ratio"],
               f"<= {SCALING}", row["ratio"] <= SCALING)
    for row in results.get("memory", []):
        target(f"memory {row['service']}: reset returns it (bench's own)", row["retained_fraction"],
               f"<= {RETAINED}", row["retained_fraction"] <= RETAINED)
    if "server" in results:
        row = results["server"]
        target(f"server {row['service']} {row['operation']} rps / moto {row['moto_operation']}",
               row["ratio"], f">= {SERVER}", row["ratio"] >= SERVER)
    if "startup" in results:
        row = results["startup"]
        target("import: from mlmocks import mock_mljobs / import moto", row["import_ratio"],
               f"<= {IMPORT}", row["import_ratio"] <= IMPORT)
        loaded = row["service_modules_loaded_on_import"]
        target("services load lazily (no service models on import)", ", ".join(loaded) or "none",
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
                   " botocore's side: the rest of the call.\n    Wire floor: botocore answered at once with the"
                   " same raw HTTP response, so only signing and parsing are left.")
        rows = [
            [
                f"{r['service']} {r['operation']}",
                f"{r['mlmocks']['inside_mock_ms']:.3f}",
                f"{r['moto']['inside_mock_ms']:.3f}",
                _x(r["ratio_inside_mock"]),
                f"{r['mlmocks']['median_ms'] - r['mlmocks']['inside_mock_ms']:.3f}",
                f"{r['moto']['median_ms'] - r['moto']['inside_mock_ms']:.3f}",
                f"{r['wire_floor']['median_ms']:.3f}",
                _x(r["wire_floor"]["median_ms"] / r["floor"]["median_ms"]),
                _x(r["moto_ratio_floor"]),
                _x(r["handoff_ratio"]) if "handoff_ratio" in r else "",
            ]
            for r in results["latency"]
        ]
        out.append(_table(
            ["call", "mlmocks in mock", "moto in mock", "in-mock ratio", "mlmocks botocore side",
             "moto botocore side", "wire floor", "wire floor/floor", "moto/its floor", "moto+mlmocks/moto"],
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
        out.append(f"ratio mlmocks/moto: {_x(r['ratio'])}")
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
