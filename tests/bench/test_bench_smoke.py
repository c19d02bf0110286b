"""The live bench's smoke run (tiny sizes, a few seconds), so that the bench never rots."""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERDICTS = {"ok", "generator-bound", "errors", "backlog", "p99>100ms"}


@pytest.fixture(scope="module")
def smoke() -> dict:
    """`python -m bench.live --smoke`: every system once, servers and generator as processes."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.live", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


CORES = os.cpu_count() or 1


@pytest.mark.timeout(170)
def test_every_system_delivers_drafts_and_entries(smoke: dict) -> None:
    runs = smoke["runs"]
    assert set(runs) == {"avoin", "ws", "fastapi"}
    for system, results in runs.items():
        typical = results[0]["typical"]
        assert typical["errors"] == {}, (system, typical["errors"])
        assert typical["frames"] > 0, system
        assert typical["draft"]["n"] > 0, system
        assert 0 < typical["draft"]["p50"] <= typical["draft"]["p99"] < 5000, system
        assert typical["commit"]["n"] > 0, system
        assert typical["commit"]["p50"] > 0, system
        # A smoke run's window is a few clock ticks: one system may measure none, but the CPU
        # figure is a share of the machine's cores and at least one system's is above zero.
        assert 0 <= typical["server_cpu"] <= CORES and math.isfinite(typical["cpu_us_per_frame"])
    assert max(r[0]["typical"]["server_cpu"] for r in runs.values()) > 0


@pytest.mark.timeout(170)
def test_every_system_commits_entries_without_drafts(smoke: dict) -> None:
    for system, results in smoke["runs"].items():
        durable = results[0]["durable"]
        assert durable["errors"] == {}, (system, durable["errors"])
        assert durable["commit"]["n"] > 0, system
        assert durable["draft"]["n"] == 0, system  # committed entries only
        assert 0 < durable["commit"]["p50"] <= durable["commit"]["p99"] < 5000, system
    # Avoin runs it once more on PostgreSQL, production's database.
    on_postgres = smoke["runs"]["avoin"][0]["durable_pg"]
    assert on_postgres["errors"] == {} and on_postgres["commit"]["n"] > 0
    assert on_postgres["draft"]["n"] == 0


@pytest.mark.timeout(170)
def test_a_countys_load_streams_drafts_and_commits(smoke: dict) -> None:
    county = smoke["runs"]["avoin"][0]["county"]
    assert county["errors"] == {} and county["draft"]["n"] > 0 and county["frames"] > 0


@pytest.mark.timeout(170)
def test_the_storm_catches_everyone_up_and_the_ramp_measures(smoke: dict) -> None:
    for system, results in smoke["runs"].items():
        storm = results[0]["typical"]["storm"]
        assert storm["failures"] == 0, system
        assert storm["caught_up_ms"]["n"] == storm["clients"] > 0, system
        steps = results[0]["ramp"]["steps"]
        # A smoke step is a fraction of a second at a few entries a second: on a busy machine
        # the first may end with its entries still on the way; the ramp as a whole measures.
        assert steps and any(step["commit"]["n"] > 0 for step in steps), system
        assert any(step["acked_per_s"] > 0 for step in steps), system


@pytest.mark.timeout(170)
def test_the_ramp_of_drafts_delivers_to_the_phones(smoke: dict) -> None:
    for system, results in smoke["runs"].items():
        drafts = results[0]["drafts"]
        assert drafts["writers"] == 2 * drafts["meetings"], system
        steps = drafts["steps"]
        assert steps and steps[0]["draft"]["n"] > 0, system
        assert steps[0]["delivered_per_s"] > 0, system
        assert all(s["verdict"] in VERDICTS for s in steps), system


@pytest.mark.timeout(170)
def test_density_opens_every_socket_and_weighs_it(smoke: dict) -> None:
    for system, results in smoke["runs"].items():
        density = results[0]["density"]
        assert density["open_at_end"] == density["sockets"] > 0, system
        assert [s["sockets"] for s in density["steps"]] == smoke["spec"]["density"]["steps"]
        assert math.isfinite(density["per_socket_kib"]), system
        # A share of the machine's cores; at a smoke run's few idle sockets it may round to 0.
        assert 0 <= density["keepalive_cpu_pct"] <= 100 * CORES, system


@pytest.mark.timeout(170)
def test_a_frozen_phone_does_not_close_the_scribe(smoke: dict) -> None:
    for system, results in smoke["runs"].items():
        slow = results[0]["slow"]
        assert slow["frozen"] == slow["meetings"] > 0, system
        assert slow["others"]["draft"]["n"] > 0, system
        assert slow["scribe_closes"] == 0, (system, slow["closes_others"])
        assert sum(slow["frozen_close_codes"].values()) == slow["frozen"], system


@pytest.mark.timeout(170)
def test_two_instances_over_redis_or_a_reason(smoke: dict) -> None:
    pair = smoke["pair"]
    if "skipped" in pair:
        assert not os.environ.get("CI"), pair["skipped"]  # CI starts PostgreSQL and Redis
        assert pair["skipped"]
        return
    for group in ("a", "b"):
        assert pair[group]["draft"]["n"] > 0, group
        assert pair[group]["commit"]["n"] > 0, group
    assert pair["errors"] == {}


@pytest.mark.timeout(170)
def test_the_report_renders_every_scenario(smoke: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import report

    # docs/ is not the test's to write
    monkeypatch.setattr(report, "plot", lambda runs, path: False)
    shape = {"entries_per_s": 1.0, "meetings": 1, "errors": 0}
    shape["commit"] = {"p50": 1.0, "p99": 1.0, "p999": 1.0, "max": 1.0}
    durability = {"sqlite": [shape], "postgresql": [shape]}
    args = argparse.Namespace(size=0.02, reps=1)
    section = report.report(smoke, durability, None, args)
    for heading in (
        "Scenario 1",
        "Scenario 3b",
        "Scenario 4",
        "Scenario 5",
        "Scenario 8",
        "Scenario 9",
    ):
        assert f"### {heading}" in section
    assert "| scenario 4 ≥ 15,000 sockets" in section


def test_the_report_renders_without_the_relays_once_run_scenarios(
    smoke: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full run leaves the bare FastAPI relay out of scenarios 4 and 5 (bench.live
    NOT_ONCE): the report shows "–" there instead of failing at the end of a ten-minute run."""
    import copy

    from bench import report
    from bench.live import NOT_ONCE

    monkeypatch.setattr(report, "plot", lambda runs, path: False)
    data = copy.deepcopy(smoke)
    for system, names in NOT_ONCE.items():
        for result in data["runs"][system]:
            for name in names:
                result.pop(name, None)
    shape = {"entries_per_s": 1.0, "meetings": 1, "errors": 0}
    shape["commit"] = {"p50": 1.0, "p99": 1.0, "p999": 1.0, "max": 1.0}
    section = report.report(
        data,
        {"sqlite": [shape], "postgresql": [shape]},
        None,
        argparse.Namespace(size=0.02, reps=1),
    )
    assert "### Scenario 5" in section and "### Scenario 4" in section
    assert "| scenario 5: the scribe never disconnected" in section
