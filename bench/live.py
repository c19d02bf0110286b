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
    .venv/bin/python -m bench.live --only drafts --systems avoin --reps 1 --size 0.5   # JSON

Scenarios 1 (typical, with 6, the reconnect storm, at its end) and 3 (the entries ramp) run in
every repetition on one server (`bench.loadgen`), and 9 (durable entries) on a fresh one, Avoin
also on PostgreSQL; the resume, 2 (workshop), 3b (the drafts ramp, `bench.drafts`), 5 (slow
consumer, `bench.slow`) and 10 (the county) once per system on a fresh server; relay (b) in the
first repetition only; 4 (density, `bench.density`) once, the three
systems' servers side by side; 8 (two Avoin instances over PostgreSQL and Redis, `bench.pair`)
once, or skipped with the reason when those are not reachable. Scenario 7 (durability) runs
`bench.durability` pinned to core 0; when a target is missed the bench profiles Avoin with
py-spy (if installed) under the typical load and the ramp. `bench.report` writes the section.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import pair
from bench.figures import LOADGEN_CORE, ROOT, SERVER_CORE, SYSTEMS, scaled
from bench.report import report, rewrite_doc, targets
from bench.servers import load, pinned, server


def specs(size: float, smoke: bool = False) -> dict[str, Any]:
    """The scenarios' sizes for a size factor (1.0: `make bench`; 0.02: the smoke run)."""
    per_writer = [1, 2, 4, 6, 8, 10, 12, 15, 18, 25]  # up to 5,000 entries/s
    ramp_meetings = max(1, round(100 * size))
    typical = {
        # The size: 200 meetings × (scribe + 20 phones), 4,200 sockets. The chair holds
        # one of the 20 (her device shows the meeting as a phone does, and starts the timer).
        "meetings": max(1, round(200 * size)),
        "phones": 19 if size >= 0.25 else 4,
        "draft_hz": 5.0,
        "entry_every": [2.0, 4.0] if size >= 0.25 else [0.2, 0.4],
        "chair_every": 60.0,
        "warmup": 1.0 if size >= 0.5 else 0.3,
        # Five seconds hold over 10,000 latency samples; longer windows only cost `make bench` time.
        "seconds": max(1.0, 5 * size),
        "storm": True,
    }
    # Scenario 3b: two writers a meeting, ≤ 10 drafts/s each at the top step (Avoin's coalescing).
    draft_meetings = max(2, round(300 * size))
    draft_rates = [1000, 2000, 3000, 4000, 6000]
    full = size >= 0.5
    return {
        "typical": typical,
        "ramp": {
            "meetings": ramp_meetings,
            "phones": 3,
            "rates": [r * 2 * ramp_meetings for r in per_writer][: 3 if smoke else None],
            "step_seconds": max(0.7, 0.8 * size),
        },
        "drafts": {
            "meetings": draft_meetings,
            "phones": 1,
            "rates": [round(r * draft_meetings / 300) for r in draft_rates][: 2 if smoke else None],
            "step_seconds": max(0.5, 1.5 * size),
        },
        # Scenario 2: a workshop's rooms. A meeting holds at most 200 people, the facilitator
        # and the scribe among them, so 197 phones; the facilitator's timer ticks once a second.
        "workshop": {
            **typical,
            "meetings": max(1, round(10 * size)),
            "phones": 197 if full else 4,
            "chair_every": 1.0,
            "storm": False,
        },
        "slow": {
            **typical,
            "storm": False,
            "phones": max(2, typical["phones"]),
            "max_wait": 35.0 if full else max(1.0, 35 * size),
            "after": 2.0 if full else 0.3,
        },
        "density": {
            "steps": [1000, 5000, 15000]
            if full
            else [max(8, round(s * size)) for s in (1000, 5000)],
            "tabs": 5,  # sockets per joined credential (Avoin's cap per credential is 5)
            "per_meeting": 150,  # credentials per meeting (Avoin's cap: 200 participants)
            "settle": 1.0 if full else 0.2,
            "idle_seconds": 15.0 if full else 1.0,
        },
        "resume": {"missed": 1000 if full else 20, "rounds": 3 if full else 1},
        # Issue 19: the committed entry's path. 20 meetings × 10 phones, 4 entries a second in
        # each, no drafts; the chair starts no timer within the window.
        "durable": {
            **typical,
            "meetings": max(1, round(20 * size)) if size >= 0.25 else 2,
            "phones": 10 if size >= 0.25 else 2,
            "draft_hz": 0,
            "entry_every": [0.25, 0.25],
            "chair_every": 3600.0,
            "storm": False,
        },
        # Issue 19: a wellbeing county's load, as the issue puts it: 50 meetings at once, a
        # scribe committing an entry every 10–30 s and streaming drafts at 10 a second, to a
        # room of ten (the chair's phone among them).
        "county": {
            **typical,
            "meetings": max(1, round(50 * size)) if size >= 0.25 else 2,
            "phones": 8 if size >= 0.25 else 2,
            "draft_hz": 10.0,
            "entry_every": [10.0, 30.0] if size >= 0.25 else [0.5, 1.0],
            "chair_every": 600.0,
            "seconds": 10.0 if full else max(1.0, 5 * size),
            "storm": False,
        },
        # Scenario 8 measures the hop, not the scale: 20 meetings, half their phones across it.
        "pair": {
            **typical,
            "meetings": max(1, round(20 * size)),
            "storm": False,
            "phones": 10 if size >= 0.25 else 2,
        },
    }


REPEATED = ("typical", "ramp")  # every repetition, on one server per system
# Every repetition on a fresh server of its own: scenario 9 measures the committed entry's path,
# not the heap a ramp to failure leaves behind (as scenario 9 on PostgreSQL, which always had one).
FRESH_EACH = ("durable",)
ONCE = (
    "resume",
    "workshop",
    "drafts",
    "slow",
    "county",
)  # the first repetition only, on a fresh server per system
FRESH = ("density",)  # once, every system's fresh server at the same time (see `density`)
SCENARIOS = (*REPEATED, *FRESH_EACH, *ONCE, *FRESH, "pair")
# The ten-minute budget: the bare FastAPI relay (b) runs in the first repetition only (no target
# is a ratio to it) and sits out scenario 9 (its targets are ratios to (a)) and the scenarios run
# once (their targets compare Avoin with itself and with the raw baseline) but the resume; the
# raw baseline sits out the slow consumer (its target compares Avoin with Avoin's own scenario 1)
# and the county (whose figure is Avoin's share of a core).
FIRST_REPETITION_ONLY = ("fastapi",)
NOT_ONCE = {
    "fastapi": ("slow", "density", "county", "workshop", "drafts"),
    "ws": ("slow", "county"),
}


def run_all(
    size: float,
    reps: int,
    systems: tuple[str, ...],
    workdir: Path,
    only: tuple[str, ...] = SCENARIOS,
    smoke: bool = False,
    gc_mode: str = "quiet",
) -> dict[str, Any]:
    """`_run_all`, with scenario 9's PostgreSQL database dropped at the end."""
    postgres = OnePostgres()
    try:
        return _run_all(size, reps, systems, workdir, postgres, only, smoke, gc_mode)
    finally:
        postgres.close()


def _run_all(  # noqa: C901 - over the limit before C901 was on: split when next changed
    size: float,
    reps: int,
    systems: tuple[str, ...],
    workdir: Path,
    postgres: OnePostgres,
    only: tuple[str, ...] = SCENARIOS,
    smoke: bool = False,
    gc_mode: str = "quiet",
) -> dict[str, Any]:
    """Every system, `reps` times in a shuffled order: {system: [result per repetition]}.

    The scenarios run once (ONCE, FRESH) keep their results in the first repetition's result, as
    does the relay run in the first repetition only (FIRST_REPETITION_ONLY);
    the medians of the report take what there is. Scenario 8 (two Avoin instances over Redis)
    runs once, after the others: `pair` in the result. The smoke run only checks that every
    scenario runs: there the systems and scenario 8 run side by side, density on the same
    server as the rest, so that it takes seconds (its figures mean nothing)."""
    spec = {**specs(size, smoke), "gc": gc_mode, "between": 0.1 if smoke else 0.5}
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
    data: dict[str, Any] = {"spec": spec, "runs": runs, "orders": []}

    def one(system: str, rep: int) -> dict[str, Any]:
        started = time.monotonic()
        groups = server_groups(system, rep, only, smoke)
        result: dict[str, Any] = {}
        for k, names in enumerate(groups):
            if not names:
                continue
            try:
                with server(system, workdir) as (base, pid):
                    result.update(load(system, base, pid, {**spec, "scenarios": names}, workdir))
            except (RuntimeError, subprocess.TimeoutExpired) as err:
                if k < 2 or smoke:
                    raise
                # A scenario run once should not cost the whole run: the report shows "–".
                print(f"{system}: {', '.join(names)} failed: {err}", file=sys.stderr)
                result["failed"] = f"{', '.join(names)}: {str(err)[-300:]}"
        if system == "avoin" and any("durable" in names for names in groups):
            result["durable_pg"] = durable_on_postgres(spec, workdir, postgres)
        if result:
            took = time.monotonic() - started
            print(f"rep {rep + 1}: {system} in {took:.1f}s", file=sys.stderr)
        return result

    def scale_out() -> None:
        if "pair" in only and "avoin" in systems:
            started = time.monotonic()
            try:
                data["pair"] = pair.run_pair({**spec, "scenarios": ["pair"]}, workdir)
            except Exception as err:
                if smoke or os.environ.get("CI"):
                    raise
                data["pair"] = {"skipped": f"it failed: {str(err)[-300:]}"}
            print(f"pair in {time.monotonic() - started:.1f}s", file=sys.stderr)

    if smoke:
        data["orders"].append(list(systems))
        with ThreadPoolExecutor(len(systems) + 1) as pool:
            futures = {s: pool.submit(one, s, 0) for s in systems}
            pool.submit(scale_out).result()
            for system, future in futures.items():
                runs[system].append(future.result())
        return data
    for rep in range(reps):
        order = list(systems)
        random.shuffle(order)
        data["orders"].append(order)
        for system in order:
            result = one(system, rep)
            if result or rep == 0:  # a relay run in the first repetition only has no more
                runs[system].append(result)
    if "density" in only:
        started = time.monotonic()
        try:
            side = tuple(s for s in systems if "density" not in NOT_ONCE.get(s, ()))
            measured = density(side, {**spec, "scenarios": ["density"]}, workdir)
        except (RuntimeError, subprocess.TimeoutExpired) as err:
            print(f"density failed: {err}", file=sys.stderr)
            measured = {}
        for system, result in measured.items():
            runs[system][0]["density"] = result
        print(f"density in {time.monotonic() - started:.1f}s", file=sys.stderr)
    scale_out()
    return data


def server_groups(system: str, rep: int, only: tuple[str, ...], smoke: bool) -> list[list[str]]:
    """The scenarios of one system's repetition, a list per server: the repeated ones, then
    scenario 9's fresh server, then (first repetition) the scenarios run once. The first two
    must succeed; a failure of the third is reported as "–"."""
    if rep > 0 and system in FIRST_REPETITION_ONLY and not smoke:
        return []
    sits_out = system in FIRST_REPETITION_ONLY and not smoke
    fresh = [n for n in FRESH_EACH if n in only and not sits_out]
    groups = [[n for n in REPEATED if n in only], fresh]
    if rep == 0:
        once = [n for n in (*ONCE, *(FRESH if smoke else ())) if n in only]
        if system in NOT_ONCE and not smoke:
            once = [n for n in once if n not in NOT_ONCE[system]]
        groups.append(once)
    if smoke:  # one server for everything
        groups = [[n for g in groups for n in g]]
    return groups


class OnePostgres:
    """A PostgreSQL database for the whole run, made when first asked for (scenario 9's), dropped
    at the end: made and migrated once, not once per repetition."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._env: dict[str, str] | None = None

    def env(self) -> dict[str, str]:
        if self._env is None:
            self._env = {**self._stack.enter_context(pair.postgres_database())}
            self._env["AVOIN_FANOUT_URL"] = "memory://"
        return dict(self._env)

    def close(self) -> None:
        self._stack.close()


def durable_on_postgres(
    spec: dict[str, Any], workdir: Path, postgres: OnePostgres
) -> dict[str, Any]:
    """Scenario 9 once more, Avoin on PostgreSQL (production's database); the relays' figures
    of the same repetition are its baseline. Skipped, saying why, when PostgreSQL is not
    reachable (outside CI)."""
    why = pair.unreachable(redis_too=False)
    if why:
        if os.environ.get("CI"):
            raise RuntimeError(f"scenario 9 on PostgreSQL: {why}")
        return {"skipped": why}
    env = postgres.env()
    with server("avoin", workdir, env) as (base, pid):
        result = load("avoin", base, pid, {**spec, "scenarios": ["durable"]}, workdir)["durable"]
    du = spec["durable"]
    # The database's own round trip at the same pace, on the server's core (bench.pg_floor).
    interval = du["entry_every"][0] / du["meetings"]
    argv = [sys.executable, "-m", "bench.pg_floor", env["AVOIN_DATABASE_URL"]]
    done = subprocess.run(
        pinned(SERVER_CORE, [*argv, str(min(3.0, du["seconds"])), str(interval)]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pg_floor failed: {done.stderr[-2000:]}")
    result["floor"] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def density(
    systems: tuple[str, ...], spec: dict[str, Any], workdir: Path
) -> dict[str, dict[str, Any]]:
    """Scenario 4 for every system at once: a fresh server each (core 0), a generator each (core
    1). Each process's memory and CPU time are its own, and idle sockets leave the cores nearly
    idle, so the systems need not wait for each other's twenty idle seconds; only the time to
    open the sockets is shared (and not reported as a figure)."""
    with ExitStack() as stack, ThreadPoolExecutor(len(systems)) as pool:
        started = {s: stack.enter_context(server(s, workdir)) for s in systems}
        futures = {s: pool.submit(load, s, *started[s], spec, workdir) for s in systems}
        return {s: f.result()["density"] for s, f in futures.items()}


def durability(seconds: float, shapes: list[int]) -> dict[str, Any]:
    """Scenario 7 in its own process on the server's core."""
    argv = [sys.executable, "-m", "bench.durability", str(seconds), *map(str, shapes)]
    done = subprocess.run(
        pinned(SERVER_CORE, argv), cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"durability failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- profile ---------------------------------------------------------------------------------


def profile(size: float, workdir: Path) -> dict[str, Any] | None:
    """py-spy on Avoin over scenario 1's measured window (the generator marks its start, so that
    the setup is left out): the top frames, self and total, of the thread holding the GIL."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        return None
    mark = workdir / "profile.mark"
    mark.unlink(missing_ok=True)
    spec = {"scenarios": ["typical"], **specs(size), "mark": str(mark)}
    spec["typical"] = {**spec["typical"], "storm": False}
    seconds = max(1, int(spec["typical"]["seconds"]))
    out = workdir / "avoin.folded"
    with server("avoin", workdir) as (base, pid), ThreadPoolExecutor(1) as pool:
        loaded = pool.submit(load, "avoin", base, pid, spec, workdir)
        while "window" not in (mark.read_text() if mark.exists() else ""):
            if loaded.done():
                loaded.result()  # the generator failed before its window: say why
                return None
            time.sleep(0.02)
        argv = [spy, "record", "--pid", str(pid), "--rate", "250", "--gil", "--format", "raw"]
        argv += ["--output", str(out), "--nonblocking", "--duration", str(seconds)]
        subprocess.run(
            pinned(LOADGEN_CORE, argv),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        loaded.result()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=float, default=1.0, help="scale of every scenario")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; print JSON only")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/")
    parser.add_argument(
        "--only", default="", help=f"comma-separated scenarios of {','.join(SCENARIOS)}; JSON only"
    )
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated systems")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy on Avoin when a target is missed"
    )
    parser.add_argument(
        "--gc", choices=("quiet", "default"), default="quiet", help="the generator's collector"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.size, args.reps = 0.02, 1
    only = tuple(args.only.split(",")) if args.only else SCENARIOS
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    systems = tuple(s for s in args.systems.split(",") if s)
    with tempfile.TemporaryDirectory(prefix="avoin-bench-") as tmp:
        workdir = Path(tmp)
        started = time.monotonic()
        data = run_all(args.size, args.reps, systems, workdir, only, args.smoke, args.gc)
        scaled(data["runs"])
        data["seconds"] = time.monotonic() - started
        if args.smoke or args.only:
            print(json.dumps(data))
            return 0
        dur = durability(max(1.0, 2 * args.size), [1, max(2, round(100 * args.size))])
        prof = None
        if args.profile and not all(met for _, _, met in targets(data, dur)):
            prof = profile(args.size, workdir)
        args.workdir = workdir
        # Kept before the report is written: a report that fails costs no ten-minute run.
        raw = Path(tempfile.gettempdir()) / "avoin-bench-raw.json"
        raw.write_text(json.dumps({"live": data, "durability": dur}))
        print(f"raw figures: {raw}", file=sys.stderr)
        section = report(data, dur, prof, args)
        if not args.no_doc:
            rewrite_doc(section)
        print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
