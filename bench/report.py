"""The "Live path" section of docs/benchmarks.md from the live bench's measurements."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bench.figures import (
    DOC,
    HEADING,
    LABELS,
    LOADGEN_CORE,
    PLOT,
    SERVER_CORE,
    fig,
    fmt,
    latency_rows,
    machine,
    median,
    plot,
    ratio,
    table,
)
from bench.report_more import (
    county_section,
    density_section,
    density_targets,
    drafts_section,
    more_targets,
    pair_section,
    slow_section,
)


def targets(data: dict[str, Any], dur: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """The issue's targets beside the figures: (target, measured, met)."""
    runs = data["runs"]
    cpu_ratio = ratio(runs, "typical.cpu_us_per_frame")
    p99 = fig(runs, "avoin", "typical.commit.p99")
    dp99 = fig(runs, "avoin", "typical.draft.p99")
    cpu = fig(runs, "avoin", "typical.server_cpu_pct")
    tight = fig(runs, "avoin", "drafts.sustained_p99_20ms")
    entries = fig(runs, "avoin", "ramp.sustained_p99_20ms")
    storm = fig(runs, "avoin", "typical.storm.caught_up_s.p99")
    resume = fig(runs, "avoin", "resume.caught_up_ms.max")
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
            f"{fmt(tight, 0)} drafts/s delivered at p99 ≤ 20 ms (scenario 3b); entries: "
            f"{fmt(entries, 0)}/s",
            tight >= 3000,
        ),
        *density_targets(data),
        ("scenario 6 p99 ≤ 3 s", f"{storm:.2f} s", storm <= 3),
        (
            "resume of 1,000 missed events ≤ 100 ms",
            f"{resume:.1f} ms (the slowest of the rounds)",
            resume <= 100,
        ),
        ("≥ 500 durable entries/s on SQLite", f"{sqlite:,.0f} entries/s", sqlite >= 500),
        *more_targets(data),
        *durable_targets(runs),
        *handle_targets(dur),
    ]


def handle_targets(dur: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Issue 19's in-process targets, from scenario 7 on SQLite (its one core, many meetings)."""
    many = max(dur["sqlite"], key=lambda d: d["meetings"])
    cpu = many.get("cpu_us_per_entry", float("nan"))
    rate = max(d["entries_per_s"] for d in dur["sqlite"])
    return [
        (
            "`MeetingService.handle` for an entry ≤ 200 µs of CPU in-process on SQLite",
            f"{cpu:.0f} µs (scenario 7, {many['meetings']} meetings: the whole process's CPU per "
            "entry, the writers' loop included)",
            cpu <= 200,
        ),
        (
            "≥ 2,000 durable entries/s on one core on SQLite, each acknowledged after its commit",
            f"{rate:,.0f} entries/s",
            rate >= 2000,
        ),
    ]


def durable_targets(runs: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str, bool]]:
    """Issue 19's: the committed entry at most twice the relay's cost and latency, on SQLite and
    on PostgreSQL."""
    if not any("durable" in r for rs in runs.values() for r in rs):
        return []
    rows = []
    for database, path in (("SQLite", "durable"), ("PostgreSQL", "durable_pg")):
        cpu = ratio(runs, "durable.cpu_us_per_frame", f"{path}.cpu_us_per_frame")
        p99 = ratio(runs, "durable.commit.p99", f"{path}.commit.p99")
        if cpu != cpu:
            continue  # PostgreSQL skipped (the reason is in the scenario's section)
        rows += [
            (
                f"scenario 9 on {database}: CPU per delivered frame ≤ 2× (a)",
                f"{cpu:.2f}×",
                cpu <= 2,
            ),
            (f"scenario 9 on {database}: commit-to-screen p99 ≤ 2× (a)", f"{p99:.2f}×", p99 <= 2),
        ]
    return rows


def report(
    data: dict[str, Any], dur: dict[str, Any], prof: dict[str, Any] | None, args: argparse.Namespace
) -> str:
    runs = data["runs"]
    spec = data["spec"]
    ty, ra = spec["typical"], spec["ramp"]
    # docs/ is written only by the run that rewrites the doc (not with --no-doc).
    plotted = plot(runs, PLOT if not getattr(args, "no_doc", False) else args.workdir / PLOT.name)
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
        f"real asyncio clients on loopback, `picows`) pinned to core {LOADGEN_CORE}. Avoin "
        "runs as `avoin serve` (a fresh migrated SQLite database, the in-memory fan-out). "
        f"{args.reps} repetitions, the order of the systems shuffled in each "
        f"({'; '.join(' → '.join(o) for o in data['orders'])}); every figure is the median of "
        "the repetitions, and **Avoin ÷ (a)** is the median of the per-repetition ratios. "
        "Relay (b), to which no target compares, runs in the first repetition only. "
        "Latencies are measured inside the generator: the sender's monotonic clock at the front "
        "of the text, read by every other client that receives it. Server CPU is the process's "
        "user + system time from /proc over the measured window.",
        "",
        f"### Scenario 1: typical ({ty['meetings']} meetings × (scribe + {ty['phones'] + 1} "
        "phones, the chair's among them))",
        "",
        f"The scribe sends {ty['draft_hz']:g} drafts/s and commits an entry every "
        f"{ty['entry_every'][0]:g}–{ty['entry_every'][1]:g} s; the chair starts a timer once a "
        f"minute (staggered). Measured over {ty['seconds']:g} s after {ty['warmup']:g} s of "
        "warm-up. Draft-to-screen: the scribe's draft reaching each other socket; "
        "commit-to-screen: `entry.add` sent → `entry.added` at each other socket.",
        "",
        table(
            runs,
            _load_rows("typical", rss=True),
        ).replace("server RSS per socket, KiB", "server RSS ÷ sockets, bytes"),
        "",
        *_workshop(data),
        *_durable(data),
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
    lines += drafts_section(runs, spec)
    lines += density_section(runs, spec)
    lines += slow_section(runs, spec)
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
        "### Resume after 1,000 missed events",
        "",
        "One meeting (chair, scribe, one phone). The phone drops its socket; the chair and the "
        "scribe record 1,000 entries, every one acknowledged; the phone reconnects with `hello` "
        "and the last seq it saw. Time from opening the socket until it has the head (Avoin "
        "answers a gap this long with one snapshot of the record; the relays send the missed "
        "events), and the server's CPU for it; 3 rounds, in the first repetition.",
        "",
        table(
            runs,
            [
                *latency_rows("resume.caught_up_ms", "caught up"),
                ("server CPU for the resume, ms (median)", "resume.server_cpu_ms.p50", 1),
            ],
        ),
        "",
        "### Scenario 7: durability (Avoin only)",
        "",
        "Durable entries per second through `MeetingService.handle` (validate against the state, "
        "append under the unique `(meeting_id, seq)`, project, commit, ring the fan-out) by "
        "concurrent writers in one process pinned to core 0: in one meeting (4 writers queueing "
        "on its lock) and in many meetings at once (one writer each). Without sockets, so the "
        "per-socket rate limit is out of the way. The rate counts until the first record is "
        "full (5,000 entries); CPU per entry is the process's (every thread), the writers' own "
        "loop included.",
        "",
        "| database | meetings | durable entries/s | CPU µs per entry | commit p50, ms | p99, ms "
        "| p99.9, ms | max, ms | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for db in ("sqlite", "postgresql"):
        for d in dur[db]:
            c, cpu = d["commit"], d.get("cpu_us_per_entry", float("nan"))
            lines.append(
                f"| {'SQLite' if db == 'sqlite' else 'PostgreSQL'} | {d['meetings']} | "
                f"{fmt(d['entries_per_s'], 0)} | {fmt(cpu, 0)} | "
                f"{fmt(c['p50'])} | {fmt(c['p99'])} | "
                f"{fmt(c['p999'])} | {fmt(c['max'])} | {d['errors']} |"
            )
    lines += ["", *county_section(runs, spec, dur)]
    lines += [*pair_section(data.get("pair"), spec)]
    lines += [
        "### Targets (issues 8 and 19)",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    for target, measured, met in targets(data, dur):
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")
    if prof is not None:
        lines += [
            "",
            "### Profile of Avoin (py-spy, scenario 1's measured window)",
            "",
            f"`py-spy record --gil --nonblocking --rate 250` on the server, {prof['samples']:,} "
            "samples of the thread holding the GIL. Share of samples in which the function is on "
            "the stack (inclusive), and the top frames by self time.",
            "",
            "| inclusive | function |",
            "| --- | --- |",
            *[f"| {share:.0%} | `{name}` |" for name, share in prof["total"]],
            "",
            "| self | function |",
            "| --- | --- |",
            *[f"| {share:.0%} | `{name}` |" for name, share in prof["self"]],
        ]
    lines.append("")
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


def _load_rows(scenario: str, rss: bool = False) -> list[tuple[str, str, int]]:
    """The rows of a steady-load scenario (1 or 2): latencies, then the server's cost."""
    rows = latency_rows(f"{scenario}.draft", "draft-to-screen")
    rows += latency_rows(f"{scenario}.commit", "commit-to-screen")
    rows += [
        ("server CPU, % of a core", f"{scenario}.server_cpu_pct", 1),
        ("server CPU µs per delivered frame", f"{scenario}.cpu_us_per_frame", 1),
        ("frames delivered per s", f"{scenario}.frames_per_s", 0),
    ]
    if rss:
        rows.append(("server RSS per socket, KiB", f"{scenario}.server_rss_per_socket", 0))
    rows.append(("load generator CPU, share of its core", f"{scenario}.loadgen_cpu", 2))
    return rows


def _durable(data: dict[str, Any]) -> list[str]:
    """Scenario 9's section: committed entries only (issue 19), every repetition, Avoin on
    SQLite (the table) and on PostgreSQL (beside the same repetitions of relay (a))."""
    runs = {k: [r for r in v if "durable" in r] for k, v in data["runs"].items()}
    if not any(runs.values()):
        return []
    du = data["spec"]["durable"]
    rows = [
        *latency_rows("durable.commit", "commit-to-screen"),
        ("server CPU, % of a core", "durable.server_cpu_pct", 1),
        ("server CPU µs per delivered frame", "durable.cpu_us_per_frame", 1),
        ("frames delivered per s", "durable.frames_per_s", 0),
        ("load generator CPU, share of its core", "durable.loadgen_cpu", 2),
    ]
    return [
        f"### Scenario 9: durable entries ({du['meetings']} meetings × (scribe + "
        f"{du['phones'] + 1} phones), no drafts)",
        "",
        f"Each scribe commits an entry every {du['entry_every'][0]:g} s "
        f"({1 / du['entry_every'][0]:g} a second a meeting), nothing else: the path of the "
        "committed entry (validate, sequence, append, project, commit, fan out) against the "
        "relays' broadcast of the same frames. Target (issue 19): CPU per delivered frame and "
        "commit-to-screen p99 at most 2× relay (a), on SQLite and on PostgreSQL. Every system "
        "on a fresh server in every repetition; measured over "
        f"{du['seconds']:g} s after {du['warmup']:g} s of warm-up.",
        "",
        table(runs, rows),
        "",
        *_durable_pg(runs, rows),
    ]


def _durable_pg(
    runs: dict[str, list[dict[str, Any]]], rows: list[tuple[str, str, int]]
) -> list[str]:
    """Scenario 9 with Avoin on a fresh PostgreSQL database, in the same repetitions."""
    skipped = [
        r["durable_pg"]["skipped"]
        for r in runs.get("avoin", [])
        if "skipped" in r.get("durable_pg", {})
    ]
    if skipped:
        return [f"On PostgreSQL: skipped ({skipped[0]}).", ""]
    if not any("durable_pg" in r for r in runs.get("avoin", [])):
        return []
    lines = [
        "On PostgreSQL (`avoin serve` on a fresh database of the local server, in every "
        "repetition right after Avoin's SQLite run; relay (a) is the same repetition's):",
        "",
        "| figure | Avoin on PostgreSQL | (a) raw websockets | Avoin on PostgreSQL ÷ (a) |",
        "| --- | --- | --- | --- |",
    ]
    for label, path, digits in rows:
        pg = path.replace("durable.", "durable_pg.", 1)
        mine, theirs = fig(runs, "avoin", pg), fig(runs, "ws", path)
        lines.append(
            f"| {label} | {fmt(mine, digits)} | {fmt(theirs, digits)} | "
            f"{fmt(ratio(runs, path, pg), 2)} |"
        )
    floor = [fig(runs, "avoin", f"durable_pg.floor.round_trip.{p}") for p in ("p50", "p99")]
    relay = fig(runs, "ws", "durable.commit.p99")
    if floor[0] == floor[0]:
        lines += [
            "",
            "PostgreSQL's own part, with nothing else around it (`bench/pg_floor.py`: one client "
            "on the server's core sends what Avoin's short way sends for an entry, the meeting's "
            "turn and two inserts committed by one Sync, at the scenario's pace): round trip "
            f"p50 {floor[0]:.2f} ms, p99 {floor[1]:.2f} ms, which is {floor[1] / relay:.2f}× "
            "relay (a)'s whole commit-to-screen p99 before Avoin's own work is added.",
        ]
    return [*lines, ""]


def _workshop(data: dict[str, Any]) -> list[str]:
    """Scenario 2's section (run once per system, in the first repetition)."""
    runs = {k: [r for r in v if "workshop" in r] for k, v in data["runs"].items()}
    if not any(runs.values()):
        return []
    ws = data["spec"]["workshop"]
    return [
        f"### Scenario 2: workshop ({ws['meetings']} rooms × (facilitator + scribe + "
        f"{ws['phones']} phones); once per system)",
        "",
        f"The scribe of each room sends {ws['draft_hz']:g} drafts/s and commits an entry every "
        f"{ws['entry_every'][0]:g}–{ws['entry_every'][1]:g} s; the facilitator's timer ticks "
        f"once a second (`timer.start`, an event to every socket of the room). A meeting holds "
        f"at most 200 people, so a room has {ws['phones']} phones. Measured over "
        f"{ws['seconds']:g} s after {ws['warmup']:g} s of warm-up, on a fresh server.",
        "",
        table(
            runs,
            _load_rows("workshop"),
        ),
        "",
    ]
