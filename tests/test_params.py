"""Chapter parameters: validated before any work, with errors that list the valid values."""

from __future__ import annotations

import pytest

from sectorplannen import paths
from sectorplannen.chapters import registry
from sectorplannen.chapters.registry import CHAPTERS, chapter_for, parse_params, run_name
from sectorplannen.errors import ParameterError
from sectorplannen.statistics.selection import validate


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


# -------------------------------------------------------------------- per notebook: names from the notebook


@pytest.mark.parametrize(
    ("notebook", "parameters", "message"),
    [
        (
            "uitvoering",
            {"top_m": 5},
            "unknown parameter(s) 'top_m' (did you mean 'top_n'?) for uitvoering; known: tranche, exclude_plans, top_n",
        ),
        ("inhoud", {"tranch": "3"}, "unknown parameter(s) 'tranch' (did you mean 'tranche'?) for inhoud; known: "),
        (
            "arbeidsmarktpositie",
            {"min_cell": 5},
            "unknown parameter(s) 'min_cell' (did you mean 'min_cell_size'?) for arbeidsmarktpositie; known: tranche, "
            "peildatum, exclude_plans, min_cell_size, min_cell_override, data_source",
        ),
        ("kerncijfers", {"tranche": "3"}, "unknown parameter(s) 'tranche' for kerncijfers; known: exclude_plans"),
        ("monitoring", {"top_n": 5}, "unknown parameter(s) 'top_n' for monitoring; known: tranche"),
        ("samenwerking", {"show_source": False}, "for samenwerking; known: show_sources"),
        ("vormgeving", {"tranche": "3"}, "unknown parameter(s) 'tranche' for vormgeving; known: show_sources"),
        ("dwsra", {"x": 1}, "unknown parameter(s) 'x' for dwsra; known: show_sources"),
        ("steunpakket_2020", {"x": 1}, "unknown parameter(s) 'x' for steunpakket_2020; known: show_sources"),
    ],
)
def test_unknown_parameters_are_refused_for_every_notebook(notebook, parameters, message):
    from sectorplannen.chapters.registry import resolve

    with pytest.raises(ParameterError) as caught:
        resolve(notebook, parameters)
    assert message in str(caught.value)
    with pytest.raises(ParameterError):
        chapter_for(notebook, parameters)


def _cell_assignments(notebook: str) -> dict:
    """``name = value`` of a notebook's cell tagged ``parameters``, literal values evaluated."""
    import ast

    import nbformat

    cells = nbformat.read(paths.ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4).cells
    source = "\n".join(c.source for c in cells if "parameters" in c.metadata.get("tags", []))
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


def test_the_registry_declares_what_each_parameters_cell_assigns():
    """One source of truth: the registry declares each parameter with its default, and every
    notebook's parameters cell assigns exactly those names with those values (papermill injects
    into that cell; a name only in the notebook would be refused, one only in the registry ignored)."""
    from sectorplannen.chapters.registry import REGISTRY

    for entry in REGISTRY:
        assert _cell_assignments(entry.notebook) == entry.defaults, entry.notebook
    assert {e.notebook for e in REGISTRY} == {c.notebook for c in CHAPTERS}
    assert {e.notebook for e in REGISTRY} == {p.stem for p in (paths.ROOT / "notebooks").glob("*.ipynb")}


@pytest.mark.parametrize(
    ("notebook", "parameters", "message"),
    [
        ("monitoring", {"tranche": "1"}, "tranche must be one of '1-2', '3' for monitoring, not '1'"),
        ("dwsra", {"show_sources": "ja"}, "show_sources must be true or false, not 'ja'"),
        ("kerncijfers", {"exclude_plans": "Bouwen"}, "unknown plan 'Bouwen'"),
        ("kerncijfers", {"exclude_plans": [1]}, "exclude_plans must be a list of plan names or ids"),
        ("arbeidsmarktpositie", {"peildatum": "2020"}, "peildatum must be one of '2017', '2018', '2019'"),
    ],
)
def test_values_are_checked_per_notebook(notebook, parameters, message):
    from sectorplannen.chapters.registry import resolve

    with pytest.raises(ParameterError, match=message):
        resolve(notebook, parameters)


def test_values_are_normalised():
    from sectorplannen.chapters.registry import resolve

    assert resolve("uitvoering", {"tranche": 3, "exclude_plans": ["Transport"]}).as_dict() == {
        "tranche": "3",
        "exclude_plans": ["transport-t3"],
        "top_n": 20,
    }
    both = resolve("kerncijfers", {"exclude_plans": ["Bouw", "ict-t3"]})
    assert both.as_dict() == {"exclude_plans": ["bouw", "ict-t3"]}
    assert {group: s.exclude_plans for group, s in both.selections} == {"1-2": ("bouw",), "3": ("ict-t3",)}
    assert resolve("arbeidsmarktpositie", {"peildatum": "2018-05-31"})["peildatum"] == "2018"
    assert resolve("monitoring", {"tranche": 3}).as_dict() == {"tranche": "3"}


@pytest.mark.parametrize("tranche", ["1", "2", "1-2", "3"])
def test_excluding_every_plan_is_refused(tranche):
    from sectorplannen.chapters.registry import resolve
    from sectorplannen.sources.register import register

    every = [p.id for p in register().in_group(tranche)]
    message = f"exclude_plans leaves no plan of tranche {tranche}: keep at least one"
    for notebook in ("uitvoering", "inhoud", "arbeidsmarktpositie"):
        with pytest.raises(ParameterError) as caught:
            resolve(notebook, {"tranche": tranche, "exclude_plans": every})
        assert str(caught.value) == message
    resolve("uitvoering", {"tranche": tranche, "exclude_plans": every[1:]})  # one plan left is a selection


@pytest.mark.parametrize("group", ["1-2", "3"])
def test_kerncijfers_refuses_an_empty_tranche_group(group):
    from sectorplannen.chapters.registry import resolve
    from sectorplannen.sources.register import register

    every = [p.id for p in register().in_group(group)]
    with pytest.raises(ParameterError) as caught:
        resolve("kerncijfers", {"exclude_plans": every})
    assert str(caught.value) == f"exclude_plans leaves no plan of tranche {group}: keep at least one"


def test_min_cell_size_has_a_floor_with_a_stated_override():
    from sectorplannen.chapters.registry import resolve

    with pytest.raises(ParameterError) as caught:
        _participant(min_cell_size=5)
    assert str(caught.value) == (
        "min_cell_size 5 is below the floor of 10 required for output from secure environments: to use it anyway, "
        "give the reason in min_cell_override (it is printed in the chapter and its provenance)"
    )
    with pytest.raises(ParameterError, match="below the floor of 10"):
        _participant(min_cell_size=9, min_cell_override="   ")
    params = _participant(min_cell_size=5, min_cell_override="toestemming\n  van de beheerder")
    assert (params.min_cell_size, params.min_cell_override) == (5, "toestemming van de beheerder")
    assert _participant().min_cell_override == ""
    with pytest.raises(ParameterError, match="min_cell_override is only for a min_cell_size below 10"):
        _participant(min_cell_override="waarom niet")
    with pytest.raises(ParameterError, match="min_cell_override must be text"):
        _participant(min_cell_size=5, min_cell_override=5)
    with pytest.raises(ParameterError, match="min_cell_size must be a whole number of at least 1"):
        _participant(min_cell_size=0, min_cell_override="x")
    checked = resolve("arbeidsmarktpositie", {"min_cell_size": 5, "min_cell_override": "toestemming"})
    assert (checked["min_cell_size"], checked["min_cell_override"]) == (5, "toestemming")
    name = chapter_for("arbeidsmarktpositie", {"tranche": "3", "min_cell_size": 5, "min_cell_override": "ok"}).name
    assert "min_cell_size-5" in name and "min_cell_override-ok" in name


def test_command_line_refuses_a_misspelt_parameter(capsys, tmp_path, monkeypatch):
    from sectorplannen import paths
    from sectorplannen.cli import main

    monkeypatch.setattr(paths, "OUTPUTS", tmp_path / "out")
    assert main(["chapter", "uitvoering", "--params", "top_m=5"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: unknown parameter(s) 'top_m' (did you mean 'top_n'?) for uitvoering; known: tranche, exclude_plans, "
        "top_n\n"
    )
    assert not (tmp_path / "out").exists()


def test_preflight_refuses_unknown_names_and_empty_selections(tmp_path, monkeypatch):
    from sectorplannen import paths
    from sectorplannen.pipeline import report

    monkeypatch.setattr(paths, "OUTPUTS", tmp_path / "out")
    for parameters in ({"top_m": 5}, {"show_sources": False}):
        with pytest.raises(ParameterError, match=r"unknown parameter\(s\)"):
            report.preflight([registry.Chapter("uitvoering", 3, "test", parameters)])
    with pytest.raises(ParameterError, match="exclude_plans leaves no plan of tranche 3"):
        report.preflight([registry.Chapter("kerncijfers", 10, "test", {"exclude_plans": _t3()})])
    assert not (tmp_path / "out").exists()


def _t3() -> list[str]:
    from sectorplannen.sources.register import register

    return [p.id for p in register().in_group("3")]


def test_notebook_started_by_hand_refuses_unknown_names():
    from sectorplannen.chapters import notebook

    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) 'top_m'"):
        notebook.start("uitvoering", top_m=5)
    with pytest.raises(ParameterError, match="exclude_plans leaves no plan of tranche 3"):
        notebook.start("uitvoering", tranche="3", exclude_plans=_t3())


def _participant(**parameters):
    """The participant chapter's parameters, resolved by the registry (as make chapter resolves them)."""
    from sectorplannen.chapters import registry

    return registry.resolve("arbeidsmarktpositie", parameters)
