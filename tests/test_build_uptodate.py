"""The no-op fast path of `make report`: it says "up to date" only for what is, from the stamp of the
last complete build, without importing any layer; any change to an input or an output sends the
command the usual way."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sectorplannen import paths
from sectorplannen.cli import main
from sectorplannen.pipeline import provenance, uptodate


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository of its own: a notebook pair, a data folder, a participant file, outputs."""
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "tabellen").mkdir(parents=True)
    (root / "notebooks" / "hoofdstuk.ipynb").write_text("{}", encoding="utf-8")
    (root / "notebooks" / "hoofdstuk.py").write_text("# %%\n", encoding="utf-8")
    (root / "data" / "tabellen" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    people = root / "data" / "deelnemers.csv"
    people.write_text("id\nA\n", encoding="utf-8")
    old = people.stat().st_mtime_ns - 10_000_000_000  # hashed long after it was written: remembered
    os.utime(people, ns=(old, old))
    outputs = root / "outputs"
    for name, text in {"report/hoofdstuk.html": "<html></html>", "report/index.html": "<html></html>"}.items():
        (outputs / name).parent.mkdir(parents=True, exist_ok=True)
        (outputs / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "NOTEBOOKS", root / "notebooks")
    monkeypatch.setattr(paths, "OUTPUTS", outputs)
    chapter = {
        "name": "hoofdstuk",
        "number": 5,
        "notebook": "hoofdstuk",
        "parameters": {"tranche": "3"},
        "data_kind": "synthetic",
        "inputs": ["data/tabellen"],
        "participants": [str(people)],
    }
    chapter["fingerprint"] = current(chapter)
    uptodate.write_stamp([chapter], False, {"pages": 2, "claims": 7})
    return root, chapter


def current(chapter: dict) -> str:
    return uptodate.fingerprint(
        paths.NOTEBOOKS / f"{chapter['notebook']}.ipynb",
        chapter["parameters"],
        chapter["data_kind"],
        tuple(chapter["inputs"]),
        [paths.ROOT / p for p in chapter["participants"]],
    )


def test_unchanged_report_is_up_to_date_and_says_so(repo, capsys):
    assert uptodate.check(False) is not None
    assert uptodate.check(True) is None  # built without the code shown
    assert main(["report"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "[actueel] hoofdstuk 5 hoofdstuk"
    assert out[1] == "site: actueel, 2 pagina's, 7 getallen"


@pytest.mark.parametrize(
    "path",
    ["notebooks/hoofdstuk.ipynb", "notebooks/hoofdstuk.py", "data/tabellen/a.csv", "data/deelnemers.csv"],
)
def test_a_changed_input_is_never_up_to_date(repo, path):
    root, _ = repo
    target = root / path
    stat = target.stat()
    target.write_bytes(target.read_bytes() + b" ")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with its old time
    assert uptodate.check(False) is None


def test_a_new_or_removed_input_file_is_never_up_to_date(repo):
    root, _ = repo
    (root / "data" / "tabellen" / "b.csv").write_text("y\n", encoding="utf-8")
    assert uptodate.check(False) is None
    (root / "data" / "tabellen" / "b.csv").unlink()
    assert uptodate.check(False) is not None
    (root / "data" / "deelnemers.csv").unlink()
    assert uptodate.check(False) is None


def test_a_changed_or_missing_output_is_never_up_to_date(repo):
    root, _ = repo
    page = root / "outputs" / "report" / "hoofdstuk.html"
    page.write_text("<html>anders</html>", encoding="utf-8")
    assert uptodate.check(False) is None
    page.unlink()
    assert uptodate.check(False) is None


def test_a_new_page_or_manifest_is_never_up_to_date(repo):
    root, _ = repo
    (root / "outputs" / ".build").mkdir(exist_ok=True)
    (root / "outputs" / ".build" / "uitvoering_top_n-5.json").write_text("{}", encoding="utf-8")
    assert uptodate.check(False) is None


def test_the_printed_report_and_the_timings_are_not_read(repo):
    root, _ = repo
    (root / "outputs" / "report" / "sectorplannen-reproductie.pdf").write_bytes(b"%PDF")
    (root / "outputs" / ".build" / "timings.json").write_text("{}", encoding="utf-8")
    assert uptodate.check(False) is not None


def test_a_damaged_or_other_stamp_is_never_up_to_date(repo):
    stamp = uptodate.stamp_path()
    record = json.loads(stamp.read_text(encoding="utf-8"))
    stamp.write_text(json.dumps({**record, "version": 0}), encoding="utf-8")
    assert uptodate.check(False) is None
    stamp.write_text("{", encoding="utf-8")
    assert uptodate.check(False) is None
    stamp.write_text(json.dumps({**record, "chapters": [{**record["chapters"][0], "data_kind": "extract"}]}))
    assert uptodate.check(False) is None  # a real extract: always checked the usual way


def test_the_fast_fingerprint_is_the_builds():
    """The fingerprint the no-op path recomputes is the one a build records (one implementation)."""
    from sectorplannen.chapters import registry

    for chapter in registry.CHAPTERS[:3]:
        kind = chapter.data_kind
        source = paths.NOTEBOOKS / f"{chapter.notebook}.ipynb"
        built = provenance.fingerprint(source, chapter.parameters, kind, chapter.entry.inputs)
        fast = uptodate.fingerprint(
            source,
            provenance.public_parameters(chapter.parameters, kind),
            kind,
            chapter.entry.inputs,
            provenance.participant_files(chapter.parameters, kind),
            digests={},
        )
        assert fast == built


def test_package_templates_and_styles_are_in_the_fingerprint():
    names = {p.name for p in uptodate.code_files()}
    assert {"index.html.j2", "site.css", "uptodate.py"} <= names
    assert not any(p.suffix == ".pyc" for p in uptodate.code_files())


def test_a_no_op_report_is_quick(repo):
    """The command line answers a no-op from the stamp in a fresh interpreter without pandas."""
    root, _ = repo
    code = (
        "import sys; from sectorplannen import paths; from pathlib import Path; "
        f"paths.ROOT = Path({str(root)!r}); paths.NOTEBOOKS = paths.ROOT / 'notebooks'; "
        "paths.OUTPUTS = paths.ROOT / 'outputs'; from sectorplannen.cli import main; "
        "status = main(['report']); print('pandas' in sys.modules); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[0] == "[actueel] hoofdstuk 5 hoofdstuk"
    assert done.stdout.splitlines()[-1] == "False"
