"""Statistics declare themselves (unit, kind, the arguments they take, the groups they split by): a
claim that gives a statistic an argument it would ignore is refused when claims are loaded, and
the robustness chapter reads a number's kind from the statistic's declaration, not its name."""

from __future__ import annotations

import ast
import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sectorplannen import claims, paths
from sectorplannen.chapters import robuustheid
from sectorplannen.errors import ClaimsError
from sectorplannen.participants.indicators import ParticipantIndicators
from sectorplannen.statistics import declaration, indicators
from sectorplannen.statistics.declaration import PARTICIPANT, Declaration, declared, statistic

STATISTICS = paths.ROOT / "src" / "sectorplannen" / "statistics"


def test_no_statistic_takes_arguments_it_does_not_name():
    """A method that swallows ``**_`` would compute over all plans a claim that names one; every
    public method of the statistics classes names its arguments and carries a declaration."""
    swallowing = []
    for path in STATISTICS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            methods = node.body if isinstance(node, ast.ClassDef) else []
            for method in methods:
                if isinstance(method, ast.FunctionDef) and method.args.kwarg is not None:
                    swallowing.append(f"{path.name}:{method.lineno} {method.name}")
    assert swallowing == []
    public = {
        name
        for klass in indicators.Indicators.__mro__
        if klass.__module__.startswith("sectorplannen.statistics")
        for name, value in vars(klass).items()
        if callable(value) and not name.startswith("_") and name != "compute"
    }
    assert public == set(indicators.DECLARATIONS)


def test_the_declarations_read_the_arguments_from_the_signature():
    tabelwaarde = indicators.DECLARATIONS["tabelwaarde"]
    assert tabelwaarde == Declaration("tabelwaarde", "tabel", "cell", ("table", "row", "column"), ())
    plan_share = indicators.DECLARATIONS["plan_aandeel_bsn"]
    assert plan_share.takes == ("category", "plan", "row")
    assert plan_share.groups == ("category", "plan", "plan_type")
    assert indicators.DECLARATIONS["realisatie_deelnemers"].groups == ("category", "plan")
    assert indicators.DECLARATIONS["plannen"].takes == ()


def test_the_vocabulary_is_the_declarations():
    """One list of statistics: the plan-level ones and the participant ones, each declared once."""
    assert set(claims.STATISTICS) == set(indicators.DECLARATIONS) | set(PARTICIPANT)
    assert not set(indicators.DECLARATIONS) & set(PARTICIPANT)
    assert claims.PARTICIPANT_STATISTICS == ("aandeel", "deelnemers_aantal")
    assert set(claims.FILE_STATISTICS) == set(PARTICIPANT)
    bound = declaration.collect(ParticipantIndicators)
    assert {name: bound[name] for name in PARTICIPANT} == PARTICIPANT


def test_a_method_whose_arguments_differ_from_its_declaration_is_refused():
    with pytest.raises(TypeError, match=r"statistic aandeel takes \('row',\), declared \('row', 'column'\)"):

        class Wrong:
            @declared(PARTICIPANT)
            def aandeel(self, row=None):
                return 0.0


def test_a_statistic_that_swallows_keywords_is_refused():
    with pytest.raises(TypeError, match="takes \\*\\*kwargs: name every argument it uses"):

        class Wrong:
            @statistic(unit="aantal", kind="total")
            def plannen(self, **_):
                return 0.0


@pytest.mark.parametrize(
    ("unit", "kind", "message"),
    [("stuks", "total", "unknown unit 'stuks'"), ("aantal", "soort", "unknown kind 'soort'")],
)
def test_a_declaration_with_an_unknown_unit_or_kind_is_refused(unit, kind, message):
    with pytest.raises(ValueError, match=message):
        Declaration("x", unit, kind, ())


def test_compute_passes_only_the_arguments_a_statistic_takes():
    """Hand check: Tabel A.9 lists 24 tranche 3 plans (r. 10600-10652); a category that ``plannen``
    does not take is a bug of the caller, not a silent total."""
    tranche3 = claims.indicators_for("3")
    assert tranche3.compute("plannen") == 24.0
    with pytest.raises(TypeError, match=r"statistic plannen takes no category \(it takes none\)"):
        tranche3.compute("plannen", category="werk-naar-werk")


def _planted(tmp_path: Path, claim: str, **cells: str) -> Path:
    """A copy of the claims folder with one cell of one claim of uitvoering.csv changed."""
    folder = tmp_path / "claims"
    shutil.copytree(claims.CLAIMS, folder)
    path = folder / "uitvoering.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == claim:
            row.update(cells)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _line(folder: Path, claim: str) -> int:
    frame = pd.read_csv(folder / "uitvoering.csv", dtype=str, keep_default_na=False)
    return int(frame.index[frame["id"] == claim][0]) + 2


def test_a_claim_naming_an_argument_its_statistic_ignores_is_refused(tmp_path):
    """3-31 ('Om- en bijscholingsmaatregelen hebben in totaal de meeste deelnemers') ranks the
    themes; a plan in its row would be ignored without a word, so loading refuses it."""
    folder = _planted(tmp_path, "3-31", plan="bouw")
    with pytest.raises(ClaimsError) as error:
        claims.load("uitvoering", folder)
    assert str(error.value) == (
        f"{folder / 'uitvoering.csv'}, row {_line(folder, '3-31')}, column 'plan': statistic "
        "'categorie_rang_deelnemers' takes no plan (it takes rank); empty the cell or name a statistic that takes it"
    )


def test_a_claim_in_a_unit_its_statistic_cannot_give_is_refused(tmp_path):
    folder = _planted(tmp_path, "3-31", unit="procent", published="1")
    with pytest.raises(ClaimsError, match=r"row \d+, column 'unit': statistic 'categorie_rang_deelnemers' gives "):
        claims.load("uitvoering", folder)


@pytest.mark.parametrize(
    ("statistic", "unit", "inputs", "kind"),
    [
        ("plan_rang_budget", "plan", "001/A.6", "plan"),  # about one plan: the largest
        ("realisatie_budget_hoogste", "procent", "001/A.5, 001/A.6", "plan"),
        ("plannen_aandeel", "procent", "001/A.2, 001/A.3", "telling"),  # one plan moves it by 1/n
        ("realisatie_tov_ambitie_budget", "procent", "000/2, 001/A.6", "elders"),
        ("realisatie_deelnemers", "procent", "001/A.2, 001/A.3", "conclusie"),
        ("categorie_rang_maatregelen_laagste", "categorie", "001/A.1", "conclusie"),  # a theme's rank from below
        ("budget_besteed", "miljoen euro", "001/A.6", "totaal"),  # a total: by the claim's unit
        ("tabelaandeel", "procent", "001/3.1", "elders"),  # a cell of a chapter table, not the plans'
    ],
)
def test_the_robustness_chapter_reads_the_kind_from_the_declaration(statistic, unit, inputs, kind):
    claim = pd.Series({"statistic": statistic})
    own = pd.Series({"eenheid": unit, "invoer_ids": inputs})
    assert robuustheid.kind(claim, own, "1-2") == kind


def test_the_kind_comes_from_the_declaration_not_the_name(monkeypatch):
    """Declared about one plan, a statistic named like a share is weighed as one plan's number."""
    own = pd.Series({"eenheid": "procent", "invoer_ids": "001/A.2, 001/A.3"})
    claim = pd.Series({"statistic": "realisatie_deelnemers"})
    assert robuustheid.kind(claim, own, "1-2") == "conclusie"
    relabelled = Declaration("realisatie_deelnemers", "procent", "one_plan", ("category", "plan"))
    monkeypatch.setitem(claims.VOCABULARY, "realisatie_deelnemers", relabelled)
    assert robuustheid.kind(claim, own, "1-2") == "plan"
