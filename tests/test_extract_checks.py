"""A real extract is checked before any kernel starts: every problem is one line naming file, row
and column and saying what to do, nothing is written, and the command line exits 2 without a
traceback. Each case below is a small extract made from the synthetic file outside the
repository; no notebook is executed."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest

from sectorplannen import participants, paths
from sectorplannen.chapters import registry
from sectorplannen.cli import main
from sectorplannen.errors import ParticipantDataError
from sectorplannen.pipeline import report

COLUMNS_14 = ", ".join(participants.COLUMNS)


@pytest.fixture(autouse=True)
def outputs(tmp_path, monkeypatch) -> Path:
    """A scratch output folder: a check that fails must leave it untouched (not even created)."""
    out = tmp_path / "outputs"
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(out))
    monkeypatch.setattr(paths, "OUTPUTS", out)
    return out


def _csv(frame: pd.DataFrame, path: Path, **kwargs) -> Path:
    frame.to_csv(path, index=False, lineterminator="\n", **kwargs)
    return path


def _first(frame: pd.DataFrame, condition) -> int:
    return int(frame.index[condition][0])


# -------------------------------------------------------------------- the cases: (path, message)


def missing(sample, folder):
    path = folder / "geen.csv"
    return path, f"{path}: no such file: check the path given as data_source"


def a_folder(sample, folder):
    return folder, f"{folder}: a folder, not a file: give the path of the extract's CSV file as data_source"


def inside_repository(sample, folder):
    path = paths.DATA / "calibratie.yaml"  # any file that exists inside the repository
    return path, (
        f"{path}: a participant extract must be kept outside the repository ({paths.ROOT}); move it and pass its "
        "path as data_source"
    )


def empty(sample, folder):
    path = folder / "leeg.csv"
    path.write_bytes(b"")
    return path, (
        f"{path}: the file is empty: export the extract as CSV with a header row and one row per participant and "
        "measurement date"
    )


def header_only(sample, folder):
    path = _csv(sample.iloc[:0], folder / "kop.csv")
    return path, (
        f"{path}: a header row but no participant rows: export the extract with one row per participant and "
        "measurement date"
    )


def workbook(sample, folder):
    path = folder / "deelnemers.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    return path, (
        f"{path}: an Excel workbook (or another zip file), not a CSV file: save it as UTF-8 CSV "
        "(in Excel: 'CSV UTF-8 (comma delimited)')"
    )


def mixed_encoding(sample, folder):
    frame = sample.copy()
    frame.loc[[3, 10], "maatregel"] = "Scholing één"
    path = _csv(frame, folder / "gemengd.csv")
    data = path.read_bytes()
    first = data.index("één".encode())  # row 5 stays UTF-8 up to its first byte é; row 12 is Latin-1
    path.write_bytes(data[:first] + "é".encode("latin-1") + data[first + 2 :])
    return path, (
        f"{path}, row 5, column 'maatregel': not UTF-8 (byte 0xe9 on row 5): save it as UTF-8 CSV "
        "(in Excel: 'CSV UTF-8 (comma delimited)')"
    )


def extra_column(sample, folder):
    path = _csv(sample.assign(bsn="123456782"), folder / "bsn.csv")
    return path, (
        f"{path}, row 1 (header): unexpected column(s) 'bsn': remove them; the extract may hold only these 14 "
        f"columns: {COLUMNS_14}"
    )


def missing_column(sample, folder):
    path = _csv(sample.drop(columns="uren"), folder / "zonder_uren.csv")
    return path, (
        f"{path}, row 1 (header): missing column(s) 'uren': add them; the extract must hold these 14 columns: "
        f"{COLUMNS_14}"
    )


def renamed_column(sample, folder):
    path = _csv(sample.rename(columns={"plan_id": "plan"}), folder / "plan.csv")
    return path, (
        f"{path}, row 1 (header): column(s) 'plan_id' missing and 'plan' unexpected: rename or remove them; the "
        f"extract holds exactly these 14 columns: {COLUMNS_14}"
    )


def column_twice(sample, folder):
    path = folder / "tweemaal.csv"
    lines = _csv(sample, folder / "tmp.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",uren"] + [line + ",geen" for line in lines[1:]]) + "\n", encoding="utf-8")
    return path, f"{path}, row 1 (header): column(s) 'uren' appear more than once: keep one of each"


def ragged_row(sample, folder):
    lines = _csv(sample, folder / "tmp.csv").read_text(encoding="utf-8").splitlines()
    lines[11] += ",extra"  # row 12
    path = folder / "scheef.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, (
        f"{path}, row 12: 15 fields where the header has 14: put a value that contains ',' in double quotes, "
        "or remove the extra fields"
    )


def duplicate(sample, folder):
    frame = pd.concat([sample, sample.iloc[[3]]], ignore_index=True)
    path = _csv(frame, folder / "dubbel.csv")
    return path, (
        f"{path}, rows 5 and {len(sample) + 2}, columns 'deelnemer_id' and 'peildatum': one participant appears twice "
        f"for peildatum {sample.loc[3, 'peildatum']}: keep one row per participant and date"
    )


def unknown_plans(sample, folder):
    frame = sample.copy()
    frame.loc[frame.index % 5 == 0, "plan_id"] = "bar"
    frame.loc[frame.index % 35 == 0, "plan_id"] = "foo"
    path = _csv(frame, folder / "plannen.csv")
    n = int((frame.index % 5 == 0).sum())
    return path, (
        f"{path}, column 'plan_id': unknown plan id(s) on {n} rows, e.g. 'foo' (row 2), 'bar' (row 7): use the ids "
        "in data/published/plans.csv"
    )


def unknown_plan(sample, folder):
    path = _csv(sample.assign(plan_id=["bestaat-niet", *sample["plan_id"][1:]]), folder / "plan1.csv")
    return (
        path,
        f"{path}, row 2, column 'plan_id': unknown plan id 'bestaat-niet': use the ids in data/published/plans.csv",
    )


def excel_dates(sample, folder):
    frame = sample.assign(peildatum=sample["peildatum"].str.replace(r"(\d{4})-05-31", r"31-5-\1", regex=True))
    path = _csv(frame, folder / "peildatum.csv")
    return path, (
        f"{path}, row 2, column 'peildatum': value '31-5-2017' is not one of 2017-05-31, 2018-05-31, 2019-05-31 "
        f"(and {len(sample) - 1} more rows): use one of these values"
    )


def empty_value(sample, folder):
    frame = sample.copy()
    frame.loc[6, "uren"] = ""
    path = _csv(frame, folder / "uren.csv")
    return path, (
        f"{path}, row 8, column 'uren': no value: fill in one of geen_vaste_uren, minder_dan_12_uur, "
        "twee_drie_dagen, vier_dagen, voltijd, geen"
    )


def no_id(sample, folder):
    frame = sample.copy()
    frame.loc[[4, 9], "deelnemer_id"] = ""
    path = _csv(frame, folder / "id.csv")
    return path, (
        f"{path}, row 6, column 'deelnemer_id': no participant id (and 1 more row): give every row the "
        "participant's pseudonymous id"
    )


def not_a_date(sample, folder):
    path = _csv(sample.assign(start=["2019-13-40", *sample["start"][1:]]), folder / "datum.csv")
    return path, (
        f"{path}, row 2, column 'start': '2019-13-40' is not a date (YYYY-MM-DD): write dates as YYYY-MM-DD, e.g. "
        "2019-05-31 (in Excel: format the column as yyyy-mm-dd)"
    )


def not_a_boolean(sample, folder):
    path = _csv(sample.assign(jong=["misschien", *sample["jong"][1:]]), folder / "jong.csv")
    return path, (
        f"{path}, row 2, column 'jong': expected true or false, found 'misschien': write true (26 or younger at "
        "the start) or false"
    )


def not_a_tranche(sample, folder):
    path = _csv(sample.assign(tranche=["drie", *sample["tranche"][1:]]), folder / "tranche.csv")
    return path, (
        f"{path}, row 2, column 'tranche': 'drie' is not 1, 2 or 3: write the plan's tranche (data/published/plans.csv)"
    )


def too_early(sample, folder):
    frame = sample.copy()
    frame.loc[6, "start"] = "2012-01-01"
    path = _csv(frame, folder / "vroeg.csv")
    return (
        path,
        f"{path}, row 8, column 'start': 2012-01-01 is before 2013-01-01, when the scheme began: correct the date",
    )


def too_late(sample, folder):
    frame = sample.copy()
    frame.loc[6, "einde"] = "2019-06-01"
    path = _csv(frame, folder / "laat.csv")
    return path, (
        f"{path}, row 8, column 'einde': 2019-06-01 is after 2019-05-31, the last measurement date: correct the date"
    )


def wrong_tranche(sample, folder):
    i = _first(sample, sample["tranche"] == "1")
    frame = sample.copy()
    frame.loc[i, "tranche"] = "2"
    path = _csv(frame, folder / "plan_tranche.csv")
    return path, (
        f"{path}, row {i + 2}, column 'tranche': plan, tranche, categorie and doelgroep do not belong together: "
        f"plan {sample.loc[i, 'plan_id']!r} is in tranche 1, not 2: "
        "use the plan's tranche from data/published/plans.csv"
    )


def job_without_contract(sample, folder):
    i = _first(sample, sample["inkomenssituatie"] == "werknemer")
    frame = sample.copy()
    frame.loc[i, "contract"] = "geen"
    path = _csv(frame, folder / "baan.csv")
    return path, (
        f"{path}, row {i + 2}, column 'contract': werkgever, contract and uren are filled exactly when employed, "
        "but contract is 'geen' while inkomenssituatie includes a job: fill werkgever, contract and uren for a job, "
        "and write 'geen' in all three without one"
    )


def start_after_end(sample, folder):
    frame = sample.copy()
    frame.loc[8, ["start", "einde"]] = ["2019-01-02", "2018-01-01"]
    path = _csv(frame, folder / "volgorde.csv")
    return path, f"{path}, row 10, columns 'start' and 'einde': start is after einde: correct the participation dates"


MEASURES = (
    "Arbeidsbemiddeling, Transitiefonds werk naar werk, Transfercentrum werk naar werk, Sollicitatietraining, "
    "niet uitgesplitst"
)  # Figuur 4.1 (r. 2125-2139), as data/calibratie.yaml lists them


def unknown_measure(sample, folder):
    frame = sample.copy()
    frame.loc[[6, 9], "maatregel"] = '<img src=x onerror="alert(1)">'
    path = _csv(frame, folder / "maatregel.csv")
    return path, (
        f"{path}, row 8, column 'maatregel': value '<img src=x onerror=\"alert(1)\">' is not one of {MEASURES} "
        "(and 1 more row): use one of these values"
    )


def long_unknown_measure(sample, folder):
    frame = sample.copy()
    frame.loc[4, "maatregel"] = "Omscholing " * 50
    path = _csv(frame, folder / "lang.csv")
    return path, (
        f"{path}, row 6, column 'maatregel': value '{('Omscholing ' * 4)[:39]}…' is not one of {MEASURES}: use one "
        "of these values"
    )


def measure_of_another_theme(sample, folder):
    i = _first(sample, (sample["categorie"] == "scholing") & (sample["maatregel"] == "niet uitgesplitst"))
    frame = sample.copy()
    frame.loc[i, "maatregel"] = "Arbeidsbemiddeling"
    path = _csv(frame, folder / "thema.csv")
    return path, (
        f"{path}, row {i + 2}, column 'maatregel': 'Arbeidsbemiddeling' is a measure of arbeidsmobiliteit, not of "
        "'scholing': correct categorie, or write 'niet uitgesplitst'"
    )


def participant_in_two_plans(sample, folder):
    """One participant, in plan A on one date and plan B (same tranche) on another."""
    i = _first(sample, sample["tranche"] == "1")
    other = _first(sample, (sample["tranche"] == "1") & (sample["plan_id"] != sample.loc[i, "plan_id"]))
    later = next(d for d in ("2017-05-31", "2018-05-31", "2019-05-31") if d != sample.loc[i, "peildatum"])
    moved = sample.loc[[i]].assign(peildatum=later, plan_id=sample.loc[other, "plan_id"])
    path = _csv(pd.concat([sample, moved], ignore_index=True), folder / "twee_plannen.csv")
    return path, (
        f"{path}, rows {i + 2} and {len(sample) + 2}, column 'plan_id': one participant has two different values of "
        f"plan_id (on peildatum {sample.loc[i, 'peildatum']} and {later}): a participant follows one trajectory in "
        "one plan; give every row of a participant the same plan, tranche, categorie, maatregel, doelgroep, jong, "
        "start and einde"
    )


def participant_with_two_start_dates(sample, folder):
    i = _first(sample, sample["peildatum"] == "2019-05-31")
    moved = sample.loc[[i]].assign(peildatum="2018-05-31", start="2013-02-01")
    path = _csv(pd.concat([sample, moved], ignore_index=True), folder / "twee_starts.csv")
    return path, (
        f"{path}, rows {i + 2} and {len(sample) + 2}, column 'start': one participant has two different values of "
        "start (on peildatum 2019-05-31 and 2018-05-31): a participant follows one trajectory in one plan; give "
        "every row of a participant the same plan, tranche, categorie, maatregel, doelgroep, jong, start and einde"
    )


def no_participants_selected(sample, folder):
    path = _csv(sample[sample["tranche"] != "3"], folder / "t12.csv")
    return path, (
        f"{path}: the extract has no participants of tranche 3 on 31 May 2019: choose another tranche or "
        "peildatum, or check the extract's columns 'tranche' and 'peildatum'"
    )


CASES = [
    missing,
    a_folder,
    inside_repository,
    empty,
    header_only,
    workbook,
    mixed_encoding,
    extra_column,
    missing_column,
    renamed_column,
    column_twice,
    ragged_row,
    duplicate,
    unknown_plans,
    unknown_plan,
    excel_dates,
    empty_value,
    no_id,
    not_a_date,
    not_a_boolean,
    not_a_tranche,
    too_early,
    too_late,
    wrong_tranche,
    job_without_contract,
    start_after_end,
    unknown_measure,
    long_unknown_measure,
    measure_of_another_theme,
    participant_in_two_plans,
    participant_with_two_start_dates,
    no_participants_selected,
]
SELECTION_CASES = {no_participants_selected}


@pytest.fixture(params=CASES, ids=lambda case: case.__name__)
def bad(request, sample, tmp_path):
    folder = tmp_path / "beveiligd"
    folder.mkdir()
    path, message = request.param(sample, folder)
    return request.param, path, message


def test_check_extract_names_file_row_column_and_what_to_do(bad):
    _, path, message = bad
    with pytest.raises(ParticipantDataError) as caught:
        participants.check_extract(path, "3", "2019")
    assert str(caught.value) == message
    assert "\n" not in message


def test_load_gives_the_same_message(bad):
    case, path, message = bad
    if case in SELECTION_CASES:  # load reads the whole file; the selection is the chapter's
        participants.rows(path)
        return
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    assert str(caught.value) == message


def test_preflight_refuses_before_anything_is_written(bad, outputs):
    _, path, message = bad
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": str(path)})
    with pytest.raises(ParticipantDataError) as caught:
        report.preflight([chapter])
    assert str(caught.value) == message
    assert not outputs.exists()


def test_command_line_exits_2_with_one_line(bad, outputs, capsys):
    _, path, message = bad
    status = main(["chapter", "arbeidsmarktpositie", "--tranche", "3", "--params", f"data_source={path}"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == f"error: {message}\n"
    assert "Traceback" not in err
    assert not outputs.exists()


def test_no_message_names_a_participant(sample, tmp_path):
    """Messages show row numbers, never a participant id (not even of a duplicate)."""
    ids = set(sample["deelnemer_id"])
    for case in CASES:
        folder = tmp_path / case.__name__
        folder.mkdir()
        _, message = case(sample, folder)
        assert not [i for i in ids if i in message], case.__name__


# -------------------------------------------------------------------- what Excel makes of a CSV: read


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("semicolon", {"sep": ";"}),
        ("tab", {"sep": "\t"}),
        ("latin-1", {"encoding": "latin-1"}),
        ("windows-1252 with semicolons", {"encoding": "cp1252", "sep": ";"}),
        ("utf-8 with byte order mark", {"encoding": "utf-8-sig"}),
    ],
)
def test_excel_variants_are_read_as_the_plain_file(sample, tmp_path, name, kwargs):
    frame = sample.copy()
    frame.loc[[2, 5], "deelnemer_id"] = ["Deelnemer één, twee", "Deelnemer één, drie"]  # non-ASCII, comma quoted
    plain = participants.rows(_csv(frame, tmp_path / "plain.csv"))
    variant = _csv(frame, tmp_path / "variant.csv", **kwargs)
    participants.check_extract(variant, "1-2", "2019")
    got = participants.rows(variant)
    pd.testing.assert_frame_equal(got, plain)
    assert got.loc[2, "deelnemer_id"] == "Deelnemer één, twee"


def test_empty_rows_as_excel_writes_them_are_skipped_and_rows_keep_their_numbers(sample, tmp_path):
    lines = _csv(sample, tmp_path / "tmp.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "," * 13)  # becomes row 4; the data row after it is row 5
    lines.append("")
    path = tmp_path / "lege_regels.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(participants.rows(path)) == len(sample)
    broken = path.read_text(encoding="utf-8").replace(sample.loc[3, "deelnemer_id"] + ",", ",", 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ParticipantDataError, match=r", row 6, column 'deelnemer_id': no participant id"):
        participants.rows(path)


def test_utf16_with_byte_order_mark_is_read(sample, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + sample.to_csv(index=False).encode("utf-16-le"))
    assert len(participants.rows(path)) == len(sample)


def test_excluding_the_only_plan_with_participants_is_refused(sample, tmp_path):
    t3 = sample[(sample["tranche"] == "3") & (sample["peildatum"] == "2019-05-31")]
    plan = t3["plan_id"].iloc[0]
    path = _csv(sample[(sample["tranche"] != "3") | (sample["plan_id"] == plan)], tmp_path / "een_plan.csv")
    participants.check_extract(path, "3", "2019")
    with pytest.raises(ParticipantDataError) as caught:
        participants.check_extract(path, "3", "2019", exclude_plans=[plan])
    assert str(caught.value) == (
        f"{path}: the extract has no participants of tranche 3 on 31 May 2019 outside exclude_plans: keep at "
        "least one plan with participants"
    )


def test_a_relative_data_source_is_made_absolute(tmp_path, monkeypatch):
    """The kernel runs in notebooks/: the run gets the path as the command line meant it."""
    monkeypatch.chdir(tmp_path)
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3", "data_source": "deelnemers.csv"})
    assert chapter.parameters["data_source"] == str(tmp_path / "deelnemers.csv")


def test_excel_booleans_are_read(sample, tmp_path):
    frame = sample.assign(jong=sample["jong"].map({"true": "WAAR", "false": "ONWAAR"}))
    got = participants.rows(_csv(frame, tmp_path / "waar.csv"))
    assert got["jong"].tolist() == (sample["jong"] == "true").tolist()
