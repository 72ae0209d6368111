"""The rules for the participant chapter's own parameters: peildatum, minimum cell size, data.

The registry (:mod:`sectorplannen.chapters.registry`) declares the parameters and resolves a run's
values once; these functions are the checks it applies to the values only the participant file has.
A wrong value raises :class:`~sectorplannen.errors.ParameterError` naming the parameter. They live
beside the registry, not in the participants layer, so that a mistake in a parameter is answered
without importing that layer (DuckDB, SciPy and the extract readers: half a second of the command line)."""

from __future__ import annotations

from sectorplannen.errors import ParameterError

# The smallest cell a chapter on a real extract may show without a stated reason (output checking
# rules of secure environments such as CBS remote access).
MIN_CELL_FLOOR = 10


def peildatum(value) -> str:
    """The measurement date as its year ('2019' for 2019 or 2019-05-31: the report measures on 31 May)."""
    date = str(value)
    if date[:4] in ("2017", "2018", "2019") and date[4:] in ("", "-05-31"):
        return date[:4]
    raise ParameterError(f"peildatum must be 2017, 2018 or 2019 (31 May of that year), not {value!r}")


def min_cell(min_cell_size, min_cell_override) -> tuple[int, str]:
    """The minimum cell size and the reason for going below the floor (both checked)."""
    if isinstance(min_cell_size, bool) or not isinstance(min_cell_size, int) or min_cell_size < 1:
        raise ParameterError(f"min_cell_size must be a whole number of at least 1, not {min_cell_size!r}")
    if not isinstance(min_cell_override, str):
        raise ParameterError(
            f"min_cell_override must be text (the reason for a min_cell_size below {MIN_CELL_FLOOR}), "
            f"not {min_cell_override!r}"
        )
    reason = " ".join(min_cell_override.split())  # one line: it is printed in the chapter
    if min_cell_size < MIN_CELL_FLOOR and not reason:
        raise ParameterError(
            f"min_cell_size {min_cell_size} is below the floor of {MIN_CELL_FLOOR} required for output from "
            "secure environments: to use it anyway, give the reason in min_cell_override (it is printed in "
            "the chapter and its provenance)"
        )
    if reason and min_cell_size >= MIN_CELL_FLOOR:
        raise ParameterError(
            f"min_cell_override is only for a min_cell_size below {MIN_CELL_FLOOR}, and min_cell_size is "
            f"{min_cell_size}: leave min_cell_override empty"
        )
    return min_cell_size, reason


def data_source(value) -> str:
    """'synthetic' or the path of a participant extract (a non-empty text; the file is read later)."""
    if not isinstance(value, str) or not value:
        raise ParameterError(f"data_source must be 'synthetic' or the path of a participant extract, not {value!r}")
    return value
