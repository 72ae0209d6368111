"""Build control: Ctrl-C stops a build quickly and cleanly, progress lines say what really runs,
no kernel folder is left behind, the manifest records what the index and the scheduler need,
and the index names every variant by its parameters and data without a path of an extract."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import QUICK_CHAPTERS, stand_in_extract

from sectorplannen import errors, paths, site
from sectorplannen.chapters import registry
from sectorplannen.cli import main
from sectorplannen.pipeline import files, kernel, provenance, report, workers

SMALL, SMALL_TOO = (registry.chapter_for(*chapter) for chapter in QUICK_CHAPTERS)  # the quickest chapters
PROGRESS = re.compile(r"^\[(actueel|wacht|start|klaar|gestopt)\] ")
EXTRACT = "/beveiligd/projectschijf/deelnemers_2019.csv"  # never opened: the tests only name it


def kernel_leftovers(temp):
    """Kernel folders and stray connection files in a temporary directory (or among its names)."""
    names = [p.name for p in temp.iterdir()] if isinstance(temp, Path) else temp
    return sorted(name for name in names if name.startswith(kernel.KERNEL_FOLDER) or name.endswith(".json"))


def leftovers(outputs):
    return sorted(str(p) for p in outputs.rglob(".*") if p.name.endswith((".tmp", ".running.ipynb")))


# -------------------------------------------------------------------- Ctrl-C


class Lines:
    """The stdout of a process, line by line, read by a thread so the test never blocks on it."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self._queue.put(line.rstrip("\n"))

    def until(self, prefix: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.lines.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line starting with {prefix!r} within {timeout} s: {self.lines}")

    def rest(self) -> list[str]:
        out = []
        while not self._queue.empty():
            out.append(self._queue.get())
        self.lines += out
        return out


def started_kernels(temp, timeout: float = 60) -> list[int]:
    """The pids of the kernels the build has started (read from their private folders)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = []
        for pid_file in temp.glob(f"{kernel.KERNEL_FOLDER}*/kernel.pid"):
            with suppress(OSError, ValueError):  # being written
                pids.append(int(pid_file.read_text(encoding="utf-8")))
        if pids:
            return pids
        time.sleep(0.05)
    raise AssertionError("no kernel started")


@dataclass(frozen=True)
class QueuedBuild:
    """A build of two chapters with one worker into an empty outputs folder, made a site: its outputs,
    its pages, what it said, the kernels alive when its first chapter ended, what it left in its
    temporary directory and the timings it recorded."""

    outputs: Path
    pages: tuple[Path, ...]
    lines: tuple[str, ...]
    kernels_at_first_end: tuple[int, ...]
    left_in_temp: tuple[str, ...]
    timings: dict


@pytest.fixture(scope="module")
def queued_build(quick_build) -> QueuedBuild:
    """SMALL and SMALL_TOO built as ``make chapter`` builds (one worker, then the site), once per test
    session (conftest's ``quick_build``, which the kernel and markup tests share): the normal-run and
    queued-chapter tests read how it went; the Ctrl-C and killed-build tests start from a copy of its
    outputs, the earlier outputs a stopped build must leave intact. Read only."""
    record = json.loads((quick_build / "build.json").read_text(encoding="utf-8"))
    outputs = quick_build / "outputs"
    first_end = [kernels for line, kernels in record["said"] if line.startswith(f"[klaar] hoofdstuk 5 {SMALL.name}")]
    return QueuedBuild(
        outputs=outputs,
        pages=tuple(paths.report(outputs) / f"{chapter.name}.html" for chapter in (SMALL, SMALL_TOO)),
        lines=tuple(line for line, _ in record["said"]),
        kernels_at_first_end=tuple(first_end[0]) if first_end else (),
        left_in_temp=tuple(record["left_in_temp"]),
        timings=json.loads((paths.records(outputs) / "timings.json").read_text(encoding="utf-8")),
    )


@pytest.mark.notebook
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_stops_the_build_within_seconds_and_leaves_outputs_intact(queued_build, scratch, stop_signal):
    outputs, temp = scratch
    shutil.copytree(queued_build.outputs, outputs, dirs_exist_ok=True)  # two chapters built and made a site
    before = {p: p.read_bytes() for p in (outputs / "report").glob("*.html")}
    assert {f"{SMALL.name}.html", f"{SMALL_TOO.name}.html", "index.html"} <= {p.name for p in before}
    manifests = {p: p.read_bytes() for p in (outputs / ".build").glob("*.json")}
    env = {**os.environ, "SECTORPLANNEN_OUTPUTS": str(outputs), "TMPDIR": str(temp)}
    env.pop("PYTHONUNBUFFERED", None)  # the build itself must flush its progress lines
    process = subprocess.Popen(
        [sys.executable, "-m", "sectorplannen", "report", "--jobs", "2"],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        out = Lines(process.stdout)
        out.until("[start]", timeout=60)
        kernels = started_kernels(temp)
        out.rest()
        seen = len(out.lines)
        start = time.monotonic()
        os.killpg(process.pid, stop_signal)  # what Ctrl-C in a terminal does (or `kill -TERM -<pgid>`)
        process.wait(timeout=5)
        seconds = time.monotonic() - start
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    err = process.stderr.read()
    time.sleep(0.1)
    out.rest()
    after = [line for line in out.lines[seen:] if not line.startswith("[klaar]")]  # one may end just before
    print(f"stopped in {seconds:.2f} s: {after}")
    assert seconds < 5
    assert process.returncode == 128 + stop_signal
    assert len(after) == 1 and re.fullmatch(
        r"\[gestopt\] onderbroken: \d+ hoofdstuk(ken)? niet gebouwd; eerdere uitvoer is intact", after[0]
    ), out.lines
    assert all(PROGRESS.match(line) for line in out.lines), out.lines
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert leftovers(outputs) == []
    assert {p: p.read_bytes() for p in before} == before
    for path, text in manifests.items():
        assert path.read_bytes() == text
    for path in (outputs / ".build").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # complete, never half-written
    assert kernel_leftovers(temp) == []
    assert not [pid for pid in kernels if kernel.alive(pid)], "a kernel survived"


def test_ctrl_c_outside_the_chapter_runs_is_one_line(monkeypatch, capsys):
    def interrupted(**_):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "build", interrupted)
    assert main(["report"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "[gestopt] onderbroken\n" and captured.out == ""


def test_interrupted_build_exits_with_the_signal_status(monkeypatch, capsys):
    def interrupted(**_):
        raise workers.Interrupted(signal.SIGINT, 3)

    monkeypatch.setattr(report, "build", interrupted)
    assert main(["report"]) == 130
    assert capsys.readouterr().err == ""  # the build has printed its own line


# -------------------------------------------------------------------- normal runs and progress


@pytest.mark.notebook
def test_normal_run_leaves_no_kernel_folder(queued_build):
    assert all(page.is_file() for page in queued_build.pages)
    assert kernel_leftovers(queued_build.left_in_temp) == []
    assert leftovers(queued_build.outputs) == []


@pytest.mark.notebook
def test_queued_chapters_wait_and_start_only_when_they_run(queued_build, scratch):
    """One worker: the second chapter starts when the first is done (the lines say so), but its kernel
    has been starting meanwhile (a standby: its kernel is up when the first chapter ends). Built again
    (a copy of its outputs), both are up to date."""
    lines, kernels_at_first_end = list(queued_build.lines), queued_build.kernels_at_first_end
    assert len(kernels_at_first_end) == 1, "the second chapter's kernel had not started when the first ended"
    chapters = queued_build.timings["chapters"]
    assert "waited" not in chapters[SMALL.name] and chapters[SMALL_TOO.name]["waited"] > 0  # not in its total
    first, second = SMALL, SMALL_TOO  # equal expected seconds (no manifests yet): the given order
    pattern = [
        rf"\[start\] hoofdstuk 5 {first.name}",
        rf"\[wacht\] hoofdstuk 9 {second.name}",
        rf"\[klaar\] hoofdstuk 5 {first.name} \(\d+\.\d s\)",
        rf"\[start\] hoofdstuk 9 {second.name}",
        rf"\[klaar\] hoofdstuk 9 {second.name} \(\d+\.\d s\)",
    ]
    assert len(lines) == len(pattern), lines
    for line, expected in zip(lines, pattern, strict=True):
        assert re.fullmatch(expected, line), lines
    assert kernel_leftovers(queued_build.left_in_temp) == []
    outputs, _ = scratch
    shutil.copytree(queued_build.outputs, outputs, dirs_exist_ok=True)
    lines.clear()
    report.build([SMALL, SMALL_TOO], jobs=1, log=lines.append)
    assert lines == [f"[actueel] hoofdstuk 5 {SMALL.name}", f"[actueel] hoofdstuk 9 {SMALL_TOO.name}"]


# -------------------------------------------------------------------- manifest (no execution)


def fake_execution(monkeypatch, outputs):
    """Replace execution and rendering by writing a minimal notebook and its rendered cells."""

    def execute(chapter, out_dir=None, timings=None):
        nb = nbformat.v4.new_notebook()
        nb.metadata["sectorplannen"] = {"fingerprint": "f" * 64}
        path = outputs / "notebooks" / f"{chapter.name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        time.sleep(0.05)
        return path

    def write_parts(executed, parts_path, show_code=False):
        parts = {**PARTS, "provenance": nbformat.read(executed, as_version=4).metadata["sectorplannen"]}
        files.write_atomic(parts_path, json.dumps(parts))
        return parts

    monkeypatch.setattr(report, "execute", execute)
    monkeypatch.setattr(report.exporter, "write_parts", write_parts)


def test_manifest_records_seconds_and_longest_first_reads_them(scratch, monkeypatch):
    outputs, _ = scratch
    fake_execution(monkeypatch, outputs)
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": EXTRACT})
    _, seconds, error = report.run_one(chapter, False)
    assert error is None and seconds >= 0.05
    record = json.loads(report._manifest(chapter).read_text(encoding="utf-8"))
    assert record["seconds"] == round(seconds, 1)
    assert record["fingerprint"] == "f" * 64 and record["show_code"] is False
    assert {k: record[k] for k in ("notebook", "number", "title", "data_kind")} == {
        "notebook": "arbeidsmarktpositie",
        "number": 7,
        "title": chapter.title,
        "data_kind": "extract",
    }
    label = record["parameters"]["data_source"]
    assert re.fullmatch(r"extract-[0-9a-f]{8}", label) and label in chapter.name
    assert EXTRACT not in report._manifest(chapter).read_text(encoding="utf-8")
    assert report._expected_seconds(chapter) == record["seconds"]

    slow, quick = registry.CHAPTERS[1], registry.CHAPTERS[3]
    for one, value in ((slow, 42.5), (quick, 1.5)):
        report._manifest(one).write_text(json.dumps({"seconds": value}), encoding="utf-8")
    assert report._expected_seconds(slow) == 42.5 and report._expected_seconds(quick) == 1.5
    assert sorted([quick, slow], key=report._expected_seconds, reverse=True) == [slow, quick]
    assert report._expected_seconds(registry.CHAPTERS[8]) == 8.0  # never built: a default guess
    assert report._expected_seconds(registry.CHAPTERS[2]) == 25.0  # the participant chapter is guessed slowest


# -------------------------------------------------------------------- index (no execution)


PARTS = {"title": "", "before": "<p>cellen</p>", "after": "", "ledger": False, "tables": [], "provenance": None}


def fake_built(outputs, chapter, *, rendered=True, seconds=3.0):
    """A manifest (as the build writes it) and, unless rendered=False, the chapter's rendered cells."""
    record = {"fingerprint": "f" * 64, "show_code": False, "seconds": seconds, **report.index_fields(chapter)}
    files.write_atomic(report._manifest(chapter), json.dumps(record, sort_keys=True))
    if rendered:
        files.write_atomic(report.parts_path(chapter), json.dumps(PARTS))


def _index(outputs, chapters=()) -> str:
    """The start page as the site renders it from what the build left."""
    site.build(outputs / "report", chapters)
    return (outputs / "report" / "index.html").read_text(encoding="utf-8")


def test_index_names_variants_by_parameters_and_data_and_never_an_extract_path(scratch):
    outputs, _ = scratch
    participant = {"tranche": "3"}
    extract = registry.chapter_for(
        "arbeidsmarktpositie",
        {**participant, "exclude_plans": ["Transport"], "peildatum": "2018", "data_source": EXTRACT},
    )
    synthetic_variant = registry.chapter_for("arbeidsmarktpositie", {**participant, "peildatum": "2017"})
    plan_variant = registry.chapter_for("uitvoering", {"tranche": "3", "exclude_plans": ["Transport"]})
    defaults = [registry.CHAPTERS[3], registry.CHAPTERS[4], registry.CHAPTERS[5]]  # chapters 5, 6, 7
    for chapter in [*defaults, extract, synthetic_variant, plan_variant]:
        fake_built(outputs, chapter)
    not_built = registry.chapter_for("uitvoering", {"tranche": "3", "top_n": 5})
    fake_built(outputs, not_built, rendered=False)  # a manifest without rendered cells: not listed

    page = _index(outputs)
    page = page[page.index('<table class="site-index">') :]  # the index itself, not the sidebar

    assert EXTRACT not in page and "beveiligd" not in page and "deelnemers_2019" not in page
    label = provenance.extract_label(EXTRACT)
    assert label in extract.name
    assert f"variant: zonder Transport (t3); peildatum 2018</a></td><td>echt deelnemersbestand ({label})" in page
    assert "variant: peildatum 2017</a> <span" in page and "synthetische deelnemersgegevens" in page
    assert "variant: zonder Transport (t3)</a>" in page
    assert not_built.name not in page
    # report order, each variant under its own chapter
    order = [page.index(f'href="{c.name}.html"') for c in (*defaults[:2], plan_variant, defaults[2])]
    assert order == sorted(order)
    seven = page.index(f'href="{defaults[2].name}.html"')
    assert seven < page.index(f'href="{extract.name}.html"')
    assert seven < page.index(f'href="{synthetic_variant.name}.html"')
    # synthetic runs are marked beside their title, the extract run and published chapters are not
    rows = {row.split('href="', 1)[1].split('.html"', 1)[0]: row for row in page.split("<tr")[1:] if 'href="' in row}
    assert 'class="synthetisch"' in rows[defaults[2].name] and 'class="synthetisch"' in rows[synthetic_variant.name]
    assert 'class="synthetisch"' not in rows[extract.name] and 'class="synthetisch"' not in rows[defaults[0].name]
    assert "synthetische deelnemersgegevens" in rows[defaults[2].name]
    assert "gepubliceerde tabellen" in rows[defaults[0].name]


def test_index_lists_chapters_without_a_manifest_from_the_given_chapters(scratch):
    """Pages built before manifests carried the index fields are still listed, by their chapter."""
    outputs, _ = scratch
    files.write_atomic(report.parts_path(SMALL), json.dumps(PARTS))
    files.write_atomic(report._manifest(SMALL), json.dumps({"fingerprint": "x", "show_code": False}))
    page = _index(outputs, [SMALL])
    assert f'href="{SMALL.name}.html"' in page and SMALL.title in page


# -------------------------------------------------------------------- workers that fail (no execution)


def test_unexpected_error_in_a_worker_is_raised_with_its_traceback(scratch, monkeypatch):
    def execute(chapter, out_dir=None, timings=None):
        raise LookupError("stuk")

    monkeypatch.setattr(report, "execute", execute)
    lines = []
    with pytest.raises(LookupError, match="stuk") as caught:
        report.build([SMALL, SMALL_TOO], jobs=1, force=True, log=lines.append)
    assert "in execute" in str(caught.value.__cause__)  # the worker's traceback
    assert lines[:3] == [f"[start] hoofdstuk 5 {SMALL.name}", f"[wacht] hoofdstuk 9 {SMALL_TOO.name}", lines[2]]
    assert lines[2].startswith(f"[FOUT] hoofdstuk 5 {SMALL.name}")
    assert not any(line.startswith("[start] hoofdstuk 9") for line in lines)  # nothing new after the error


def test_worker_that_dies_is_a_named_failure(scratch, monkeypatch):
    def execute(chapter, out_dir=None, timings=None):
        os._exit(3)

    monkeypatch.setattr(report, "execute", execute)
    with pytest.raises(
        errors.ChapterFailed, match=r"chapter 5 \(inhoud.*worker process ended unexpectedly \(exit code 3\)"
    ):
        report.build([SMALL], jobs=1, force=True, log=lambda _: None)


# -------------------------------------------------------------------- a build killed while papermill writes


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc), children first: what a SIGKILL of the build must reach too,
    or a worker that outlives it finishes the chapter and renames the file the test looks at."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        out += children
        todo += children
    return out


@pytest.mark.notebook
def test_a_build_killed_while_papermill_writes_leaves_no_extract_path_and_the_next_build_removes_it(
    queued_build, scratch, tmp_path
):
    """papermill writes the notebook with its injected parameters before the first cell runs; the
    build is killed (SIGKILL: nothing of it can clean up) as soon as that file exists. It names the
    extract by its label only (the path reaches the kernel through its environment), and the next
    build removes it, as its writer is dead, also when it has no chapter to run (it starts from a
    copy of two built chapters); a file of a live process stays."""
    outputs, temp = scratch
    shutil.copytree(queued_build.outputs, outputs, dirs_exist_ok=True)
    # every 7th row: large enough that the chapter is still running when the kill lands on a busy machine
    # (with every 70th row it had sometimes finished, and its notebook was gone)
    extract = stand_in_extract(tmp_path / "vertrouwelijk-k3v8")
    label = provenance.extract_label(str(extract))
    env = {**os.environ, "SECTORPLANNEN_OUTPUTS": str(outputs), "TMPDIR": str(temp)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sectorplannen",
            "chapter",
            "arbeidsmarktpositie",
            "--tranche",
            "3",
            "--params",
            f"data_source={extract}",
        ],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    running = []
    try:
        deadline = time.monotonic() + 120
        while not running and time.monotonic() < deadline and process.poll() is None:
            running = [p for p in (outputs / "notebooks").glob(".*.running.ipynb") if p.stat().st_size]
            time.sleep(0.01)
    finally:
        below = _descendants(process.pid)  # found before anything dies: an orphan is no longer below the build
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for pid in below:  # the workers have process groups of their own
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()
        gone = time.monotonic() + 30  # a killed process takes a moment to exit
        while any(kernel.alive(pid) for pid in below) and time.monotonic() < gone:
            time.sleep(0.01)
    assert running, process.stderr.read().decode()
    text = running[0].read_text(encoding="utf-8")
    assert f'data_source = \\"{label}\\"' in text
    assert str(extract) not in text and extract.parent.name not in text
    alive_file = outputs / "notebooks" / f".ander.{os.getppid()}.running.ipynb"  # a build still running
    alive_file.write_text("{}", encoding="utf-8")
    assert [p for p, _ in files.leftovers(outputs)] == sorted([running[0], alive_file])
    lines = []
    report.build([SMALL], jobs=1, log=lines.append)
    assert lines == [f"[actueel] hoofdstuk 5 {SMALL.name}"]
    assert files.leftovers(outputs) == [(alive_file, os.getppid())]


def test_the_parameters_papermill_writes_name_an_extract_by_its_label(scratch, monkeypatch):
    import papermill

    seen = {}

    def execute_notebook(source, target, parameters, kernel_manager_class, **kwargs):
        seen.update(parameters=parameters, env=dict(kernel_manager_class._extra_env))
        raise KeyboardInterrupt  # stop here: nothing is written

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": EXTRACT})
    with pytest.raises(KeyboardInterrupt):
        from sectorplannen.pipeline.execute import execute

        execute(chapter)
    assert seen["parameters"]["data_source"] == provenance.extract_label(EXTRACT)
    assert EXTRACT not in json.dumps(seen["parameters"])
    assert seen["env"]["SECTORPLANNEN_EXTRACT"] == EXTRACT  # the path only in the kernel's environment,
    assert set(seen["env"]) == {"SECTORPLANNEN_EXTRACT", registry.SPEC_VARIABLE}  # with the run's specification


def test_a_label_resolves_only_to_the_extract_the_kernel_was_given(monkeypatch):
    from sectorplannen import hashing

    label = hashing.extract_label(EXTRACT)
    monkeypatch.setenv(hashing.EXTRACT_VARIABLE, EXTRACT)
    assert hashing.resolve_extract(label) == EXTRACT
    assert hashing.resolve_extract("synthetic") == "synthetic"
    monkeypatch.setenv(hashing.EXTRACT_VARIABLE, "/ander/bestand.csv")
    with pytest.raises(errors.ParameterError) as caught:
        hashing.resolve_extract(label)
    assert str(caught.value) == (
        f"data_source {label!r} is the label of an extract, not its path: give the path of the extract (make "
        "chapter passes it to the notebook itself)"
    )
