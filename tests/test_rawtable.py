"""The raw table parser: cells from printed spacing, placement by totals, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sectorplannen.errors import RawTableError
from sectorplannen.sources.rawtable import parse_cell, parse_file, split_fields

HEADER = """---
source: 001_437132a865c426ec.txt
table: X.1
caption: test
lines: [1, 9]
row_kind: label
label_columns: [Sectorplan]
columns: [A, B, C, Totaal]
unit: aantal
total_column: Totaal
total_row: Totaal
{extra}---
"""


def write(tmp_path: Path, body: str, extra: str = "") -> Path:
    path = tmp_path / "001" / "X.1.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(HEADER.format(extra=extra) + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("printed", "value", "unit"),
    [
        ("2.756", 2756, "aantal"),
        ("23,4", 23.4, "aantal"),
        ("94%", 94, "procent"),
        ("€ 46.211.157", 46211157, "euro"),
        ("296 duizend", 296, "duizend"),
        ("€ 978 miljoen", 978, "miljoen euro"),
        ("€ 423 mln.", 423, "miljoen euro"),
        ("69 procent", 69, "procent"),
        ("(23%)", 23, "procent"),
        ("4875", 4875, "aantal"),
        ("-", None, "aantal"),
    ],
)
def test_parse_cell_reads_printed_numbers(printed, value, unit):
    cell = parse_cell(printed, "A", "aantal")
    assert cell.value == value
    assert cell.unit == unit
    assert cell.printed == printed


@pytest.mark.parametrize("printed", ["1.23", "12a", "1,2,3", "€"])
def test_parse_cell_rejects_what_is_not_a_printed_number(printed):
    with pytest.raises(ValueError, match="not a number"):
        parse_cell(printed, "A", "aantal")


def test_split_fields_keeps_empty_cells_and_glues_units():
    assert split_fields("  2   3 5") == ["", "", "2", "", "", "3", "5"]
    assert split_fields("€ 1.000 € 2,5 94%") == ["€ 1.000", "€ 2,5", "94%"]
    assert split_fields("296 duizend 13 duizend") == ["296 duizend", "13 duizend"]


def test_cells_follow_the_printed_spacing(tmp_path):
    table = parse_file(write(tmp_path, "1 | P | 1  2 3\n2 | Q |  4  4\n3 | Totaal | 1 4 2 7\n"))
    assert [c.value for c in table.rows[0].cells] == [1, None, 2, 3]
    assert [c.value for c in table.rows[1].cells] == [None, 4, None, 4]


def test_lost_space_is_placed_by_the_row_total(tmp_path):
    # "Q" prints 4 and 4 with a space lost: only B=4, Totaal=4 ... or A/C; the row total cannot
    # tell, the column totals can.
    table = parse_file(write(tmp_path, "1 | P | 1  2 3\n2 | Q | 4 4\n3 | Totaal | 1 4 2 7\n"))
    assert [c.value for c in table.rows[1].cells] == [None, 4, None, 4]


def test_ambiguous_placement_is_an_error_naming_the_rows(tmp_path):
    path = write(tmp_path, "1 | P | 2 2\n2 | Q | 2 2\n3 | Totaal | 2 2 0 4\n")
    with pytest.raises(RawTableError, match=r"X\.1\.txt, line-ref 1: rows 'P', 'Q'.*more than one"):
        parse_file(path)


def test_positions_record_a_placement(tmp_path):
    path = write(
        tmp_path, "1 | P | 2 2\n2 | Q | 2 2\n3 | Totaal | 2 2 0 4\n", extra="positions: {P: [0, 3], Q: [1, 3]}\n"
    )
    table = parse_file(path)
    assert [c.value for c in table.rows[0].cells] == [2, None, None, 2]


def test_footnote_marker_is_kept_in_print_and_left_out_of_the_value(tmp_path):
    path = write(tmp_path, "1 | P | 141 1  15\n2 | Totaal | 14 1 0 15\n", extra='footnote_markers: {P: {A: "1"}}\n')
    cell = parse_file(path).rows[0].cells[0]
    assert (cell.printed, cell.value) == ("141", 14)


@pytest.mark.parametrize(
    ("body", "extra", "message"),
    [
        ("1 | P | 1 2 4\n", "", "no placement of its numbers fits the row total"),
        ("1 | P | 1 x 1 2\n", "", "row 'P', column 'B': not a number"),
        ("1 P 1 2 3\n", "", "expected 3 fields"),
        ("a | P | 1 1 0 2\n", "", "line-ref 'a'"),
        ("1 | P | 1 1 0 2\n", "units: {Z: procent}\n", "units names unknown column"),
        ("1 | P | 1 1 0 2\n", "positions: {Nope: [0]}\n", "positions names unknown row"),
    ],
)
def test_malformed_raw_files_name_file_and_place(tmp_path, body, extra, message):
    with pytest.raises(RawTableError, match=message) as info:
        parse_file(write(tmp_path, body, extra))
    assert "X.1.txt" in str(info.value)


def test_missing_header_key_is_named(tmp_path):
    path = tmp_path / "001" / "X.1.txt"
    path.parent.mkdir()
    path.write_text("---\nsource: x\n---\n1 | P | 1\n", encoding="utf-8")
    with pytest.raises(RawTableError, match=r"header misses key.*table.*caption"):
        parse_file(path)
