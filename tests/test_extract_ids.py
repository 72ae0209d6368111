"""The checks per participant from hashed ids (participants.extract_ids), on combinations written by hand:
combination i holds lengths[i] ids, with one hash of its date and one of its static columns."""

from __future__ import annotations

import numpy as np

from sectorplannen.participants.extract_ids import suspects


def _run(combinations):
    """combinations: (ids, date, static) per combination."""
    ids = np.array([i for c in combinations for i in c[0]], dtype=np.uint64)
    lengths = np.array([len(c[0]) for c in combinations])
    dates = np.array([c[1] for c in combinations], dtype=np.uint64)
    statics = np.array([c[2] for c in combinations], dtype=np.uint64)
    return suspects(ids, lengths, dates, statics)


def test_three_dates_of_one_trajectory_are_fine():
    # participants 1 (static value 100) and 2 (200) on 2017, 2018 and 2019 (dates 17, 18, 19)
    assert _run([([1], 17, 100), ([2], 17, 200), ([1], 18, 100), ([2], 18, 200), ([1], 19, 100), ([2], 19, 200)]) == (
        False,
        False,
    )
    # the same rows, but participant 2 with static value 100 in 2018: on two trajectories
    assert _run([([1, 2], 18, 100), ([2], 17, 200), ([1], 17, 100), ([1], 19, 100), ([2], 19, 200)]) == (False, True)


def test_one_participant_twice_on_one_date():
    # participant 2 in two combinations of 2019 (another outcome, the same trajectory)
    assert _run([([1, 2], 19, 100), ([2], 19, 100)]) == (True, False)
    # and in one combination twice
    assert _run([([1, 2, 2], 19, 100)]) == (True, False)


def test_one_participant_on_two_trajectories():
    # participant 3: static value 100 in 2018, 300 in 2019
    assert _run([([3], 18, 100), ([3, 4], 19, 300)]) == (False, True)


def test_no_ids():
    assert _run([([], 19, 100)]) == (False, False)
