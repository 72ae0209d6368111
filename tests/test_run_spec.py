"""One run specification: a run's parameters are resolved once by the registry, and every layer up to
the kernel's ``notebook.start`` receives that specification (or its serialised form) unchecked."""

from __future__ import annotations

import contextlib

import pytest

from sectorplannen.chapters import notebook, registry
from sectorplannen.chapters.registry import RunSpec
from sectorplannen.errors import ParameterError
from sectorplannen.statistics import selection


class KernelStarted(BaseException):
    """Raised where papermill would start the kernel: the test stops the build there."""


def _count(monkeypatch, module, name: str) -> list:
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_one_make_chapter_resolves_its_parameters_once(scratch, monkeypatch):
    """``make chapter NB=uitvoering TRANCHE=3 PARAMS='exclude_plans=["Transport"]'`` from the command
    line through the preflight and the executor to papermill, then the kernel's ``notebook.start``
    with what papermill and the kernel's environment give it: one resolution of the specification,
    one check of the plan selection (before: 4 registry checks, 5 validate calls)."""
    import papermill

    from sectorplannen import cli
    from sectorplannen.pipeline import kernel, report

    resolutions = _count(monkeypatch, registry, "resolve")
    selections = _count(monkeypatch, selection, "validate")
    monkeypatch.setattr(registry, "validate", selection.validate)  # the registry's own name for it, counted
    monkeypatch.setattr(kernel, "nursery", contextlib.nullcontext)  # no kernels: the test stops before one
    monkeypatch.setattr(report, "run_all", lambda todo, task, jobs, log: [task(c) for c in todo])  # in-process
    started = {}

    def execute_notebook(source, target, parameters, kernel_manager_class, **_):
        started.update(parameters=parameters, env=dict(kernel_manager_class._extra_env))
        raise KernelStarted

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    with pytest.raises(KernelStarted):
        cli.main(["chapter", "uitvoering", "--tranche", "3", "--params", 'exclude_plans=["Transport"]'])
    assert (len(resolutions), len(selections)) == (1, 1)
    assert resolutions[0][0] == ("uitvoering", {"exclude_plans": ["Transport"], "tranche": "3"})

    # The kernel: the notebook's parameters cell, then papermill's injected values, then notebook.start.
    assert started["parameters"] == {"tranche": "3", "exclude_plans": ["transport-t3"]}
    monkeypatch.setenv(registry.SPEC_VARIABLE, started["env"][registry.SPEC_VARIABLE])
    monkeypatch.setattr(notebook, "display", lambda *a, **k: None)
    run = notebook.start("uitvoering", **{"tranche": "1-2", "exclude_plans": [], "top_n": 20, **started["parameters"]})
    assert (len(resolutions), len(selections)) == (1, 1)  # the kernel checked nothing again
    assert run.chapter.name == "uitvoering_exclude_plans-transport-t3_tranche-3"
    assert run.data.params.exclude_plans == ("transport-t3",)
    assert len(run.data.plans) == 23  # the 24 carried-out plans of tranche 3 (data/raw/plans.yaml) without Transport


def test_a_notebook_run_by_hand_resolves_its_parameters_itself(monkeypatch):
    """Without the build's specification in the environment, ``notebook.start`` resolves the
    parameters with the registry: once, refusing what make chapter refuses."""
    monkeypatch.delenv(registry.SPEC_VARIABLE, raising=False)
    monkeypatch.setattr(notebook, "display", lambda *a, **k: None)
    resolutions = _count(monkeypatch, registry, "resolve")
    run = notebook.start("monitoring", tranche=3)
    assert len(resolutions) == 1
    assert run.params.tranche == "3" and run.chapter.name == "monitoring_tranche-3"
    with pytest.raises(ParameterError, match="tranche must be one of '1-2', '3' for monitoring, not '1'"):
        notebook.start("monitoring", tranche="1")


@pytest.mark.parametrize(
    ("notebook_name", "parameters"),
    [
        ("uitvoering", {"tranche": "1", "exclude_plans": ["Bouw"], "top_n": 5}),
        ("kerncijfers", {"exclude_plans": ["Bouw", "ict-t3"]}),
        (
            "arbeidsmarktpositie",
            {"tranche": "3", "peildatum": "2018-05-31", "min_cell_size": 5, "min_cell_override": "toestemming"},
        ),
        ("dwsra", {"show_sources": False}),
    ],
)
def test_the_serialised_specification_is_the_specification(notebook_name, parameters):
    """What the kernel reads back from the environment is what the registry resolved: the values,
    the plans selected per tranche group, whether the report's numbers apply."""
    spec = registry.resolve(notebook_name, parameters)
    again = RunSpec.from_json(spec.to_json())
    assert again == spec
    assert again.selections == spec.selections and again.is_published_cohort == spec.is_published_cohort


def test_a_specification_is_typed_and_frozen():
    spec = registry.resolve("uitvoering", {"tranche": 3, "exclude_plans": "Transport"})
    assert (spec.tranche, spec.exclude_plans, spec.top_n) == ("3", ("transport-t3",), 20)
    assert spec.tranche_group == "3" and not spec.is_published_cohort
    assert spec.selection.exclude_plans == ("transport-t3",)
    with pytest.raises(AttributeError, match="uitvoering has no parameter 'top_m'"):
        _ = spec.top_m
    with pytest.raises(AttributeError):
        spec.tranche = "1-2"
    published = registry.resolve("arbeidsmarktpositie", {"tranche": "3"})
    assert published.is_published_cohort and published.synthetic and published.tranche_group == "3"
    assert not registry.resolve("arbeidsmarktpositie", {"peildatum": 2018}).is_published_cohort
    both = registry.resolve("kerncijfers", {})
    assert [group for group, _ in both.selections] == ["1-2", "3"]
    with pytest.raises(ValueError, match="kerncijfers selects plans per tranche group: use selections"):
        _ = both.selection


def test_every_listed_chapter_resolves_to_its_own_name():
    """The chapters make report builds are resolved when the build first needs them; resolving their
    parameters names the same run."""
    for chapter in registry.CHAPTERS:
        assert registry.chapter_for(chapter.notebook, chapter.parameters).name == chapter.name
        assert chapter.spec.notebook == chapter.notebook
