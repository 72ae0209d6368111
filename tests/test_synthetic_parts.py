"""The vectorised parts of the synthetic file's generator, each against the row-by-row way it replaced
(written out here) or values by hand: the same values and the same seeded draws in the same order, so
that the generated file stays byte for byte what it was."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sectorplannen.participants import calibration, cohort, synthetic


def test_participant_ids_as_formatted_one_by_one():
    assert synthetic.participant_ids(3).tolist() == ["S000001", "S000002", "S000003"]
    assert synthetic.participant_ids(12_345).tolist() == [f"S{i:06d}" for i in range(1, 12_346)]
    assert synthetic.participant_ids(999_999)[-1] == "S999999"
    beyond = synthetic.participant_ids(1_000_001)  # seven digits from a million on, as the format writes them
    assert beyond[999_998:].tolist() == ["S999999", "S1000000", "S1000001"]
    assert synthetic.participant_ids(0).tolist() == []


def test_measures_are_handed_out_as_the_row_by_row_pop_did():
    """Per plan (in order of appearance) a seeded permutation of its measures, popped from the end for
    each of its rows in turn: the earlier generator's loop, written out."""
    plan_id = np.array([3, 3, 5, 3, 5, 5, 3])  # two plans, interleaved
    measures = np.array([10, 11, 12])
    counts = np.array([[2, 1, 1], [0, 2, 1]])  # plan 3: 4 rows, plan 5: 3 rows
    rng = np.random.default_rng(4)
    drawn = {plan: list(rng.permutation(np.repeat(measures, row))) for plan, row in zip((3, 5), counts, strict=True)}
    expected = [drawn[plan].pop() for plan in plan_id]
    assert synthetic._measures(plan_id, measures, counts, np.random.default_rng(4)).tolist() == expected
    assert sorted(expected[i] for i in (0, 1, 3, 6)) == [10, 10, 11, 12]  # plan 3 gets its counts


def test_categorical_of_numbered_values_is_what_astype_category_makes():
    labels = ["scholing", "loopbaan", "overig", "gezondheid"]
    codes = np.array([1, 0, 1, 3, 0])  # "overig" numbered but absent
    made = synthetic._categorical(codes, labels)
    expected = pd.Series([labels[c] for c in codes]).astype("category").array
    assert made.categories.tolist() == ["gezondheid", "loopbaan", "scholing"] == expected.categories.tolist()
    assert made.tolist() == expected.tolist() and made.codes.tolist() == expected.codes.tolist()
    plan_types = synthetic._categorical(np.array([0, 1, 2, 1]), ["sectoraal", "regionaal", "sectoraal"])
    assert plan_types.categories.tolist() == ["regionaal", "sectoraal"]  # one category per distinct text
    assert plan_types.tolist() == ["sectoraal", "regionaal", "sectoraal", "regionaal"]


@pytest.mark.parametrize(
    ("column", "values"),
    [
        (pd.Series(["a", "b", None, "c"], dtype="category", index=[5, 6, 7, 8]), ["b", "c", "x"]),
        (pd.Series(["a", "b", None, "c"], dtype="category"), ["a", None]),  # a missing value asked for
        (pd.Series([1, 2, 3, 2]), [1, 2]),
        (pd.Series([1, 2, 3, 2]), ["1", "2"]),  # text against numbers: no match, as pandas says
        (pd.Series([1, 2, 3, 2]), [True]),  # a boolean is no whole number here: as pandas matches it
        (pd.Series(["x", "y", "x"]), ("x",)),
        (pd.Series([1, None, 3], dtype="Int64"), [1, 3]),  # a nullable column: as pandas reads it
        (pd.Series(["x", None, "y"], dtype="string"), ["x"]),
    ],
)
def test_cohort_isin_answers_as_pandas(column, values):
    pd.testing.assert_series_equal(cohort.isin(column, values), column.isin(list(values)))


def test_cohort_mask_is_the_selection():
    people = pd.DataFrame(
        {
            "peildatum": ["2019-05-31", "2019-05-31", "2018-05-31", "2019-05-31"],
            "tranche": [1, 3, 1, 2],
            "categorie": pd.Categorical(["scholing", "scholing", "scholing", "loopbaan"]),
            "plan_id": ["bouw", "bouw", "bouw", "bouw"],
        },
        index=[10, 11, 12, 13],
    )
    mask = cohort.mask(people, tranche="1-2", categorie="scholing|loopbaan")
    assert mask.tolist() == [True, False, False, True]  # by hand: 11 is tranche 3, 12 another date
    assert cohort.select(people, tranche="1-2", categorie="scholing|loopbaan").index.tolist() == [10, 13]


def _cells_by_sorting(keys: dict) -> list[int]:
    combinations = list(zip(*keys.values(), strict=True))
    ordered = {combination: number for number, combination in enumerate(sorted(set(combinations)))}
    return [ordered[c] for c in combinations]


def test_cells_skip_constant_and_repeated_flags_without_changing_the_order():
    rng = np.random.default_rng(3)
    first = rng.random(400) < 0.5
    keys = {
        "prior": rng.integers(0, 4, 400) * 3,  # numbers with gaps: their own order
        "a": first,
        "always": np.ones(400, dtype=bool),
        "b": rng.random(400) < 0.2,
        "a again": first.copy(),  # the same people as "a": separates no one more
        "never": np.zeros(400, dtype=bool),
        "c": rng.random(400) < 0.7,
    }
    numbers = calibration.cell_numbers(keys)
    assert numbers.tolist() == _cells_by_sorting(keys)
    _, first_rows = calibration._cells(keys)
    assert first_rows.tolist() == [int(np.flatnonzero(numbers == cell)[0]) for cell in range(numbers.max() + 1)]


def test_cells_of_text_keys_and_no_rows():
    keys = {"prior": np.array(["= ww", "2019 x", "= ww", "2019 a"], dtype=object), "f": np.array([1, 0, 0, 1], bool)}
    # by hand, "2" before "=": (2019 a, 1) < (2019 x, 0) < (= ww, 0) < (= ww, 1)
    assert calibration.cell_numbers(keys).tolist() == [3, 1, 2, 0]
    empty = {"prior": np.array([], dtype=np.int64), "f": np.array([], dtype=bool)}
    assert calibration.cell_numbers(empty).tolist() == []


def _problem(cells: list[int], sizes: list[float]) -> calibration.Problem:
    return calibration.Problem(
        "contract", "2019-05-31", pd.Series(cells, index=range(100, 100 + len(cells))), np.array(sizes), None, []
    )


def test_assigned_values_are_the_cell_by_cell_draws():
    """The earlier loop: per cell in order, its people in a seeded random order get its values in turn."""
    cells = [1, 0, 1, 2, 1, 0, 2, 1]
    problem = _problem(cells, [2.0, 4.0, 2.0])
    counts = np.array([[1, 1], [3, 1], [0, 2]])  # cells x (vast, flexibel)
    values = np.array(calibration.VARIABLES["contract"], dtype=object)
    rng = np.random.default_rng(9)
    expected = np.full(len(cells), "", dtype=object)
    for cell in range(3):
        expected[rng.permutation(np.flatnonzero(np.array(cells) == cell))] = np.repeat(values, counts[cell])
    result = calibration.Result(counts, [])
    assigned = calibration.assign(problem, result, np.random.default_rng(9))
    assert assigned.tolist() == expected.tolist() and assigned.index.tolist() == list(range(100, 108))
    assert calibration.assigned_numbers(problem, result, np.random.default_rng(9)).tolist() == [
        values.tolist().index(v) for v in expected
    ]


def test_counts_that_do_not_fill_their_cells_are_a_bug_named():
    problem = _problem([0, 0, 1], [2.0, 1.0])
    with pytest.raises(ValueError, match="counts per cell differ from the cells' sizes"):
        calibration.assigned_numbers(
            problem, calibration.Result(np.array([[1, 0], [1, 0]]), []), np.random.default_rng()
        )
