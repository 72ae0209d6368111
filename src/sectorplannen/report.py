"""Run the chapter notebooks with papermill and render them to HTML with nbconvert.

``make report`` runs every chapter for every tranche it applies to into ``outputs/notebooks/``
and renders ``outputs/report/`` (code hidden; ``--show-code`` shows it) with an ``index.html``
in report order. ``make chapter`` reruns one chapter with other parameters; the output names
carry the parameters, so runs with different parameters do not overwrite each other. Files are
written to a temporary name and renamed into place, so a failing run never leaves a half-written
chapter and the previous good one stays until a new one is complete.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sectorplannen import paths

KERNEL = "sectorplannen"
# Parameter values that leave a run name unchanged (the notebooks' defaults, except the tranche,
# which every name carries).
DEFAULTS = {"exclude_plans": [], "top_n": 20}
PLAN_LEVEL = ("inhoud", "uitvoering")  # notebooks with ChapterParams
NOTEBOOKS = paths.ROOT / "notebooks"


class ChapterFailed(RuntimeError):
    """A chapter notebook that failed: names chapter, parameters, cell and error."""


@dataclass(frozen=True)
class Chapter:
    """One chapter of the report: a notebook run for one tranche."""

    notebook: str
    number: int
    title: str
    parameters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return run_name(self.notebook, self.parameters)


CHAPTERS = [
    Chapter("inhoud", 2, "De inhoud van de maatregelen – tranche 1 en 2", {"tranche": "1-2"}),
    Chapter("uitvoering", 3, "De uitvoering van de maatregelen – tranche 1 en 2", {"tranche": "1-2"}),
    Chapter("inhoud", 5, "De inhoud van de maatregelen – tranche 3", {"tranche": "3"}),
    Chapter("uitvoering", 6, "De uitvoering van de maatregelen – tranche 3", {"tranche": "3"}),
]


def chapter_for(notebook: str, parameters: dict) -> Chapter:
    """The report chapter a notebook run with these parameters reproduces (or a variant of it)."""
    tranche = str(parameters.get("tranche", "1-2"))
    if notebook in PLAN_LEVEL:  # name the run after the validated parameters (plan ids, not names)
        from sectorplannen.params import validate

        checked = validate(**parameters)
        parameters = {**parameters, "tranche": checked.tranche}
        if "exclude_plans" in parameters:
            parameters["exclude_plans"] = list(checked.exclude_plans)
    base = [c for c in CHAPTERS if c.notebook == notebook]
    if not base:
        known = sorted({c.notebook for c in CHAPTERS})
        raise ValueError(f"unknown notebook {notebook!r}; known: {', '.join(known)}")
    match = next((c for c in base if c.parameters.get("tranche") == ("3" if tranche == "3" else "1-2")), base[0])
    title = match.title if tranche in ("1-2", "3") else match.title.replace("tranche 1 en 2", f"tranche {tranche}")
    return Chapter(notebook, match.number, title, parameters)


def _normal(value):
    return list(value) if isinstance(value, tuple) else value


def _slug(value) -> str:
    if isinstance(value, list | tuple):
        return "+".join(_slug(v) for v in value) or "geen"
    return re.sub(r"[^A-Za-z0-9.+-]+", "-", str(value)).strip("-").lower()


def run_name(notebook: str, parameters: dict) -> str:
    """Output name that says which parameters made it: ``uitvoering_tranche-3_exclude_plans-transport``.

    Long names are shortened with a hash of the full parameter set, so two runs never share a name.
    """
    shown = {k: v for k, v in parameters.items() if k not in DEFAULTS or _normal(v) != _normal(DEFAULTS[k])}
    parts = [notebook] + [f"{key}-{_slug(shown[key])}" for key in sorted(shown)]
    name = "_".join(parts)
    if len(name) > 120:
        digest = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:10]
        name = f"{name[:100]}_{digest}"
    return name


def parse_params(text: str | None) -> dict:
    """Parameters as given on the command line: ``key=value`` pairs (values in YAML, separated by
    ';' or spaces), or a YAML mapping. ``exclude_plans=["Transport"] top_n=10``."""
    if not text or not text.strip():
        return {}
    text = text.strip()
    if not re.match(r"^\w+\s*=", text):
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"PARAMS is not key=value pairs nor a YAML mapping: {exc}") from None
        if not isinstance(value, dict):
            raise ValueError(f"PARAMS must be key=value pairs or a YAML mapping, not {text!r}")
        return value
    out = {}
    for pair in re.split(r"[;\s]+(?=\w+\s*=)", text):
        key, _, raw = pair.partition("=")
        try:
            out[key.strip()] = yaml.safe_load(raw.strip().rstrip(";"))
        except yaml.YAMLError as exc:
            raise ValueError(f"PARAMS: value of {key.strip()!r} is not valid YAML: {exc}") from None
    return out


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _strip_volatile(nb) -> None:
    """Remove timestamps and durations so that the same inputs give the same notebook."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def execute(chapter: Chapter, out_dir: Path | None = None) -> Path:
    """Execute one chapter notebook with papermill; returns the executed notebook path."""
    import nbformat
    import papermill

    from sectorplannen.params import validate

    if chapter.notebook in PLAN_LEVEL:
        validate(**chapter.parameters)  # fail before any work on bad parameters
    source = NOTEBOOKS / f"{chapter.notebook}.ipynb"
    if not source.exists():
        raise ValueError(f"unknown notebook {chapter.notebook!r}: {source} does not exist")
    out_dir = Path(out_dir or paths.OUTPUTS / "notebooks")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{chapter.name}.ipynb"
    tmp = out_dir / f".{chapter.name}.{os.getpid()}.running.ipynb"
    try:
        papermill.execute_notebook(
            str(source),
            str(tmp),
            parameters=dict(chapter.parameters),
            kernel_name=KERNEL,
            cwd=str(NOTEBOOKS),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
        )
    except papermill.PapermillExecutionError as exc:
        failed = out_dir / f"{chapter.name}.failed.ipynb"
        if tmp.exists():
            tmp.replace(failed)
        raise ChapterFailed(
            f"chapter {chapter.number} ({chapter.notebook}, parameters {chapter.parameters}) failed in cell "
            f"{exc.exec_count if exc.exec_count is not None else exc.cell_index}: {exc.ename}: {exc.evalue}\n"
            f"  executed notebook: {failed}"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    nb = nbformat.read(tmp, as_version=4)
    _strip_volatile(nb)
    nbformat.write(nb, tmp)
    tmp.replace(target)
    return target


def render(notebook_path: Path, html_path: Path, show_code: bool = False) -> Path:
    """Render an executed notebook to HTML (code hidden unless ``show_code``)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(
        exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True
    )
    body, _ = exporter.from_notebook_node(nb)
    _atomic_write_text(html_path, body)
    return html_path


def ledger_path(name: str) -> Path:
    return paths.OUTPUTS / "ledger" / f"{name}.csv"


def write_index(chapters: list[Chapter], report_dir: Path) -> Path:
    """``index.html``: the chapters in report order, each with its ledger summary."""
    import pandas as pd

    rows = []
    for chapter in sorted(chapters, key=lambda c: (c.number, c.name)):
        summary = ""
        ledger = ledger_path(chapter.name)
        if ledger.exists():
            counts = pd.read_csv(ledger)["status"].value_counts()
            summary = ", ".join(f"{int(n)} {html.escape(str(s))}" for s, n in counts.items())
        rows.append(
            f'<tr><td>Hoofdstuk {chapter.number}</td><td><a href="{chapter.name}.html">'
            f"{html.escape(chapter.title)}</a></td><td>{summary}</td></tr>"
        )
    page = (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        "<title>Evaluatie sectorplannen: reproductie</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:4px 10px;"
        "text-align:left}tr:nth-child(even){background:#f4f6f8}</style></head><body>"
        "<h1>Eindevaluatie Regeling cofinanciering sectorplannen: reproductie</h1>"
        "<p>Elk hoofdstuk is opnieuw berekend uit de gepubliceerde tabellen. Het grootboek per hoofdstuk "
        "zegt per gepubliceerd getal of het is gereproduceerd, afwijkt (met toelichting) of niet te "
        "berekenen is uit de beschikbare gegevens.</p>"
        "<table><tr><th>Hoofdstuk</th><th>Titel</th><th>Grootboek</th></tr>" + "".join(rows) + "</table>"
        "</body></html>\n"
    )
    path = report_dir / "index.html"
    _atomic_write_text(path, page)
    return path


def build(chapters: list[Chapter] | None = None, show_code: bool = False, log=print) -> list[Path]:
    """Execute and render chapters (default: the whole report); returns the HTML paths."""
    chapters = chapters or CHAPTERS
    report_dir = paths.OUTPUTS / "report"
    out = []
    failures = []
    for chapter in chapters:
        start = time.perf_counter()
        log(f"[start] hoofdstuk {chapter.number} {chapter.name}")
        try:
            executed = execute(chapter)
        except ChapterFailed as exc:
            failures.append(str(exc))
            log(f"[FAILED] {exc}")
            continue
        out.append(render(executed, report_dir / f"{chapter.name}.html", show_code))
        log(f"[done] hoofdstuk {chapter.number} {chapter.name} ({time.perf_counter() - start:.1f} s)")
    by_name = {c.name: c for c in [*CHAPTERS, *chapters]}
    existing = [c for c in by_name.values() if (report_dir / f"{c.name}.html").exists()]
    write_index(existing, report_dir)
    if failures:
        raise ChapterFailed("\n".join(failures))
    return out


def save_ledger(ledger, chapter: Chapter) -> Path:
    """Write a chapter's ledger to ``outputs/ledger/<run name>.csv`` (atomically)."""
    path = ledger_path(chapter.name)
    _atomic_write_text(path, ledger.to_csv(index=False, lineterminator="\n"))
    return path
