"""Chapter parameters: validated before any work, with errors that list the valid values."""

from __future__ import annotations

import pytest

from sectorplannen.params import ParameterError, validate
from sectorplannen.report import parse_params, run_name


def test_defaults_are_the_published_cohort():
    params = validate()
    assert (params.tranche, params.exclude_plans, params.top_n) == ("1-2", (), 20)
    assert params.is_published_cohort


def test_plan_names_and_ids_are_accepted_and_normalised():
    params = validate(tranche="3", exclude_plans=["Transport", "ict-t3"])
    assert params.exclude_plans == ("ict-t3", "transport-t3")
    assert not params.is_published_cohort
    assert validate(tranche=2).tranche == "2"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tranche": "4"}, r"tranche must be one of '1', '2', '1-2', '3', not '4'"),
        (
            {"exclude_plans": ["Bouwen"]},
            r"unknown plan 'Bouwen' for tranche 1-2\. Did you mean 'Bouw'.*Valid plans: Afval",
        ),
        ({"tranche": "3", "exclude_plans": ["Metaal"]}, r"unknown plan 'Metaal' for tranche 3"),
        ({"tranche": "1", "exclude_plans": ["Afval"]}, r"plan 'Afval' is not in tranche 1"),
        ({"exclude_plans": 5}, "must be a list of plan names"),
        ({"top_n": 0}, "top_n must be a whole number of at least 1"),
        ({"top_n": "20"}, "top_n must be a whole number"),
    ],
)
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        validate(**kwargs)


def test_run_names_carry_non_default_parameters():
    assert run_name("uitvoering", {"tranche": "3"}) == "uitvoering_tranche-3"
    assert run_name("uitvoering", {"tranche": "3", "exclude_plans": [], "top_n": 20}) == "uitvoering_tranche-3"
    assert (
        run_name("uitvoering", {"tranche": "3", "exclude_plans": ["Transport"]})
        == "uitvoering_exclude_plans-transport_tranche-3"
    )
    long = run_name("uitvoering", {"tranche": "1-2", "exclude_plans": [f"plan-{i}" for i in range(30)]})
    assert len(long) <= 111
    assert long != run_name("uitvoering", {"tranche": "1-2", "exclude_plans": [f"plan-{i}" for i in range(31)]})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('exclude_plans=["Transport"]', {"exclude_plans": ["Transport"]}),
        ('exclude_plans=["Bouw", "VVT"] top_n=10', {"exclude_plans": ["Bouw", "VVT"], "top_n": 10}),
        ("tranche=3; top_n=5", {"tranche": 3, "top_n": 5}),
        ("{exclude_plans: [Bouw], top_n: 10}", {"exclude_plans": ["Bouw"], "top_n": 10}),
        ("", {}),
    ],
)
def test_parse_params(text, expected):
    assert parse_params(text) == expected


def test_parse_params_rejects_garbage():
    with pytest.raises(ValueError, match="key=value pairs"):
        parse_params("[1, 2]")
