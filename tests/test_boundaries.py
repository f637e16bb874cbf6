"""The seams: src/qa is a pure library in wings with faces; the bot uses it through the faces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "src" / "qa"
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
        assert not any(n.split(".")[0] in {"telegram", "qa_bot", "dotenv"} for n in names), path
        if isinstance(node, ast.Attribute):
            assert not (node.attr == "environ" and getattr(node.value, "id", "") == "os"), path
            assert node.attr not in {"basicConfig", "getenv"}, path
            assert not (
                node.attr in {"addHandler", "setLevel"}
                and getattr(node.value, "id", "") == "logging"
            ), path


# The house: wings from the bottom up. A wing imports only wings below it, and only through
# their faces; the façade (engine, reindex, the package face) sits on top, the CLI above it.
WINGS = ("language", "reports", "documents", "search", "figures", "answer", "library")
BASE = {"qa.models", "qa.errors", "qa.fsio", "qa.gcpause", "qa.data"}
TOP = ("engine", "reindex")
SRC = CORE.parent


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Return the absolute module names a file imports (relative imports resolved)."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            if node.level:
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            out.append(base)
    return out


def _rank(module: str) -> int:
    """Return a module's floor: base 0, wings 1…, the façade above them, the CLI on top."""
    parts = module.split(".")
    if module in BASE or module == "qa.data":
        return 0
    if len(parts) > 1 and parts[1] in WINGS:
        return 1 + WINGS.index(parts[1])
    if len(parts) > 1 and parts[1] in TOP:
        return len(WINGS) + 1
    return len(WINGS) + 2  # the package face and the CLI


def _wing(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_wings_import_downwards_through_faces(path: Path) -> None:
    here = _module(path)
    for target in _imports(path):
        if target.split(".")[0] != "qa" or _wing(target) == _wing(here):
            continue
        assert _rank(target) <= _rank(here), f"{here} imports {target}, a floor above it"
        if target.split(".")[1] in WINGS:
            assert target == _wing(target), f"{here} reaches past the face of {_wing(target)}"


def test_the_core_has_few_modules_on_top_and_every_wing_a_face() -> None:
    assert len([p for p in CORE.glob("*.py") if p.name != "__init__.py"]) <= 8
    for wing in (*WINGS, "cli", "data"):
        face = CORE / wing / "__init__.py"
        tree = ast.parse(face.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), wing
        names = [t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                 for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                 if isinstance(t, ast.Name)]
        assert "__all__" in names, wing


BOT_FILES = sorted((SRC / "qa_bot").rglob("*.py"))


@pytest.mark.parametrize("path", BOT_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_bot_uses_the_core_through_its_faces(path: Path) -> None:
    for target in _imports(path):
        parts = target.split(".")
        if parts[0] != "qa":
            continue
        assert len(parts) <= 2, f"{path.name} imports {target}: use the face {'.'.join(parts[:2])}"


def test_no_wing_imports_another_in_a_circle() -> None:
    edges: dict[str, set[str]] = {}
    for path in FILES:
        here = _wing(_module(path))
        edges.setdefault(here, set()).update(
            _wing(t) for t in _imports(path) if t.startswith("qa.") and _wing(t) != here
        )
    seen: dict[str, int] = {}

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert node not in trail, " → ".join((*trail, node))
        if seen.get(node):
            return
        for nxt in sorted(edges.get(node, ())):
            if nxt != "qa":  # the package face imports everything; nothing below imports it
                visit(nxt, (*trail, node))
        seen[node] = 1

    for node in sorted(edges):
        if node != "qa":
            visit(node, ())
