"""Fault injection and fuzzing: the server under a bad network, crashes and hostile input."""

from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps its caches under var/ (ignored), not in a new folder at the top of the tree.
set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / "var" / "hypothesis")
