"""Whether an extract may hold a participant twice on one measurement date, or on two trajectories,
decided from 64-bit hashes of the ids by sorting (numpy) instead of a hash table with one group per
participant: for 26 million rows a few sorts of 8-byte keys, not a table that spills to disk.

The input is what the extract checks' one pass over the file gives per combination of the other
columns (:mod:`sectorplannen.participants.extract_sql`): the hashes of the ids in it, a hash of its
measurement date and one of its static columns (plan, tranche, ..., start, einde). A participant is
suspect when two of its rows have one date (a key of id and date repeats), or when it has rows of
two static values (more distinct keys of id and static value than distinct ids). A hash collision
only makes a suspect, which the exact query over the file then clears; a participant on two
trajectories escapes only when two keys of id and static value collide in both of two independent
64-bit hashes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

_MIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
_SALTS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD6E8FEB86659FD93), np.uint64(0xA0761D6478BD642F))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: a 64-bit value mixed so that every bit depends on all of them."""
    x ^= x >> np.uint64(30)
    x *= _MIX[0]
    x ^= x >> np.uint64(27)
    x *= _MIX[1]
    x ^= x >> np.uint64(31)
    return x


def _keys(ids: np.ndarray, per_combination: np.ndarray, lengths: np.ndarray, salt: np.uint64) -> np.ndarray:
    """A 64-bit key per row for the pair (id, the value of its combination), sorted: the id XOR the
    combination's value mixed with the salt. Mixing the key once more would change no count of
    distinct keys (the mix is a bijection), so it is not done."""
    keys = np.repeat(_mix(per_combination ^ salt), lengths)
    keys ^= ids
    keys.sort()
    return keys


def _distinct(keys: np.ndarray) -> int:
    """The number of distinct values of a sorted array."""
    return int(keys.size and 1 + np.count_nonzero(keys[1:] != keys[:-1]))


def suspects(ids: np.ndarray, lengths: np.ndarray, dates: np.ndarray, statics: np.ndarray) -> tuple[bool, bool]:
    """(a participant may be twice on one date, a participant may be on two trajectories), from the
    hashed ids of each combination (``ids``, ``lengths[i]`` of them for combination i) and each
    combination's hash of its date and of its static columns (uint64 arrays)."""
    if not ids.size:
        return False, False
    ids = ids.astype(np.uint64, copy=False)
    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy sorts without the GIL: two at a time
        by_date = pool.submit(_keys, ids, dates, lengths, _SALTS[0])
        alone = pool.submit(np.sort, ids)
        twice = _distinct(by_date.result()) < ids.size
        participants = _distinct(alone.result())
        del by_date, alone
        by_static = [pool.submit(_keys, ids, statics, lengths, salt) for salt in _SALTS[1:]]
        # one of the two suffices to suspect; both must collide to miss a participant on two trajectories
        moved = any(_distinct(keys.result()) > participants for keys in by_static)
    return twice, moved
