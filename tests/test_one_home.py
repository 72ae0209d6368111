"""Small concepts live in one place: the claim statuses (``claims.files``), the factor of a printed
unit (``notation.UNIT_SCALE``), the seeds (``published.labels.SOURCES``). These tests read the source
so that a copy cannot come back, and check the one place the site's style sheet must follow."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sectorplannen import claims, notation, paths
from sectorplannen.render import tables
from sectorplannen.site.claims_page import status_class

PACKAGE = paths.ROOT / "src" / "sectorplannen"
CSS = PACKAGE / "site" / "static" / "site.css"


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


# 'onderdrukt' is also the name of the flag column of the participant tables (a cell hidden by
# disclosure control), a word of its own; every other status is a status only.
WORDS_OF_A_STATUS_ONLY = set(claims.STATUSES) - {claims.STATUS_SUPPRESSED}


def test_every_status_is_spelled_once():
    """A status written out a second time can drift from the ledger's ('wijkt af' coloured in one
    place, 'wijkt  af' counted in another); code names the constants of ``claims``."""
    # A table or figure of the report has its own words (sources.report_items), one of them the same.
    homes = (PACKAGE / "claims" / "files.py", PACKAGE / "sources" / "report_items.py")
    copies = [
        f"{path.relative_to(PACKAGE)}:{line} {value!r}"
        for path in _modules()
        if path not in homes
        for line, value in _strings(path)
        if value in WORDS_OF_A_STATUS_ONLY
    ]
    assert copies == []


def test_a_planted_status_copy_is_found(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('COLOURS = {"wijkt af": "orange"}\n', encoding="utf-8")
    assert [value for _, value in _strings(planted) if value in claims.STATUSES] == ["wijkt af"]


def test_every_unit_factor_is_written_once():
    """'miljoen euro' -> 1e6 is known in ``notation`` only; four tables had their own copy."""
    copies = []
    for path in _modules():
        if path == PACKAGE / "notation.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                factors = {
                    k.value: v.value
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                }
                if any(unit in notation.UNIT_SCALE and notation.UNIT_SCALE[unit] == f for unit, f in factors.items()):
                    copies.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert copies == []
    assert notation.scale("miljoen euro") == 1e6
    assert notation.scale("duizend") == 1e3
    assert notation.scale("procent") == 1.0
    assert claims.UNITS["miljoen euro"] == 1e6
    assert claims.UNITS["plan"] is None


def test_the_style_sheet_colours_every_status_the_ledger_colours():
    """The site's classes come from ``status_class``; a class the style sheet spells differently
    (as 'status-gekalibreerd-synthetisch-' was) colours nothing."""
    css = CSS.read_text(encoding="utf-8")
    rules = {
        selector.strip().lstrip("."): body
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        for selector in selectors.split(",")
        if selector.strip().startswith(".status-")
    }
    assert "#e9f7ef" in rules[status_class(claims.STATUS_REPRODUCED)]
    assert "#fdebd0" in rules[status_class(claims.STATUS_DIFFERS)]
    for status in tables.NO_EVIDENCE:
        assert "color: #666" in rules[status_class(status)], status
    known = {status_class(s) for s in claims.STATUSES}
    assert set(rules) <= known


def test_the_participant_columns_are_listed_once():
    """A list of the participant file's columns (four or more of them, literally) lives in
    ``participants.schema`` only, and the cohort keys (which name some of them) in
    ``participants.cohort``; the trajectory's fixed columns and the person's cohort keys were listed twice."""
    from sectorplannen.participants import schema

    known = set(schema.COLUMNS)
    copies = []
    for path in _modules():
        if path in (PACKAGE / "participants" / "schema.py", PACKAGE / "participants" / "cohort.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if len(words & known) >= 4:
                    copies.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert copies == []


def test_the_output_folders_are_named_in_paths_only():
    """``outputs/report``, ``.build``, ``ledger``, ``notebooks`` and ``robuustheid`` are joined to a
    path in ``paths`` only (21 places built them before), so moving one is one edit."""
    names = {paths.REPORT, paths.RECORDS, paths.LEDGERS, paths.EXECUTED, paths.ROBUSTNESS}
    joined = []
    for path in _modules():
        if path == PACKAGE / "paths.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
                right = node.right
                if isinstance(right, ast.Constant) and right.value in names:
                    joined.append(f"{path.relative_to(PACKAGE)}:{node.lineno} / {right.value!r}")
    assert joined == []
    assert paths.parts("uitvoering_tranche-3", paths.ROOT / "x") == paths.ROOT / "x" / ".build" / "pages" / (
        "uitvoering_tranche-3.json"
    )
