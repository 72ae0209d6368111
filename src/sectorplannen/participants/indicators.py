"""The participant statistics the claims of chapters 4 and 7 name, computed from a participant file."""

from __future__ import annotations

import pandas as pd

from sectorplannen.claims.evaluation import indicators_for
from sectorplannen.claims.files import FILE_STATISTICS
from sectorplannen.errors import OutcomeError
from sectorplannen.participants import cohort
from sectorplannen.participants.schema import outcome_values, size, weights, with_categories
from sectorplannen.sources.register import register
from sectorplannen.statistics import conditions
from sectorplannen.statistics.declaration import PARTICIPANT, declared
from sectorplannen.statistics.indicators import PARTICIPANT_FILE, REGISTER, NotComputable, Provenance, TableIndicators


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
        self._cohorts: dict[str, pd.DataFrame] = {}

    def cohort(self, row: str | None) -> pd.DataFrame:
        """The rows of the cohort ``row``, selected once per cohort (a ledger names some 70 cohorts in
        about 230 claims); callers select from it, never change it."""
        if row not in self._cohorts:
            selection = cohort.parse(row or "")
            selection.setdefault("tranche", self.cohort_tranche)
            if self.exclude_plans:
                selection["exclude_plans"] = self.exclude_plans
            self._cohorts[row] = cohort.select(self.people, **selection)
        return self._cohorts[row]

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
        if statistic in FILE_STATISTICS:
            return super().compute(statistic, category, plan, rank, table, row, column)
        if not hasattr(self, "_plan_level"):
            self._plan_level = indicators_for(self.tranche)
        self.provenance = Provenance()
        value = self._plan_level.compute(statistic, category, plan, rank, table, row, column)
        self.provenance = self._plan_level.provenance
        return value

    @declared(PARTICIPANT)
    def deelnemers_aantal(self, row=None):
        self._use(PARTICIPANT_FILE)
        frame = self.cohort(row)
        if self.release is not None:
            self.keys["deelnemers_aantal", row or "", ""] = (self.release.count(frame),)
        return float(size(frame))

    @declared(PARTICIPANT)
    def aandeel(self, row=None, column=None):
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

    # ------------------------------------------------ shares within a selection, ranks of groups

    def select(self, row: str | None) -> pd.DataFrame:
        """The cohort ``row``, where a part may also be an outcome (``uren=vier_dagen``, ``uitkering=ja``)."""
        keys, outcomes = [], []
        for part in filter(None, (p.strip() for p in (row or "").split(";"))):
            (keys if part.partition("=")[0].strip() in cohort.KEYS else outcomes).append(part)
        frame = self.cohort("; ".join(keys))
        for part in outcomes:
            frame = frame[self.outcome(frame, part).to_numpy()]
        return frame

    def _share(self, part: pd.DataFrame, whole: pd.DataFrame, counts: list) -> float:
        """``part`` as % of ``whole``; both counts are registered with the release into ``counts``."""
        if whole.empty:
            raise NotComputable("geen deelnemers in het cohort")
        if self.release is not None:
            counts += [self.release.count(part), self.release.count(whole)]
        return 100.0 * float(weights(part).sum() / weights(whole).sum())

    def _register(self, key: tuple, counts: list) -> None:
        """Every count behind one value, under the claim's (statistic, cohort, outcome)."""
        if self.release is not None:
            self.keys[key] = tuple(counts)

    @declared(PARTICIPANT)
    def cohort_aandeel(self, plan=None, row=None, column=None):
        """% of the cohort ``row`` that also meets ``column`` (cohort keys or outcomes) and belongs to
        the plans ``plan`` (ids or register selectors): the young among leerwerkplekken, the part-time
        jobs of two to four days among all part-time jobs, those with a job among those with a benefit."""
        self._use(PARTICIPANT_FILE)
        whole = self.select(row)
        part = whole if not column else whole[whole.index.isin(self.select(f"{row or ''}; {column}").index)]
        if plan:
            self._use(REGISTER)
            try:
                ids = conditions.named(plan, list(register()))
            except ValueError as exc:
                raise NotComputable(str(exc)) from None
            part = part[part["plan_id"].isin(ids).to_numpy()]
        counts: list = []
        value = self._share(part, whole, counts)
        self._register(("cohort_aandeel", row or "", column or ""), counts)
        return value

    def _group_shares(self, statistic: str, row: str | None, column: str | None) -> tuple[float, list[float]]:
        """The share of the outcome ``column`` in the claim's group (the last part of ``row``, its
        values pooled) and in each other value of that key within the rest of the cohort."""
        parts = [p.strip() for p in (row or "").split(";") if p.strip()]
        if not parts or "=" not in parts[-1]:
            raise NotComputable(f"cohort {row!r} noemt geen groep (laatste deel sleutel=waarde)")
        key, _, named = (x.strip() for x in parts[-1].partition("="))
        base = "; ".join(parts[:-1])
        values = [str(v) for v in self.select(base)[key].dropna().unique() if str(v) not in named.split("|")]
        self._use(PARTICIPANT_FILE)
        shares, counts = [], []
        for value in [named, *sorted(values)]:
            cohort_row = "; ".join(filter(None, (base, f"{key}={value}")))
            frame = self.select(cohort_row)
            hit = frame[self.outcome(frame, column).to_numpy()] if not frame.empty else frame
            if frame.empty and value != named:
                continue
            shares.append(self._share(hit, frame, counts))
        self._register((statistic, row or "", column or ""), counts)
        return shares[0], shares[1:]

    @declared(PARTICIPANT)
    def aandeel_rang(self, row=None, column=None):
        """Rank (1 = highest) of the group the last part of ``row`` names by its share of the outcome,
        among the other values of that key in the rest of the cohort (several named values pooled)."""
        own, others = self._group_shares("aandeel_rang", row, column)
        return float(1 + sum(other > own for other in others))

    @declared(PARTICIPANT)
    def aandeel_groepen_lager(self, row=None, column=None):
        """% of the other groups (values of the last key of ``row``) whose share of the outcome is
        lower than the named group's ("hoger dan bij de meeste andere maatregelen")."""
        own, others = self._group_shares("aandeel_groepen_lager", row, column)
        if not others:
            raise NotComputable(f"geen andere groepen naast {row!r}")
        return 100.0 * sum(other < own for other in others) / len(others)
