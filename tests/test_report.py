"""Report production: incremental, traceable, byte-identical, atomic, clear about bad input."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil

import nbformat
import pytest
from conftest import EXTRACT_FOLDERS, QUICK_CHAPTERS, as_outputs, broken_notebook, extract_chapter

from sectorplannen import errors, paths, site
from sectorplannen.chapters import registry
from sectorplannen.cli import main
from sectorplannen.pipeline import kernel, preflight, report
from sectorplannen.render import drawings

SMALL = registry.chapter_for(*QUICK_CHAPTERS[0])  # the quickest chapter with figures (inhoud, tranche 3)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def small_built(quick_build, tmp_path_factory):
    """SMALL's page as ``make chapter`` leaves it (built, then the site rendered): the session's quick
    build, copied into this module's own outputs, which its tests point at and may change."""
    outputs = tmp_path_factory.mktemp("report") / "outputs"
    shutil.copytree(quick_build / "outputs", outputs)
    with as_outputs(outputs):
        yield paths.OUTPUTS / "report" / f"{SMALL.name}.html"


@pytest.mark.notebook
def test_unchanged_chapter_is_not_rebuilt(small_built):
    before = small_built.stat().st_mtime_ns
    lines = []
    report.build([SMALL], jobs=1, log=lines.append)
    assert lines == [f"[actueel] hoofdstuk 5 {SMALL.name}"]
    assert small_built.stat().st_mtime_ns == before
    assert report.is_current(SMALL)


@pytest.mark.notebook
def test_rebuild_gives_byte_identical_outputs(small_built):
    executed = paths.OUTPUTS / "notebooks" / f"{SMALL.name}.ipynb"
    first = (digest(small_built), digest(executed))
    shutil.rmtree(paths.reuse() / drawings.FOLDER)  # every figure drawn again, not taken from the first build
    report.build([SMALL], jobs=1, force=True, log=lambda _: None)
    site.build(paths.OUTPUTS / "report")
    assert (digest(small_built), digest(executed)) == first


@pytest.mark.notebook
def test_outputs_record_their_provenance(small_built):
    nb = nbformat.read(paths.OUTPUTS / "notebooks" / f"{SMALL.name}.ipynb", as_version=4)
    prov = nb.metadata["sectorplannen"]
    assert prov["parameters"] == {"tranche": "3"}
    assert prov["data_kind"] == "published"
    assert len(prov["git"]["commit"]) in (40, len("onbekend"))
    assert "data/published/001/A.9.csv" in prov["inputs"]
    assert all(len(v) == 64 for v in prov["inputs"].values())
    assert prov["packages"]["pandas"]
    page = small_built.read_text(encoding="utf-8")
    assert 'class="sectorplannen-provenance"' in page
    assert prov["inputs"]["data/published/001/A.9.csv"][:16] in page


@pytest.mark.notebook
def test_changed_input_makes_the_chapter_stale(small_built, tmp_path, monkeypatch):
    claims_copy = tmp_path / "claims"
    shutil.copytree(paths.DATA / "claims", claims_copy)
    (claims_copy / "extra.txt").write_text("x")
    entry = registry.entry(SMALL.notebook)
    changed = dataclasses.replace(entry, inputs=("data/published", str(claims_copy)))
    monkeypatch.setattr(registry, "REGISTRY", tuple(changed if e is entry else e for e in registry.REGISTRY))
    assert not report.is_current(SMALL)


@pytest.mark.notebook
def test_failing_chapter_keeps_the_previous_good_html(small_built, tmp_path, monkeypatch):
    good = small_built.read_bytes()
    broken_notebook(tmp_path, "inhoud")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    with pytest.raises(errors.ChapterFailed, match=r"chapter 5 \(inhoud.*failed in cell \d+: RuntimeError: kapot"):
        report.build([SMALL], jobs=1, force=True, log=lambda _: None)
    site.build(paths.OUTPUTS / "report")  # as make chapter does after a failed chapter
    assert small_built.read_bytes() == good
    assert not list((paths.OUTPUTS / "report").glob(".*.tmp"))


# -------------------------------------------------------------------- bad input, before any work


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chapter", "bestaat-niet"], "unknown notebook 'bestaat-niet'"),
        (["chapter", "uitvoering", "--tranche", "4"], "tranche must be one of"),
        (["chapter", "uitvoering", "--params", "top_n=twintig"], "top_n must be a whole number"),
        (["chapter", "uitvoering", "--params", "top_n=-3"], "top_n must be a whole number of at least 1"),
        (["chapter", "uitvoering", "--params", 'exclude_plans=["Bouwen"]'], "unknown plan 'Bouwen'"),
        (["chapter", "uitvoering", "--params", "exclude_plans=[Bouw"], "not valid YAML"),
        (["report", "--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_command_lines_are_named(argv, message, capsys):
    before = sorted(p.name for p in (paths.OUTPUTS / "report").glob("*.html"))
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (paths.OUTPUTS / "report").glob("*.html")) == before


def test_missing_kernel_is_named(monkeypatch):
    monkeypatch.setattr(kernel, "KERNEL", "geen-kernel")
    with pytest.raises(errors.SetupError, match="Jupyter kernel 'geen-kernel' is not installed: run `make setup`"):
        preflight.check_kernel("geen-kernel")


def test_unwritable_output_folder_is_named(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(errors.SetupError, match="is not writable"):
            preflight.check_writable(folder)
    finally:
        folder.chmod(0o700)


def test_unwritable_file_system_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(errors.SetupError, match=r"output folder .* is not writable"):
        preflight.check_writable(blocker / "sub")


def test_missing_data_file_fails_before_any_chapter_runs(monkeypatch, tmp_path):
    copy = tmp_path / "published"
    shutil.copytree(paths.PUBLISHED, copy)
    (copy / "001" / "A.9.csv").unlink()
    monkeypatch.setattr(paths, "PUBLISHED", copy)
    monkeypatch.setattr("sectorplannen.paths.PUBLISHED", copy)
    with pytest.raises(ValueError, match=r"A\.9\.csv: missing; run `make data`"):
        report.preflight([SMALL])


def test_corrupted_data_file_fails_before_any_chapter_runs(monkeypatch, tmp_path):
    copy = tmp_path / "published"
    shutil.copytree(paths.PUBLISHED, copy)
    path = copy / "001" / "A.9.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",aantal,", ",stuks,", 1), encoding="utf-8")
    monkeypatch.setattr("sectorplannen.paths.PUBLISHED", copy)
    with pytest.raises(ValueError, match=r"A\.9\.csv, row 2, column 'unit'.*'stuks'"):
        report.preflight([SMALL])


# -------------------------------------------------------------------- participant data


def test_bad_participant_parameters_fail_before_any_work(capsys):
    for argv, message in (
        (["chapter", "arbeidsmarktpositie", "--params", "peildatum=2020"], "peildatum must be"),
        (
            ["chapter", "arbeidsmarktpositie", "--params", "peildatum=2019-02-30"],
            "value of 'peildatum' is not valid: day is out of range",
        ),
        (["chapter", "arbeidsmarktpositie", "--params", "min_cell_size=-5"], "min_cell_size must be"),
        (["chapter", "arbeidsmarktpositie", "--params", "data_source=data/calibratie.yaml"], "outside the repository"),
        (
            ["chapter", "arbeidsmarktpositie", "--params", "data_source=data/extract/x.csv"],
            f"{paths.ROOT / 'data' / 'extract' / 'x.csv'}: no such file: check the path",
        ),
    ):
        assert main(argv) == 2
        assert message in capsys.readouterr().err


@pytest.mark.notebook
def test_real_extract_leaves_no_participant_row_in_outputs(extract_build):
    """A run on a (stand-in) real extract (the session's, conftest): no participant id or row may
    reach outputs/."""
    chapter = extract_chapter(extract_build)
    extract = extract_build.joinpath(*EXTRACT_FOLDERS, "deelnemers.csv")
    assert str(extract) not in chapter.name and chapter.data_kind == "extract"
    rows = extract.read_text(encoding="utf-8").splitlines()[1:]
    ids = {line.split(",", 1)[0] for line in rows}
    assert len(ids) > 1000 and all(re.fullmatch(r"S\d{6}", i) for i in ids)  # so every place one could stand is found
    outputs = extract_build / "outputs"
    produced = [p for p in outputs.rglob("*") if p.is_file() and chapter.name in p.name]
    assert produced
    for path in produced:  # every 'S' and six digits anywhere in the file, overlapping ones too
        text = path.read_text(encoding="utf-8", errors="ignore")
        leaked = sorted(ids & set(re.findall(r"(?=(S\d{6}))", text)))
        assert not leaked, f"{path} contains participant ids {leaked[:3]}"
    page = (paths.report(outputs) / f"{chapter.name}.html").read_text(encoding="utf-8")
    assert "SYNTHETISCHE GEGEVENS" not in page and "vertrouwelijk deelnemersbestand" in page
