"""Executing one chapter notebook with papermill, atomically, with its provenance."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from sectorplannen import datakind, hashing, paths
from sectorplannen.chapters.registry import SPEC_VARIABLE, Chapter
from sectorplannen.errors import ChapterFailed, ParameterError
from sectorplannen.pipeline import kernel, provenance, uptodate
from sectorplannen.pipeline.kernel import KERNEL, IPCKernelManager

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


PHASES = ("kernel", "imports", "data", "computation", "figures")


def _is_figure(cell) -> bool:
    """A cell that shows an image (a PNG or SVG output, or HTML with an embedded image)."""
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if any(key.startswith("image/") for key in data) or "data:image/" in str(data.get("text/html", "")):
            return True
    return False


def phases(nb, seconds: float, forked: bool = False) -> dict[str, float]:
    """Where the time of an executed notebook went, from papermill's duration per cell: ``data`` is
    the cell that calls ``notebook.start`` (the imports a kernel still has to do, the parameters
    checked, the data loaded and validated, and whatever else that cell computes); ``figures`` the
    cells that show an image; ``computation`` every other cell; ``kernel`` the rest of
    ``seconds`` (starting the kernel, its first reply, shutting it down). ``imports`` is what the
    kernel imported before the notebook ran: for a kernel forked from the nursery nothing (the
    nursery imported once for the whole build), else it is part of ``data``."""
    out = dict.fromkeys(PHASES, 0.0)
    started = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        duration = float((cell.metadata.get("papermill") or {}).get("duration") or 0.0)
        if not started and "notebook.start(" in cell.source:
            out["data"] += duration
            started = True
        elif _is_figure(cell):
            out["figures"] += duration
        else:
            out["computation"] += duration
    out["kernel"] = max(0.0, seconds - out["data"] - out["figures"] - out["computation"])
    return {key: round(value, 3) for key, value in out.items()} | {"forked": forked}


def execute(chapter: Chapter, out_dir: Path | None = None, timings: dict | None = None) -> Path:
    """Execute one chapter notebook with papermill; returns the executed notebook path (and fills
    ``timings``, when given, with :func:`phases`).

    The notebook is executed into a temporary file and renamed into place when it is complete;
    a failing run leaves ``<name>.failed.ipynb`` and raises :class:`ChapterFailed`.
    """
    import nbformat  # heavy: loaded only when a notebook is read or written
    import papermill  # heavy: loaded only when a chapter runs

    source = paths.NOTEBOOKS / f"{chapter.notebook}.ipynb"
    if not source.exists():
        raise ParameterError(f"unknown notebook {chapter.notebook!r}: {source} does not exist")
    spec = chapter.spec  # resolved once: by make chapter, or here for a chapter the registry lists
    out_dir = Path(out_dir or paths.executed())
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{chapter.name}.ipynb"
    tmp = out_dir / f".{chapter.name}.{os.getpid()}.running.ipynb"
    # The inputs as they are when the run starts: an input changed during the run makes it stale.
    kind = chapter.data_kind
    fingerprint = provenance.fingerprint(source, chapter.parameters, kind, chapter.entry.inputs)
    kernel.EXPECTED_CODE = uptodate.code_digest()  # after the fingerprint: a kernel forked only for this code
    participant_inputs = provenance.participant_hashes(chapter.parameters, kind)
    # papermill writes the parameters into the notebook before anything runs: an extract goes in by its
    # label, its path only into the kernel's environment (hashing.resolve_extract finds it there). The
    # kernel's notebook.start takes the specification resolved here from its environment, unchecked.
    shown = provenance.public_parameters(chapter.parameters, kind)
    env = {SPEC_VARIABLE: spec.to_json()}
    if kind == datakind.EXTRACT:
        env[hashing.EXTRACT_VARIABLE] = str(chapter.parameters["data_source"])
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(source),
            str(tmp),
            parameters=shown,
            kernel_name=KERNEL,
            cwd=str(paths.NOTEBOOKS),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            kernel_manager_class=IPCKernelManager.cls(env),
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
    seconds = time.perf_counter() - started - kernel.WAITED  # a standby's wait for its turn is not its time
    nb = nbformat.read(tmp, as_version=4)
    if timings is not None:
        timings.update(phases(nb, seconds, forked=bool(kernel.LAUNCHES and kernel.LAUNCHES[-1]["forked"])))
    _strip_volatile(nb)
    nb.metadata["sectorplannen"] = provenance.record(shown, kind, fingerprint, chapter.entry.inputs, participant_inputs)
    text = _scrub_extract(nbformat.writes(nb), chapter)
    tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def _scrub_extract(text: str, chapter: Chapter) -> str:
    """``text`` with every spelling of a real extract's path (as given and resolved; plain, as a
    Python or JSON string, JSON inside JSON) replaced by its label, as in the run name: the path
    of a confidential file appears nowhere in outputs (papermill's injected cell shows it)."""
    if chapter.data_kind != datakind.EXTRACT:
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
