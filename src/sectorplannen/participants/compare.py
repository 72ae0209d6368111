"""Counterfactual-free comparisons across themes, as the report makes them.

Each theme is set against all participants of its tranche group: the difference in a share with a
confidence interval and a two-sample test, and a composition-adjusted comparison (a logit on
target group, age group and plan type: a binomial GLM with frequency weights, so that a table of
counts gives what one row per participant gives). These describe differences between groups of
participants; they are not effects of a measure, and the chapter says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import special, stats
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from sectorplannen.participants import disclosure
from sectorplannen.participants.schema import weights
from sectorplannen.sources.register import register


@dataclass
class AgainstAll:
    """Each group against all participants, registered in a release: per group its size and the
    number with the outcome, and the same for everyone (the rest follows by subtraction)."""

    release: disclosure.Release
    by: str
    groups: dict  # group -> (size key, outcome key)
    total: tuple

    def frame(self) -> pd.DataFrame:
        """Per group: share with the outcome, share among all, difference (points) with a 95%
        interval and the p-value of a two-sample test (group against the rest); a group whose
        counts (or the totals) are suppressed is suppressed whole."""
        value = self.release.value
        n_all, k_all = (value(k) for k in self.total)
        rows = []
        for group, (n_key, k_key) in self.groups.items():
            n1, k1 = value(n_key), value(k_key)
            if any(np.isnan(v) for v in (n1, k1, n_all, k_all)):
                rows.append(
                    {
                        self.by: group,
                        "n": None,
                        "aandeel": None,
                        "alle": None,
                        "verschil": None,
                        "laag": None,
                        "hoog": None,
                        "p": None,
                        "onderdrukt": True,
                    }
                )
                continue
            n1, k1, n2, k2 = int(n1), int(k1), int(n_all - n1), int(k_all - k1)
            low, high = confint_proportions_2indep(k1, n1, k2, n2, method="wald")
            test = test_proportions_2indep(k1, n1, k2, n2, method="wald")
            rows.append(
                {
                    self.by: group,
                    "n": n1,
                    "aandeel": 100 * k1 / n1,
                    "alle": 100 * k_all / n_all,
                    "verschil": 100 * (k1 / n1 - k2 / n2),
                    "laag": 100 * low,
                    "hoog": 100 * high,
                    "p": float(test.pvalue),
                    "onderdrukt": False,
                }
            )
        return pd.DataFrame(rows).set_index(self.by)


def register_against_all(
    release: disclosure.Release, people: pd.DataFrame, outcome: pd.Series, by: str = "categorie"
) -> AgainstAll:
    """Register the counts behind :class:`AgainstAll` (read its frame after ``release.protect()``)."""
    y = outcome.loc[people.index].astype(bool)
    groups = {
        group: (release.count(members), release.count(members[y.loc[members.index].to_numpy()]))
        for group, members in people.groupby(by, observed=True)
    }
    return AgainstAll(release, by, groups, (release.count(people), release.count(people[y.to_numpy()])))


def against_all(
    people: pd.DataFrame, outcome: pd.Series, by: str = "categorie", min_cell: int = disclosure.DEFAULT_MIN_CELL
) -> pd.DataFrame:
    """:class:`AgainstAll` as a table on its own, disclosure-controlled."""
    release = disclosure.Release(people, min_cell)
    pending = register_against_all(release, people, outcome, by)
    release.protect()
    return pending.frame()


def _average_margins(x: np.ndarray, w: np.ndarray, beta: np.ndarray, cov: np.ndarray) -> tuple[np.ndarray, ...]:
    """Average marginal effects of every regressor (``dy/dx`` averaged over the participants, as
    statsmodels' ``get_margeff(at="overall")``) with standard errors by the delta method."""
    p = special.expit(x @ beta)
    density = p * (1 - p)
    total = w.sum()
    mean_density = (w * density).sum() / total
    effects = beta * mean_density
    slope = (x * (w * density * (1 - 2 * p))[:, None]).sum(axis=0) / total
    jacobian = np.eye(len(beta)) * mean_density + np.outer(beta, slope)
    errors = np.sqrt(np.diag(jacobian @ cov @ jacobian.T))
    return effects, errors


def adjusted(people: pd.DataFrame, outcome: pd.Series, by: str = "categorie") -> pd.DataFrame:
    """Logit of the outcome on the groups, adjusted for target group, age group and plan type:
    the average marginal difference in points of each group against the reference (the largest
    group), with a 95% interval. ``people`` is one row per participant or a table of counts (its
    rows weighted by ``aantal``): the estimates are the same."""
    counted = weights(people).astype(float)
    data = pd.DataFrame(
        {
            "y": outcome.loc[people.index].astype(int).to_numpy(),
            "groep": people[by].to_numpy(),
            "doelgroep": people["doelgroep"].to_numpy(),
            "jong": people["jong"].astype(int).to_numpy(),
            "plan_type": people["plan_id"].map(register().plan_types()).to_numpy(),
        }
    )
    reference = pd.Series(counted).groupby(data["groep"].to_numpy()).sum().sort_values(ascending=False).index[0]
    terms = [f"C(groep, Treatment(reference={reference!r}))", "jong"]
    for column in ("doelgroep", "plan_type"):
        # a term that varies, and is not the grouping itself (in tranche 3 the target group is the type)
        if data[column].nunique() > 1 and not (data[column] == data["groep"]).all():
            terms.append(f"C({column})")
    # a binomial GLM with frequency weights is the logit on one row per participant (same likelihood)
    model = smf.glm("y ~ " + " + ".join(terms), data, family=sm.families.Binomial(), freq_weights=counted).fit()
    effects, errors = _average_margins(
        model.model.exog, counted, model.params.to_numpy(), model.cov_params().to_numpy()
    )
    z = stats.norm.ppf(0.975)
    rows = [{by: reference, "verschil": 0.0, "laag": 0.0, "hoog": 0.0, "p": np.nan, "referentie": True}]
    for name, effect, error in zip(model.model.exog_names, effects, errors, strict=True):
        if name.startswith("C(groep"):  # not the covariates (C(doelgroep)...)
            group = name.split("[T.")[-1].rstrip("]")
            rows.append(
                {
                    by: group,
                    "verschil": 100 * effect,
                    "laag": 100 * (effect - z * error),
                    "hoog": 100 * (effect + z * error),
                    "p": float(2 * stats.norm.sf(abs(effect / error))),
                    "referentie": False,
                }
            )
    return pd.DataFrame(rows).set_index(by)
