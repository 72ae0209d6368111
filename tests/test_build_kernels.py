"""The kernel nursery: a kernel forked from it starts with the notebooks' modules imported and
nothing else (no state of another chapter), a chapter's page is the same as from a plain kernel,
and the nursery leaves nothing behind. The time of each chapter is recorded by phase."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import papermill
import pytest
from conftest import QUICK_CHAPTERS, build_pages
from nbformat import v4

from sectorplannen import paths
from sectorplannen.chapters import registry
from sectorplannen.pipeline import kernel, nursery, report, uptodate
from sectorplannen.pipeline.execute import PHASES, phases
from sectorplannen.published import load
from sectorplannen.render import drawings

# Each test here starts the nurseries it tests (not the test session's, conftest)
pytestmark = pytest.mark.usefixtures("own_nursery")
SMALL = registry.chapter_for(*QUICK_CHAPTERS[0])  # the quickest chapter with figures (inhoud, tranche 3)


def test_the_nursery_imports_what_the_notebooks_import():
    modules = nursery.notebook_modules()
    assert "sectorplannen.chapters.notebook" in modules
    assert "sectorplannen.render.figures" in modules
    assert not any(m.startswith("matplotlib_inline") for m in modules)  # it hooks into a running shell


def _probe(folder: Path) -> dict:
    """Run a notebook that reports its kernel's pid, whether pandas was imported before its first
    line, and whether a name a previous run defined exists; then defines that name."""
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell(
                "import json, os, sys, tempfile\n"
                "load = sys.modules.get('sectorplannen.published.load')\n"
                "paths = sys.modules.get('sectorplannen.paths')\n"
                "print(json.dumps({'pid': os.getpid(), 'pandas': 'pandas' in sys.modules, "
                "'leftover': 'left_by_a_chapter' in globals(), 'cwd': os.getcwd(), "
                "'tables': len(load._TABLES) if load else 0, 'temp': tempfile.gettempdir(), "
                "'outputs': str(paths.OUTPUTS) if paths else None}))\n"
                "left_by_a_chapter = 1"
            )
        ],
        metadata={"kernelspec": {"name": kernel.KERNEL, "language": "python", "display_name": kernel.KERNEL}},
    )
    source, target = folder / "probe.ipynb", folder / "probe-out.ipynb"
    nbformat.write(nb, source)
    papermill.execute_notebook(
        str(source),
        str(target),
        kernel_name=kernel.KERNEL,
        cwd=str(folder),
        progress_bar=False,
        kernel_manager_class=kernel.IPCKernelManager.cls(),
    )
    out = nbformat.read(target, as_version=4)
    return json.loads(out.cells[0].outputs[0]["text"])


@pytest.mark.notebook
def test_a_forked_kernel_is_fresh_and_the_nursery_leaves_nothing(scratch, tmp_path):
    _, temp = scratch
    plain = _probe(tmp_path)
    assert not kernel.LAUNCHES[-1]["forked"] and not plain["pandas"]
    with kernel.nursery() as running:
        assert running is not None
        first, second = _probe(tmp_path), _probe(tmp_path)
        assert kernel.LAUNCHES[-1]["forked"]
    assert first["pandas"] and second["pandas"]  # imported by the nursery, before the notebook ran
    assert not first["leftover"] and not second["leftover"]  # nothing of an earlier run
    assert first["pid"] != second["pid"]
    assert first["cwd"] == second["cwd"] == str(tmp_path)
    assert not kernel.alive(running["pid"])
    assert [p.name for p in temp.iterdir()] == []  # no nursery socket, no kernel folder


@pytest.mark.notebook
def test_a_forked_kernel_writes_where_its_build_writes_not_where_the_nursery_started(scratch, tmp_path, monkeypatch):
    """One nursery for builds into different folders (as each test worker runs one): a kernel takes
    the outputs and temporary folders from the environment its build gives it."""
    outputs, temp = scratch
    with kernel.nursery() as running:
        assert running is not None
        first = _probe(tmp_path)
        other, other_temp = tmp_path / "andere-outputs", tmp_path / "andere-tmp"
        other_temp.mkdir()
        monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(other))
        monkeypatch.setenv("TMPDIR", str(other_temp))
        second = _probe(tmp_path)
        assert kernel.LAUNCHES[-1]["forked"]
    assert (first["outputs"], first["temp"]) == (str(outputs), str(temp))
    assert (second["outputs"], second["temp"]) == (str(other), str(other_temp))


@pytest.mark.notebook
def test_the_nursery_reads_the_tables_ahead_only_for_kernels_still_to_come(scratch, tmp_path, monkeypatch):
    """A build of two chapters: the first kernel is not kept waiting for the tables, the second finds
    some read (while no kernel was asked for), and once both are forked the nursery reads no more (a
    third kernel, which this build did not announce, finds what the second found)."""
    monkeypatch.setattr(kernel, "EXPECTED_KERNELS", 2)
    with kernel.nursery():
        first = _probe(tmp_path)
        time.sleep(0.5)  # time for the nursery to read some tables ahead (about 15 ms a table)
        second = _probe(tmp_path)
        time.sleep(0.5)
        third = _probe(tmp_path)
    assert first["tables"] == 0
    assert 0 < second["tables"] <= len(load.resources())
    assert third["tables"] == second["tables"]  # (70 of 113 in a run on this machine: the reading stopped)


@pytest.mark.notebook
def test_a_page_from_a_forked_kernel_is_the_page_from_a_plain_one(quick_build, scratch, monkeypatch):
    """The session's quick build ran SMALL in a forked kernel; built again in a plain kernel (forced,
    in a copy of that build, so that the site around it is the same), its page is the same page."""
    outputs, _ = scratch
    shutil.copytree(quick_build / "outputs", outputs, dirs_exist_ok=True)
    shutil.rmtree(paths.reuse() / drawings.FOLDER, ignore_errors=True)  # the plain kernel draws its own figures
    monkeypatch.setattr(kernel, "_from_nursery", lambda *a, **k: None)
    (html,) = build_pages([SMALL], jobs=1, force=True, log=lambda _: None)
    pages = {}
    for label, built in (("plain", outputs), ("forked", quick_build / "outputs")):
        page = paths.report(built) / html.name
        timings_file = paths.records(built) / report.timings_path().name
        timings = json.loads(timings_file.read_text(encoding="utf-8"))["chapters"][SMALL.name]
        assert timings["forked"] is (label == "forked")
        footer = r"<footer class=\"sectorplannen-provenance\".*?</footer>"
        pages[label] = re.sub(footer, "", page.read_text(encoding="utf-8"), flags=re.S)
    assert pages["plain"] == pages["forked"]


def test_phases_split_a_notebook_by_its_cells():
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell("tranche = '3'", metadata={"papermill": {"duration": 0.01}}),
            v4.new_code_cell("run = notebook.start('inhoud')", metadata={"papermill": {"duration": 0.5}}),
            v4.new_markdown_cell("## tekst"),
            v4.new_code_cell(
                "fig",
                metadata={"papermill": {"duration": 0.25}},
                outputs=[v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})],
            ),
            v4.new_code_cell(
                "figures.bars(...)",
                metadata={"papermill": {"duration": 0.125}},
                outputs=[v4.new_output("display_data", data={"text/html": '<img src="data:image/png;base64,x">'})],
            ),
            v4.new_code_cell("table", metadata={"papermill": {"duration": 0.25}}),
        ]
    )
    got = phases(nb, 2.0, forked=True)
    assert got == {
        "kernel": 0.865,
        "imports": 0.0,
        "data": 0.5,
        "computation": 0.26,
        "figures": 0.375,
        "forked": True,
    }
    assert set(PHASES) <= set(got)


@pytest.mark.notebook
def test_no_kernel_is_forked_for_other_code_than_the_nursery_imported(scratch, tmp_path, monkeypatch):
    """A chapter whose fingerprint records other code (the package was edited after the nursery
    imported it) runs in a plain kernel, which imports the code as it is now."""
    with kernel.nursery():
        monkeypatch.setattr(kernel, "EXPECTED_CODE", uptodate.code_digest())
        _probe(tmp_path)
        assert kernel.LAUNCHES[-1]["forked"]
        monkeypatch.setattr(kernel, "EXPECTED_CODE", "0" * 64)
        assert not _probe(tmp_path)["pandas"]
        assert not kernel.LAUNCHES[-1]["forked"]
