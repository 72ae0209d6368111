"""Small concepts with one home each, read from the source: a copy that comes back fails here.

- tranche -> tranche group ('3', else '1-2'): ``sources.register.tranche_group``;
- the report's words for a tranche ("tranche 1 en 2"): ``sources.register.TRANCHE_WORDS``;
- a chapter of the report or not ("Hoofdstuk 3" or "Context"): ``chapters.registry`` (``REPORT_SECTION``,
  ``chapter_label``);
- the data kind (published, synthetic, extract): ``sectorplannen.datakind``;
- a run's parameters: one class, ``chapters.registry.RunSpec``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sectorplannen import datakind
from sectorplannen.chapters import registry
from sectorplannen.sources.register import TRANCHE_WORDS, tranche_group

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sectorplannen"
# statistics/ is reworked on another branch (issue 23, point 2): its copies of the tranche group rule
# (ChapterParams.tranche_group and _plan_ids) go when it calls sources.register.tranche_group.
PENDING: set[str] = set()


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _strings(text: str):
    """(line, value) of every string in the code (f-string parts too); docstrings, the keys of dict
    displays (names a template reads) and the parts of a path (``DATA / "synthetic"``) left out."""
    tree = ast.parse(text)
    skip = _docstrings(tree) | {id(k) for d in ast.walk(tree) if isinstance(d, ast.Dict) for k in d.keys if k}
    skip |= {
        id(side)
        for b in ast.walk(tree)
        if isinstance(b, ast.BinOp) and isinstance(b.op, ast.Div)
        for side in (b.left, b.right)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _compared(text: str):
    """(line, value) of every string a comparison (==, !=) is made against."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Compare) and all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Constant) and isinstance(side.value, str):
                    yield node.lineno, side.value


def test_the_tranche_group_rule_has_one_home():
    assert [tranche_group(t) for t in ("1", "2", "1-2", "3", 1, 3)] == ["1-2", "1-2", "1-2", "3", "1-2", "3"]
    rule = re.compile(r"""["']3["']\s+if\s+.+==\s*["']?3["']?\s+else\s+["']1-2["']""")
    found = [
        f"{name}:{number}"
        for name, text in _sources()
        if name not in PENDING | {"sources/register.py"}
        for number, line in enumerate(text.splitlines(), start=1)
        if rule.search(line)
    ]
    assert found == []


def test_the_words_for_a_tranche_have_one_home():
    assert TRANCHE_WORDS["1-2"] == "tranche 1 en 2"  # as the report writes it (e.g. the title of hoofdstuk 3)
    found = [
        f"{name}:{line}"
        for name, text in _sources()
        if name != "sources/register.py"
        for line, value in _strings(text)
        if "tranche 1 en 2" in value.lower()
    ]
    assert found == []


def test_report_or_other_chapter_is_decided_in_the_registry():
    assert registry.chapter_label("Rapport", 3) == "Hoofdstuk 3"
    assert registry.chapter_label("Context", 12) == "Context"
    assert registry.chapter_label("Context", 12, numbered=True) == "Context 12"
    assert [e.notebook for e in registry.REGISTRY if e.is_report_chapter][-1] == "kerncijfers"
    found = [
        f"{name}:{line}"
        for name, text in _sources()
        if name != "chapters/registry.py"
        for line, value in _strings(text)
        if value == registry.REPORT_SECTION
    ]
    assert found == []


def test_the_data_kind_has_one_home():
    assert datakind.KINDS == ("published", "synthetic", "extract")
    assert (datakind.of_source("synthetic"), datakind.of_source("/secure/uwv.sav")) == ("synthetic", "extract")
    found = [
        f"{name}:{line} {value!r}"
        for name, text in _sources()
        if name != "datakind.py"
        for line, value in [
            *((line, value) for line, value in _strings(text) if value in (datakind.SYNTHETIC, datakind.EXTRACT)),
            *((line, value) for line, value in _compared(text) if value == datakind.PUBLISHED),
        ]
    ]
    assert found == []


def test_a_run_has_one_parameter_class():
    """The registry's RunSpec: no other class of a run's parameters (ParticipantParams is gone;
    statistics.selection.ChapterParams is the plan selection a RunSpec carries, not a second form)."""
    classes = [
        f"{name}:{node.name}"
        for name, text in _sources()
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ClassDef) and node.name.endswith(("Params", "Spec"))
    ]
    assert sorted(classes) == ["chapters/registry.py:RunSpec", "statistics/selection.py:ChapterParams"]


@pytest.mark.parametrize("line", ['g = "3" if t == "3" else "1-2"', "g = '3' if str(t) == 3 else '1-2'"])
def test_the_tranche_group_check_finds_a_copy(line):
    rule = re.compile(r"""["']3["']\s+if\s+.+==\s*["']?3["']?\s+else\s+["']1-2["']""")
    assert rule.search(line)
