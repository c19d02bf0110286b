"""The house rules that no linter states: short functions, no excused complexity."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
LONGEST = 60


def test_no_function_in_app_is_over_sixty_lines() -> None:
    long = []
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > LONGEST:
                    long.append(f"{path.relative_to(APP.parent)}:{node.lineno} {node.name} {lines}")
    assert long == []


def test_no_function_is_excused_from_the_complexity_limit() -> None:
    excused = [
        f"{path.relative_to(APP.parent)}:{n}"
        for path in APP.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "noqa: C901" in line
    ]
    assert excused == []
