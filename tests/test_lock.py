"""requirements.lock agrees with pyproject.toml: every dependency pinned inside its range, with
hashes, and every range bounded above (a fresh install cannot drift to an untested release)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in declared]


def locked() -> dict[str, tuple[str, int]]:
    """Name → (pinned version, number of hashes)."""
    text = (ROOT / "requirements.lock").read_text()
    pins: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        found = re.match(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", block)
        if found:
            name = canonicalize_name(found.group(1).split("[")[0])
            pins[name] = (found.group(2), block.count("--hash=sha256:"))
    return pins


def test_every_dependency_is_locked_within_its_range_with_hashes() -> None:
    pins = locked()
    for requirement in direct_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {name}=={version}, outside pyproject.toml's "
            f"{requirement.specifier}: run `make lock`"
        )
        assert hashes > 0, f"{name} has no hash in requirements.lock"


def test_every_lock_entry_has_a_hash() -> None:
    assert all(hashes > 0 for _version, hashes in locked().values())


def test_every_range_has_an_upper_bound() -> None:
    for requirement in direct_requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert operators & {"<", "<=", "==", "~="}, (
            f"{requirement.name} has no upper bound in pyproject.toml: bound it at the tested minor"
        )
