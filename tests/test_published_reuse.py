"""``make data`` builds the published tables once per state of data/raw/ and its code
(``published.make.inputs``, ``sectorplannen.reuse``): a second run with nothing changed writes the
same files without building them again."""

from __future__ import annotations

import shutil

import pytest

from sectorplannen import paths, reuse
from sectorplannen.published import make


def test_the_key_covers_every_raw_file_and_the_code(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    names = {p.name for p in make.inputs(raw)}
    assert {"A.8.txt", "findings.yaml", "checks.yaml", "plans.yaml", "tidy.py", "rawtable.py"} <= names
    assert "README.md" not in names
    before = reuse.key(make.REUSED, make.inputs(raw))
    (raw / "README.md").write_text("een toelichting\n", encoding="utf-8")  # documentation: same key
    assert reuse.key(make.REUSED, make.inputs(raw)) == before
    table = raw / "001" / "A.8.txt"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert reuse.key(make.REUSED, make.inputs(raw)) != before


@pytest.mark.slow
def test_a_second_make_data_reuses_the_build_and_writes_the_same_files(scratch, tmp_path, monkeypatch):
    first, second = tmp_path / "een", tmp_path / "twee"
    built = make.make_data(first)
    monkeypatch.setattr(make, "build_all", lambda raw_dir=None: pytest.fail("built again"))
    again = make.make_data(second)
    assert again.files == built.files
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / p).read_bytes() == (second / p).read_bytes() for p in files)
    assert all((first / p).read_bytes() == (paths.PUBLISHED / p).read_bytes() for p in files)  # as committed
