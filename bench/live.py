"""Benchmarks of the live path, side by side with a raw broadcast server (`make bench`).

Three systems speak the same frames to the same clients: Avoin (`avoin serve`, a fresh migrated
SQLite database, the in-memory fan-out), baseline (a) a minimal broadcast server on the bare
`websockets` library (`bench.relay_ws`) and baseline (b) a bare FastAPI/uvicorn relay with
app/server.py's uvicorn options (`bench.relay_fastapi`). Each server runs in its own process
pinned to core 0 with `taskset`; the load generator (`bench.loadgen`) is another process pinned
to core 1. Per repetition the order of the systems is shuffled; figures are medians over the
repetitions, and Avoin's ratios to (a) are the median of the per-repetition ratios.

    .venv/bin/python -m bench.live                  # the full run; rewrites docs/benchmarks.md
    .venv/bin/python -m bench.live --smoke          # tiny sizes, a few seconds, prints JSON

Scenario 7 (durability) runs `bench.durability` pinned to core 0; when a target is missed the
bench profiles Avoin with py-spy (if installed) under the typical load and the ramp.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(core: str, argv: list[str]) -> list[str]:
    """The command run on one core only (as is, where taskset is missing)."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", core, *argv] if taskset else argv


def specs(size: float) -> dict[str, Any]:
    """The scenarios' sizes for a size factor (1.0: `make bench`; 0.05: the smoke run)."""
    per_writer = [1, 2, 4, 6, 8, 10, 12, 15, 18, 25, 35, 50]
    ramp_meetings = max(1, round(100 * size))
    return {
        "typical": {
            "meetings": max(1, round(20 * size)),
            "phones": 20 if size >= 0.25 else 4,
            "draft_hz": 5.0,
            "entry_every": [2.0, 4.0] if size >= 0.25 else [0.2, 0.4],
            "chair_every": 60.0,
            "warmup": 1.0 if size >= 0.5 else 0.3,
            "seconds": max(1.0, 10 * size),
            "storm": True,
        },
        "ramp": {
            "meetings": ramp_meetings,
            "phones": 3,
            "rates": [r * 2 * ramp_meetings for r in per_writer],
            "step_seconds": max(0.7, 2.5 * size),
        },
    }


@contextmanager
def server(system: str, workdir: Path) -> Iterator[tuple[str, int]]:
    """One system's server on core 0: its base URL and pid; stopped at the end."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if system == "avoin":
        from tests.conftest import add_users, migrated_sqlite

        directory = Path(tempfile.mkdtemp(dir=workdir))
        url = migrated_sqlite(directory)
        add_users(url, "bench")
        env.update(
            AVOIN_DATABASE_URL=url,
            AVOIN_PUBLIC_URL=base,
            AVOIN_SECRET_KEY="b" * 40,
            AVOIN_ENV="test",
            AVOIN_FANOUT_URL="memory://",
        )
        argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    else:
        argv = [sys.executable, "-m", f"bench.relay_{system}", "--port", str(port)]
    log = workdir / f"{system}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            pinned(SERVER_CORE, argv), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{system} did not start: {log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.05)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def load(system: str, base: str, pid: int, spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Run the load generator on core 1 against one server; its results."""
    path = workdir / f"spec-{system}-{pid}.json"
    path.write_text(json.dumps({**spec, "system": system, "base": base, "server_pid": pid}))
    argv = [sys.executable, "-m", "bench.loadgen", str(path)]
    done = subprocess.run(
        pinned(LOADGEN_CORE, argv), cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed against {system}: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_all(size: float, reps: int, systems: tuple[str, ...], workdir: Path) -> dict[str, Any]:
    """Every system, `reps` times in a shuffled order: {system: [result per repetition]}."""
    spec = {"scenarios": ["typical", "ramp"], **specs(size)}
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    orders = []
    for rep in range(reps):
        order = list(systems)
        random.shuffle(order)
        orders.append(order)
        for system in order:
            started = time.monotonic()
            with server(system, workdir) as (base, pid):
                runs[system].append(load(system, base, pid, spec, workdir))
            print(f"rep {rep + 1}: {system} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return {"spec": spec, "runs": runs, "orders": orders}


def durability(seconds: float, shapes: list[int]) -> dict[str, Any]:
    """Scenario 7 in its own process on the server's core."""
    argv = [sys.executable, "-m", "bench.durability", str(seconds), *map(str, shapes)]
    done = subprocess.run(
        pinned(SERVER_CORE, argv), cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"durability failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- figures -----------------------------------------------------------------------------------


def dig(result: dict[str, Any], path: str) -> float:
    """A figure of one run by its dotted path, e.g. `typical.commit.p99`."""
    value: Any = result
    for key in path.split("."):
        value = value[key]
    return float(value)


def median(values: list[float]) -> float:
    clean = [v for v in values if v == v]
    return statistics.median(clean) if clean else float("nan")


def fig(runs: dict[str, list[dict[str, Any]]], system: str, path: str) -> float:
    return median([dig(r, path) for r in runs[system]])


def ratio(runs: dict[str, list[dict[str, Any]]], path: str) -> float:
    """Median over the repetitions of Avoin / (a), paired by repetition."""
    pairs = zip(runs["avoin"], runs["ws"], strict=False)
    return median([dig(a, path) / dig(b, path) if dig(b, path) else float("nan") for a, b in pairs])


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


def scaled(runs: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Add derived figures (percent of a core, seconds) to every run."""
    for results in runs.values():
        for r in results:
            t = r["typical"]
            t["server_cpu_pct"] = t["server_cpu"] * 100
            t["storm"]["caught_up_s"] = {k: v / 1000 for k, v in t["storm"]["caught_up_ms"].items()}
            steps = r["ramp"]["steps"]
            r["ramp"]["last_p99"] = steps[-1]["commit"]["p99"] if steps else float("nan")
    return runs


def plot(runs: dict[str, list[dict[str, Any]]]) -> bool:
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
            for step in r["ramp"]["steps"]:
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
    fig_.savefig(PLOT)
    plt.close(fig_)
    return True


# -- profile -----------------------------------------------------------------------------------


def profile(size: float, workdir: Path) -> dict[str, Any] | None:
    """py-spy on Avoin under the typical load and the ramp: the top frames, self and total."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        return None
    spec = {"scenarios": ["typical", "ramp"], **specs(size)}
    spec["ramp"]["rates"] = spec["ramp"]["rates"][:7]
    out = workdir / "avoin.folded"
    with server("avoin", workdir) as (base, pid):
        argv = [spy, "record", "--pid", str(pid), "--rate", "97", "--format", "raw"]
        argv += ["--output", str(out), "--nonblocking"]
        spy_proc = subprocess.Popen(
            pinned(LOADGEN_CORE, argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(1)
        load("avoin", base, pid, spec, workdir)
        spy_proc.send_signal(signal.SIGINT)
        spy_proc.wait(30)
    if not out.exists():
        return None
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [f for f in stack.split(";") if f]
        samples += n
        if frames:
            own[_short(frames[-1])] += n
        for frame in {_short(f) for f in frames}:
            total[frame] += n
    return {
        "samples": samples,
        "self": [(f, n / samples) for f, n in own.most_common(15)],
        "total": [(f, n / samples) for f, n in total.most_common(25)],
    }


def _short(frame: str) -> str:
    """`func (path/to/file.py:12)` → `func (file.py)`, with site-packages cut off."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/lib/python3" in path:
        path = "stdlib/" + path.split("/lib/python3", 1)[1].split("/", 1)[-1]
    else:
        path = path.replace(str(ROOT) + "/", "")
    return f"{name} ({path})"


# -- the report --------------------------------------------------------------------------------


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


def targets(
    runs: dict[str, list[dict[str, Any]]], dur: dict[str, Any]
) -> list[tuple[str, str, bool]]:
    """The issue's targets beside the figures: (target, measured, met)."""
    cpu_ratio = ratio(runs, "typical.cpu_us_per_frame")
    p99 = fig(runs, "avoin", "typical.commit.p99")
    dp99 = fig(runs, "avoin", "typical.draft.p99")
    cpu = fig(runs, "avoin", "typical.server_cpu_pct")
    tight = fig(runs, "avoin", "ramp.sustained_p99_20ms")
    storm = fig(runs, "avoin", "typical.storm.caught_up_s.p99")
    sqlite = max(d["entries_per_s"] for d in dur["sqlite"])
    return [
        ("CPU per delivered frame ≤ 1.3× the raw baseline", f"{cpu_ratio:.2f}×", cpu_ratio <= 1.3),
        (
            "scenario 1 p99 ≤ 10 ms at ≤ 40 % of a core",
            f"commit p99 {p99:.1f} ms, draft p99 {dp99:.1f} ms, at {cpu:.0f} % of a core",
            max(p99, dp99) <= 10 and cpu <= 40,
        ),
        (
            "scenario 3 ≥ 3,000 edits/s at p99 ≤ 20 ms",
            f"{tight:,.0f} edits/s at p99 ≤ 20 ms",
            tight >= 3000,
        ),
        ("scenario 6 p99 ≤ 3 s", f"{storm:.2f} s", storm <= 3),
        ("≥ 500 durable entries/s on SQLite", f"{sqlite:,.0f} entries/s", sqlite >= 500),
    ]


def report(
    data: dict[str, Any], dur: dict[str, Any], prof: dict[str, Any] | None, args: argparse.Namespace
) -> str:
    runs = data["runs"]
    spec = data["spec"]
    ty, ra = spec["typical"], spec["ramp"]
    plotted = plot(runs)
    today = dt.date.today().isoformat()
    lines = [
        HEADING,
        "",
        "The live path under load: Avoin against two relays of the same frames with nothing",
        "behind them, (a) a minimal broadcast server on the bare `websockets` library (one room",
        "dict, `websockets.broadcast`) and (b) a bare FastAPI/uvicorn relay with the uvicorn",
        "options of `app/server.py`. Both keep the room's events in memory so that a resume with",
        "`since` works; neither has a database, the sequencer, roles or queues.",
        "",
        "```sh",
        f"make bench   # .venv/bin/python -m bench.live --size {args.size:g} --reps {args.reps}",
        ".venv/bin/python -m bench.live --smoke     # a few seconds; tests/bench runs it",
        "```",
        "",
        f"Measured {today}: {machine()}. Each server in its own process pinned to core "
        f"{SERVER_CORE} (`taskset -c {SERVER_CORE}`), the load generator (`bench/loadgen.py`, "
        f"real `websockets` asyncio clients on loopback) pinned to core {LOADGEN_CORE}. Avoin "
        "runs as `avoin serve` (a fresh migrated SQLite database, the in-memory fan-out). "
        f"{args.reps} repetitions, the order of the systems shuffled in each "
        f"({'; '.join(' → '.join(o) for o in data['orders'])}); every figure is the median of "
        "the repetitions, and **Avoin ÷ (a)** is the median of the per-repetition ratios. "
        "Latencies are measured inside the generator: the sender's monotonic clock at the front "
        "of the text, read by every other client that receives it. Server CPU is the process's "
        "user + system time from /proc over the measured window.",
        "",
        f"### Scenario 1: typical ({ty['meetings']} meetings × (chair + scribe + {ty['phones']} "
        "phones))",
        "",
        f"The scribe sends {ty['draft_hz']:g} drafts/s and commits an entry every "
        f"{ty['entry_every'][0]:g}–{ty['entry_every'][1]:g} s; the chair starts a timer once a "
        f"minute (staggered). Measured over {ty['seconds']:g} s after {ty['warmup']:g} s of "
        "warm-up. Draft-to-screen: the scribe's draft reaching each other socket; "
        "commit-to-screen: `entry.add` sent → `entry.added` at each other socket.",
        "",
        table(
            runs,
            latency_rows("typical.draft", "draft-to-screen")
            + latency_rows("typical.commit", "commit-to-screen")
            + [
                ("server CPU, % of a core", "typical.server_cpu_pct", 1),
                ("server CPU µs per delivered frame", "typical.cpu_us_per_frame", 1),
                ("frames delivered per s", "typical.frames_per_s", 0),
                ("server RSS per socket, KiB", "typical.server_rss_per_socket", 0),
                ("load generator CPU, share of its core", "typical.loadgen_cpu", 2),
            ],
        ).replace("server RSS per socket, KiB", "server RSS ÷ sockets, bytes"),
        "",
        "### Scenario 3: ramp to failure",
        "",
        f"{ra['meetings']} meetings × (chair + scribe + {ra['phones']} phones); the chair and the "
        f"scribe both add entries, the total rate raised every {ra['step_seconds']:g} s through "
        f"{', '.join(f'{r:,}' for r in ra['rates'])} entries/s. A step fails when commit-to-screen "
        "p99 > 100 ms, when more than 10 % of a second's entries are still unacknowledged at its "
        "end (a backlog), when over 1 % of ops get an error (Avoin limits each socket to 20 ops/s, "
        f"so its ceiling here is {ra['meetings'] * 2 * 20:,}/s), or when the generator cannot "
        "keep the pace (generator-bound: the server did not fail). *Sustained* is the highest "
        "step that passed.",
        "",
        table(
            runs,
            [
                ("sustained entries/s (p99 ≤ 100 ms, no backlog)", "ramp.sustained", 0),
                ("sustained entries/s at p99 ≤ 20 ms", "ramp.sustained_p99_20ms", 0),
                ("p99 of the last step run, ms", "ramp.last_p99", 1),
            ],
        ),
        "",
        "What stopped each repetition: "
        + "; ".join(
            f"{LABELS[s]}: " + ", ".join(r["ramp"]["stopped_by"] or "–" for r in runs[s])
            for s in runs
        )
        + ".",
        "",
    ]
    if plotted:
        lines += [f"![Latency against load]({PLOT.name})", ""]
    lines += _steps_table(runs)
    st = runs["avoin"][0]["typical"]["storm"] if runs.get("avoin") else None
    lines += [
        "### Scenario 6: reconnect storm",
        "",
        "At the end of scenario 1, with the scribes still writing, the generator drops every "
        f"socket at once ({st['clients'] if st else '?'} of them: TCP aborted); each reconnects "
        "at once (retrying with back-off if refused) and says `hello` with the last seq it saw. "
        "Time from the drop until the client has the meeting's head seq of the moment of the "
        "drop.",
        "",
        table(
            runs,
            [
                *latency_rows("typical.storm.caught_up_s", "caught up", scale=1000),
                ("clients that never caught up", "typical.storm.failures", 0),
            ],
        ),
        "",
        "### Scenario 7: durability (Avoin only)",
        "",
        "Durable entries per second through `MeetingService.handle` (validate against the state, "
        "append under the unique `(meeting_id, seq)`, project, commit, ring the fan-out) by "
        "concurrent writers in one process pinned to core 0: in one meeting (4 writers queueing "
        "on its lock) and in many meetings at once (one writer each). Without sockets, so the "
        "per-socket rate limit is out of the way.",
        "",
        "| database | meetings | durable entries/s | commit p50, ms | p99, ms | p99.9, ms "
        "| max, ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for db in ("sqlite", "postgresql"):
        for d in dur[db]:
            c = d["commit"]
            lines.append(
                f"| {'SQLite' if db == 'sqlite' else 'PostgreSQL'} | {d['meetings']} | "
                f"{fmt(d['entries_per_s'], 0)} | {fmt(c['p50'])} | {fmt(c['p99'])} | "
                f"{fmt(c['p999'])} | {fmt(c['max'])} | {d['errors']} |"
            )
    lines += ["", "### Targets (issue 8)", "", "| target | measured | met |", "| --- | --- | --- |"]
    for target, measured, met in targets(runs, dur):
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")
    if prof is not None:
        lines += [
            "",
            "### Profile of Avoin (py-spy, scenario 1 then the ramp)",
            "",
            f"`py-spy record --nonblocking --rate 97` on the server, {prof['samples']:,} samples "
            "of the busy threads. Share of samples in which the function is on the stack "
            "(inclusive), and the top frames by self time.",
            "",
            "| inclusive | function |",
            "| --- | --- |",
            *[f"| {share:.0%} | `{name}` |" for name, share in prof["total"]],
            "",
            "| self | function |",
            "| --- | --- |",
            *[f"| {share:.0%} | `{name}` |" for name, share in prof["self"]],
        ]
    lines += [
        "",
        "Not measured yet: scenario 4 (density: idle sockets with keepalive, memory per socket; "
        "scenario 1 gives only the server's RSS ÷ its sockets) and scenario 5 (a frozen phone "
        "per meeting, cut off with 1013).",
        "",
    ]
    return "\n".join(lines)


def _steps_table(runs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Per step of the ramp (median of the repetitions that ran it)."""
    lines = [
        "| offered entries/s | "
        + " | ".join(f"{LABELS[s]} p50 / p99 / p99.9, ms · CPU %" for s in runs)
        + " |",
        "| --- " * (len(runs) + 1) + "|",
    ]
    rates = sorted(
        {step["rate"] for rs in runs.values() for r in rs for step in r["ramp"]["steps"]}
    )
    for rate in rates:
        cells = []
        for s in runs:
            steps = [st for r in runs[s] for st in r["ramp"]["steps"] if st["rate"] == rate]
            if not steps:
                cells.append("–")
                continue
            p = [median([st["commit"][k] for st in steps]) for k in ("p50", "p99", "p999")]
            cpu = median([st["server_cpu"] * 100 for st in steps])
            verdicts = ",".join(sorted({st["verdict"] for st in steps} - {"ok"}))
            cells.append(
                f"{fmt(p[0])} / {fmt(p[1])} / {fmt(p[2])} · {cpu:.0f}"
                + (f" ({verdicts})" if verdicts else "")
            )
        lines.append(f"| {rate:,} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def rewrite_doc(section: str) -> None:
    """Replace the "Live path" section of docs/benchmarks.md (or add it), nothing else."""
    text = DOC.read_text()
    start = text.find(HEADING + "\n")
    if start < 0:
        DOC.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    nxt = text.find("\n## ", start + len(HEADING))
    tail = text[nxt + 1 :] if nxt >= 0 else ""
    DOC.write_text(text[:start] + section + ("\n" + tail if tail else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=float, default=1.0, help="scale of every scenario")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; print JSON only")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size, args.reps = 0.02, 1
    with tempfile.TemporaryDirectory(prefix="avoin-bench-") as tmp:
        workdir = Path(tmp)
        data = run_all(args.size, args.reps, SYSTEMS, workdir)
        scaled(data["runs"])
        if args.smoke:
            print(json.dumps(data))
            return 0
        dur = durability(max(1.0, 3 * args.size), [1, max(2, round(100 * args.size))])
        prof = None
        if not all(met for _, _, met in targets(data["runs"], dur)):
            prof = profile(args.size, workdir)
        section = report(data, dur, prof, args)
        (workdir / "raw.json").write_text(json.dumps({"live": data, "durability": dur}))
        if not args.no_doc:
            rewrite_doc(section)
        print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
