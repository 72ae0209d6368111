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
DEFAULTS = {
    "exclude_plans": [],
    "top_n": 20,
    "measurement_date": "2019",
    "min_cell_size": 10,
    "data_source": "synthetic",
}
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
    Chapter("arbeidsmarktpositie", 4, "De arbeidsmarktpositie van de deelnemers – tranche 1 en 2", {"tranche": "1-2"}),
    Chapter("inhoud", 5, "De inhoud van de maatregelen – tranche 3", {"tranche": "3"}),
    Chapter("uitvoering", 6, "De uitvoering van de maatregelen – tranche 3", {"tranche": "3"}),
    Chapter("arbeidsmarktpositie", 7, "De arbeidsmarktpositie van de deelnemers – tranche 3", {"tranche": "3"}),
    Chapter("samenwerking", 8, "Het effect van de sectorplannen op de inspanningen van samenwerkingspartners"),
    Chapter("vormgeving", 9, "De vormgeving van de Regeling cofinanciering sectorplannen"),
    Chapter("kerncijfers", 10, "Kerncijfers: tranche 1 en 2 en tranche 3 naast elkaar (Tabel S.1 en 10.1)"),
    Chapter("monitoring", 11, "Ambities en realisatie door de tijd: de voortgangsbrieven van 2014 en 2017"),
    Chapter("dwsra", 12, "De vervolgregeling DWSRA: aanvragen en projecten (tussenevaluatie 2018)"),
    Chapter("steunpakket_2020", 13, "Het steunpakket van 2020: leren en ontwikkelen en de sectorale maatwerktrajecten"),
]


def chapter_for(notebook: str, parameters: dict) -> Chapter:
    """The report chapter a notebook run with these parameters reproduces (or a variant of it)."""
    tranche = str(parameters.get("tranche", "1-2"))
    if notebook == "arbeidsmarktpositie":
        from sectorplannen.params import validate_participant

        checked = validate_participant(**parameters)
        parameters = {**parameters, "tranche": checked.tranche}
        if "exclude_plans" in parameters:
            parameters["exclude_plans"] = list(checked.exclude_plans)
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
    if "data_source" in shown:  # the name carries no path of a confidential file, only a short hash of it
        shown["data_source"] = "extract-" + hashlib.sha256(str(shown["data_source"]).encode()).hexdigest()[:8]
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
        except ValueError as exc:  # e.g. an impossible date such as 2019-02-30
            raise ValueError(f"PARAMS: value of {key.strip()!r} is not valid: {exc}") from None
    return out


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


_OBJECT_REPR = re.compile(r"^<[\w.]+ at 0x[0-9a-f]+>$")


def _strip_volatile(nb) -> None:
    """Remove what differs between two runs of the same inputs: timestamps and durations,
    papermill's random id for its injected cell, memory addresses in object reprs."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data and _OBJECT_REPR.match(str(data.get("text/plain", ""))):
                del data["text/plain"]


def data_kind(chapter: Chapter) -> str:
    """What the chapter is computed from: 'published', 'synthetic' or 'extract'."""
    if chapter.notebook != "arbeidsmarktpositie":
        return "published"
    return "synthetic" if str(chapter.parameters.get("data_source", "synthetic")) == "synthetic" else "extract"


def preflight(chapters: list[Chapter]) -> None:
    """Everything that can be checked before any chapter runs: notebooks, parameters, kernel,
    output folder, data files. Raises ValueError naming what is wrong; nothing is written."""
    from sectorplannen.params import validate

    for chapter in chapters:
        source = NOTEBOOKS / f"{chapter.notebook}.ipynb"
        if not source.exists():
            known = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
            raise ValueError(f"unknown notebook {chapter.notebook!r}; known: {', '.join(known)}")
        if chapter.notebook in PLAN_LEVEL:
            validate(**chapter.parameters)
        if chapter.notebook == "arbeidsmarktpositie":
            from sectorplannen.params import validate_participant

            checked = validate_participant(**chapter.parameters)
            if not checked.synthetic:
                from sectorplannen import participants

                participants.check_location(Path(checked.data_source))
    check_kernel()
    check_writable(paths.OUTPUTS)
    check_data()


def check_kernel(name: str = KERNEL) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ValueError(f"Jupyter kernel {name!r} is not installed: run `make setup`") from None


def check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise ValueError(f"output folder {folder} is not writable: {exc.strerror or exc}") from None


def check_data() -> None:
    """Every published file is there and unchanged (hashes in datapackage.json); a damaged table
    is named with its row and column. The claims files are validated."""
    from sectorplannen import claims, published

    published.check_files()
    for path in sorted(claims.CLAIMS.glob("*.csv")):
        claims.load(path.stem)


class IPCKernelManager:
    """Factory for a kernel manager that talks over IPC sockets in a private folder: no TCP ports,
    so parallel chapters cannot race for the same port (papermill's known issue)."""

    @staticmethod
    def cls():
        import tempfile

        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        class _Manager(AsyncKernelManager):
            @default("transport")
            def _default_transport(self):
                return "ipc"

            @default("ip")
            def _default_ip(self):
                return str(Path(tempfile.mkdtemp(prefix="sectorplannen-kernel-")) / "kernel")

        return _Manager


def execute(chapter: Chapter, out_dir: Path | None = None) -> Path:
    """Execute one chapter notebook with papermill; returns the executed notebook path.

    The notebook is executed into a temporary file and renamed into place when it is complete;
    a failing run leaves ``<name>.failed.ipynb`` and raises :class:`ChapterFailed`.
    """
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
            kernel_manager_class=IPCKernelManager.cls(),
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
    from sectorplannen import provenance

    nb = nbformat.read(tmp, as_version=4)
    _strip_volatile(nb)
    fingerprint = provenance.fingerprint(source, chapter.parameters, data_kind(chapter))
    nb.metadata["sectorplannen"] = provenance.record(chapter.parameters, data_kind(chapter), fingerprint)
    nbformat.write(nb, tmp)
    tmp.replace(target)
    return target


def render(notebook_path: Path, html_path: Path, show_code: bool = False) -> Path:
    """Render an executed notebook to HTML (code hidden unless ``show_code``), with the
    provenance footer; written atomically."""
    import nbformat
    from nbconvert import HTMLExporter

    from sectorplannen import provenance

    nb = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(
        exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True
    )
    body, _ = exporter.from_notebook_node(nb)
    prov = nb.metadata.get("sectorplannen")
    if prov:
        body = body.replace("</body>", provenance.footer_html(prov) + "\n</body>", 1)
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
        kind = f"Hoofdstuk {chapter.number}" if chapter.number <= 10 else "Context"
        rows.append(
            f'<tr><td>{kind}</td><td><a href="{chapter.name}.html">{html.escape(chapter.title)}</a></td>'
            f"<td>{summary}</td></tr>"
        )
    page = (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        "<title>Evaluatie sectorplannen: reproductie</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:4px 10px;"
        "text-align:left}tr:nth-child(even){background:#f4f6f8}</style></head><body>"
        "<h1>Eindevaluatie Regeling cofinanciering sectorplannen: reproductie</h1>"
        "<p>Elk hoofdstuk is opnieuw berekend uit de gepubliceerde tabellen. Het grootboek per hoofdstuk "
        "zegt per gepubliceerd getal of het is gereproduceerd, afwijkt (met toelichting) of niet te "
        "berekenen is uit de beschikbare gegevens; getallen die zelf de gegevens zijn (uit de tekst "
        "overgenomen) heten overgenomen. De contexthoofdstukken gebruiken de voortgangsbrieven, de "
        "tussenevaluatie van DWSRA en de brief over het steunpakket van 2020.</p>"
        "<table><tr><th>Hoofdstuk</th><th>Titel</th><th>Grootboek</th></tr>" + "".join(rows) + "</table>"
        "</body></html>\n"
    )
    path = report_dir / "index.html"
    _atomic_write_text(path, page)
    return path


def _manifest(chapter: Chapter) -> Path:
    return paths.OUTPUTS / ".build" / f"{chapter.name}.json"


def is_current(chapter: Chapter, show_code: bool = False) -> bool:
    """True when the chapter's HTML was built from exactly the current inputs (content hashes)."""
    from sectorplannen import provenance

    html_path = paths.OUTPUTS / "report" / f"{chapter.name}.html"
    manifest = _manifest(chapter)
    if not (html_path.exists() and manifest.exists()):
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return False
    source = NOTEBOOKS / f"{chapter.notebook}.ipynb"
    current = provenance.fingerprint(source, chapter.parameters, data_kind(chapter))
    return recorded.get("fingerprint") == current and recorded.get("show_code") == show_code


def _run_one(chapter: Chapter, show_code: bool) -> tuple[str, float, str | None]:
    """Worker: execute and render one chapter. Returns (name, seconds, error or None)."""
    start = time.perf_counter()
    try:
        executed = execute(chapter)
        render(executed, paths.OUTPUTS / "report" / f"{chapter.name}.html", show_code)
    except ChapterFailed as exc:
        return chapter.name, time.perf_counter() - start, str(exc)
    import nbformat

    prov = nbformat.read(executed, as_version=4).metadata["sectorplannen"]
    _atomic_write_text(
        _manifest(chapter), json.dumps({"fingerprint": prov["fingerprint"], "show_code": show_code}, sort_keys=True)
    )
    return chapter.name, time.perf_counter() - start, None


def _expected_seconds(chapter: Chapter) -> float:
    """How long the chapter took last time (longest first balances the workers)."""
    try:
        return float(json.loads(_manifest(chapter).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return 10.0 if chapter.notebook == "uitvoering" else 5.0


def _log_result(chapter: Chapter, result: tuple[str, float, str | None], log) -> None:
    name, seconds, error = result
    if error:
        log(f"[FOUT] hoofdstuk {chapter.number} {name} ({seconds:.1f} s)\n{error}")
    else:
        log(f"[klaar] hoofdstuk {chapter.number} {name} ({seconds:.1f} s)")


def build(
    chapters: list[Chapter] | None = None, show_code: bool = False, jobs: int = 2, force: bool = False, log=print
) -> list[Path]:
    """Execute and render chapters (default: the whole report) with ``jobs`` workers, skipping
    chapters whose inputs did not change; returns the HTML paths. Prints a progress line per
    chapter (started, finished, seconds)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    chapters = list(chapters or CHAPTERS)
    report_dir = paths.OUTPUTS / "report"
    todo = sorted((c for c in chapters if force or not is_current(c, show_code)), key=_expected_seconds, reverse=True)
    for chapter in chapters:
        if chapter not in todo:
            log(f"[actueel] hoofdstuk {chapter.number} {chapter.name}")
    failures = []
    if todo:
        preflight(todo)
        if jobs > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
                futures = {}
                for chapter in todo:
                    log(f"[start] hoofdstuk {chapter.number} {chapter.name}")
                    futures[pool.submit(_run_one, chapter, show_code)] = chapter
                done = {}
                for future in as_completed(futures):
                    done[futures[future].name] = result = future.result()
                    _log_result(futures[future], result, log)
                results = [done[c.name] for c in todo]
        else:
            results = []
            for chapter in todo:
                log(f"[start] hoofdstuk {chapter.number} {chapter.name}")
                results.append(_run_one(chapter, show_code))
                _log_result(chapter, results[-1], log)
        failures = [error for _, _, error in results if error]
    by_name = {c.name: c for c in [*CHAPTERS, *chapters]}
    existing = [c for c in by_name.values() if (report_dir / f"{c.name}.html").exists()]
    write_index(existing, report_dir)
    if failures:
        raise ChapterFailed("\n".join(failures))
    return [report_dir / f"{c.name}.html" for c in chapters]


def save_ledger(ledger, chapter: Chapter) -> Path:
    """Write a chapter's ledger to ``outputs/ledger/<run name>.csv`` (atomically)."""
    path = ledger_path(chapter.name)
    _atomic_write_text(path, ledger.to_csv(index=False, lineterminator="\n"))
    return path
