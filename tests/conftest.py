"""Shared fixtures: outputs in a temporary folder; a scratch copy of data/published/ that a test may corrupt;
the whole report built once per test session and shared by the tests (and xdist workers) that read it."""

from __future__ import annotations

import atexit
import contextlib
import csv
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

# No test writes into the user's outputs/: every run of the suite (and the kernels it starts)
# writes into a fresh temporary folder, set before the package reads it. A test suite that built
# into outputs/ could also pass on pages cached from an earlier run.
os.environ["SECTORPLANNEN_OUTPUTS"] = tempfile.mkdtemp(prefix="sectorplannen-test-outputs-")
atexit.register(shutil.rmtree, os.environ["SECTORPLANNEN_OUTPUTS"], ignore_errors=True)
# Nor into the user's release records of confidential extracts (participants.releases).
os.environ["SECTORPLANNEN_RELEASES"] = tempfile.mkdtemp(prefix="sectorplannen-test-releases-")
atexit.register(shutil.rmtree, os.environ["SECTORPLANNEN_RELEASES"], ignore_errors=True)

from sectorplannen import paths  # noqa: E402 (after the outputs folder is set)


@pytest.fixture
def published_copy(tmp_path: Path) -> Path:
    """A copy of data/published/ in a temporary folder."""
    target = tmp_path / "published"
    shutil.copytree(paths.PUBLISHED, target)
    return target


def rewrite_cell(csv_path: Path, row_match: dict, column: str, new_value: str) -> None:
    """Set ``column`` to ``new_value`` in the first CSV row whose fields equal ``row_match``."""
    import csv

    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    for row in rows:
        if all(row[k] == v for k, v in row_match.items()):
            row[column] = new_value
            break
    else:  # pragma: no cover - a test that matches nothing is a broken test
        raise AssertionError(f"no row matches {row_match}")
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def broken_notebook(folder: Path, name: str, source: str = "inhoud") -> Path:
    """A copy of a chapter notebook with a last cell that raises ``RuntimeError('kapot')``."""
    import json

    nb = json.loads((paths.ROOT / "notebooks" / f"{source}.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "kapot",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "raise RuntimeError('kapot')",
        }
    )
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


SYSTEM_TEMP = tempfile.gettempdir()  # before any test points TMPDIR elsewhere


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Outputs in tmp_path and a temporary directory of their own (short: kernel sockets live in
    it), for this process, its workers and kernels."""
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    temp = Path(tempfile.mkdtemp(prefix="sp-", dir=SYSTEM_TEMP))
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(outputs))
    monkeypatch.setattr(paths, "OUTPUTS", outputs)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield outputs, temp
    shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def sample():
    """313 rows of the synthetic file (every 2500th), as text as its CSV export holds them: all three
    tranches and measurement dates (the shape of an extract to write in any format)."""
    import pandas as pd

    from sectorplannen.participants import synthetic

    if not paths.SYNTHETIC.exists():
        synthetic.write()
    return pd.read_csv(
        paths.SYNTHETIC_CSV, dtype=str, keep_default_na=False, skiprows=lambda i: i > 0 and i % 2500 != 1
    )


@pytest.fixture(scope="session")
def published_build():
    """Everything ``make data`` computes from data/raw/ (``published.make.build_all``), computed once
    per worker for the tests that read it. Read only."""
    from sectorplannen.published import make

    return make.build_all()


@pytest.fixture(scope="session")
def _synthetic_rows(synthetic_file):
    from sectorplannen import participants

    return participants.rows("synthetic")


@pytest.fixture(scope="module")
def synthetic_rows(_synthetic_rows):
    """The synthetic file as one checked row per participant (``participants.rows("synthetic")``,
    780.195 rows): read once per worker, a copy of its own for each test module."""
    return _synthetic_rows.copy()


# -------------------------------------------------------------------- order

# The modules that take longest (`make test` names the slowest tests), run first, so that the two
# workers of `make test` (which hand out whole modules, in this order) finish together. Ordering
# only: every test still runs, and the others keep their order.
LONGEST_FIRST = (
    "test_release_record.py",
    "test_report.py",
    "test_engine.py",
    "test_browser.py",  # the first to ask for the shared report: its build starts early
    "test_disclosure.py",
    "test_participants.py",
    "test_synthetic_reuse.py",
    "test_extract_counted.py",
    "test_robuustheid.py",
    "test_site_browser.py",
    "test_notebooks.py",
    "test_sweep.py",
    "test_build_control.py",
    "test_build_kernels.py",
    "test_site_pdf.py",
    "test_bad_inputs.py",
)


# The fixtures that build or copy the whole report: a test that takes one reads the whole report, so it
# is in the `notebook` group (make test-fast leaves it out) whether or not it says so itself.
WHOLE_REPORT = frozenset({"built_report", "built_site", "variant_site", "report_copy"})


def pytest_collection_modifyitems(items):
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
    for item in items:
        if WHOLE_REPORT & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.notebook)


# -------------------------------------------------------------------- built once per test session


def _once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder ``make`` fills once per test session, whichever xdist worker asks first: the others
    wait on a file lock beside it (pytest-xdist's recipe for session fixtures) and then read it. A
    failed ``make`` is recorded, so a waiting worker fails at once with its message, not by redoing it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    root = factory.getbasetemp().parent if worker else factory.getbasetemp()
    folder, done, failed = root / f"shared-{name}", root / f"shared-{name}.done", root / f"shared-{name}.failed"
    with FileLock(str(root / f"shared-{name}.lock")):
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                make(folder)
            except BaseException as error:
                failed.write_text(f"the shared {name} (built once per session) failed: {error!r}", encoding="utf-8")
                raise
            done.write_text("", encoding="utf-8")
    return folder


@contextlib.contextmanager
def as_outputs(folder: Path):
    """``paths.OUTPUTS`` and the kernels' ``SECTORPLANNEN_OUTPUTS`` pointed at ``folder`` for a while."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SECTORPLANNEN_OUTPUTS", str(folder))
        patch.setattr(paths, "OUTPUTS", folder)
        yield


def _build_report(outputs: Path) -> None:
    from sectorplannen import site
    from sectorplannen.pipeline import report

    with as_outputs(outputs):
        report.build(force=True, log=lambda _: None)
        site.build(outputs / "report")


@pytest.fixture(scope="session", autouse=True)
def synthetic_file(tmp_path_factory) -> Path:
    """The synthetic participant file (not committed: a fresh clone has none), written once before any
    test when it is missing or older than what it is made from (tests hold it to the code they test),
    so parallel workers and their builds never race to write it."""

    def write(_: Path) -> None:
        from sectorplannen import hashing
        from sectorplannen.participants import synthetic

        current = paths.SYNTHETIC.exists() and hashing.changed_sources(paths.SYNTHETIC, synthetic.synthetic_sources())
        if current != []:  # missing, unrecorded (None) or stale (the sources that changed)
            synthetic.write()

    _once(tmp_path_factory, "synthetic", write)
    return paths.SYNTHETIC


@pytest.fixture(scope="session", autouse=True)
def session_nursery():
    """One kernel nursery per test process, for every build the tests run in it (the shared builds
    included): each build would otherwise start its own and wait two or three seconds for its imports.
    Its kernels write where their build writes (the nursery's ``_child`` reads the outputs and
    temporary folders from the environment each build gives its kernels). A test of the nursery
    itself starts its own (``own_nursery``)."""
    from sectorplannen.pipeline import kernel

    with kernel.nursery() as running:
        yield running


@pytest.fixture
def own_nursery(monkeypatch):
    """No session nursery for this test: a build or ``kernel.nursery()`` in it starts its own, as in a
    run of ``make``."""
    from sectorplannen.pipeline import kernel

    monkeypatch.setattr(kernel, "_nursery", None)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory) -> Path:
    """An outputs folder holding the whole report (report/, notebooks/, ledger/, robuustheid/): every
    chapter executed on the forked kernels and rendered, forced, into an empty folder, so no page is
    taken over from an earlier build, and the site rendered from it as ``make report`` does. Built once
    per test session and shared: read it, never write
    into it (a test that adds to or changes outputs takes ``report_copy``)."""
    return _once(tmp_path_factory, "report", _build_report)


@pytest.fixture(scope="session")
def built_site(built_report) -> Path:
    """The site of the shared report, as ``make report`` leaves it (every page, the page of all
    numbers, search). Read only, like ``built_report``."""
    return built_report / "report"


# The two quickest chapters (inhoud of tranche 3, then vormgeving), as (notebook, parameters).
QUICK_CHAPTERS = (("inhoud", {"tranche": "3"}), ("vormgeving", {}))


def _alive_kernels(temp: Path) -> list[int]:
    """The kernels running from ``temp`` (their pids, read from their private folders)."""
    from sectorplannen.pipeline import kernel

    pids = []
    for pid_file in temp.glob(f"{kernel.KERNEL_FOLDER}*/kernel.pid"):
        with contextlib.suppress(OSError, ValueError):  # being written
            pids.append(int(pid_file.read_text(encoding="utf-8")))
    return [pid for pid in pids if kernel.alive(pid)]


@pytest.fixture(scope="session")
def quick_build(tmp_path_factory) -> Path:
    """A folder holding ``outputs/``, the two quick chapters built as ``make chapter`` builds (one
    worker, in the order given, forked kernels) into an empty folder and made a site, and
    ``build.json``: each line the build said (``said``: the line and the kernels running as it said
    it) and what the build left in its temporary directory (``left_in_temp``). Built once per test
    session and shared by the tests of build control, kernels and markup; read only (copy its
    outputs to build on them)."""

    def make(folder: Path) -> None:
        from sectorplannen.chapters import registry

        outputs = folder / "outputs"
        outputs.mkdir()
        temp = Path(tempfile.mkdtemp(prefix="sp-", dir=SYSTEM_TEMP))  # short: kernel sockets live in it
        said = []
        try:
            with as_outputs(outputs), pytest.MonkeyPatch.context() as patch:
                patch.setenv("TMPDIR", str(temp))
                patch.setattr(tempfile, "tempdir", str(temp))
                chapters = [registry.chapter_for(notebook, parameters) for notebook, parameters in QUICK_CHAPTERS]
                build_pages(chapters, jobs=1, log=lambda line: said.append([line, _alive_kernels(temp)]))
            left = sorted(p.name for p in temp.iterdir())
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        record = {"said": said, "left_in_temp": left}
        (folder / "build.json").write_text(json.dumps(record, indent=1), encoding="utf-8")

    return _once(tmp_path_factory, "quick", make)


TRANSPORT_VARIANT = {"tranche": "3", "exclude_plans": ["Transport"]}  # the reviewer's question of issue 21


@pytest.fixture(scope="session")
def variant_site(tmp_path_factory, built_report) -> Path:
    """The shared report with one variant added as a reviewer makes it (``make chapter NB=uitvoering
    TRANCHE=3 PARAMS='exclude_plans=["Transport"]'``) and the site rendered: an outputs folder, built
    once per session. Read only."""

    def make(outputs: Path) -> None:
        from sectorplannen import site
        from sectorplannen.chapters import registry
        from sectorplannen.pipeline import report

        shutil.copytree(built_report, outputs, dirs_exist_ok=True)
        with as_outputs(outputs):
            chapter = registry.chapter_for("uitvoering", TRANSPORT_VARIANT)
            report.build([chapter], log=lambda _: None)
            site.build(outputs / "report", [chapter])

    return _once(tmp_path_factory, "variant", make)


def stand_in_extract(folder: Path) -> Path:
    """A stand-in for a real extract outside the repository, ``folder/deelnemers.csv``: every 7th row of
    the synthetic file's CSV export (111.457 rows, all three tranches and dates)."""
    rows = paths.SYNTHETIC_CSV.read_text(encoding="utf-8").splitlines()
    folder.mkdir(parents=True)
    extract = folder / "deelnemers.csv"
    extract.write_text("\n".join(rows[:1] + rows[1::7]) + "\n", encoding="utf-8")
    return extract


EXTRACT_FOLDERS = ("vertrouwelijk-q7x9", "afgeschermd-k3m8")  # where the stand-in extract lies: no output may name them


@pytest.fixture(scope="session")
def extract_build(tmp_path_factory) -> Path:
    """A folder holding a stand-in for a real extract outside the repository (every 7th row of the
    synthetic file's CSV export, ``vertrouwelijk-q7x9/afgeschermd-k3m8/deelnemers.csv``) and ``outputs/``:
    chapter 7 (tranche 3) built from it, with its site, as ``make chapter NB=arbeidsmarktpositie
    TRANCHE=3 PARAMS='data_source=...'`` builds it. Built once per session; read only."""

    def make(folder: Path) -> None:
        stand_in_extract(folder.joinpath(*EXTRACT_FOLDERS))
        outputs = folder / "outputs"
        outputs.mkdir()
        with as_outputs(outputs):
            build_pages([extract_chapter(folder)], jobs=1, log=lambda _: None)

    return _once(tmp_path_factory, "extract", make)


def extract_chapter(folder: Path, extract: Path | None = None):
    """The run of chapter 7 on the extract of ``extract_build`` (or on ``extract``, a copy of it)."""
    from sectorplannen.chapters import registry

    source = extract or folder.joinpath(*EXTRACT_FOLDERS, "deelnemers.csv")
    return registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": str(source)})


@pytest.fixture
def report_copy(built_report, scratch) -> Path:
    """This test's own copy of the shared built report as its outputs (``paths.OUTPUTS`` and the
    kernels point at it), for a test that adds a chapter to it or changes it."""
    outputs, _ = scratch
    shutil.copytree(built_report, outputs, dirs_exist_ok=True)
    return outputs


def fake_run(
    outputs: Path,
    name: str,
    number: int,
    parameters: dict,
    rows: list[dict],
    tables: list[dict] = (),
    *,
    title: str | None = None,
    provenance: dict | None = None,
    cells: str = '<h2 id="Aantal">Aantal</h2><p>13.122 deelnemers</p>',
    data_kind: str = "published",
) -> None:
    """A chapter run as the build leaves it, without running it: its manifest, its rendered cells (cut at
    the ledger), its tables as data and its ledger file. For site tests that need no notebook."""
    build = outputs / ".build"
    (build / "pages").mkdir(parents=True, exist_ok=True)
    manifest = {
        "name": name,
        "notebook": name.split("_")[0],
        "number": number,
        "title": title or f"Titel {number}",
        "parameters": parameters,
        "data_kind": data_kind,
        "fingerprint": "f" * 64,
        "show_code": False,
    }
    (build / f"{name}.json").write_text(json.dumps(manifest), encoding="utf-8")
    parts = {
        "title": "",
        "before": f'<h1 id="{name}">{name}</h1>{cells}<h2 id="Grootboek">Grootboek</h2>',
        "after": '<h2 id="Na">Na</h2><p>slot</p>',
        "ledger": bool(rows),
        "tables": list(tables),
        "provenance": provenance
        or {
            "git": {"commit": "0123456789abcdef", "dirty": False},
            "parameters": parameters,
            "data_kind": data_kind,
            "packages": {"pandas": "2"},
            "inputs": {"data/published/A.1.csv": "ab" * 32},
        },
    }
    (build / "pages" / f"{name}.json").write_text(json.dumps(parts), encoding="utf-8")
    if rows:
        (outputs / "ledger").mkdir(exist_ok=True)
        with (outputs / "ledger" / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def build_pages(chapters, **options) -> list[Path]:
    """Build ``chapters`` and render the site from them, as ``make chapter`` does: their pages."""
    from sectorplannen import site
    from sectorplannen.pipeline import report

    made = report.build(chapters, **options)
    site.build(paths.OUTPUTS / "report", chapters)
    return made
