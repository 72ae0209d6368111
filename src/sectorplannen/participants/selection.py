"""The validated parameters of the participant chapter: selection, peildatum, minimum cell size, data."""

from __future__ import annotations

from dataclasses import dataclass

from sectorplannen.errors import ParameterError
from sectorplannen.statistics.selection import validate

# The smallest cell a chapter on a real extract may show without a stated reason (output checking
# rules of secure environments such as CBS remote access).
MIN_CELL_FLOOR = 10


@dataclass(frozen=True)
class ParticipantParams:
    """The validated parameters of the participant-level chapter (arbeidsmarktpositie)."""

    tranche: str = "1-2"
    peildatum: str = "2019"
    exclude_plans: tuple[str, ...] = ()
    min_cell_size: int = 10
    data_source: str = "synthetic"
    min_cell_override: str = ""  # the reason for a min_cell_size below MIN_CELL_FLOOR, shown with the chapter

    @property
    def tranche_group(self) -> str:
        return "3" if self.tranche == "3" else "1-2"

    @property
    def is_published_cohort(self) -> bool:
        return self.tranche in ("1-2", "3") and not self.exclude_plans and self.peildatum == "2019"

    @property
    def synthetic(self) -> bool:
        return self.data_source == "synthetic"


def _min_cell(min_cell_size, min_cell_override) -> tuple[int, str]:
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


def validate_participant(
    tranche="1-2",
    peildatum="2019",
    exclude_plans=(),
    min_cell_size=10,
    data_source="synthetic",
    *,
    min_cell_override="",
) -> ParticipantParams:
    """Check the parameters of the participant-level chapter before any work is done."""
    base = validate(tranche=tranche, exclude_plans=exclude_plans)
    date = str(peildatum)
    if date[:4] in ("2017", "2018", "2019") and date[4:] in ("", "-05-31"):
        date = date[:4]
    else:
        raise ParameterError(f"peildatum must be 2017, 2018 or 2019 (31 May of that year), not {peildatum!r}")
    min_cell_size, reason = _min_cell(min_cell_size, min_cell_override)
    if not isinstance(data_source, str) or not data_source:
        raise ParameterError(
            f"data_source must be 'synthetic' or the path of a participant extract, not {data_source!r}"
        )
    return ParticipantParams(base.tranche, date, base.exclude_plans, min_cell_size, data_source, reason)
