"""The plan register: counts, aliases across sources, clear errors for unknown names."""

from __future__ import annotations

import pytest

from sectorplannen import published
from sectorplannen.errors import UnknownPlanError
from sectorplannen.sources.register import PlanRegister, register


def test_register_counts_match_the_report():
    plans = register()
    assert len(plans.in_group("1-2")) == 75  # 001 r. 763: 'Van 75 plannen'
    assert len(plans.in_group("3")) == 24  # 001 r. 3350, 4307: 24 plans in tranche 3
    assert len(plans.in_group("1", include_withdrawn=True)) == 24  # 002 Tabel 1: 24 approvals
    t3 = plans.in_group("3")
    assert sum(p.plan_type == "regionaal" for p in t3) == 14  # 001 r. 4737-4739


def test_every_plan_of_bijlage_a_is_in_the_register_and_back():
    plans = register()
    a2 = set(published.table("A.2")["plan_id"]) - {""}
    a9 = set(published.table("A.9")["plan_id"]) - {""}
    assert a2 == {p.id for p in plans.in_group("1-2")}
    assert a9 == {p.id for p in plans.in_group("3")}


@pytest.mark.parametrize(
    ("name", "group", "plan_id"),
    [
        ("Bouw & Infrastructuur", "1", "bouw"),
        ("Thuiszorg, verpleging, verzorging (VVT)", "1", "vvt"),
        ("Dakbedekkers", "1-2", "dakbedekkers"),
        ("Dakbedekkers", "3", "dakbedekkers-t3"),
        ("AMR Noord-Holland Noord", "3", "arm-noord-holland-noord"),
        ("zorg  noord-brabant", "1-2", "zorg-noord-brabant"),
    ],
)
def test_resolve_printed_names_and_aliases(name, group, plan_id):
    assert register().resolve(name, group).id == plan_id


def test_unknown_name_suggests_close_names():
    with pytest.raises(UnknownPlanError, match=r"unknown plan 'Bouwen' in tranche 1-2; did you mean 'Bouw'"):
        register().resolve("Bouwen", "1-2")


def test_lookup_by_name_must_be_unambiguous():
    assert register().lookup("Bouw").id == "bouw"
    with pytest.raises(UnknownPlanError, match="ambiguous: dakbedekkers, dakbedekkers-t3"):
        register().lookup("Dakbedekkers")


def test_register_rejects_bad_entries(tmp_path):
    path = tmp_path / "plans.yaml"
    path.write_text("- {id: x, name: X, tranche: 4, plan_type: sectoraal, cluster: zorg}\n")
    with pytest.raises(ValueError, match=r"plans.yaml: plan entry 1, field 'tranche'"):
        PlanRegister.from_yaml(path)
    path.write_text(
        "- {id: x, name: X, tranche: 2, plan_type: sectoraal, cluster: zorg}\n"
        "- {id: y, name: X, tranche: 1, plan_type: sectoraal, cluster: zorg}\n"
    )
    with pytest.raises(ValueError, match="name 'X' is used by both 'x' and 'y'"):
        PlanRegister.from_yaml(path)
