"""Parameter sweeps on Dask: a grid checked before any work, run by a real scheduler and worker."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import broken_notebook

from sectorplannen import errors, paths, site
from sectorplannen.pipeline import sweep

DASK = str(Path(sys.executable).with_name("dask"))


def _grid(tmp_path, text: str) -> Path:
    path = tmp_path / "grid.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_grid_expands_to_every_combination(tmp_path):
    grid = _grid(tmp_path, "notebook: uitvoering\nparameters:\n  tranche: ['1-2', '3']\n  top_n: [5, 10, 5]\n")
    names = [c.name for c in sweep.load_grid(grid)]
    assert names == [
        "uitvoering_top_n-5_tranche-1-2",
        "uitvoering_top_n-10_tranche-1-2",
        "uitvoering_top_n-5_tranche-3",
        "uitvoering_top_n-10_tranche-3",
    ]  # 2 x 3 combinations, the repeated top_n once


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "no such grid file; give GRID=path/to/grid.yaml"),
        ("notebook: [", "not valid YAML"),
        ("parameters: {top_n: [5]}", "a grid has 'notebook' and 'parameters'"),
        ("notebook: uitvoering\nparameters: [1, 2]", "'parameters' must map each parameter to a list of values"),
        (
            "notebook: uitvoering\nparameters:\n  top_n: [5, 0]",
            "variant 2 (uitvoering: top_n=0): top_n must be a whole number of at least 1, not 0",
        ),
        (
            "notebook: uitvoering\nparameters:\n  top_m: [5]",
            "variant 1 (uitvoering: top_m=5): unknown parameter(s) 'top_m' (did you mean 'top_n'?)",
        ),
    ],
)
def test_a_bad_grid_is_refused_in_one_line_before_any_work(tmp_path, text, message):
    path = tmp_path / "grid.yaml" if text is None else _grid(tmp_path, text)
    with pytest.raises(errors.ParameterError) as caught:
        sweep.load_grid(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def _stamp(path: Path):
    return path.stat().st_mtime_ns if path.exists() else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the Dask scheduler ended early"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"no Dask scheduler on port {port} within {timeout} s")


@pytest.mark.notebook
def test_a_sweep_runs_on_a_real_scheduler_and_worker(tmp_path, monkeypatch):
    """`dask scheduler` and `dask worker` as separate processes on 127.0.0.1: two variants, one of
    which fails in a cell (a notebook copy with a broken last cell). The good one is rendered; the
    failing one is named with its parameters and leaves no HTML and no temporary file."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    broken_notebook(notebooks, "inhoud")
    for suffix in (".ipynb", ".py"):
        shutil.copy(paths.NOTEBOOKS / f"uitvoering{suffix}", notebooks / f"uitvoering{suffix}")
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    env = {**os.environ, "SECTORPLANNEN_NOTEBOOKS": str(notebooks), "SECTORPLANNEN_OUTPUTS": str(paths.OUTPUTS)}
    port = _free_port()
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        _wait_for_port(port, scheduler)
        worker = subprocess.Popen(
            [
                DASK,
                "worker",
                f"tcp://127.0.0.1:{port}",
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--no-dashboard",
                "--local-directory",
                str(tmp_path / "worker"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        grid = _grid(tmp_path, "notebook: uitvoering\nparameters:\n  tranche: ['3']\n  top_n: [7]\n")
        good = sweep.load_grid(grid)
        bad = sweep.load_grid(_grid(tmp_path, "notebook: inhoud\nparameters:\n  tranche: ['3']\n"))
        lines = []
        before = _stamp(paths.OUTPUTS / ".build" / "pages" / "inhoud_tranche-3.json")  # of an earlier test, or none
        with pytest.raises(errors.ChapterFailed) as caught:
            sweep.run(good + bad, scheduler=f"tcp://127.0.0.1:{port}", log=lines.append)
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
    message = str(caught.value)
    assert message.startswith("1 of 2 variants failed:\ninhoud {'tranche': '3'}: chapter 5 (inhoud")
    assert "RuntimeError: kapot" in message
    site.build(paths.OUTPUTS / "report", good)  # as make sweep does after the sweep, also when a variant failed
    report = paths.OUTPUTS / "report"
    assert (report / "uitvoering_top_n-7_tranche-3.html").exists()
    assert "[klaar] uitvoering_top_n-7_tranche-3" in "\n".join(lines)
    assert _stamp(paths.OUTPUTS / ".build" / "pages" / "inhoud_tranche-3.json") == before  # the failing one wrote none
    assert not list(paths.OUTPUTS.rglob(".*.tmp")) and not list(paths.OUTPUTS.rglob(".*.running.ipynb"))
    assert "uitvoering_top_n-7_tranche-3.html" in (report / "index.html").read_text(encoding="utf-8")
