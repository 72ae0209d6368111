"""The published tables read ahead by the kernel nursery (``published.read_ahead``): a chapter's kernel
finds them read and validated, exactly as it would read them itself; a kernel forked after any file they
depend on changed starts with nothing read; a table that cannot be read stops the reading ahead without
an error (the chapter reads it and says what is wrong)."""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest

from sectorplannen import paths
from sectorplannen.published import load, read_ahead
from sectorplannen.sources.register import register


@pytest.fixture
def ahead(published_copy):
    load.forget()
    reading = read_ahead.ReadAhead(published_copy)
    yield reading
    load.forget()


def read_all(reading: read_ahead.ReadAhead) -> None:
    while reading.todo:
        reading.step()


def test_a_table_read_ahead_is_served_without_reading(ahead, published_copy, monkeypatch):
    count = len(load.resources(published_copy))
    assert len(ahead.todo) == count > 100  # every table is to be read
    while ("A.2", "001") not in [(table_id, source) for table_id, source, _ in ahead.todo[:1]]:
        ahead.step()
    ahead.step()  # read up to Tabel A.2, as the nursery would before a chapter's kernel
    assert ahead.keep_or_forget()
    resource = load.resource("A.2", "001", published_copy)  # Tabel A.2: participants per plan and theme
    expected = load.read_table_file(published_copy / resource["path"], resource)

    def no_reading(*_):
        raise AssertionError("read again")

    monkeypatch.setattr(load, "read_table_file", no_reading)
    served = load.table("A.2", "001", published_copy)
    pd.testing.assert_frame_equal(served, expected)  # what the chapter would have read itself
    assert served.attrs == expected.attrs


@pytest.mark.parametrize(
    "changed",
    [
        lambda reading: reading.data_dir / reading.todo[0][2],  # the first table read ahead
        lambda reading: reading.data_dir / "findings.csv",  # what explains the tables' totals
        lambda reading: reading.data_dir / "datapackage.json",  # the tables' descriptions
        lambda reading: paths.RAW / "plans.yaml",  # the plan register, which validates every table
    ],
    ids=["a table", "the findings", "the data package", "the plan register"],
)
def test_a_changed_file_empties_what_was_read_ahead(ahead, changed, tmp_path, monkeypatch):
    if changed(ahead) == paths.RAW / "plans.yaml":  # a copy of the register, read where the real one is
        raw = tmp_path / "raw"
        raw.mkdir()
        for name in ("plans.yaml", "categories.yaml"):
            (raw / name).write_bytes((paths.RAW / name).read_bytes())
        monkeypatch.setattr(paths, "RAW", raw)
        ahead = read_ahead.ReadAhead(ahead.data_dir)
    target = changed(ahead)
    for _ in range(3):
        ahead.step()
    assert ahead.keep_or_forget()
    replacement = target.with_name(target.name + ".new")
    replacement.write_bytes(target.read_bytes())  # the same content in a new file: another stamp
    os.replace(replacement, target)
    assert load._TABLES and register.cache_info().currsize
    assert not ahead.keep_or_forget()
    assert not load._TABLES and not load._PACKAGES and register.cache_info().currsize == 0


def test_a_table_read_ahead_only_in_part_is_kept_while_unchanged(ahead):
    for _ in range(3):
        ahead.step()
    assert len(load._TABLES) == 3
    assert ahead.keep_or_forget()
    assert len(load._TABLES) == 3


def test_a_table_that_cannot_be_read_stops_the_reading_without_an_error(ahead):
    table_id, source, path = ahead.todo[1]
    (ahead.data_dir / path).write_text("geen,tabel\n1,2\n", encoding="utf-8")  # not the table's columns
    read_all(ahead)
    assert ahead.todo == [] and not ahead.keep_or_forget()
    assert not load._TABLES
    with pytest.raises(load.PublishedDataError, match=re.escape(f"{ahead.data_dir / path}: missing column")):
        load.table(table_id, source, ahead.data_dir)  # the chapter's own read says what is wrong


def test_a_damaged_data_package_reads_nothing_ahead(published_copy):
    (published_copy / "datapackage.json").write_text("{niet", encoding="utf-8")
    reading = read_ahead.ReadAhead(published_copy)
    assert reading.todo == [] and not load._PACKAGES
    load.forget()


def test_the_real_published_folder_is_the_default():
    assert read_ahead.ReadAhead().data_dir == paths.PUBLISHED
    load.forget()
