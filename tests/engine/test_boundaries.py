"""The seam: src/qa is a pure library (no telegram, no environment, no logging setup)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "src" / "qa"
FILES = sorted(CORE.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_core_module_stays_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        assert not any(n.split(".")[0] in {"telegram", "bot", "dotenv"} for n in names), path
        if isinstance(node, ast.Attribute):
            assert not (node.attr == "environ" and getattr(node.value, "id", "") == "os"), path
            assert node.attr not in {"basicConfig", "getenv"}, path
            assert not (
                node.attr in {"addHandler", "setLevel"}
                and getattr(node.value, "id", "") == "logging"
            ), path
