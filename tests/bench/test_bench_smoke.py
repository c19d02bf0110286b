"""The live bench's smoke run (tiny sizes, a few seconds), so that the bench never rots."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke() -> dict:
    """`python -m bench.live --smoke`: every system once, servers and generator as processes."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.live", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


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
        assert typical["server_cpu"] >= 0 and math.isfinite(typical["cpu_us_per_frame"])


@pytest.mark.timeout(170)
def test_the_storm_catches_everyone_up_and_the_ramp_measures(smoke: dict) -> None:
    for system, results in smoke["runs"].items():
        storm = results[0]["typical"]["storm"]
        assert storm["failures"] == 0, system
        assert storm["caught_up_ms"]["n"] == storm["clients"] > 0, system
        steps = results[0]["ramp"]["steps"]
        assert steps and steps[0]["commit"]["n"] > 0, system
        assert steps[0]["acked_per_s"] > 0, system
