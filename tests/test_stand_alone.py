"""Chapters stand alone and modules keep their private names, read from the source with ast.

A chapter module (``chapters/<notebook>.py``) imports no other chapter module; the registry, the
notebook layer and the ledgers know chapters by their registry entries, not by importing them or
naming them in a special case; no name starting with ``_`` is imported or used across modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sectorplannen.chapters.registry import REGISTRY

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sectorplannen"
CHAPTERS = PACKAGE / "chapters"
NOTEBOOKS = {entry.notebook for entry in REGISTRY}
CHAPTER_MODULES = {f"sectorplannen.chapters.{name}" for name in NOTEBOOKS if (CHAPTERS / f"{name}.py").exists()}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imported_modules(tree: ast.Module) -> list[tuple[str, int]]:
    """Every module of the package an import names (``from a.b import c`` names a.b and a.b.c)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append((node.module, node.lineno))
            out += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return out


def test_the_chapter_modules_are_known():
    assert {"sectorplannen.chapters.inhoud", "sectorplannen.chapters.arbeidsmarktpositie"} <= CHAPTER_MODULES


def test_no_module_of_the_chapters_layer_imports_a_chapter_module():
    found = [
        f"{path.name}:{line} imports {module}"
        for path in sorted(CHAPTERS.glob("*.py"))
        for module, line in _imported_modules(_tree(path))
        if module in CHAPTER_MODULES and module != f"sectorplannen.chapters.{path.stem}"
    ]
    assert found == []


def test_the_notebook_layer_names_no_chapter():
    """notebook.start and finish and the ledgers act on what an entry declares (its data, its claims,
    its tranche groups), never on a chapter's name."""
    for name in ("notebook.py", "ledgers.py"):
        literals = [n.value for n in ast.walk(_tree(CHAPTERS / name)) if isinstance(n, ast.Constant)]
        assert not NOTEBOOKS & set(literals), name


def test_the_registry_names_chapters_only_in_their_entries():
    tree = _tree(CHAPTERS / "registry.py")
    declared = {
        id(call.args[0])
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "Entry" and call.args
    }
    special = [
        f"registry.py:{n.lineno} {n.value!r}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value in NOTEBOOKS and id(n) not in declared
    ]
    assert special == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_private_name_crosses_a_module():
    """``from sectorplannen.x import _y`` and ``x._y`` (``x`` a module of the package) are refused: a
    name a module keeps to itself may change without a look elsewhere."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = _tree(path)
        modules = set()  # names bound to a module of the package in this file
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sectorplannen"):
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{_module_name(path)}:{node.lineno} imports {node.module}.{alias.name}")
                    modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("sectorplannen")}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
            ):
                found.append(f"{_module_name(path)}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert found == []


def test_the_check_reads_what_it_refuses():
    """The two rules find what they look for: a planted import of another chapter and of a private name."""
    planted = ast.parse("from sectorplannen.chapters.uitvoering import labels\nfrom sectorplannen.hashing import _x\n")
    modules = [module for module, _ in _imported_modules(planted)]
    assert "sectorplannen.chapters.uitvoering" in modules and "sectorplannen.chapters.uitvoering" in CHAPTER_MODULES
    assert any(a.name.startswith("_") for n in ast.walk(planted) if isinstance(n, ast.ImportFrom) for a in n.names)
