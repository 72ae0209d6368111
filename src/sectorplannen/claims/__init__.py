"""Layer 4, the claims: every number the report prints (``data/claims/``), how it is rounded and
qualified, and the ledger that says per claim what was done with it.
"""

from sectorplannen.claims.evaluation import (
    evaluate,
    evidence,
    indicators_for,
    ledger,
    not_computable,
    plan_level,
    printed_in,
    reader_name,
    stale_explanations,
    summary,
)
from sectorplannen.claims.files import (
    CLAIMS,
    COLUMNS,
    FILE_STATISTICS,
    IDENTITY_UNITS,
    MISSING_INPUTS,
    PARTICIPANT_STATISTICS,
    QUALIFIERS,
    STATISTICS,
    STATUS_ARITHMETIC,
    STATUS_CALIBRATED,
    STATUS_DIFFERS,
    STATUS_NA,
    STATUS_OTHER,
    STATUS_REPRODUCED,
    STATUS_SUPPRESSED,
    STATUS_TAKEN,
    STATUS_UNCALIBRATED,
    STATUSES,
    TRANCHES,
    UNITS,
    VOCABULARY,
    explanations,
    is_participant_file,
    load,
    missing_input,
)
from sectorplannen.claims.rounding import format_step, interval, matches, round_to_step
from sectorplannen.errors import ClaimsError

__all__ = [name for name in dir() if not name.startswith("_") and name not in ("annotations", "files", "ledger_module")]
