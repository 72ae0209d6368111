"""The participant statistics the claims of chapters 4 and 7 name, computed from a participant file."""

from __future__ import annotations

import pandas as pd

from sectorplannen.claims.evaluation import indicators_for
from sectorplannen.errors import OutcomeError
from sectorplannen.participants import cohort
from sectorplannen.participants.schema import outcome_values, size, weights, with_categories
from sectorplannen.statistics.indicators import PARTICIPANT_FILE, NotComputable, Provenance, TableIndicators


class ParticipantIndicators(TableIndicators):
    """Statistics of chapters 4 and 7, from a participant file (synthetic or a real extract).

    With a disclosure ``release`` every count behind a value is registered there, under the
    claim's (statistic, cohort, outcome) in :attr:`keys`, so the ledger shows only what passes."""

    def __init__(self, people: pd.DataFrame, tranche: str, exclude_plans=(), release=None, cohort_tranche=None):

        self.people = with_categories(people)  # a ledger selects some 200 cohorts from 780 thousand rows
        self.tranche = tranche
        # the run's own tranches (1 or 2 alone within the tranche group 1-2): every cohort is taken from them
        self.cohort_tranche = cohort_tranche or tranche
        self.exclude_plans = tuple(exclude_plans)
        self.release = release
        self.keys: dict[tuple, tuple] = {}

    def cohort(self, row: str | None) -> pd.DataFrame:

        selection = cohort.parse(row or "")
        selection.setdefault("tranche", self.cohort_tranche)
        if self.exclude_plans:
            selection["exclude_plans"] = self.exclude_plans
        return cohort.select(self.people, **selection)

    def outcome(self, frame: pd.DataFrame, column: str | None) -> pd.Series:
        """Boolean: does each participant have the outcome ``variable=value|value``?"""

        if not column or "=" not in column:
            raise NotComputable(f"uitkomst {column!r} is niet variabele=waarde")
        try:
            variable, values = outcome_values(column)
        except OutcomeError:
            raise NotComputable(f"onbekende uitkomst {column!r}") from None
        return frame[variable].isin(values)

    def compute(self, statistic: str, category=None, plan=None, rank=None, table=None, row=None, column=None):
        """Participant statistics from the file; any other statistic from the plan-level data."""
        if statistic in ("aandeel", "deelnemers_aantal"):
            return super().compute(statistic, category, plan, rank, table, row, column)
        if not hasattr(self, "_plan_level"):
            self._plan_level = indicators_for(self.tranche)
        self.provenance = Provenance()
        value = self._plan_level.compute(statistic, category, plan, rank, table, row, column)
        self.provenance = self._plan_level.provenance
        return value

    def deelnemers_aantal(self, row=None, **_):
        self._use(PARTICIPANT_FILE)
        frame = self.cohort(row)
        if self.release is not None:
            self.keys["deelnemers_aantal", row or "", ""] = (self.release.count(frame),)
        return float(size(frame))

    def aandeel(self, row=None, column=None, **_):
        self._use(PARTICIPANT_FILE)
        frame = self.cohort(row)
        if frame.empty:
            raise NotComputable(f"geen deelnemers in cohort {row!r}")
        hit = self.outcome(frame, column)
        if self.release is not None:
            self.keys["aandeel", row or "", column or ""] = (
                self.release.count(frame[hit.to_numpy()]),
                self.release.count(frame),
            )
        counted = weights(frame)  # one per participant, or the engine's counts
        return 100.0 * float(counted[hit.to_numpy()].sum() / counted.sum())
