"""No changed input goes unnoticed: every file a chapter reads is in its fingerprint, stale derived
data is refused before any kernel starts, and the path of a real extract reaches no output."""

from __future__ import annotations

import json
import shutil
import subprocess

import nbformat
import pytest
from conftest import EXTRACT_FOLDERS, extract_chapter

from sectorplannen import errors, hashing, paths
from sectorplannen.chapters import registry
from sectorplannen.cli import main
from sectorplannen.participants import synthetic
from sectorplannen.pipeline import preflight, provenance, report
from sectorplannen.published import make as build

PLAN_CHAPTER = registry.chapter_for("uitvoering", {"tranche": "3"})
SYNTHETIC_CHAPTER = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3"})


@pytest.fixture(autouse=True)
def scratch_outputs(tmp_path, monkeypatch):
    """Every test writes its outputs into a temporary folder, never into outputs/."""
    out = tmp_path / "out"
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(out))
    monkeypatch.setattr(paths, "OUTPUTS", out)
    return out


def fingerprint(chapter: registry.Chapter, inputs: tuple[str, ...] | None = None) -> str:
    """The fingerprint a build computes (``inputs``: other declared inputs than the registry's)."""
    source = paths.NOTEBOOKS / f"{chapter.notebook}.ipynb"
    kind = chapter.data_kind
    return provenance.fingerprint(source, chapter.parameters, kind, inputs or chapter.entry.inputs)


# -------------------------------------------------------------------- participant files


def test_extract_content_changed_at_the_same_path_changes_the_fingerprint(tmp_path):
    extract = tmp_path / "geheim" / "deelnemers.csv"
    extract.parent.mkdir()
    extract.write_text("deelnemer_id\nA\n", encoding="utf-8")
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": str(extract)})
    before = fingerprint(chapter)
    extract.write_text("deelnemer_id\nB\n", encoding="utf-8")  # same size, same path, same second
    after = fingerprint(chapter)
    extract.unlink()
    assert len({before, after, fingerprint(chapter)}) == 3  # a missing extract is not current either


def test_synthetic_file_and_its_prior_are_in_the_fingerprint(tmp_path, monkeypatch):
    fake, prior = tmp_path / "deelnemers.csv", tmp_path / "calibratie.yaml"
    fake.write_text("deelnemer_id\nA\n", encoding="utf-8")
    shutil.copy(paths.CALIBRATION, prior)
    monkeypatch.setattr(paths, "SYNTHETIC", fake)
    monkeypatch.setattr(paths, "CALIBRATION", prior)
    first = fingerprint(SYNTHETIC_CHAPTER)
    fake.write_text("deelnemer_id\nB\n", encoding="utf-8")
    second = fingerprint(SYNTHETIC_CHAPTER)
    prior.write_text(prior.read_text(encoding="utf-8") + "\n# andere prior\n", encoding="utf-8")
    third = fingerprint(SYNTHETIC_CHAPTER)
    assert len({first, second, third}) == 3
    assert fingerprint(PLAN_CHAPTER) == fingerprint(PLAN_CHAPTER)


def test_an_extract_is_named_by_its_label_not_its_path():
    source = "/ergens/buiten/deelnemers.csv"
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": source})
    assert hashing.extract_label(source) in chapter.name
    shown = provenance.public_parameters(chapter.parameters, "extract")
    assert shown["data_source"] == hashing.extract_label(source)


def test_the_same_extract_by_two_paths_is_one_variant(tmp_path):
    """The run name follows the extract's content: a copy elsewhere, or a path through a link, names
    the same variant; an extract with other content another."""
    first = tmp_path / "a" / "deelnemers.csv"
    first.parent.mkdir()
    first.write_text("deelnemer_id\nA\n", encoding="utf-8")
    (tmp_path / "b").mkdir()
    copy = tmp_path / "b" / "kopie.csv"
    copy.write_bytes(first.read_bytes())
    (tmp_path / "link").symlink_to(first.parent)
    other = tmp_path / "b" / "ander.csv"
    other.write_text("deelnemer_id\nB\n", encoding="utf-8")
    names = [
        registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": str(path)}).name
        for path in (first, copy, tmp_path / "link" / "deelnemers.csv", other)
    ]
    assert names[0] == names[1] == names[2] != names[3]
    assert str(tmp_path) not in names[0]


def test_missing_synthetic_file_is_made_before_any_kernel_starts(tmp_path, monkeypatch):
    target = tmp_path / "synthetic" / "deelnemers.csv"
    monkeypatch.setattr(paths, "SYNTHETIC", target)
    made = []

    def fake_write(path=None, seed=synthetic.SEED):  # the real generator takes 12 s
        made.append(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("deelnemer_id\n", encoding="utf-8")
        hashing.write_sources_record(target, synthetic.synthetic_sources())
        return target

    monkeypatch.setattr(synthetic, "write", fake_write)
    preflight.prepare_synthetic([PLAN_CHAPTER])
    assert made == []  # no participant chapter: nothing to make
    preflight.prepare_synthetic([SYNTHETIC_CHAPTER, SYNTHETIC_CHAPTER])
    assert made == [target] and target.exists()
    preflight.prepare_synthetic([SYNTHETIC_CHAPTER])  # made from the current sources: accepted
    assert made == [target]


@pytest.fixture
def scratch_repo(tmp_path, monkeypatch):
    """A repository root in tmp_path holding a synthetic file and its prior (messages name paths
    relative to the root)."""
    root = tmp_path / "repo"
    (root / "data" / "synthetic").mkdir(parents=True)
    prior = root / "data" / "calibratie.yaml"
    shutil.copy(paths.CALIBRATION, prior)
    target = root / "data" / "synthetic" / "deelnemers.parquet"
    target.write_text("deelnemer_id\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "CALIBRATION", prior)
    monkeypatch.setattr(paths, "SYNTHETIC", target)
    return root


def test_synthetic_file_older_than_its_prior_is_refused(scratch_repo):
    target = paths.SYNTHETIC
    hashing.write_sources_record(target, synthetic.synthetic_sources())
    prior = scratch_repo / "data" / "calibratie.yaml"
    prior.write_text(prior.read_text(encoding="utf-8") + "\n# nieuwe aanname\n", encoding="utf-8")
    with pytest.raises(errors.StaleSyntheticData) as error:
        preflight.prepare_synthetic([SYNTHETIC_CHAPTER])
    assert str(error.value) == "data/synthetic/deelnemers.parquet is older than data/calibratie.yaml: run `make data`"


def test_synthetic_file_without_a_record_of_its_sources_is_refused(scratch_repo):
    with pytest.raises(
        errors.StaleSyntheticData, match=r"^data/synthetic/deelnemers.parquet has no record .*make data`$"
    ):
        preflight.prepare_synthetic([SYNTHETIC_CHAPTER])


def test_synthetic_save_records_its_sources(tmp_path):
    import pandas as pd

    path = synthetic.save(pd.DataFrame({"deelnemer_id": ["A"]}), tmp_path / "deelnemers.csv")
    made_from = json.loads(hashing.sources_record(path).read_text(encoding="utf-8"))
    assert made_from["data/calibratie.yaml"] == provenance.sha256(paths.CALIBRATION)
    assert "src/sectorplannen/participants/synthetic.py" in made_from
    assert hashing.changed_sources(path, synthetic.synthetic_sources()) == []


# -------------------------------------------------------------------- the paired .py


def test_edit_only_in_the_paired_py_is_refused(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    for suffix in (".ipynb", ".py"):
        shutil.copy(paths.NOTEBOOKS / f"uitvoering{suffix}", root / "notebooks" / f"uitvoering{suffix}")
    monkeypatch.setattr(paths, "NOTEBOOKS", root / "notebooks")
    before = fingerprint(PLAN_CHAPTER)
    report.preflight([PLAN_CHAPTER])  # a synced pair passes
    script = root / "notebooks" / "uitvoering.py"
    script.write_text(script.read_text(encoding="utf-8").replace("top_n = 20", "top_n = 5", 1), encoding="utf-8")
    assert fingerprint(PLAN_CHAPTER) != before
    monkeypatch.setattr(paths, "ROOT", root)
    with pytest.raises(errors.NotebookPairError) as error:
        report.preflight([PLAN_CHAPTER])
    assert str(error.value) == (
        "notebooks/uitvoering.py and notebooks/uitvoering.ipynb differ: "
        "run `.venv/bin/jupytext --sync notebooks/uitvoering.ipynb` (or `make sync`)"
    )


# -------------------------------------------------------------------- data/raw and make data


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    copy = tmp_path / "raw"
    shutil.copytree(paths.RAW, copy)
    monkeypatch.setattr(paths, "RAW", copy)
    return copy


def test_real_published_data_records_the_current_raw_files():
    build.check_raw()
    package = json.loads((paths.PUBLISHED / "datapackage.json").read_text(encoding="utf-8"))
    assert "data/raw/001/A.3.txt" in package["sectorplannen"]["raw"]
    assert "data/raw/findings.yaml" in package["sectorplannen"]["raw"]


def test_raw_table_edited_without_make_data_is_refused(raw_copy, monkeypatch):
    inputs = ("data/published", "data/claims", str(raw_copy))
    before = fingerprint(PLAN_CHAPTER, inputs)
    table = raw_copy / "001" / "A.3.txt"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(PLAN_CHAPTER, inputs) != before  # so the chapter is rebuilt, and the build refuses
    with pytest.raises(build.StaleRawData) as error:
        report.preflight([PLAN_CHAPTER])
    assert str(error.value) == "data/raw/001/A.3.txt changed since `make data`: run `make data`"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: (raw / "001" / "A.3.txt").unlink(), "data/raw/001/A.3.txt was removed since `make data`"),
        (lambda raw: (raw / "extra.yaml").write_text("x: 1\n"), "data/raw/extra.yaml is new since `make data`"),
        (
            lambda raw: ((raw / "plans.yaml").write_text("[]\n"), (raw / "checks.yaml").write_text("{}\n")),
            r"data/raw/checks.yaml changed since `make data` \(and 1 more\): run `make data`",
        ),
    ],
)
def test_raw_files_added_or_removed_are_named(raw_copy, change, message):
    change(raw_copy)
    with pytest.raises(build.StaleRawData, match=message):
        build.check_raw()


@pytest.mark.slow
def test_make_data_with_an_unexplained_finding_writes_nothing_and_fails(raw_copy, tmp_path, monkeypatch, capsys):
    findings = raw_copy / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    first = text.index("- check: kolomtotaal\n  table: 001/A.1\n  row: Totaal\n")
    findings.write_text(text[:first] + text[text.index("\n- check:", first) + 1 :], encoding="utf-8")
    published_dir = tmp_path / "published"
    shutil.copytree(paths.PUBLISHED, published_dir)
    before = {p: p.read_bytes() for p in published_dir.rglob("*") if p.is_file()}
    monkeypatch.setattr(paths, "PUBLISHED", published_dir)
    monkeypatch.setattr(paths, "SYNTHETIC", tmp_path / "deelnemers.csv")
    assert main(["data"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert (
        err.startswith("error: make data: ")
        and "difference(s) without an explanation: kolomtotaal 001/A.1 row 'Totaal'" in err
    )
    assert "add an explanation to data/raw/findings.yaml or fix the table" in err
    assert {p: p.read_bytes() for p in published_dir.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "deelnemers.csv").exists()


# -------------------------------------------------------------------- make


def test_make_chapter_passes_force_and_make_sync_exists(tmp_path):
    """make passes what was typed after it through the environment (read by `--from-make`), not on
    the command line (tests/test_bad_inputs.py tries to inject commands through it)."""

    def dry(*args):
        # --no-print-directory: under `make test` the outer make's MAKELEVEL makes this one print
        # "Entering/Leaving directory" lines
        run = subprocess.run(
            ["make", "-n", "--no-print-directory", *args], cwd=paths.ROOT, capture_output=True, text=True, check=True
        )
        return run.stdout.strip().splitlines()[-1]

    show = tmp_path / "toon.sh"  # stands in for the Python interpreter: prints what it was given
    show.write_text('#!/bin/sh\necho "$@"\nenv | grep ^SECTORPLANNEN_MAKE_ | sort\n', encoding="utf-8")
    show.chmod(0o755)

    def given(*args):
        run = subprocess.run(
            ["make", "--no-print-directory", f"PY={show}", *args],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return run.stdout.strip().splitlines()[-10:]  # the command, then the nine variables make passes

    assert dry("chapter", "NB=uitvoering", "FORCE=1") == ".venv/bin/python -m sectorplannen chapter --from-make"
    lines = given("chapter", "NB=uitvoering", "FORCE=1")
    assert lines[0] == "-m sectorplannen chapter --from-make"
    assert "SECTORPLANNEN_MAKE_FORCE=1" in lines and "SECTORPLANNEN_MAKE_NB=uitvoering" in lines
    assert "SECTORPLANNEN_MAKE_FORCE=" in given("chapter", "NB=uitvoering")
    assert dry("sync") == ".venv/bin/jupytext --sync notebooks/*.ipynb"


# -------------------------------------------------------------------- the extract's path in outputs


@pytest.mark.notebook
def test_extract_path_appears_nowhere_in_outputs(extract_build, tmp_path, scratch_outputs):
    """Chapter 7 built from an extract outside the repository (the session's, conftest): no output
    names its path or its folders; the notebook and its record name it by a hash of its content; an
    edit of the extract at the same path makes the run stale."""
    chapter = extract_chapter(extract_build)
    extract = extract_build.joinpath(*EXTRACT_FOLDERS, "deelnemers.csv")
    outputs = extract_build / "outputs"
    label = hashing.extract_label(str(extract))
    produced = [p for p in outputs.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in produced)
    for path in produced:
        text = path.read_text(encoding="utf-8", errors="ignore")
        assert str(extract) not in text, f"{path} names the extract"
        assert not any(folder in text for folder in EXTRACT_FOLDERS), f"{path} names the extract's folder"
    nb = nbformat.read(outputs / "notebooks" / f"{chapter.name}.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert f'data_source = "{label}"' in injected.source
    assert nb.metadata["sectorplannen"]["parameters"]["data_source"] == label
    assert label in nb.metadata["sectorplannen"]["inputs"]
    # the same extract at another path is the same run, current in a copy of the outputs; edited, it is not
    shutil.copytree(outputs, scratch_outputs)
    copy = tmp_path / "kopie" / "deelnemers.csv"
    copy.parent.mkdir()
    shutil.copy(extract, copy)
    again = extract_chapter(extract_build, copy)
    assert again.name == chapter.name
    assert report.is_current(again)
    rows = copy.read_text(encoding="utf-8").splitlines()
    copy.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")  # a new extract at the same path
    assert not report.is_current(again)
