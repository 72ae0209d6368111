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

from sectorplannen import paths, provenance

KERNEL = "sectorplannen"
# Parameter values that leave a run name unchanged (the notebooks' defaults, except the tranche,
# which every name carries).
DEFAULTS = {
    "exclude_plans": [],
    "top_n": 20,
    "measurement_date": "2019",
    "min_cell_size": 10,
    "min_cell_override": "",
    "data_source": "synthetic",
    "show_sources": True,
}
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
    """The report chapter a notebook run with these parameters reproduces (or a variant of it).
    The parameters are checked as the notebook's parameters cell defines them (unknown names are
    refused) and the run is named after their normalised values (plan ids, not names)."""
    from sectorplannen.params import check

    if any(c.notebook == notebook for c in CHAPTERS):
        checked = check(notebook, parameters, NOTEBOOKS)
        keys = list(parameters)
        if any("tranche" in c.parameters for c in CHAPTERS if c.notebook == notebook):
            keys = ["tranche", *(k for k in keys if k != "tranche")]  # the report's chapters name their tranche
        parameters = {key: checked[key] for key in keys}
    tranche = str(parameters.get("tranche", "1-2"))
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
        shown["data_source"] = provenance.extract_label(shown["data_source"])
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
    from sectorplannen.params import check

    for chapter in chapters:
        source = NOTEBOOKS / f"{chapter.notebook}.ipynb"
        if not source.exists():
            known = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
            raise ValueError(f"unknown notebook {chapter.notebook!r}; known: {', '.join(known)}")
        checked = check(chapter.notebook, chapter.parameters, NOTEBOOKS)
        if data_kind(chapter) == "extract":  # read and check the whole extract before any kernel starts
            from sectorplannen import participants

            participants.check_extract(
                checked["data_source"],
                checked["tranche"],
                checked["measurement_date"],
                exclude_plans=checked["exclude_plans"],
            )
    check_kernel()
    check_writable(paths.OUTPUTS)
    check_data()
    check_raw()
    check_pairs(chapters)
    prepare_synthetic(chapters)


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


class NotebookPairError(ValueError):
    """A chapter notebook whose paired ``.py`` has other cells."""


class StaleSyntheticData(ValueError):
    """The synthetic participant file is older than what it is made from."""


def _shown(path: Path) -> str:
    """A path as a message names it: relative to the repository where it is inside."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def check_raw() -> None:
    """data/raw/ is what ``make data`` built data/published/ from; a table edited since is named."""
    from sectorplannen import build as make

    make.check_raw()


def check_pairs(chapters: list[Chapter]) -> None:
    """Each chapter's notebook and its paired ``.py`` have the same cells (as tests/test_notebooks.py
    compares them): an edit made in only one of them would otherwise run or be reviewed unseen.
    A notebook without a ``.py`` has nothing out of step with it (tests/test_notebooks.py requires
    the pair in the repository)."""
    import jupytext
    import nbformat

    for notebook in sorted({c.notebook for c in chapters}):
        source = NOTEBOOKS / f"{notebook}.ipynb"
        script = source.with_suffix(".py")
        if not script.exists():
            continue
        paired = [c.source for c in jupytext.read(script).cells]
        if paired != [c.source for c in nbformat.read(source, as_version=4).cells]:
            raise NotebookPairError(
                f"{_shown(script)} and {_shown(source)} differ: "
                f"run `.venv/bin/jupytext --sync {_shown(source)}` (or `make sync`)"
            )


def prepare_synthetic(chapters: list[Chapter]) -> None:
    """Make the synthetic participant file before any kernel starts when a chapter needs it and it
    is missing (so parallel kernels never race to write it); refuse when it is older than its
    prior, claims, published tables or generator code (``make data`` regenerates it and reports
    the claims the calibration could not meet, which a build would hide)."""
    if not any(data_kind(c) == "synthetic" for c in chapters):
        return
    from sectorplannen import participants, provenance

    path = participants.SYNTHETIC
    if not path.exists():
        from sectorplannen import synthetic

        start = time.perf_counter()
        synthetic.write(path)
        _say(f"[data] {_shown(path)} aangemaakt (synthetisch, {time.perf_counter() - start:.1f} s)")
        return
    changed = provenance.changed_sources(path)
    if changed is None:
        record = provenance.sources_record(path).name
        raise StaleSyntheticData(f"{_shown(path)} has no record of what it was made from ({record}): run `make data`")
    if changed:
        raise StaleSyntheticData(f"{_shown(path)} is older than {changed[0]}: run `make data`")


KERNEL_FOLDER = "sectorplannen-kernel-"  # + the pid of the process that started the kernel
# The temporary directory may be this long: with "/sectorplannen-kernel-<pid>-<8>/kernel-<n>" (up to 51 more)
# a kernel socket path stays under the limit of 107 bytes.
IPC_TEMP_MAX = 55


def kernel_folders(pid: int | None = None) -> list[Path]:
    """The private kernel folders in the temporary directory (of one process when ``pid`` is given)."""
    import tempfile

    pattern = f"{KERNEL_FOLDER}{pid}-*" if pid is not None else f"{KERNEL_FOLDER}*"
    return sorted(Path(tempfile.gettempdir()).glob(pattern))


def remove_kernel_folders(pid: int) -> None:
    """Remove the kernel folders a process made (sockets, connection file, kernel pid)."""
    import shutil

    for folder in kernel_folders(pid):
        shutil.rmtree(folder, ignore_errors=True)


class IPCKernelManager:
    """Factory for a kernel manager that talks over IPC sockets in a private folder: no TCP ports,
    so parallel chapters cannot race for the same port (papermill's known issue).

    The folder (``sectorplannen-kernel-<pid>-*`` in the temporary directory) also holds the
    connection file and the kernel's pid, so a build that kills a worker can kill its kernel too,
    and it is removed when the kernel is cleaned up."""

    @staticmethod
    def cls():
        import shutil
        import tempfile

        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        class _Manager(AsyncKernelManager):
            _folder: Path | None = None

            def private_folder(self) -> Path:
                if self._folder is None:
                    temp = tempfile.gettempdir()
                    if len(temp) > IPC_TEMP_MAX:  # a socket path may not be longer than about 107 bytes
                        raise ValueError(
                            f"the temporary directory {temp} is too long a path for the kernel's sockets "
                            f"(at most {IPC_TEMP_MAX} characters): set TMPDIR to a shorter folder"
                        )
                    self._folder = Path(tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER}{os.getpid()}-"))
                return self._folder

            @default("transport")
            def _default_transport(self):
                return "ipc"

            @default("ip")
            def _default_ip(self):
                return str(self.private_folder() / "kernel")

            @default("connection_file")
            def _default_connection_file(self):
                return str(self.private_folder() / "kernel.json")

            async def _async_launch_kernel(self, kernel_cmd, **kw):
                await super()._async_launch_kernel(kernel_cmd, **kw)
                (self.private_folder() / "kernel.pid").write_text(str(self.provisioner.pid), encoding="utf-8")

            async def _async_interrupt_kernel(self) -> None:
                # jupyter_client interrupts the kernel before every shutdown, and the idle kernel
                # then logs "KeyboardInterrupt caught in kernel" to stderr; papermill shuts down only
                # after the last cell, so there is nothing to interrupt.
                if not self.shutting_down:
                    await super()._async_interrupt_kernel()

            async def _async_cleanup_resources(self, restart: bool = False) -> None:
                await super()._async_cleanup_resources(restart=restart)
                if not restart and self._folder is not None:
                    shutil.rmtree(self._folder, ignore_errors=True)
                    self._folder = None

        return _Manager


def execute(chapter: Chapter, out_dir: Path | None = None) -> Path:
    """Execute one chapter notebook with papermill; returns the executed notebook path.

    The notebook is executed into a temporary file and renamed into place when it is complete;
    a failing run leaves ``<name>.failed.ipynb`` and raises :class:`ChapterFailed`.
    """
    import nbformat
    import papermill

    from sectorplannen.params import check

    source = NOTEBOOKS / f"{chapter.notebook}.ipynb"
    if not source.exists():
        raise ValueError(f"unknown notebook {chapter.notebook!r}: {source} does not exist")
    check(chapter.notebook, chapter.parameters, NOTEBOOKS)  # fail before any work on bad parameters
    out_dir = Path(out_dir or paths.OUTPUTS / "notebooks")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{chapter.name}.ipynb"
    tmp = out_dir / f".{chapter.name}.{os.getpid()}.running.ipynb"
    # The inputs as they are when the run starts: an input changed during the run makes it stale.
    kind = data_kind(chapter)
    fingerprint = provenance.fingerprint(source, chapter.parameters, kind)
    participant_inputs = provenance.participant_hashes(chapter.parameters, kind)
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
            tmp.write_text(_scrub_extract(tmp.read_text(encoding="utf-8"), chapter), encoding="utf-8")
            tmp.replace(failed)
        raise ChapterFailed(
            _scrub_extract(
                f"chapter {chapter.number} ({chapter.notebook}, parameters {chapter.parameters}) failed in cell "
                f"{exc.exec_count if exc.exec_count is not None else exc.cell_index}: {exc.ename}: {exc.evalue}\n"
                f"  executed notebook: {failed}",
                chapter,
            )
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    nb = nbformat.read(tmp, as_version=4)
    _strip_volatile(nb)
    shown = provenance.public_parameters(chapter.parameters, kind)
    nb.metadata["sectorplannen"] = provenance.record(shown, kind, fingerprint, participant_inputs)
    text = _scrub_extract(nbformat.writes(nb), chapter)
    tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def _scrub_extract(text: str, chapter: Chapter) -> str:
    """``text`` with every spelling of a real extract's path (as given and resolved; plain, as a
    Python or JSON string, JSON inside JSON) replaced by its label, as in the run name: the path
    of a confidential file appears nowhere in outputs (papermill's injected cell shows it)."""
    if data_kind(chapter) != "extract":
        return text
    given = str(chapter.parameters["data_source"])
    label = provenance.extract_label(given)
    spellings = set()
    for path in {given, str(Path(given).expanduser().resolve())}:
        for once in (path, json.dumps(path)[1:-1], repr(path)[1:-1], path.replace('"', r"\"")):
            spellings |= {once, json.dumps(once)[1:-1]}
    for spelling in sorted(spellings, key=len, reverse=True):
        text = text.replace(spelling, label)
    return text


def render(notebook_path: Path, html_path: Path, show_code: bool = False) -> Path:
    """Render an executed notebook to HTML (code hidden unless ``show_code``), with the
    provenance footer; written atomically."""
    import nbformat

    from sectorplannen.site import exporter

    nb = nbformat.read(notebook_path, as_version=4)
    body = exporter.export(nb, show_code)  # offline template, lang="nl", the chapter's title
    prov = nb.metadata.get("sectorplannen")
    if prov:
        body = body.replace("</body>", provenance.footer_html(prov) + "\n</body>", 1)
    _atomic_write_text(html_path, body)
    return html_path


def ledger_path(name: str) -> Path:
    return paths.OUTPUTS / "ledger" / f"{name}.csv"


def write_index(chapters: list[Chapter], report_dir: Path) -> Path:
    """``index.html``: the chapters in report order, each with its variants under it (named by their
    parameters and data) and its ledger summary. Lists every run whose HTML exists: from the build
    manifests (so variants of earlier runs stay listed) and from ``chapters``."""
    entries = _index_entries(chapters, report_dir)
    rows = []
    for number in sorted({c.number for c in CHAPTERS} | {e.number for e in entries.values()}):
        base = next((c for c in CHAPTERS if c.number == number), None)
        variants = sorted(
            (e for e in entries.values() if e.number == number and (base is None or e.name != base.name)),
            key=lambda e: e.name,
        )
        head = entries.get(base.name) if base else None
        if head is None and not variants:
            continue
        rows.append(_head_row(number, base.title if base else variants[0].title, head))
        rows += [_variant_row(entry, base) for entry in variants]
    page = (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        "<title>Evaluatie sectorplannen: reproductie</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:4px 10px;"
        "text-align:left;vertical-align:top}tr:nth-child(even){background:#f4f6f8}"
        "tr.variant td:nth-child(2){padding-left:2em}"
        ".synthetisch{background:#fde68a;color:#7c2d12;border-radius:3px;padding:0 6px;margin-left:6px;"
        "font-size:0.8em;font-weight:bold}</style></head><body>"
        "<h1>Eindevaluatie Regeling cofinanciering sectorplannen: reproductie</h1>"
        "<p>Elk hoofdstuk is opnieuw berekend uit de gepubliceerde tabellen. Het grootboek per hoofdstuk "
        "zegt per gepubliceerd getal wat er mee gedaan is. Alleen <em>gereproduceerd</em> telt als bewijs: "
        "het getal is opnieuw berekend uit andere gegevens dan het gedrukte getal zelf (de tabellen per plan "
        "van Bijlage A, het plannenregister, een andere tabel of bron). <em>Nagerekend (zelfde tabel)</em> "
        "toetst alleen het rekenwerk van de tabel die het getal drukt; <em>overgenomen</em> getallen zijn "
        "zelf de gegevens; <em>gekalibreerd (synthetisch)</em> getallen komen uit het synthetische "
        "deelnemersbestand, dat erop is gekalibreerd, en zeggen niets over het rapport. Afwijkingen staan "
        "met hun toelichting in het grootboek. De contexthoofdstukken gebruiken de voortgangsbrieven, de "
        "tussenevaluatie van DWSRA en de brief over het steunpakket van 2020.</p>"
        '<p>Hoofdstukken met het label <span class="synthetisch">synthetisch</span> zijn berekend uit '
        "synthetische deelnemersgegevens (geen echte personen). Varianten, berekend met andere parameters "
        "of andere gegevens, staan onder hun hoofdstuk.</p>"
        "<table><tr><th>Hoofdstuk</th><th>Titel</th><th>Gegevens</th><th>Grootboek</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
    path = report_dir / "index.html"
    _atomic_write_text(path, page)
    return path


@dataclass(frozen=True)
class _IndexEntry:
    """What the index shows of one built run (never the path of a participant extract)."""

    name: str
    notebook: str
    number: int
    title: str
    parameters: dict
    data_kind: str


def _index_fields(chapter: Chapter) -> dict:
    """What the manifest records for the index."""
    return {
        "name": chapter.name,
        "notebook": chapter.notebook,
        "number": chapter.number,
        "title": chapter.title,
        "parameters": provenance.public_parameters(chapter.parameters, data_kind(chapter)),
        "data_kind": data_kind(chapter),
    }


def _index_entries(chapters: list[Chapter], report_dir: Path) -> dict[str, _IndexEntry]:
    """Every run with HTML in ``report_dir``: from its manifest, else from ``chapters``."""
    entries = {}
    for manifest in sorted((paths.OUTPUTS / ".build").glob("*.json")):
        if not (report_dir / f"{manifest.stem}.html").exists():
            continue
        try:
            record = json.loads(manifest.read_text(encoding="utf-8"))
            entries[manifest.stem] = _IndexEntry(
                manifest.stem, *(record[key] for key in ("notebook", "number", "title", "parameters", "data_kind"))
            )
        except (OSError, ValueError, KeyError):  # a manifest from before the index fields: use `chapters`
            continue
    for chapter in chapters:
        if chapter.name not in entries and (report_dir / f"{chapter.name}.html").exists():
            fields = _index_fields(chapter)
            entries[chapter.name] = _IndexEntry(**fields)
    return entries


DATA_KIND_WORDS = {
    "published": "gepubliceerde tabellen",
    "synthetic": "synthetische deelnemersgegevens",
    "extract": "echt deelnemersbestand",
}


def _data_words(entry: _IndexEntry) -> str:
    """'synthetische deelnemersgegevens', 'echt deelnemersbestand (extract-1a2b3c4d)'."""
    words = DATA_KIND_WORDS.get(entry.data_kind, entry.data_kind)
    if entry.data_kind == "extract":
        words += f" ({entry.parameters.get('data_source', 'extract')})"
    return words


def _parameter_words(key: str, value) -> str:
    """One parameter as a Dutch reader reads it: 'zonder Transport (t3)', 'peildatum 2018'."""
    if key == "exclude_plans":
        from sectorplannen.plans import register

        names = []
        for plan_id in value if isinstance(value, list | tuple) else [value]:
            try:
                names.append(register().get(plan_id).name)
            except KeyError:
                names.append(str(plan_id))
        return "zonder " + ", ".join(names)
    words = {
        "tranche": f"tranche {value}",
        "measurement_date": f"peildatum {value}",
        "min_cell_size": f"minimale celgrootte {value}",
        "top_n": f"top {value} plannen",
        "show_sources": "met bronnen" if value else "zonder bronnen",
    }
    return words.get(key, f"{key} = {value}")


def _variant_words(parameters: dict, base: Chapter | None) -> list[str]:
    """How a variant differs from its chapter, in words (the data source is named separately)."""
    order = ("tranche", "exclude_plans", "measurement_date", "min_cell_size", "top_n")
    words = []
    for key in sorted(parameters, key=lambda k: (order.index(k) if k in order else len(order), k)):
        value = parameters[key]
        if key == "data_source":
            continue
        if key == "tranche":
            if str(value) != str((base.parameters if base else {}).get("tranche", "1-2")):
                words.append(_parameter_words(key, value))
        elif key not in DEFAULTS or _normal(value) != _normal(DEFAULTS[key]):
            words.append(_parameter_words(key, value))
    return words


def _ledger_summary(name: str) -> str:
    import pandas as pd

    ledger = ledger_path(name)
    if not ledger.exists():
        return ""
    from sectorplannen import claims

    counts = pd.read_csv(ledger)["status"].value_counts()
    order = [s for s in claims.STATUSES if s in counts.index] + [s for s in counts.index if s not in claims.STATUSES]
    reproduced = int(counts.get(claims.STATUS_REPRODUCED, 0))
    rest = ", ".join(f"{int(counts[s])} {html.escape(str(s))}" for s in order if s != claims.STATUS_REPRODUCED)
    return f"<strong>{reproduced} gereproduceerd</strong> van {int(counts.sum())}" + (f"; {rest}" if rest else "")


def _synthetic_label(entry: _IndexEntry) -> str:
    return ' <span class="synthetisch">synthetisch</span>' if entry.data_kind == "synthetic" else ""


def _head_row(number: int, title: str, entry: _IndexEntry | None) -> str:
    """The row of a chapter as the report has it (unlinked when only variants of it are built)."""
    kind = f"Hoofdstuk {number}" if number <= 10 else "Context"
    if entry is None:
        return f"<tr><td>{kind}</td><td>{html.escape(title)} (niet gebouwd)</td><td></td><td></td></tr>"
    return (
        f'<tr><td>{kind}</td><td><a href="{html.escape(entry.name)}.html">{html.escape(title)}</a>'
        f"{_synthetic_label(entry)}</td><td>{html.escape(_data_words(entry))}</td>"
        f"<td>{_ledger_summary(entry.name)}</td></tr>"
    )


def _variant_row(entry: _IndexEntry, base: Chapter | None) -> str:
    """A variant under its chapter, named by its parameters and, for participant data, its data."""
    words = _variant_words(entry.parameters, base)
    if entry.data_kind != "published":
        words.append(_data_words(entry))
    text = "variant: " + "; ".join(words or ["andere instellingen"])
    return (
        f'<tr class="variant"><td></td><td><a href="{html.escape(entry.name)}.html">{html.escape(text)}</a>'
        f"{_synthetic_label(entry)}</td><td>{html.escape(_data_words(entry))}</td>"
        f"<td>{_ledger_summary(entry.name)}</td></tr>"
    )


def _manifest(chapter: Chapter) -> Path:
    return paths.OUTPUTS / ".build" / f"{chapter.name}.json"


def is_current(chapter: Chapter, show_code: bool = False) -> bool:
    """True when the chapter's HTML was built from exactly the current inputs (content hashes)."""
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
    """Worker: execute and render one chapter, then record it in its manifest (fingerprint, seconds
    and what the index shows). Returns (name, seconds, error or None). Removes the kernel folders
    this process made, whatever happens."""
    start = time.perf_counter()
    try:
        executed = execute(chapter)
        render(executed, paths.OUTPUTS / "report" / f"{chapter.name}.html", show_code)
    except ChapterFailed as exc:
        return chapter.name, time.perf_counter() - start, str(exc)
    finally:
        remove_kernel_folders(os.getpid())
    import nbformat

    prov = nbformat.read(executed, as_version=4).metadata["sectorplannen"]
    seconds = time.perf_counter() - start
    record = {"fingerprint": prov["fingerprint"], "show_code": show_code, "seconds": round(seconds, 1)}
    _atomic_write_text(_manifest(chapter), json.dumps({**record, **_index_fields(chapter)}, sort_keys=True))
    return chapter.name, seconds, None


def _expected_seconds(chapter: Chapter) -> float:
    """How long the chapter took last time (longest first balances the workers)."""
    try:
        return float(json.loads(_manifest(chapter).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return 10.0 if chapter.notebook == "uitvoering" else 5.0


def _log_result(chapter: Chapter, result: tuple[str, float, str | None], log) -> None:
    name, seconds, error = result
    if error:
        log(f"[FOUT] hoofdstuk {chapter.number} {name} ({seconds:.1f} s)\n{error}")
    else:
        log(f"[klaar] hoofdstuk {chapter.number} {name} ({seconds:.1f} s)")


def _say(line: str) -> None:
    """Print a progress line at once (also when the output goes to a pipe or a log file)."""
    print(line, flush=True)


class Interrupted(KeyboardInterrupt):
    """The build was stopped by SIGINT or SIGTERM: its workers and kernels are killed, their
    temporary files removed, and every earlier output is left as it was."""

    def __init__(self, signum: int, not_built: int):
        super().__init__(signum, not_built)
        self.signum = signum
        self.not_built = not_built

    @property
    def exit_status(self) -> int:
        """128 + the signal number, as a shell reports a process stopped by that signal."""
        return 128 + self.signum


class _StopSignals:
    """While chapters run, SIGINT and SIGTERM only note the signal: the scheduling loop sees it
    and stops the workers itself, so no exception can cut the loop's bookkeeping in half."""

    def __init__(self):
        self.signum = 0
        self._previous = {}

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._note)
        return self

    def _note(self, signum, frame) -> None:
        self.signum = self.signum or signum

    def __exit__(self, *exc) -> None:
        import signal

        for number, handler in self._previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


class _RemoteTraceback(Exception):
    """The traceback of an error in a worker process, shown as the cause of the error re-raised here."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class _Worker:
    """One chapter running in its own process (and process group), with the pipe it reports on."""

    chapter: Chapter
    process: object  # multiprocessing.Process
    results: object  # the receiving multiprocessing Connection
    started: float
    outcome: tuple | None = None
    reported: float = 0.0  # when the outcome arrived (monotonic)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def _worker_main(chapter: Chapter, show_code: bool, results) -> None:
    """Worker process: leave the build's process group (a terminal's Ctrl-C then reaches only the
    build, which stops the workers itself), run one chapter and send back its result or error."""
    import signal
    import traceback

    os.setpgid(0, 0)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)  # discards a signal sent to the group before setpgid
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        outcome = ("result", _run_one(chapter, show_code))
    except BaseException as exc:  # every error goes back to the build, which re-raises it
        outcome = ("error", exc, traceback.format_exc())
    try:
        results.send(outcome)
    except Exception:  # an error that cannot be pickled: send its traceback instead
        results.send(("error", RuntimeError(outcome[-1]), outcome[-1]))
    results.close()


def _start_worker(chapter: Chapter, show_code: bool) -> _Worker:
    """Fork a worker for one chapter. SIGINT and SIGTERM are blocked around the fork, so the worker
    cannot be hit before it has its own process group; here they arrive right after."""
    import multiprocessing
    import signal

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_worker_main, args=(chapter, show_code, send), name=f"sectorplannen {chapter.name}", daemon=True
    )
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    send.close()
    return _Worker(chapter, process, receive, time.perf_counter())


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _kill_group(pid: int) -> None:
    """SIGKILL a process group (and the process, should it not lead a group yet)."""
    import signal
    from contextlib import suppress

    for kill in (os.killpg, os.kill):
        with suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _kill_worker(worker: _Worker) -> set[int]:
    """Kill a worker and then its kernel at once (a kernel's polite shutdown can take many seconds);
    returns their pids. The worker dies first, so it cannot start a kernel after we looked."""
    pid = worker.process.pid
    _kill_group(pid)
    worker.process.join(2)
    killed = {pid}
    for folder in kernel_folders(pid):
        try:
            kernel = int((folder / "kernel.pid").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        _kill_group(kernel)  # the kernel leads its own session, so this also ends its subprocesses
        killed.add(kernel)
    deadline = time.monotonic() + 1.0
    while any(_alive(p) for p in killed) and time.monotonic() < deadline:
        time.sleep(0.02)
    return killed


_LEFTOVER = re.compile(r"^\..+\.(\d+)\.(tmp|running\.ipynb)$")


def _remove_leftovers(pids: set[int]) -> None:
    """Remove what killed processes leave behind: their temporary outputs and kernel folders."""
    for path in paths.OUTPUTS.rglob(".*"):
        match = _LEFTOVER.match(path.name)
        if match and int(match.group(1)) in pids and path.is_file():
            path.unlink(missing_ok=True)
    for pid in pids:
        remove_kernel_folders(pid)


def _stop_workers(workers: list[_Worker]) -> None:
    killed = set()
    for worker in workers:
        killed |= _kill_worker(worker)
    _remove_leftovers(killed)


def _receive(worker: _Worker) -> None:
    """Read the worker's outcome if it has sent one."""
    if worker.outcome is None and worker.results.poll():
        try:
            worker.outcome = worker.results.recv()
        except EOFError:  # the worker ended without a word; its exit code says how
            worker.outcome = ("lost",)
        except Exception as exc:  # an error that cannot be unpickled here
            worker.outcome = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"), "")


def _finished(worker: _Worker) -> bool:
    """True once the worker is done and reaped (killed, with its kernel, if it does not end by
    itself within 5 s of sending its outcome)."""
    _receive(worker)
    if worker.process.is_alive():
        if worker.outcome is None:
            return False
        worker.reported = worker.reported or time.monotonic()
        if time.monotonic() - worker.reported < 5:  # let it exit by itself (its sentinel wakes the loop)
            return False
    _receive(worker)  # sent just before it ended
    worker.process.join(1)
    if worker.process.is_alive() or worker.outcome is None or worker.outcome[0] == "lost":
        worker.outcome = worker.outcome or ("lost",)
        _stop_workers([worker])
    worker.results.close()
    return True


def _result(worker: _Worker) -> tuple[tuple[str, float, str | None], BaseException | None]:
    """The worker's (name, seconds, error) and, for an unexpected error, the error to re-raise."""
    chapter = worker.chapter
    if worker.outcome[0] == "result":
        return worker.outcome[1], None
    if worker.outcome[0] == "error":
        _, error, remote = worker.outcome
        if remote:
            error.__cause__ = _RemoteTraceback(remote)
        return (chapter.name, worker.seconds, f"{type(error).__name__}: {error}"), error
    message = (
        f"chapter {chapter.number} ({chapter.notebook}, parameters {chapter.parameters}): its worker process "
        f"ended unexpectedly (exit code {worker.process.exitcode})"
    )
    return (chapter.name, worker.seconds, message), None


def _run_all(todo: list[Chapter], show_code: bool, jobs: int, log) -> list[tuple[str, float, str | None]]:
    """Run the chapters in order with at most ``jobs`` worker processes at a time: ``[start]`` when a
    chapter really starts, ``[wacht]`` for the ones queued behind. SIGINT or SIGTERM kills the
    workers and their kernels, removes their temporary files and raises :class:`Interrupted`;
    an unexpected error in a worker starts no further chapter and is re-raised when the
    running ones are done."""
    queue, running, results, error = list(todo), [], {}, None
    with _StopSignals() as stop:
        while not stop.signum:
            while queue and len(running) < jobs and error is None and not stop.signum:
                chapter = queue.pop(0)
                running.append(_start_worker(chapter, show_code))
                log(f"[start] hoofdstuk {chapter.number} {chapter.name}")
                if len(running) == jobs and len(queue) == len(todo) - jobs:  # the first wave: name the queue
                    for waiting in queue:
                        log(f"[wacht] hoofdstuk {waiting.number} {waiting.name}")
            if not running:
                break
            _wait(running)
            for worker in [w for w in running if _finished(w)]:
                running.remove(worker)
                results[worker.chapter.name], failure = _result(worker)
                _log_result(worker.chapter, results[worker.chapter.name], log)
                error = error or failure
        if stop.signum:
            _stop_workers(running)
            left = len(queue) + len(running)
            log(
                f"[gestopt] onderbroken: {left} {'hoofdstuk' if left == 1 else 'hoofdstukken'} niet gebouwd; "
                "eerdere uitvoer is intact"
            )
            raise Interrupted(stop.signum, left)
    if error is not None:
        raise error
    return [results[c.name] for c in todo]


def _wait(workers: list[_Worker]) -> None:
    """Wait until a worker reports or ends, at most a quarter second (then the loop looks at signals)."""
    from multiprocessing.connection import wait

    pipes = [w.results for w in workers if w.outcome is None]
    wait(pipes + [w.process.sentinel for w in workers], timeout=0.25)


def build(
    chapters: list[Chapter] | None = None, show_code: bool = False, jobs: int = 2, force: bool = False, log=_say
) -> list[Path]:
    """Execute and render chapters (default: the whole report) with ``jobs`` worker processes,
    longest first, skipping chapters whose inputs did not change; returns the HTML paths. Prints a
    progress line per chapter (queued, started, finished with seconds, up to date). Ctrl-C stops
    it within seconds with one line and raises :class:`Interrupted`; earlier outputs stay intact."""
    chapters = list(chapters or CHAPTERS)
    report_dir = paths.OUTPUTS / "report"
    todo = sorted((c for c in chapters if force or not is_current(c, show_code)), key=_expected_seconds, reverse=True)
    for chapter in chapters:
        if chapter not in todo:
            log(f"[actueel] hoofdstuk {chapter.number} {chapter.name}")
    failures = []
    if todo:
        preflight(todo)
        results = _run_all(todo, show_code, jobs, log)
        failures = [error for _, _, error in results if error]
    by_name = {c.name: c for c in [*CHAPTERS, *chapters]}
    existing = [c for c in by_name.values() if (report_dir / f"{c.name}.html").exists()]
    write_index(existing, report_dir)
    from sectorplannen import site

    site.build(report_dir, existing)  # navigation, the page of all numbers, search
    if failures:
        raise ChapterFailed("\n".join(failures))
    return [report_dir / f"{c.name}.html" for c in chapters]


def save_ledger(ledger, chapter: Chapter) -> Path:
    """Write a chapter's ledger to ``outputs/ledger/<run name>.csv`` (atomically)."""
    path = ledger_path(chapter.name)
    _atomic_write_text(path, ledger.to_csv(index=False, lineterminator="\n"))
    return path
