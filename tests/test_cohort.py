"""One cohort definition: a condition on an outcome (``baan=nee``) means the same in cohort
selection, in the calibration and in the generator of the synthetic file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sectorplannen import participants
from sectorplannen.participants import calibration, cohort, synthetic

PEOPLE = pd.DataFrame(
    {
        "tranche": [1, 2, 2, 3, 1, 2],
        "peildatum": ["2019-05-31"] * 6,
        "inkomenssituatie": ["werknemer", "ww", "werknemer_ww", "overig", "overige_uitkering", "werknemer"],
        "werkgever": ["zelfde_werkgever", "geen", "andere_sector", "geen", "geen", "andere_werkgever_zelfde_sector"],
        "plan_id": ["bouw"] * 6,
    }
)
# By hand: rows 0, 2 and 5 have a job (werknemer, werknemer_ww); rows 2 and 5 changed employer.
EXPECTED = {
    ("baan", "ja"): [0, 2, 5],
    ("baan", "nee"): [1, 3, 4],
    ("baanwisselaar", "ja"): [2, 5],
    ("baanwisselaar", "nee"): [0, 1, 3, 4],
}


@pytest.mark.parametrize(("key", "value"), list(EXPECTED))
def test_cohort_selection_reads_ja_and_nee(key, value):
    assert list(cohort.select(PEOPLE, **{key: value}).index) == EXPECTED[key, value]


@pytest.mark.parametrize(("key", "value"), list(EXPECTED))
def test_calibration_reads_ja_and_nee_as_cohort_selection(key, value):
    variable, members = calibration.conditions(key, value, "")
    assert list(PEOPLE.index[np.isin(PEOPLE[variable], members)]) == EXPECTED[key, value]


@pytest.mark.parametrize(("key", "value"), list(EXPECTED))
def test_generator_targets_read_ja_and_nee_as_cohort_selection(key, value):
    target = synthetic.Target("3", {key: value}, "2019", "contract", {}, "test")
    mask = target.matches(PEOPLE.assign(tranche=3))  # every row in the target's tranche
    assert list(PEOPLE.index[mask]) == EXPECTED[key, value]


def test_a_condition_other_than_ja_or_nee_is_named():
    with pytest.raises(cohort.CohortError, match=r"baan='misschien': expected ja or nee"):
        cohort.select(PEOPLE, baan="misschien")
    with pytest.raises(calibration.CalibrationError, match="expected ja or nee"):
        calibration.conditions("baan", "soms", "")
    assert participants.outcome_condition("baan", "nee")[1] == ("ww", "overige_uitkering", "overig")
