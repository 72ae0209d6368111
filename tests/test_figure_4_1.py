"""Figuur 4.1: which bars carry the labels of the two series that print four labels for six bars.

The PDF text keeps only the figure's data labels, series by series in legend order, bars top to
bottom. Two series (Werknemer en overige uitkering, Overige uitkering) print four labels for six
bars. ``data/raw/001/F4.1.txt`` and the claims (4-80 .. 4-93) must place them the same way, and the
placement must be the one the numbers allow: every bar sums to 100 within the rounding of its
labels, the Arbeidsmobiliteit bar is the participant-weighted mean of its four measures, the 74
participants of Sollicitatietraining are whole people, and the text's own values hold (r. 1757: 87%
of all participants work as employee; r. 3066-3067 and the caption: mobility 80% employee, 7%
employee with WW or WW, 8% on benefits only). An unlabelled segment is taken to be thinner than the
1% segments that do carry a label: below 0,75 percentage point. Of the 225 placements only one then
remains; with unlabelled segments up to 1 point, three would.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from sectorplannen import claims, participants, published

SERIES = [
    "Werknemer",
    "Werknemer en WW",
    "Werknemer en overige uitkering",
    "WW",
    "Overige uitkering",
    "Overig",
]
PARTIAL = ("Werknemer en overige uitkering", "Overige uitkering")
# (cells: (series, bar index), printed value): the text's numbers about the bars
TEXT = [
    ({("Werknemer", 0), ("Werknemer en WW", 0), ("Werknemer en overige uitkering", 0)}, 87),
    ({("Werknemer", 1), ("Werknemer en WW", 1), ("Werknemer en overige uitkering", 1)}, 80),
    ({("Werknemer en WW", 1), ("WW", 1)}, 7),
    ({("WW", 1), ("Overige uitkering", 1)}, 8),
]


@pytest.fixture(scope="module")
def figure():
    table = published.table("F4.1")
    bars = list(dict.fromkeys(table["row"]))
    values = table.pivot_table(index="row", columns="category", values="value", aggfunc="first").reindex(bars)
    return bars, values


def placements(labels: list[float]):
    """Every way to put the labels (in bar order) on six bars, leaving the rest unlabelled."""
    for gaps in itertools.combinations(range(6), 6 - len(labels)):
        it = iter(labels)
        yield tuple(None if i in gaps else next(it) for i in range(6))


def whole_people(values, size: int, unlabelled_max: float) -> bool:
    """Can ``size`` people give these labels (each a whole count that rounds to its label)?"""
    choices = [
        [
            c
            for c in range(size + 1)
            if (100 * c / size < unlabelled_max if v is None else abs(100 * c / size - v) <= 0.5)
        ]
        for v in values
    ]
    return any(sum(combo) == size for combo in itertools.product(*choices))


def feasible(grid: dict, sizes: list[float], unlabelled_max: float) -> bool:
    """An LP: true shares within half a point of each label, unlabelled segments in [0, max),
    bars summing to 100, the mobility bar the weighted mean of its measures, the text's values."""
    index = {cell: i for i, cell in enumerate(itertools.product(SERIES, range(6)))}
    bounds = [
        (max(grid[s][b] - 0.5, 0), grid[s][b] + 0.5) if grid[s][b] is not None else (0, unlabelled_max)
        for s, b in index
    ]
    a_eq, b_eq = [], []
    for bar in range(6):
        a_eq.append([1.0 if b == bar else 0.0 for _, b in index])
        b_eq.append(100)
    measures = sizes[2:]
    for series in SERIES:
        row = np.zeros(len(index))
        row[index[series, 1]] = -1
        for offset, size in enumerate(measures, start=2):
            row[index[series, offset]] = size / sum(measures)
        a_eq.append(row)
        b_eq.append(0)
    a_ub, b_ub = [], []
    for cells, value in TEXT:
        row = np.array([1.0 if cell in cells else 0.0 for cell in index])
        a_ub += [row, -row]
        b_ub += [value + 0.5, -(value - 0.5)]
    result = linprog(np.zeros(len(index)), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    return result.status == 0


def readings(figure, unlabelled_max: float) -> list[dict]:
    bars, values = figure
    sizes = values["Aantal deelnemers"].tolist()
    assert sizes[1] == sum(sizes[2:]) == 18816  # Arbeidsmobiliteit = its four measures (r. 2127-2139)
    full = {s: tuple(values[s].tolist()) for s in SERIES if s not in PARTIAL}
    options = {s: list(placements(values[s].dropna().tolist())) for s in PARTIAL}
    out = []
    for first, second in itertools.product(options[PARTIAL[0]], options[PARTIAL[1]]):
        grid = {**full, PARTIAL[0]: first, PARTIAL[1]: second}
        if whole_people([grid[s][5] for s in SERIES], int(sizes[5]), unlabelled_max) and feasible(
            grid, sizes, unlabelled_max
        ):
            out.append({s: [bars[i] for i, v in enumerate(grid[s]) if v is None] for s in PARTIAL})
    return out


def test_the_numbers_allow_one_placement_of_the_labels(figure):
    (only,) = readings(figure, 0.75)
    assert only == {
        "Werknemer en overige uitkering": ["Totaal tranches 1 en 2", "Transitiefonds werk naar werk"],
        "Overige uitkering": ["Totaal tranches 1 en 2", "Transfercentrum werk naar werk"],
    }
    assert len(readings(figure, 1.0)) == 3  # the threshold matters, and the note says so


def test_the_transcription_and_the_claims_use_that_placement(figure):
    _, values = figure
    empty = {s: sorted(values.index[values[s].isna()]) for s in PARTIAL}
    assert empty == {
        "Werknemer en overige uitkering": ["Totaal tranches 1 en 2", "Transitiefonds werk naar werk"],
        "Overige uitkering": ["Totaal tranches 1 en 2", "Transfercentrum werk naar werk"],
    }
    spec = claims.load("arbeidsmarktpositie")
    figure_claims = spec[(spec["location"] == "Figuur 4.1") & spec["column"].str.startswith("inkomenssituatie=")]
    labels = participants.INKOMENSSITUATIE  # the series as the figure's legend names them
    bars = {"": "Totaal tranches 1 en 2", "categorie=arbeidsmobiliteit": "Arbeidsmobiliteit"}
    compared = 0
    for claim in figure_claims.itertuples():
        measure = claim.row.partition("maatregel=")[2]
        bar = measure or bars[claim.row]
        series = labels[claim.column.partition("=")[2]]
        assert values.loc[bar, series] == float(claim.value), f"claim {claim.id}: {bar}, {series}"
        compared += 1
    assert compared == 32  # every printed label of the figure
