"""Disclosure control holds against subtraction: no small count can be recovered from what a run shows.

The extracts here are designed to leak: one small cell, two small cells in one row, a small cell
that is the only one in its column. Each is run through the chapter's computation and read back
by an attacker that knows every number the chapter shows (tables with their totals, shares with
their group sizes, comparisons, the ledger) and subtracts. The same attacker, given what ACRO
alone would show, does recover the small count: so the test can fail.
"""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import build_pages
from scipy.optimize import linprog

from sectorplannen import paths
from sectorplannen.chapters import arbeidsmarktpositie as arbeidsmarkt
from sectorplannen.chapters import notebook, registry
from sectorplannen.participants import disclosure

MIN = 10


# ----------------------------------------------------------------------------- an independent attacker


def solve_by_subtraction(grid: pd.DataFrame) -> pd.DataFrame:
    """Fill in what row and column subtraction gives: ``grid`` has a 'Totaal' row and column and
    NaN where a count is hidden. Repeats until no line has exactly one unknown."""
    grid = grid.copy()
    cells = [c for c in grid.columns if c != "Totaal"]
    rows = [r for r in grid.index if r != "Totaal"]
    changed = True
    while changed:
        changed = False
        for r in grid.index:  # every row: cells sum to the row total
            changed |= _fill_line(grid, [(r, c) for c in [*cells, "Totaal"]])
        for c in grid.columns:  # every column: cells sum to the Totaal row
            changed |= _fill_line(grid, [(r, c) for r in [*rows, "Totaal"]])
    return grid


def _fill_line(grid: pd.DataFrame, cells: list[tuple]) -> bool:
    """Solve the one unknown of a line whose last cell is its total; True when one was filled."""
    values = [grid.loc[cell] for cell in cells]
    unknown = [i for i, v in enumerate(values) if np.isnan(v)]
    if len(unknown) != 1:
        return False
    i = unknown[0]
    known = sum(v for j, v in enumerate(values[:-1]) if j != i)
    grid.loc[cells[i]] = known if i == len(cells) - 1 else values[-1] - known
    return True


def counts_from_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """A share table (first column n, a 'Totaal' row) back to counts with margins."""
    n = shares["n"]
    counts = shares.drop(columns="n").mul(n, axis=0) / 100
    counts["Totaal"] = n
    return counts.rename(index={counts.index[0]: "Totaal"}) if "Totaal" not in counts.index else counts


def small_counts_recovered(results) -> list[tuple[str, str, str, float]]:
    """Every count between 1 and MIN - 1 that the shown numbers give, directly or by subtraction."""
    found = []
    grids = {"deelnemers": results.participants}
    grids |= {name: counts_from_shares(table) for name, table in results.shares.items()}
    for name, grid in grids.items():
        solved = solve_by_subtraction(grid.astype(float))
        for (r, c), value in solved.stack().items():
            if not np.isnan(value) and 0.5 < round(value, 6) < MIN - 0.5:
                found.append((name, r, c, round(value, 6)))
    ledger = results.ledger
    on_file = ledger["invoer_ids"] == "deelnemersbestand"  # participant counts, not counts of plans
    counts = ledger[on_file & (ledger["eenheid"] == "aantal") & ledger["berekend_waarde"].notna()]
    for row in counts.itertuples():
        if 0 < float(row.berekend_waarde) < MIN:
            found.append(("grootboek", row.claim, "", float(row.berekend_waarde)))
    return found


# ----------------------------------------------------------------------------- designed extracts


@pytest.fixture(scope="module")
def tranche3(synthetic_rows):
    """Tranche 3 participants of the synthetic file (valid rows to shape leaking extracts from)."""
    people = synthetic_rows  # participants.rows("synthetic"), read once per worker (conftest)
    return people[people["tranche"] == 3].reset_index(drop=True)


def keep_only(people: pd.DataFrame, n: int, **where) -> pd.DataFrame:
    """Drop rows on 31 May 2019 matching ``where`` until ``n`` are left (the cell becomes ``n``)."""
    mask = people["peildatum"] == "2019-05-31"
    for column, value in where.items():
        mask &= people[column] == value
    drop = people.index[mask][n:]
    return people.drop(index=drop).reset_index(drop=True)


def run(people: pd.DataFrame):
    return arbeidsmarkt.compute(people, _participant(tranche="3"))


def naive_income_table(people: pd.DataFrame) -> pd.DataFrame:
    """What ACRO alone shows: primary suppression, totals printed as they are."""
    selection = people[people["peildatum"] == "2019-05-31"]
    grid = disclosure.crosstab(selection["categorie"], selection["inkomenssituatie"], MIN)
    grid["Totaal"] = selection["categorie"].value_counts()
    grid.loc["Totaal"] = [*selection["inkomenssituatie"].value_counts().reindex(grid.columns[:-1]), len(selection)]
    return grid


SMALL_TYPE = "ww-naar-baan"


def leaks(tranche3):
    """The three designs: name -> (extract, the small count it plants)."""
    one = keep_only(tranche3, 4, categorie=SMALL_TYPE, inkomenssituatie="ww")
    two = keep_only(
        keep_only(tranche3, 3, categorie=SMALL_TYPE, inkomenssituatie="ww"),
        4,
        categorie=SMALL_TYPE,
        inkomenssituatie="overige_uitkering",
    )
    alone = tranche3
    for category in sorted(set(tranche3["categorie"]) - {SMALL_TYPE}):
        alone = keep_only(alone, 0, categorie=category, inkomenssituatie="werknemer_overige_uitkering")
    alone = keep_only(alone, 4, categorie=SMALL_TYPE, inkomenssituatie="werknemer_overige_uitkering")
    return {
        "one small cell": (one, 4, "WW"),
        "two small cells in a row": (two, 3, "WW"),
        "alone in its column": (alone, 4, "Werknemer en overige uitkering"),
    }


@pytest.fixture(scope="module")
def computed(tranche3):
    """Each design's run on one row per participant, computed once for the tests that read it."""
    done = {}

    def get(design: str):
        if design not in done:
            done[design] = run(leaks(tranche3)[design][0])
        return done[design]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("design", ["one small cell", "two small cells in a row", "alone in its column"])
def test_designed_leaks_are_recoverable_from_acro_alone(tranche3, design):
    """The attacker works: on what ACRO alone shows, it recovers the planted count."""
    people, planted, _ = leaks(tranche3)[design]
    solved = solve_by_subtraction(naive_income_table(people).astype(float))
    assert planted in set(solved.stack().round(6)), f"{design}: the planted {planted} should be recoverable"


@pytest.mark.slow
@pytest.mark.parametrize("design", ["one small cell", "two small cells in a row", "alone in its column"])
def test_no_small_count_is_recoverable_from_a_run(tranche3, design, computed):
    _, _, column = leaks(tranche3)[design]
    results = computed(design)
    assert results.audit.primary > 0, "the design must trigger primary suppression"
    assert results.audit.secondary > 0, "and secondary suppression"
    assert small_counts_recovered(results) == []
    income = results.shares["inkomen"]
    label = arbeidsmarkt.category_labels("3")[SMALL_TYPE]
    assert np.isnan(income.loc[label, column])
    assert income.loc[label].isna().sum() >= 2 or np.isnan(income.loc[label, "n"])


@pytest.mark.slow
def test_ledger_values_are_rounded_as_the_report_rounds(tranche3):
    results = run(tranche3)
    ledger = results.ledger
    on_file = ledger["invoer_ids"] == "deelnemersbestand"  # participant values, not plan-level statistics
    shares = ledger[on_file & (ledger["eenheid"] == "procent") & ledger["berekend_waarde"].notna()]
    assert len(shares) > 20
    # every claim of chapter 7 is printed in whole percents: no decimals may reach the ledger
    values = shares["berekend_waarde"].astype(float)  # the column also holds the plan ids of rank claims
    assert (values == values.round()).all()
    assert not shares["berekend"].str.contains(r"\.\d").any()


# ----------------------------------------------------------------------------- the audit on hand-made tables


def table_people(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = [{"categorie": r, "inkomenssituatie": c} for (r, c), n in cells.items() for _ in range(n)]
    return pd.DataFrame(rows)


def largest_possible(grid: pd.DataFrame, shown: pd.DataFrame, cell: tuple[str, str]) -> float:
    """An independent LP on the table itself: how large can ``cell`` be, given the shown cells and
    the row and column totals (non-negative counts)?"""
    names = list(itertools.product(grid.index, grid.columns))
    index = {name: i for i, name in enumerate(names)}
    a_eq, b_eq = [], []
    for name in names:  # a shown value is known
        if not np.isnan(shown.loc[name]):
            a_eq.append(np.eye(len(names))[index[name]])
            b_eq.append(shown.loc[name])
    inner_rows = [r for r in grid.index if r != "Totaal"]
    inner_cols = [c for c in grid.columns if c != "Totaal"]
    for r in grid.index:
        row = np.zeros(len(names))
        for c in inner_cols:
            row[index[r, c]] = 1
        row[index[r, "Totaal"]] = -1
        a_eq.append(row)
        b_eq.append(0)
    for c in grid.columns:
        col = np.zeros(len(names))
        for r in inner_rows:
            col[index[r, c]] = 1
        col[index["Totaal", c]] = -1
        a_eq.append(col)
        b_eq.append(0)
    objective = np.zeros(len(names))
    objective[index[cell]] = -1
    result = linprog(objective, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
    return -result.fun


ROWS_B_AND_C = {("b", "x"): 40, ("b", "y"): 22, ("b", "z"): 31, ("c", "x"): 18, ("c", "y"): 15, ("c", "z"): 12}


@pytest.mark.parametrize(
    "cells",
    [
        # one small cell (4) in a 3 x 3 table
        {("a", "x"): 30, ("a", "y"): 4, ("a", "z"): 25, **ROWS_B_AND_C},
        # two small cells in one row (3 and 4): hiding both still gives their sum, 7
        {("a", "x"): 30, ("a", "y"): 3, ("a", "z"): 4, **ROWS_B_AND_C},
        # a small cell alone in its column: the column total is the cell
        {("a", "x"): 30, ("a", "y"): 4, ("b", "x"): 40, ("b", "z"): 31, ("c", "x"): 18, ("c", "z"): 12},
    ],
    ids=["one small cell", "two small cells in a row", "alone in its column"],
)
def test_every_hidden_small_cell_could_be_ten_or_more(cells):
    people = table_people(cells)
    release = disclosure.Release(people, MIN)
    table = release.crosstab(people, "categorie", "inkomenssituatie")
    release.protect()
    shown = table.counts()
    truth = table.exact
    for cell, value in truth.stack().items():
        if 0 < value < MIN:
            assert np.isnan(shown.loc[cell]), f"{cell} = {value} is shown"
            assert largest_possible(truth, shown, cell) >= MIN, f"{cell} = {value} is pinned below {MIN}"


def test_a_count_shared_by_two_tables_is_suppressed_in_both():
    """The same group in two tables (a row of one is the total row of the other) is one count."""
    cells = {("a", "x"): 30, ("a", "y"): 4, ("a", "z"): 25, ("b", "x"): 40, ("b", "y"): 22, ("b", "z"): 31}
    people = table_people(cells)
    people["maatregel"] = np.where(np.arange(len(people)) % 2 == 0, "m1", "m2")
    release = disclosure.Release(people, MIN)
    outer = release.crosstab(people, "categorie", "inkomenssituatie")
    inner = release.crosstab(people[people["categorie"] == "a"], "maatregel", "inkomenssituatie")
    release.protect()
    assert np.isnan(outer.counts().loc["a", "y"]) and np.isnan(inner.counts().loc["Totaal", "y"])
    assert outer.counts().loc["a"].isna().tolist() == inner.counts().loc["Totaal"].isna().tolist()


@pytest.mark.filterwarnings("ignore::FutureWarning")  # ACRO's own use of pandas (disclosure.crosstab silences it too)
def test_acro_records_the_line_that_called_it_without_reading_the_whole_stack():
    """ACRO keeps the source line that asked for a table as its command; it reads it from the two
    frames ``disclosure.caller_frames`` gives (not every frame's source, as inspect.stack() did)."""
    from acro import acro_tables

    checker = disclosure._acro(MIN)
    assert acro_tables.stack is disclosure.caller_frames
    rows, columns = pd.Series(list("aab") * 10, name="r"), pd.Series(list("xyx") * 10, name="c")
    table = checker.crosstab(rows, columns)  # the line ACRO records
    keys = checker.results.get_keys()
    commands = [checker.results.get(key).command for key in keys]
    for key in keys:
        checker.remove_output(key)
    assert commands == ["table = checker.crosstab(rows, columns)  # the line ACRO records"]
    assert table.loc["a", "x"] == 10 and np.isnan(table.loc["b", "y"])  # ten times (a, x); (b, y) never: hidden


def test_a_selection_outside_the_audited_columns_is_a_bug():
    people = table_people({("a", "x"): 20, ("b", "y"): 20}).assign(leeftijd=list(range(40)))
    release = disclosure.Release(people, MIN)
    with pytest.raises(AssertionError, match="not a union of the audited participant groups"):
        release.count(people[people["leeftijd"] < 15])


def test_values_cannot_be_read_before_the_audit():
    people = table_people({("a", "x"): 20})
    release = disclosure.Release(people, MIN)
    key = release.count(people)
    with pytest.raises(RuntimeError, match="call protect"):
        release.value(key)
    release.protect()
    assert release.value(key) == 20
    with pytest.raises(RuntimeError, match="registered after protect"):
        release.count(people)


def test_the_equations_hold_each_class_once():
    """Counts over finest groups 0-5: {0, 1, 2}, {1, 2}, {3, 4}, {1, 2} again (a copy). No count tells
    1 from 2 nor 3 from 4, so the classes are {0}, {1, 2}, {3, 4} and {5} (in no count); each
    equation holds each of its classes once, whichever of its finest groups it names."""
    people = pd.DataFrame({"categorie": list("abcdef"), "inkomenssituatie": "x"})
    release = disclosure.Release(people, MIN)
    equations = [np.array([0, 1, 2]), np.array([1, 2]), np.array([3, 4]), np.array([1, 2])]
    inverse, sizes = release._classes(equations)
    first = np.unique(inverse, return_index=True)[1]
    matrix = disclosure._holding(equations, inverse, first).toarray()
    named = {int(first[c]): matrix[:, c].tolist() for c in range(len(first))}  # a class by its first group
    assert named == {0: [1, 0, 0, 0], 1: [1, 1, 0, 1], 3: [0, 0, 1, 0], 5: [0, 0, 0, 0]}
    assert sizes[inverse[[0, 1, 3]]].tolist() == [1, 2, 2] and sizes[inverse[5]] == -1


def test_the_equations_equal_those_made_from_every_finest_group():
    """On 300 random counts over 400 finest groups: the matrix made from each class's first finest
    group equals the one made from every finest group of every count (the audit's former way)."""
    from scipy import sparse

    rng = np.random.default_rng(11)
    people = pd.DataFrame({"categorie": [f"g{i:03d}" for i in range(400)], "inkomenssituatie": "x"})
    release = disclosure.Release(people, MIN)
    equations = [np.unique(rng.choice(400, size=rng.integers(1, 60))) for _ in range(300)]
    equations += [np.arange(400), np.arange(200)]  # a total and a half
    inverse, _ = release._classes(equations)
    first = np.unique(inverse, return_index=True)[1]
    rows = np.repeat(np.arange(len(equations)), [e.size for e in equations])
    every = sparse.csr_matrix(
        (np.ones(rows.size), (rows, inverse[np.concatenate(equations)])), shape=(len(equations), first.size)
    )
    every.sum_duplicates()
    every.data[:] = 1.0
    made = disclosure._holding(equations, inverse, first)
    assert made.has_canonical_format and made.shape == every.shape
    assert (made.indptr == every.indptr).all() and (made.indices == every.indices).all()
    assert (made.data == every.data).all()


def test_a_count_covers_the_measurement_dates_of_its_groups():
    people = table_people({("a", "x"): 12, ("b", "x"): 11})
    people = pd.concat([people.assign(peildatum=d) for d in ("2017-05-31", "2018-05-31", "2019-05-31")])
    people = people.reset_index(drop=True)
    release = disclosure.Release(people, MIN)
    one = release.count(people[people["peildatum"] == "2019-05-31"])
    two = release.count(people[(people["peildatum"] < "2019") & (people["categorie"] == "a")])
    assert release._dates_of([one]) == 1 and release._dates_of([two]) == 2
    assert release._dates_of([one, two]) == 3 == release._dates_of([two, one])


@pytest.mark.parametrize(
    "table",
    [
        pd.DataFrame(
            {"plan_id": ["bouw", "zorg-twente", ""], "jong": ["True", "False", "nan"], "_size": ["3", "12", "1"]}
        ),
        pd.DataFrame({"plan_id": ["bouw, noord", 'de "plan"', "regel\neen"], "_size": ["3", "12", "1"]}),
        pd.DataFrame({"plan,id": ["a", "b"], "_size": ["1", "2"]}),
        pd.DataFrame({"plan_id": ["a", ""]}),
    ],
    ids=["plain", "fields that need quotes", "a name that needs quotes", "one column"],
)
def test_the_release_key_text_is_pandas_csv(table):
    """The record of an extract is kept under the hash of its finest groups as pandas writes them
    as CSV: the direct join gives the same characters, or pandas writes them (a field with a comma,
    a quote or a line break; a table of one column, whose empty field is written as "")."""
    assert disclosure._csv_text(table) == table.to_csv(index=False, lineterminator="\n")


def test_the_release_key_is_the_hash_of_its_finest_groups_as_csv():
    people = table_people({("a", "x"): 12, ("a", "y"): 4, ("b", "x"): 30})
    release = disclosure.Release(people, MIN)
    text = "categorie,inkomenssituatie,_size\na,x,12\na,y,4\nb,x,30\n"
    assert release._atom_table.astype(str).to_csv(index=False, lineterminator="\n") == text
    assert release.key == hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------- what a real run writes


def extract_csv(people: pd.DataFrame, path) -> object:
    """``people`` written as an evaluator's CSV extract at ``path`` (its folder created): dates as
    text, ``jong`` as true/false."""
    path.parent.mkdir(parents=True, exist_ok=True)
    people.assign(
        jong=people["jong"].map({True: "true", False: "false"}),
        start=people["start"].dt.strftime("%Y-%m-%d"),
        einde=people["einde"].dt.strftime("%Y-%m-%d"),
    ).to_csv(path, index=False)
    return path


def dutch_number(text: str) -> float:
    """'12.741' -> 12741, '85%' -> 85, 'x' or '' -> NaN."""
    text = str(text).strip().rstrip("%").replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return np.nan


@pytest.mark.notebook
def test_a_run_on_a_leaking_extract_writes_no_small_count(tranche3, tmp_path, monkeypatch):
    """The chapter notebook on an extract with one small cell: scan every table in the HTML and
    the ledger CSV it writes for a count below the threshold, shown or recoverable by subtraction."""
    from io import StringIO

    out = tmp_path / "outputs"
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(out))
    monkeypatch.setattr(paths, "OUTPUTS", out)
    people, _, _ = leaks(tranche3)["one small cell"]
    extract = extract_csv(people, tmp_path / "beveiligd" / "deelnemers.csv")
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": str(extract)})
    (html,) = build_pages([chapter], jobs=1, log=lambda _: None)
    page = html.read_text(encoding="utf-8")
    frames = pd.read_html(StringIO(page), flavor="lxml")
    assert len(frames) >= 8
    for frame in frames:
        frame = frame.set_index(frame.columns[0])
        if "Claim" in frame.index.name or "Status" in frame.columns:
            continue  # the ledger: checked from its CSV below
        numbers = frame.apply(lambda column: column.map(dutch_number))
        if "Totaal" in numbers.columns and "Totaal" in numbers.index:  # a count table: subtract
            numbers = solve_by_subtraction(numbers)
        for column in [c for c in numbers.columns if c in ("n", "Totaal")] or list(numbers.columns):
            if "Totaal" in numbers.columns or column == "n":
                values = numbers[column].dropna()
                assert not ((values > 0) & (values < MIN)).any(), f"{column}: {values.tolist()}"
    ledger = pd.read_csv(notebook.ledger_path(chapter.name))
    assert "onderdrukt" in set(ledger["status"]) or ledger["berekend_waarde"].notna().all()
    on_file = ledger["invoer_ids"] == "deelnemersbestand"  # participant values, not plan-level statistics
    counts = ledger[on_file & (ledger["eenheid"] == "aantal") & ledger["berekend_waarde"].notna()]
    values = pd.to_numeric(counts["berekend_waarde"])  # the column also holds the plan ids of rank claims
    assert not ((values > 0) & (values < MIN)).any()
    percents = ledger[on_file & (ledger["eenheid"] == "procent") & ledger["berekend_waarde"].notna()]
    shares = pd.to_numeric(percents["berekend_waarde"])
    assert (shares == shares.round()).all()
    assert str(extract) not in page


@pytest.mark.slow
@pytest.mark.parametrize("design", ["one small cell", "two small cells in a row", "alone in its column"])
def test_the_engine_suppresses_the_same_cells(tranche3, design, computed):
    """ACRO decides on the engine's table of counts (cells cut off at the threshold) as on one row
    per participant: the same cells hidden in every table, the same audit, the same numbers shown."""
    from sectorplannen.participants import engine

    people, _, column = leaks(tranche3)[design]
    rows, counted = computed(design), run(engine.counts(people))
    assert counted.audit == rows.audit and rows.audit.primary > 0
    for name, table in rows.shares.items():
        pd.testing.assert_frame_equal(counted.shares[name].isna(), table.isna(), obj=name)
        pd.testing.assert_frame_equal(counted.shares[name], table, obj=name)
    pd.testing.assert_frame_equal(counted.participants, rows.participants)
    label = arbeidsmarkt.category_labels("3")[SMALL_TYPE]
    assert np.isnan(counted.shares["inkomen"].loc[label, column])
    # a small table by hand: a x 12, a y 4, b x 4, b y 15
    table = pd.DataFrame({"r": ["a"] * 16 + ["b"] * 19, "c": ["x"] * 12 + ["y"] * 4 + ["x"] * 4 + ["y"] * 15})
    weights = table.groupby(["r", "c"]).size().rename("n").reset_index()
    direct = disclosure.crosstab(table["r"], table["c"])
    capped = disclosure.crosstab(weights["r"], weights["c"], counts=weights["n"].to_numpy())
    pd.testing.assert_frame_equal(capped.isna(), direct.isna())  # the 4s (a y, b x) hidden both ways
    assert direct.isna().to_numpy().tolist() == [[False, True], [True, False]]


def _participant(**parameters):
    """The participant chapter's parameters, resolved by the registry (as make chapter resolves them)."""
    from sectorplannen.chapters import registry

    return registry.resolve("arbeidsmarktpositie", parameters)
