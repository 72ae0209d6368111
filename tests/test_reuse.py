"""Results computed once per state of their inputs and reused by content hash (``sectorplannen.reuse``):
the same inputs give the stored result without computing, any changed input computes again, and a
damaged store or one that cannot be written costs only the reuse."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from sectorplannen import paths, reuse
from sectorplannen.chapters import robuustheid


@pytest.fixture
def outputs(tmp_path, monkeypatch):
    folder = tmp_path / "outputs"
    monkeypatch.setattr(paths, "OUTPUTS", folder)
    return folder


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "A.3.csv"
    path.write_text("plan,value\nbouw,19952\n", encoding="utf-8")
    return path


class Counting:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_the_same_inputs_are_computed_once(outputs, table):
    compute = Counting(pd.DataFrame({"waarde": [296145.0]}))
    first = reuse.reused("proef", [table], compute)
    again = reuse.reused("proef", [table], compute)
    assert compute.calls == 1
    pd.testing.assert_frame_equal(first, again)
    assert [p.name for p in paths.reuse().iterdir()] == [f"proef-{reuse.key('proef', [table])}.pickle"]


def test_a_changed_input_is_computed_again_and_the_old_result_goes(outputs, table):
    compute = Counting(1)
    reuse.reused("proef", [table], compute)
    before = reuse.key("proef", [table])
    table.write_text("plan,value\nbouw,19953\n", encoding="utf-8")
    os.utime(table, ns=(1, 1))  # another content, whatever the clock says
    assert reuse.key("proef", [table]) != before
    reuse.reused("proef", [table], compute)
    assert compute.calls == 2
    assert len(list(paths.reuse().glob("proef-*.pickle"))) == 1


def test_the_key_names_content_not_order(table, tmp_path):
    other = tmp_path / "A.9.csv"
    other.write_text("plan,value\ntransport-t3,2789\n", encoding="utf-8")
    assert reuse.key("x", [table, other]) == reuse.key("x", [other, table]) != reuse.key("y", [table, other])


def test_a_damaged_store_is_computed_again(outputs, table):
    compute = Counting(3)
    reuse.reused("proef", [table], compute)
    (stored,) = paths.reuse().glob("proef-*.pickle")
    stored.write_bytes(b"kapot")
    assert reuse.reused("proef", [table], compute) == 3
    assert compute.calls == 2


def test_a_folder_that_cannot_be_written_costs_only_the_reuse(outputs, table):
    outputs.mkdir()
    paths.reuse().write_text("not a folder", encoding="utf-8")  # mkdir fails
    compute = Counting(4)
    assert reuse.reused("proef", [table], compute) == reuse.reused("proef", [table], compute) == 4
    assert compute.calls == 2


def test_the_robustness_chapter_keys_on_what_it_reads():
    names = {p.relative_to(paths.ROOT).as_posix() for p in robuustheid.inputs()}
    assert {"data/claims/uitvoering.csv", "data/published/001/A.3.csv", "data/raw/plans.yaml"} <= names
    assert {"src/sectorplannen/statistics/indicators.py", "src/sectorplannen/chapters/robuustheid.py"} <= names
    assert not any(name.startswith(("src/sectorplannen/site/", "src/sectorplannen/pipeline/")) for name in names)
    assert not any(name.startswith("notebooks/") for name in names)  # the notebook's text does not change a value


def test_the_robustness_chapter_computes_its_variants_once(outputs, monkeypatch):
    made = Counting(robuustheid.Sensitivity(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), 87))
    monkeypatch.setattr(robuustheid, "compute", lambda jobs=None: made())
    assert robuustheid.sensitivity().n_variants == robuustheid.sensitivity().n_variants == 87
    assert made.calls == 1
