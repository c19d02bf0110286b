"""The live bench's figures: medians over repetitions, ratios to baseline (a), Markdown tables and
the ramp's plot (`bench.live` measures, `bench.report` writes the section of docs/benchmarks.md)."""

from __future__ import annotations

import collections
import os
import platform
import statistics
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PLOT = ROOT / "docs" / "benchmarks-live.png"
SERVER_CORE, LOADGEN_CORE = "0", "1"
SYSTEMS = ("avoin", "ws", "fastapi")
LABELS = {
    "avoin": "Avoin",
    "ws": "(a) raw websockets",
    "fastapi": "(b) bare FastAPI/uvicorn",
}
HEADING = "## Live path"

Runs = dict[str, list[dict[str, Any]]]


def dig(result: dict[str, Any], path: str) -> float:
    """A figure of one run by its dotted path, e.g. `typical.commit.p99`."""
    value: Any = result
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return float("nan")  # a scenario run in one repetition only, or skipped
        value = value[key]
    return float(value) if value is not None else float("nan")


def median(values: list[float]) -> float:
    clean = [v for v in values if v == v]
    return statistics.median(clean) if clean else float("nan")


def fig(runs: Runs, system: str, path: str) -> float:
    return median([dig(r, path) for r in runs.get(system, [])])


def ratio(runs: dict[str, list[dict[str, Any]]], path: str, avoin_path: str = "") -> float:
    """Median over the repetitions of Avoin / (a), paired by repetition (Avoin's figure at
    `avoin_path` when it is another: scenario 9 on PostgreSQL against the same relay run)."""
    pairs = zip(runs.get("avoin", []), runs.get("ws", []), strict=False)
    mine = avoin_path or path
    return median([dig(a, mine) / dig(b, path) if dig(b, path) else float("nan") for a, b in pairs])


def machine() -> str:
    model = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs (`nproc` = {len(os.sched_getaffinity(0))}, {model}), "
        f"Linux {platform.release()}, Python {platform.python_version()}"
    )


def fmt(value: float, digits: int = 1) -> str:
    if value != value:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def table(runs: dict[str, list[dict[str, Any]]], rows: list[tuple[str, str, int]]) -> str:
    """A Markdown table: one row per figure; a column per system and Avoin ÷ (a)."""
    systems = [s for s in SYSTEMS if s in runs]
    head = "| figure | " + " | ".join(LABELS[s] for s in systems) + " | Avoin ÷ (a) |"
    lines = [head, "| --- " * (len(systems) + 2) + "|"]
    for label, path, digits in rows:
        cells = [fmt(fig(runs, s, path), digits) for s in systems]
        both = "avoin" in runs and "ws" in runs
        lines.append(
            f"| {label} | "
            + " | ".join(cells)
            + f" | {fmt(ratio(runs, path), 2) if both else '–'} |"
        )
    return "\n".join(lines)


def latency_rows(prefix: str, name: str, scale: float = 1.0) -> list[tuple[str, str, int]]:
    unit = "ms" if scale == 1.0 else "s"
    return [
        (f"{name} {q}, {unit}", f"{prefix}.{key}", 2 if unit == "s" else 1)
        for q, key in (("p50", "p50"), ("p99", "p99"), ("p99.9", "p999"), ("max", "max"))
    ]


def scaled(runs: Runs) -> Runs:
    """Add derived figures (percent of a core, seconds) to every run."""
    for results in runs.values():
        for r in results:
            if "typical" in r:
                t = r["typical"]
                t["server_cpu_pct"] = t["server_cpu"] * 100
                t["storm"]["caught_up_s"] = {
                    k: v / 1000 for k, v in t["storm"]["caught_up_ms"].items()
                }
            if "slow" in r:
                r["slow"]["server_cpu_pct"] = r["slow"]["server_cpu"] * 100
            if "workshop" in r:
                r["workshop"]["server_cpu_pct"] = r["workshop"]["server_cpu"] * 100
            for name in ("durable", "durable_pg", "county"):
                if "server_cpu" in r.get(name, {}):
                    r[name]["server_cpu_pct"] = r[name]["server_cpu"] * 100
            if "ramp" in r:
                steps = r["ramp"]["steps"]
                r["ramp"]["last_p99"] = steps[-1]["commit"]["p99"] if steps else float("nan")
    return runs


def plot(runs: dict[str, list[dict[str, Any]]], path: Path = PLOT) -> bool:
    """Commit-to-screen latency against the offered entry rate in the ramp, per system (PNG)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig_, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for system, results in runs.items():
        by_rate: dict[float, list[tuple[float, float]]] = collections.defaultdict(list)
        for r in results:
            for step in r.get("ramp", {}).get("steps", []):
                by_rate[step["rate"]].append((step["commit"]["p50"], step["commit"]["p99"]))
        rates = sorted(by_rate)
        p50 = [median([a for a, _ in by_rate[x]]) for x in rates]
        p99 = [median([b for _, b in by_rate[x]]) for x in rates]
        (line,) = ax.plot(rates, p99, marker="o", label=f"{LABELS[system]} p99")
        ax.plot(rates, p50, marker=".", linestyle="--", color=line.get_color(), label="p50")
    ax.axhline(100, color="grey", linewidth=0.8)
    ax.axhline(20, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("offered entries per second (entry.add, all meetings)")
    ax.set_ylabel("commit-to-screen latency, ms")
    ax.set_title("Scenario 3: latency against load (median of the repetitions)")
    ax.legend(fontsize=7, ncol=3)
    ax.grid(True, which="both", alpha=0.3)
    fig_.tight_layout()
    fig_.savefig(path)
    plt.close(fig_)
    return True
