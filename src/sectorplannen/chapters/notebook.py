"""How a chapter notebook opens and closes: one call each.

:func:`start` checks the parameters as a build checks them (a notebook run by hand refuses what
``make chapter`` refuses), applies the house style, loads the chapter's data and shows its
heading. :func:`finish` saves the ledger where the build and the report index read it and shows
it. Notebooks need nothing from the pipeline layer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from sectorplannen import hashing, participants, paths
from sectorplannen.chapters import arbeidsmarktpositie, registry
from sectorplannen.chapters.registry import Chapter
from sectorplannen.participants.selection import ParticipantParams, validate_participant
from sectorplannen.render import outputs, sentences, style, tables
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.bijlage import Bijlage
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import ChapterParams, validate


@dataclass
class Run:
    """What a chapter notebook works with: its chapter, parameters and data.

    Plan-level chapters (inhoud, uitvoering) get Bijlage A and its statistics; the participant
    chapter its participant file and every number computed from it, disclosure-controlled; the
    other chapters only their checked parameters."""

    chapter: Chapter
    params: ChapterParams | ParticipantParams | dict
    data: Bijlage | None = None
    indicators: Indicators | None = None
    people: pd.DataFrame | None = None
    results: arbeidsmarktpositie.Results | None = None


def start(notebook: str, **parameters) -> Run:
    """Open a chapter notebook: check ``parameters`` (any name the registry does not declare is
    refused), apply the house style, load the data and show the chapter's heading. A real extract
    given by its label (as a build passes it) is the path the build put in the kernel's environment."""
    if "data_source" in parameters:
        parameters = {**parameters, "data_source": hashing.resolve_extract(parameters["data_source"])}
    chapter = registry.chapter_for(notebook, parameters)
    checked = registry.check(notebook, parameters)
    style.apply()
    entry = registry.entry(notebook)
    if entry.data == "participants":
        params = validate_participant(**checked)
        people = participants.load(params.data_source)
        results = arbeidsmarktpositie.compute(people, params, run=chapter.name)  # every number shown, audited
        display(Markdown(sentences.participant_banner(chapter, params, results.n)))
        display(Markdown(sentences.disclosure_sentence(results.audit)))
        return Run(chapter, params, people=people, results=results)
    if "" not in entry.numbers:  # a chapter per tranche group: Bijlage A of the selection
        params = validate(tranche=checked["tranche"], exclude_plans=checked["exclude_plans"], top_n=checked["top_n"])
        data = bijlage.load(params)
        display(Markdown(sentences.banner(chapter, params, data)))
        return Run(chapter, params, data, Indicators(data))
    display(Markdown(sentences.heading(chapter)))
    return Run(chapter, checked)


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
    if isinstance(run.params, ParticipantParams):  # the cell size the run's numbers passed, and why, with them
        saved = ledger.assign(min_cell_size=run.params.min_cell_size, min_cell_override=run.params.min_cell_override)
    tmp.write_text(saved.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    tmp.replace(path)
    display(Markdown(sentences.ledger_sentence(ledger)))
    display(tables.ledger(ledger), metadata=outputs.ledger_metadata())  # the site shows its summary here


def ledger_path(name: str) -> Path:
    """Where the ledger of a run is saved."""
    return paths.ledger(name)
