"""Layer 5, the participants: the schema of the BSN-linked participant file, reading and checking an
extract, the synthetic file and its calibration, cohorts, descriptions, comparisons and
disclosure control of everything a run shows.
"""

from sectorplannen.errors import OutcomeError, ParticipantDataError
from sectorplannen.participants.loading import check_extract, check_location, load, read_valid, rows, validate
from sectorplannen.participants.schema import (
    BENEFIT,
    COLUMNS,
    CONTRACT,
    DERIVED_OUTCOMES,
    DOELGROEPEN,
    EMPLOYED,
    INKOMENSSITUATIE,
    JOB_CHANGERS,
    NOT_EMPLOYED,
    OUTCOME_CONDITIONS,
    OUTCOMES,
    PART_TIME,
    PEILDATA,
    UREN,
    WERKGEVER,
    doelgroepen,
    outcome_condition,
    outcome_values,
    with_categories,
)

__all__ = [name for name in dir() if not name.startswith("_") and name not in ("annotations",)]
