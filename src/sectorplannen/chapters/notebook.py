"""How a chapter notebook opens and closes: one call each.

:func:`start` takes the run's specification as the build resolved it (the serialised form in the
kernel's environment, :data:`~sectorplannen.chapters.registry.SPEC_VARIABLE`) or, in a notebook
run by hand, resolves the parameters itself with the registry (so it refuses what ``make chapter``
refuses); either way they are checked once. It applies the house style, loads the data the registry
declares for the chapter and shows its heading. :func:`finish` saves the ledger where the build and
the report index read it and shows it. Notebooks need nothing from the pipeline layer; this module
knows chapters only by their registry entries.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from sectorplannen import hashing, participants, paths
from sectorplannen.chapters import registry
from sectorplannen.chapters.registry import Chapter, RunSpec
from sectorplannen.render import outputs, sentences, style, tables
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.bijlage import Bijlage
from sectorplannen.statistics.indicators import Indicators


@dataclass
class Run:
    """What a chapter notebook works with: its chapter, its resolved parameters (``params``, a
    :class:`~sectorplannen.chapters.registry.RunSpec`: ``run.params.top_n``) and its data.

    Chapters on the published tables with one plan selection get Bijlage A and its statistics; a
    chapter on the participant file gets that file and what its ``compute`` made of it."""

    chapter: Chapter
    params: RunSpec
    data: Bijlage | None = None
    indicators: Indicators | None = None
    people: pd.DataFrame | None = None
    results: object | None = None


def specification(notebook: str, parameters: dict) -> RunSpec:
    """The run's specification: the one the build resolved (from the environment) when it started
    this kernel for this notebook, else ``parameters`` resolved by the registry."""
    given = os.environ.get(registry.SPEC_VARIABLE)
    if given:
        spec = RunSpec.from_json(given)
        if spec.notebook == notebook:
            return spec
    if "data_source" in parameters:  # a real extract given by its label (as a build writes it): its path
        parameters = {**parameters, "data_source": hashing.resolve_extract(parameters["data_source"])}
    return registry.resolve(notebook, parameters)


def start(notebook: str, compute: Callable | None = None, **parameters) -> Run:
    """Open a chapter notebook: its parameters resolved once (:func:`specification`; any name the
    registry does not declare is refused), the house style applied, the data loaded and the
    chapter's heading shown. A chapter on the participant file passes its ``compute`` (people,
    specification, run name -> results with ``n`` and ``audit``): every number it shows is
    computed, and disclosure-controlled, before the banner says how many participants it counts."""
    spec = specification(notebook, parameters)
    chapter = registry.chapter_of(spec, parameters)
    style.apply()
    entry = spec.entry
    if entry.data == "participants":
        if compute is None:
            raise ValueError(f"{notebook} is computed from the participant file: pass its compute to start()")
        people = participants.load(spec.data_source)
        results = compute(people, spec, run=chapter.name)  # every number shown, audited
        display(Markdown(sentences.participant_banner(chapter, spec, results.n)))
        display(Markdown(sentences.disclosure_sentence(results.audit)))
        return Run(chapter, spec, people=people, results=results)
    if len(spec.selections) == 1:  # a chapter for one selection of plans: Bijlage A of the selection
        data = bijlage.load(spec.selection)
        display(Markdown(sentences.banner(chapter, spec, data)))
        return Run(chapter, spec, data, Indicators(data))
    display(Markdown(sentences.heading(chapter)))
    return Run(chapter, spec)


def finish(run: Run, ledger: pd.DataFrame | None = None) -> None:
    """Close a chapter notebook: save its ledger to ``outputs/ledger/<run name>.csv`` (atomically;
    the index and the claims page read it) and show it in a sentence and a table. A chapter that
    reproduces no printed numbers (the registry says so) has no ledger to pass."""
    if ledger is None:
        if run.chapter.entry.claims:
            raise ValueError(f"{run.chapter.notebook} reproduces printed numbers: pass its ledger to finish()")
        return
    path = ledger_path(run.chapter.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    saved = ledger
    if run.params.entry.data == "participants":  # the cell size the run's numbers passed, and why, with them
        saved = ledger.assign(min_cell_size=run.params.min_cell_size, min_cell_override=run.params.min_cell_override)
    tmp.write_text(saved.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    tmp.replace(path)
    display(Markdown(sentences.ledger_sentence(ledger)))
    display(tables.ledger(ledger), metadata=outputs.ledger_metadata())  # the site shows its summary here


def ledger_path(name: str) -> Path:
    """Where the ledger of a run is saved."""
    return paths.ledger(name)
