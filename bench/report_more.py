"""The report's sections for scenarios 3b (drafts), 4 (density), 5 (slow consumer) and 8 (two
instances over Redis), and their targets; `bench.report` places them in the section."""

from __future__ import annotations

from typing import Any

from bench.figures import LABELS, Runs, fig, fmt, latency_rows, median, table


def _ratio_to(runs: Runs, system: str, path: str, base: str) -> float:
    """A figure of one system over another of its own figures (medians of each)."""
    below = fig(runs, system, base)
    return fig(runs, system, path) / below if below else float("nan")


def drafts_section(runs: Runs, spec: dict[str, Any]) -> list[str]:
    dr = spec["drafts"]
    writers = 2 * dr["meetings"]
    return [
        "### Scenario 3b: ramp of live edits (drafts; once per system)",
        "",
        f"{dr['meetings']} meetings × (chair + scribe + {dr['phones']} phone); the chair and the "
        "scribe both send `draft` ops (relayed to the room, never stored), the total raised every "
        f"{dr['step_seconds']:g} s through {', '.join(f'{r:,}' for r in dr['rates'])} drafts/s "
        f"offered, at most {dr['rates'][-1] / writers:g} a second of each of the {writers:,} "
        "writers (Avoin sends at most ten drafts a second per writer to the room, the latest "
        "text winning, so more would be coalesced by design). *Delivered* is the drafts reaching "
        "the phones per second; draft-to-screen is measured at the phones. A step fails as the "
        "entries ramp's do: p99 > 100 ms, a backlog (drafts still arriving 0.2 s after the last "
        "was sent, over 5 % of a second's worth), over 1 % errors, or the generator unable to "
        "keep the pace (generator-bound); a failed step is run once more and ends the ramp only "
        "if it fails again. *Sustained* is the delivered rate of the highest step that passed. "
        "Run once per system, on a fresh server, to keep `make bench` within its time.",
        "",
        table(
            runs,
            [
                ("sustained drafts/s delivered (p99 ≤ 100 ms)", "drafts.sustained", 0),
                ("sustained drafts/s delivered at p99 ≤ 20 ms", "drafts.sustained_p99_20ms", 0),
                ("offered drafts/s of the highest step passed", "drafts.sustained_offered", 0),
                ("p99 of the last step run, ms", "drafts.last_p99", 1),
            ],
        ),
        "",
        "What stopped each repetition: "
        + "; ".join(
            f"{LABELS[s]}: "
            + ", ".join(r["drafts"]["stopped_by"] or "–" for r in runs[s] if "drafts" in r)
            for s in runs
        )
        + ".",
        "",
        *_draft_steps(runs),
    ]


def _draft_steps(runs: Runs) -> list[str]:
    lines = [
        "| offered drafts/s | "
        + " | ".join(f"{LABELS[s]} p50 / p99 / p99.9, ms · delivered/s · CPU %" for s in runs)
        + " |",
        "| --- " * (len(runs) + 1) + "|",
    ]
    every = [st for rs in runs.values() for r in rs for st in r.get("drafts", {}).get("steps", [])]
    for rate in sorted({st["rate"] for st in every}):
        cells = []
        for s in runs:
            steps = [st for r in runs[s] for st in r.get("drafts", {}).get("steps", [])]
            steps = [st for st in steps if st["rate"] == rate]
            if not steps:
                cells.append("–")
                continue
            p = [median([st["draft"][k] for st in steps]) for k in ("p50", "p99", "p999")]
            got = median([st["delivered_per_s"] for st in steps])
            cpu = median([st["server_cpu"] * 100 for st in steps])
            verdicts = ",".join(sorted({st["verdict"] for st in steps} - {"ok"}))
            cells.append(
                f"{fmt(p[0])} / {fmt(p[1])} / {fmt(p[2])} · {got:,.0f} · {cpu:.0f}"
                + (f" ({verdicts})" if verdicts else "")
            )
        lines.append(f"| {rate:,} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def density_section(runs: Runs, spec: dict[str, Any]) -> list[str]:
    de = spec["density"]
    steps = ", ".join(f"{n:,}" for n in de["steps"])
    joins = [r["density"] for r in runs.get("avoin", []) if "density" in r]
    setup = (
        f" Avoin's setup: {joins[0]['joins']:,} joins in {joins[0]['join_s']:.0f} s, then the "
        f"sockets at {joins[0]['steps'][-1]['server_ms_per_open']:.1f} ms of server CPU each."
        if joins
        else ""
    )
    lines = [
        "### Scenario 4: density (once, Avoin and (a))",
        "",
        f"Idle sockets opened in steps ({steps}) on a fresh server of each system, every one "
        "welcomed after its `hello` and then silent but for the keepalive: the server pings every "
        "socket every 15 s (app/server.py; the baselines alike) and the client answers (it sends "
        "no pings of its own). Memory per socket is the growth of the server's resident memory "
        "over the sockets open (measured after the joins; kernel socket buffers are not in it). "
        f"Keepalive CPU is the server's CPU over {de['idle_seconds']:g} s (one ping interval) "
        "with every socket open and idle. Avoin's phones join over HTTP and wait in the lobby, so "
        "that no presence list of hundreds of names goes to every socket as they connect; a join "
        f"costs the server about 5 ms, so each joined phone opens {de['tabs']} sockets (Avoin's "
        f"cap per credential), {de['steps'][-1] // de['tabs']:,} joins in all, {de['per_meeting']} "
        "phones a meeting. Run once (not repeated), Avoin's and the raw baseline's servers side "
        "by side (each process's memory and CPU time are its own; the cores are idle but for "
        "the pings); the bare FastAPI relay is left out here, to keep `make bench` within its "
        f"time.{setup}",
        "",
        table(
            runs,
            [
                ("sockets open at the top step", "density.open_at_end", 0),
                ("server memory per socket, KiB", "density.per_socket_kib", 1),
                ("server RSS before the sockets, MiB", "density.rss0_mib", 0),
                (
                    "keepalive CPU with every socket idle, % of a core",
                    "density.keepalive_cpu_pct",
                    2,
                ),
            ],
        ),
        "",
        "| sockets | "
        + " | ".join(f"{LABELS[s]} RSS MiB · KiB/socket · server CPU ms/open" for s in runs)
        + " |",
        "| --- " * (len(runs) + 1) + "|",
    ]
    for k, n in enumerate(de["steps"]):
        cells = []
        for s in runs:
            st = [r["density"]["steps"][k] for r in runs[s] if "density" in r]
            if not st:
                cells.append("–")
                continue
            x = st[0]
            cells.append(
                f"{x['rss_mib']:.0f} · {x['per_socket_kib']:.1f} · {x['server_ms_per_open']:.2f}"
            )
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def slow_section(runs: Runs, spec: dict[str, Any]) -> list[str]:
    sl = spec["slow"]
    rows = latency_rows("slow.others.draft", "others' draft-to-screen")
    rows += latency_rows("slow.others.commit", "others' commit-to-screen")
    rows += [
        ("frozen phones", "slow.frozen", 0),
        ("frozen phones cut off by the server", "slow.cut", 0),
        ("first cut, s after freezing", "slow.cut_s.first", 1),
        ("median cut, s after freezing", "slow.cut_s.median", 1),
        ("last cut, s after freezing", "slow.cut_s.last", 1),
        ("scribe sockets closed", "slow.scribe_closes", 0),
        ("server CPU, % of a core", "slow.server_cpu_pct", 1),
    ]
    lines = [
        "### Scenario 5: slow consumer (once, Avoin only)",
        "",
        f"Scenario 1's meetings and load ({sl['meetings']} meetings × (scribe + "
        f"{sl['phones'] + 1} phones, the chair's among them)); after {sl['warmup']:g} s one "
        "phone of each meeting stops reading its socket (`transport.pause_reading()`), for up to "
        f"{sl['max_wait']:g} s or until every frozen phone has been cut off. *Cut* is the time "
        "from freezing until the frozen phone's TCP socket leaves ESTABLISHED (the server closed "
        "or reset it; read with TCP_INFO, since a frozen client reads no close frame); the close "
        "code is what the phone finds when it reads again at the end. The others' latency is over "
        "the frozen window, beside scenario 1 (median of its repetitions) of the same system. The "
        "relays are left out of this scenario, to keep `make bench` within its time (the target "
        "compares Avoin with its own scenario 1).",
        "",
        table(runs, rows),
        "",
    ]
    for s in runs:
        got = [r["slow"] for r in runs[s] if "slow" in r]
        if not got:
            continue
        x = got[0]
        draft = _ratio_to(runs, s, "slow.others.draft.p99", "typical.draft.p99")
        commit = _ratio_to(runs, s, "slow.others.commit.p99", "typical.commit.p99")
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(x["frozen_close_codes"].items()))
        others = ", ".join(f"{k} ×{v}" for k, v in sorted(x["closes_others"].items())) or "none"
        lines.append(
            f"- {LABELS[s]}: others' p99 ÷ scenario 1's: drafts {fmt(draft, 2)}, commits "
            f"{fmt(commit, 2)}; frozen phones' close codes when read again: {codes}; other "
            f"sockets closed: {others}."
        )
    return [*lines, ""]


def pair_section(pair: dict[str, Any] | None, spec: dict[str, Any]) -> list[str]:
    head = ["### Scenario 8: two Avoin instances over Redis (Avoin only, once)", ""]
    if pair is None:
        return []
    if "skipped" in pair:
        return [*head, f"Skipped: {pair['skipped']}.", ""]
    pa = spec["pair"]
    lines = [
        *head,
        "Two `avoin serve` processes (both on core 0) sharing a fresh PostgreSQL database and the "
        f"Redis fan-out; {pa['meetings']} meetings × (chair + scribe + {pa['phones']} phones), "
        "the chair and the scribe on instance A, the phones alternating between A and B (direct "
        f"connections, no proxy), scenario 1's load, measured over {pa['seconds']:g} s. The "
        "Redis hop is B's p50 minus A's, in the same window.",
        "",
        "| figure | phones on A (same instance) | phones on B (across Redis) | B − A |",
        "| --- | --- | --- | --- |",
    ]
    for kind, name in (("draft", "draft-to-screen"), ("commit", "commit-to-screen")):
        for q, key in (("p50", "p50"), ("p99", "p99"), ("p99.9", "p999"), ("max", "max")):
            a, b = pair["a"][kind][key], pair["b"][kind][key]
            lines.append(f"| {name} {q}, ms | {fmt(a)} | {fmt(b)} | {fmt(b - a, 2)} |")
    lines += [
        f"| server CPU, % of a core | A {pair['server_cpu'] * 100:.1f} | "
        f"B {pair['server_b_cpu'] * 100:.1f} | |",
        "",
    ]
    return lines


def density_targets(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Scenario 4's target, when it ran."""
    runs = data["runs"]
    out = []
    top = fig(runs, "avoin", "density.open_at_end")
    kib = fig(runs, "avoin", "density.per_socket_kib")
    if top == top:
        out.append(
            (
                "scenario 4 ≥ 15,000 sockets per process at ≤ 30 KiB each",
                f"{top:,.0f} sockets at {kib:.1f} KiB each",
                top >= 15000 and kib <= 30,
            )
        )
    return out


def more_targets(data: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """The targets of scenarios 5 and 8, when they ran."""
    runs = data["runs"]
    out = []
    if fig(runs, "avoin", "slow.frozen") == fig(runs, "avoin", "slow.frozen"):
        worst = max(
            _ratio_to(runs, "avoin", "slow.others.draft.p99", "typical.draft.p99"),
            _ratio_to(runs, "avoin", "slow.others.commit.p99", "typical.commit.p99"),
        )
        scribe = fig(runs, "avoin", "slow.scribe_closes")
        cut, frozen = fig(runs, "avoin", "slow.cut"), fig(runs, "avoin", "slow.frozen")
        last = fig(runs, "avoin", "slow.cut_s.last")
        out += [
            (
                "scenario 5: the others' p99 within 20 % of scenario 1",
                f"{worst:.2f}× scenario 1's p99 (the worse of drafts and commits)",
                worst <= 1.2,
            ),
            ("scenario 5: the scribe never disconnected", f"{scribe:.0f} closed", scribe == 0),
            (
                "scenario 5: the frozen phone cut off within 40 s",
                f"{cut:.0f} of {frozen:.0f} cut, the last after {fmt(last)} s",
                cut == frozen and last <= 40,
            ),
        ]
    pair = data.get("pair")
    if pair is not None:
        if "skipped" in pair:
            out.append(("scenario 8: the Redis hop ≤ 1 ms p50", "skipped", False))
        else:
            hop = max(pair["hop_draft_p50"], pair["hop_commit_p50"])
            out.append(
                (
                    "scenario 8: the Redis hop ≤ 1 ms p50",
                    f"drafts +{pair['hop_draft_p50']:.2f} ms, "
                    f"commits +{pair['hop_commit_p50']:.2f} ms",
                    hop <= 1,
                )
            )
    return out


# Scenario 10 on the code before issue 19 (commit 81ea6d4, the same bench), measured once on this
# machine, three repetitions: Avoin's server CPU as a share of one core 12.5, 12.5, 10.5 % (relay
# (a) 10.6, 10.0, 10.0 %), medians below. How: docs/benchmarks.md, "The durable path".
COUNTY_BEFORE = {"share": 0.125, "relay_share": 0.100, "commit": "81ea6d4"}
# What one process is given, so that a burst (a phase change, a reconnect storm) has room.
CORE_BUDGET = 0.5


def county_section(runs: Runs, spec: dict[str, Any], dur: dict[str, Any]) -> list[str]:
    """Scenario 10: a wellbeing county's load, measured, and on paper how many counties one
    process and one PostgreSQL could serve (issue 19)."""
    runs = {k: [r for r in v if "county" in r] for k, v in runs.items()}
    if not runs.get("avoin"):
        return []
    co = spec["county"]
    share = fig(runs, "avoin", "county.server_cpu")
    # A run too short for the process clock's ticks measures no CPU at all (the CI's smoke run on
    # a busy machine did): no count is made of it.
    per_core = CORE_BUDGET / share if share > 0 else float("nan")
    per_county = co["meetings"] / ((co["entry_every"][0] + co["entry_every"][1]) / 2)
    pg = max((d["entries_per_s"] for d in dur.get("postgresql", [])), default=float("nan"))
    before = COUNTY_BEFORE["share"]
    return [
        f"### Scenario 10: a wellbeing county ({co['meetings']} meetings × (scribe + "
        f"{co['phones'] + 1} phones); once)",
        "",
        f"The county's load as issue 19 puts it: {co['meetings']} meetings at once, each scribe "
        f"committing an entry every {co['entry_every'][0]:g}–{co['entry_every'][1]:g} s and "
        f"streaming drafts at {co['draft_hz']:g} a second to a room of {co['phones'] + 2} "
        f"sockets. Measured over {co['seconds']:g} s after {co['warmup']:g} s of warm-up, on "
        "SQLite, on a fresh server.",
        "",
        table(runs, _county_rows()),
        "",
        f"- **One county costs {share * 100:.1f} % of one core.** Before issue 19 (commit "
        f"{COUNTY_BEFORE['commit']}, the same scenario on this machine): {before * 100:.1f} %; "
        f"relay (a) carrying the same frames, measured beside it: "
        f"{COUNTY_BEFORE['relay_share'] * 100:.1f} %. Nearly all of it is the drafts: "
        f"{co['meetings'] * co['draft_hz']:g} a second, each to {co['phones'] + 1} sockets; the "
        f"entries are {per_county:.1f} a second.",
        f"- **One process:** at most {CORE_BUDGET:.0%} of its core for the steady load (the "
        f"rest for bursts: a phase change, a reconnect storm), so about "
        f"{_count(per_core)} such counties, "
        f"{_count(per_core * co['meetings'])} meetings at once (the sockets per "
        "process of scenario 4 are not the limit).",
        f"- **One PostgreSQL:** a county writes {per_county:.1f} entries a second (plus a few "
        f"other ops); the server here took {fmt(pg, 0)} durable entries a second through the "
        f"durable path (scenario 7), so about {_count(pg / per_county)} counties, far beyond "
        "what the Avoin processes in front of it carry: the processes, not the database, are "
        "what a deployment adds first.",
        "",
    ]


def _county_rows() -> list[tuple[str, str, int]]:
    rows = latency_rows("county.draft", "draft-to-screen")
    rows += latency_rows("county.commit", "commit-to-screen")
    return [
        *rows,
        ("server CPU, % of a core", "county.server_cpu_pct", 1),
        ("server CPU µs per delivered frame", "county.cpu_us_per_frame", 1),
        ("frames delivered per s", "county.frames_per_s", 0),
    ]


def _count(value: float) -> str:
    """A count to plan by: rounded down, never claimed to the unit above ten."""
    if value != value:
        return "–"
    if value >= 10:
        return f"{int(value // 10 * 10):,}"
    return f"{int(value)}"
