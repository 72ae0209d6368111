"""Reading a participant extract as it comes out of a secure environment, and saying in one line
what is wrong with it.

Evaluators export the confidential extract from a database or from Excel: separated by commas,
semicolons (Dutch Excel) or tabs, in UTF-8 with or without a byte order mark or in Windows-1252.
:func:`read` reads all of these. Anything it cannot read (a folder, an empty file, a workbook, a
mixed encoding, a row with too many fields) and every violation of the schema (:func:`explain`)
is one line naming file, row and column and saying what to do. Messages show row numbers (the
header is row 1) and at most the one offending value, never a participant id.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pandas as pd

from sectorplannen.errors import ParticipantDataError
from sectorplannen.participants import filebytes, formats
from sectorplannen.participants.schema import (
    COLUMNS,
    DOELGROEPEN,
    EMPLOYED,
    NOT_EMPLOYED,
    RULE_CONSISTENT,
    RULE_DATES,
    RULE_JOB_FIELDS,
    RULE_MEASURE,
    measures,
)
from sectorplannen.sources.categories import category_ids
from sectorplannen.sources.register import register

SEPARATORS = (",", ";", "\t")  # the first is preferred when the header does not decide


SEPARATOR_NAMES = {",": "','", ";": "';'", "\t": "a tab"}


# A valid UTF-8 sequence of two to four bytes: a file with these and with invalid bytes mixes encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


_SAVE_AS = "save it as UTF-8 CSV (in Excel: 'CSV UTF-8 (comma delimited)')"


JOB_FIELDS = ("werkgever", "contract", "uren")


# How the columns the schema parses (start, einde, jong, tranche) are read, on the pandas path and in
# SQL alike: the white space around a value (what Python's str.strip() removes) is ignored; a date is
# year-month-day with four digits for the year and one or two for month and day (2019-5-31 is
# 2019-05-31), between the first and the last day pandas can hold; a tranche is a number (2, 2.0,
# +2; never 2_0, which Python's float would read as 20).
SPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
DATE = "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
FIRST_DATE, LAST_DATE = "1677-09-22", "2262-04-11"


def _fail(message: str) -> ParticipantDataError:
    return ParticipantDataError(message)


def _quoted(names) -> str:
    return ", ".join(repr(str(n)) for n in names)


def _more(n: int) -> str:
    """' (and 36 more rows)' after the first of n rows with the same problem."""
    return "" if n <= 1 else f" (and {n - 1} more row{'s' if n > 2 else ''})"


def file_bytes(path: Path, size: int | None = None, text: bool = False) -> bytes:
    """The file's content (its first ``size`` bytes when given), decompressed when it is gzip, bzip2
    or xz; a missing path, a folder, a pipe or device, an unreadable or too large file is named
    (:mod:`sectorplannen.participants.filebytes`)."""
    return filebytes.read(path, size, text)


def header_fields(line: str, separator: str) -> list[str]:
    return [f.strip() for f in next(csv.reader([line], delimiter=separator), [])]


def separator(header: str, known=COLUMNS) -> str:
    """The separator under which the header names the most schema columns (or ``known`` names, such
    as a mapping's; ',' on a tie)."""
    return max(SEPARATORS, key=lambda s: len(set(header_fields(header, s)) & set(known)))


def _where(data: bytes, position: int, path: Path) -> str:
    """'<path>, row R, column C' of the byte at ``position`` (the column from the header's separator)."""
    row = data.count(b"\n", 0, position) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    sep = separator(header)
    names = header_fields(header, sep)
    start = data.rfind(b"\n", 0, position) + 1
    before = header_fields(data[start:position].decode("utf-8", "replace"), sep)
    index = max(len(before) - 1, 0)
    column = f", column {names[index]!r}" if row > 1 and index < len(names) else ""
    return f"{path}, row {row}{column}"


def _not_utf8(data: bytes, position: int, path: Path) -> str:
    """Where the first byte that is not UTF-8 is: row and column."""
    row = data.count(b"\n", 0, position) + 1
    return f"{_where(data, position, path)}: not UTF-8 (byte 0x{data[position]:02x} on row {row}): {_SAVE_AS}"


def _not_a_workbook(data: bytes, path: Path) -> None:
    if data[:4] == b"PK\x03\x04":
        raise _fail(f"{path}: an Excel workbook (or another zip file), not a CSV file: {_SAVE_AS}")


def wide_text(data: bytes, name: str | None = None) -> bool:
    """Text whose characters take two or four bytes (NUL bytes are then part of the text)."""
    wide = bool(name) and ("16" in name or "32" in name)
    return wide or data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def no_binary(data: bytes, path: Path, given_encoding: str | None = None) -> None:
    """Refuse a CSV file that holds a NUL byte or another byte no text holds, by row and column;
    a file that looks like UTF-16 without a byte order mark is named as such."""
    if wide_text(data, given_encoding):
        text = data.decode(given_encoding or "utf-16", "replace")
        found = filebytes.BINARY.search(text.encode("utf-8", "replace"))
        if found:
            raise _fail(f"{path}: holds binary content (a character 0x{found.group()[0]:02x}): {_SAVE_AS}")
        return
    found = filebytes.BINARY.search(data)
    if not found:
        return
    start = data[:200]
    if b"\x00" in start and (start[1::2].count(0) > len(start) // 3 or start[0::2].count(0) > len(start) // 3):
        raise _fail(f"{path}: holds NUL characters (UTF-16 without a byte order mark?): {_SAVE_AS}")
    byte = data[found.start()]
    what = "a NUL byte" if byte == 0 else f"byte 0x{byte:02x}, a control character"
    raise _fail(
        f"{_where(data, found.start(), path)}: binary content ({what}), not text: export the extract again; {_SAVE_AS}"
    )


def encoding(data: bytes, path: Path) -> str:
    """The file's encoding: UTF-8 (with or without byte order mark), UTF-16 with a byte order mark,
    or Windows-1252 (Excel's 'CSV' on Windows) when no byte of the file is UTF-8 beyond ASCII. A
    file that mixes encodings, or a workbook, is refused."""
    _not_a_workbook(data, path)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(f"{path}: starts as UTF-16 but is not: {_SAVE_AS}") from None
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not _UTF8_SEQUENCE.search(data):
            try:
                data.decode("cp1252")
                return "cp1252"
            except UnicodeDecodeError:
                pass
        raise _fail(_not_utf8(data, exc.start, path)) from None
    return "utf-8-sig"


def _table(data: bytes, encoding: str, sep: str, path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.BytesIO(data), sep=sep, encoding=encoding, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError as exc:
        ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if ragged:
            expected, row, seen = ragged.groups()
            raise _fail(
                f"{path}, row {row}: {seen} fields where the header has {expected}: put a value that contains "
                f"{SEPARATOR_NAMES[sep]} in double quotes, or remove the extra fields"
            ) from None
        raise _fail(f"{path}: not readable as CSV (a quote that is never closed?): {_SAVE_AS}") from None


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows without any value (Excel writes ';;;;' for formatted empty rows); cheap when there are none."""
    candidates = frame.index[frame.iloc[:, 0] == ""]
    blank = pd.Series(False, index=frame.index)
    blank[candidates] = (frame.loc[candidates] == "").all(axis=1)
    return blank


def read(path: Path | str, mapping: Path | str | None = None) -> pd.DataFrame:
    """A participant file (CSV, or Parquet, SPSS or Stata by its suffix) as text columns, one row per
    data row, renamed and recoded by its column mapping (``mapping``, or the file's name plus
    '.mapping.yaml' beside it); the index is the row number minus 2 (the header is row 1), so
    messages can name rows. Rows without any value (as Excel writes them after the data) are left out."""
    path = Path(path)
    mapping = Path(mapping) if mapping is not None else formats.mapping_beside(path)
    mapped = formats.Mapping(mapping) if mapping is not None else None
    if formats.format_of(path) is None:
        known = (*COLUMNS, *mapped.columns) if mapped else COLUMNS
        given = {"given_separator": mapped.separator, "given_encoding": mapped.encoding} if mapped else {}
        frame = _read_csv(path, known, **given)
    else:
        if mapped is not None and (mapped.separator or mapped.encoding):
            raise _fail(
                f"{mapped.path}, csv: {path} is in {formats.format_of(path)} format, not CSV: remove the csv section "
                "from the mapping"
            )
        file_bytes(path, size=1)
        frame = formats.read_table(path)
        no_repeated_columns(list(frame.columns), path)
    if mapped is not None:
        frame = mapped.apply(frame, path)
    blank = _blank_rows(frame)
    if blank.any():
        frame = frame[~blank]
    if frame.empty:
        raise _fail(
            f"{path}: a header row but no participant rows: export the extract with one row per participant "
            "and measurement date"
        )
    return frame


def no_repeated_columns(names: list[str], path: Path) -> None:
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise _fail(f"{path}, row 1 (header): column(s) {_quoted(twice)} appear more than once: keep one of each")


def _read_csv(path: Path, known=COLUMNS, given_separator: str | None = None, given_encoding: str | None = None):
    """A CSV file as text columns. The separator and encoding are the ones given (by the column
    mapping), or detected: UTF-8 or Windows-1252, and the separator under which the header holds
    the most ``known`` column names."""
    data = file_bytes(path, text=True)
    _not_a_workbook(data, path)
    no_binary(data, path, given_encoding)
    code = _given_encoding(data, path, given_encoding) if given_encoding else encoding(data, path)
    head = data[:65536].decode(code, "ignore").lstrip("\ufeff")
    if not head.strip() and len(data) <= 65536:
        raise _fail(
            f"{path}: the file is empty: export the extract as CSV with a header row and one row per "
            "participant and measurement date"
        )
    header = head.split("\n", 1)[0].rstrip("\r")
    sep = given_separator or separator(header, known)
    no_repeated_columns(header_fields(header, sep), path)
    frame = _table(data, code, sep, path)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _given_encoding(data: bytes, path: Path, name: str) -> str:
    """The encoding the mapping gives, when the whole file decodes in it; else the first byte that
    does not, by row and column."""
    _not_a_workbook(data, path)
    try:
        data.decode(name)
    except UnicodeDecodeError as exc:
        raise _fail(
            f"{_where(data, exc.start, path)}: not {name} as the column mapping says "
            f"(byte 0x{data[exc.start]:02x}): correct csv.encoding in the mapping, or remove it to have the "
            "encoding detected"
        ) from None
    return "utf-8-sig" if name == "utf-8" else name


def columns_problem(columns, path) -> str | None:
    """The header's missing and unexpected columns, by name, or None when it has exactly the schema's."""
    missing = [c for c in COLUMNS if c not in columns]
    extra = [c for c in columns if c not in COLUMNS]
    listed = f"{len(COLUMNS)} columns: {', '.join(COLUMNS)}"
    if missing and extra:
        return (
            f"{path}, row 1 (header): column(s) {_quoted(missing)} missing and {_quoted(extra)} unexpected: "
            f"rename or remove them; the extract holds exactly these {listed}"
        )
    where = f"{path}, row 1 (header)"
    if extra:
        return f"{where}: unexpected column(s) {_quoted(extra)}: remove them; the extract may hold only these {listed}"
    if missing:
        return f"{where}: missing column(s) {_quoted(missing)}: add them; the extract must hold these {listed}"
    return None


def explain(failures: pd.DataFrame, frame: pd.DataFrame, path, schema) -> str:
    """One line for the first problem pandera found (its ``failure_cases``): a value in a column
    first (in the schema's column order), then a repeated participant, then the rules across columns."""
    column_level = failures[failures["schema_context"] == "Column"]
    if not column_level.empty:
        return column_problem(column_level, path, schema)
    checks = set(failures["check"])
    if "multiple_fields_uniqueness" in checks:
        return _duplicates(frame, path)
    for name, describe in RULES.items():
        if name in checks:
            rows = sorted(int(i) for i in failures.loc[failures["check"] == name, "index"].dropna().unique())
            return describe(frame.loc[rows[0]], rows[0], len(rows), path)
    return f"{path}: does not follow the schema in data/README.md ({failures.iloc[0]['check']})"


def column_problem(cases: pd.DataFrame, path, schema, n: int | None = None) -> str:
    """The message for the first failure case (in schema column order, then row); ``n`` is how many
    rows fail that column's check, when ``cases`` holds only the first of them (the SQL checks)."""
    order = {c: i for i, c in enumerate(COLUMNS)}
    cases = cases.assign(
        _column=cases["column"].map(order).fillna(len(order)), _check=cases["check_number"].fillna(-1)
    ).sort_values(["_column", "_check", "index"], na_position="first")
    first = cases.iloc[0]
    column = first["column"]
    same = cases[(cases["column"] == column) & (cases["check"] == first["check"])]
    row = f", row {int(first['index']) + 2}" if pd.notna(first["index"]) else ""
    n = len(same) if n is None else n
    where, value = f"{path}{row}, column {column!r}", _shortened(first["failure_case"])
    check = None
    if pd.notna(first["check_number"]) and column in schema.columns:
        check = schema.columns[column].checks[int(first["check_number"])]
    if column == "deelnemer_id":  # never echo a participant id
        return f"{where}: no participant id{_more(n)}: give every row the participant's pseudonymous id"
    if check is not None and check.name == "isin" and column == "plan_id":
        return _unknown_plans(same, path, n)
    if check is not None and check.name == "isin":
        allowed = ", ".join(str(v) for v in check.statistics["allowed_values"])
        if str(value) == "":
            return f"{where}: no value{_more(n)}: fill in one of {allowed}"
        return f"{where}: value {value!r} is not one of {allowed}{_more(n)}: use one of these values"
    if check is not None and check.name == "greater_than_or_equal_to":
        low = f"{check.statistics['min_value']:%Y-%m-%d}, when the scheme began"
        return f"{where}: {pd.Timestamp(value):%Y-%m-%d} is before {low}{_more(n)}: correct the date"
    if check is not None and check.name == "less_than_or_equal_to":
        high = f"{check.statistics['max_value']:%Y-%m-%d}, the last measurement date"
        return f"{where}: {pd.Timestamp(value):%Y-%m-%d} is after {high}{_more(n)}: correct the date"
    return f"{where}: value {value!r} does not fit the column{_more(n)}: see the schema in data/README.md"


def _shortened(value, limit: int = 40):
    """A value as a message may echo it: at most ``limit`` characters (an extract's field may be long)."""
    return value if not isinstance(value, str) or len(value) <= limit else value[: limit - 1] + "…"


def _unknown_plans(cases: pd.DataFrame, path, n: int) -> str:
    """Unknown plan ids summarised: how many rows (``n``), the first two ids with the row they first occur on."""
    todo = "use the ids in data/published/plans.csv"
    if n == 1:
        case = cases.iloc[0]
        where = f"{path}, row {int(case['index']) + 2}, column 'plan_id'"
        return f"{where}: unknown plan id {case['failure_case']!r}: {todo}"
    firsts = cases.drop_duplicates("failure_case").head(2)
    examples = ", ".join(f"{c['failure_case']!r} (row {int(c['index']) + 2})" for _, c in firsts.iterrows())
    return f"{path}, column 'plan_id': unknown plan id(s) on {n} rows, e.g. {examples}: {todo}"


def _duplicates(frame: pd.DataFrame, path) -> str:
    """The first participant with two rows for one measurement date, by row numbers only."""
    keys = frame[["deelnemer_id", "peildatum"]]
    repeated = keys.duplicated(keep=False)
    first = repeated.idxmax()
    same = keys.index[
        repeated
        & (keys["deelnemer_id"] == keys.loc[first, "deelnemer_id"])
        & (keys["peildatum"] == keys.loc[first, "peildatum"])
    ]
    return duplicate_message(path, first, same[1], keys.loc[first, "peildatum"], int(keys.duplicated().sum()))


def duplicate_message(path, first: int, second: int, peildatum: str, extra: int) -> str:
    """Two rows (by index: row number minus 2) of one participant for one date; ``extra`` repeated rows in all."""
    more = f" ({extra} repeated rows in all)" if extra > 1 else ""
    return (
        f"{path}, rows {first + 2} and {second + 2}, columns 'deelnemer_id' and 'peildatum': one participant "
        f"appears twice for peildatum {peildatum}{more}: keep one row per participant and date"
    )


def _consistency(row: pd.Series, index: int, n: int, path) -> str:
    """Which of plan, tranche, categorie and doelgroep does not fit the others on the first such row
    (``row``, at ``index``, the row number minus 2; ``n`` rows break the rule)."""

    plan, tranche = register().get(row["plan_id"]), int(row["tranche"])
    themes, types = category_ids("thema"), category_ids("type_traject")
    groups = list(DOELGROEPEN["1-2"])
    if plan.tranche != tranche:
        column, detail = "tranche", f"plan {plan.id!r} is in tranche {plan.tranche}, not {tranche}"
        todo = "use the plan's tranche from data/published/plans.csv"
    elif tranche < 3 and row["categorie"] not in themes:
        column, detail = "categorie", f"{row['categorie']!r} is not a theme of tranche 1-2"
        todo = f"use one of {', '.join(themes)}"
    elif tranche == 3 and row["categorie"] not in types:
        column, detail = "categorie", f"{row['categorie']!r} is not a trajectory type of tranche 3"
        todo = f"use one of {', '.join(types)}"
    elif tranche < 3:
        column, detail = "doelgroep", f"{row['doelgroep']!r} is not a target group of tranche 1-2"
        todo = f"use one of {', '.join(groups)}"
    else:
        column, detail = "doelgroep", f"{row['doelgroep']!r} differs from categorie, the trajectory type"
        todo = "in tranche 3 write the trajectory type in both columns"
    return (
        f"{path}, row {index + 2}, column {column!r}: plan, tranche, categorie and doelgroep do not belong "
        f"together: {detail}{_more(n)}: {todo}"
    )


def _job_fields(row: pd.Series, index: int, n: int, path) -> str:
    """Which of werkgever, contract and uren is filled without a job (or 'geen' with one)."""
    employed = row["inkomenssituatie"] in EMPLOYED
    if employed:
        column = next(c for c in JOB_FIELDS if row[c] == NOT_EMPLOYED)
        detail = f"{column} is '{NOT_EMPLOYED}' while inkomenssituatie includes a job"
    else:
        column = next(c for c in JOB_FIELDS if row[c] != NOT_EMPLOYED)
        detail = f"{column} is {row[column]!r} while inkomenssituatie includes no job"
    return (
        f"{path}, row {index + 2}, column {column!r}: {RULE_JOB_FIELDS}, but {detail}{_more(n)}: fill "
        f"werkgever, contract and uren for a job, and write '{NOT_EMPLOYED}' in all three without one"
    )


def _measure(row: pd.Series, index: int, n: int, path) -> str:
    """A named measure under another theme than its own (Arbeidsbemiddeling is a measure of arbeidsmobiliteit)."""
    theme = next(t for t, named in measures().items() if row["maatregel"] in named)
    return (
        f"{path}, row {index + 2}, column 'maatregel': {row['maatregel']!r} is a measure of {theme}, not of "
        f"{row['categorie']!r}{_more(n)}: correct categorie, or write 'niet uitgesplitst'"
    )


def _dates(row: pd.Series, index: int, n: int, path) -> str:
    return (
        f"{path}, row {index + 2}, columns 'start' and 'einde': start is after einde{_more(n)}: "
        "correct the participation dates"
    )


# The schema's rules across columns, by their names in participants._schema.
RULES = {RULE_CONSISTENT: _consistency, RULE_JOB_FIELDS: _job_fields, RULE_DATES: _dates, RULE_MEASURE: _measure}


def not_a_date(path, index: int, column: str, value, more: str) -> str:
    return (
        f"{path}, row {index + 2}, column {column!r}: {value!r} is not a date (YYYY-MM-DD){more}: write dates as "
        "YYYY-MM-DD, e.g. 2019-05-31 (in Excel: format the column as yyyy-mm-dd)"
    )


def not_a_boolean(path, index: int, value, more: str) -> str:
    return (
        f"{path}, row {index + 2}, column 'jong': expected true or false, found {value!r}{more}: "
        "write true (26 or younger at the start) or false"
    )


def not_a_tranche(path, index: int, value, more: str) -> str:
    return (
        f"{path}, row {index + 2}, column 'tranche': {value!r} is not 1, 2 or 3{more}: "
        "write the plan's tranche (data/published/plans.csv)"
    )


def two_trajectories(path, first: int, second: int, column: str, dates: tuple[str, str], others: int) -> str:
    """One participant with two values of a static column on two rows (by index, the row number minus 2);
    ``others`` more participants like this."""
    more = f" ({others} more participant{'s' if others > 1 else ''} like this)" if others else ""
    return (
        f"{path}, rows {first + 2} and {second + 2}, column {column!r}: one participant has two different values "
        f"of {column} (on peildatum {dates[0]} and {dates[1]}){more}: a participant follows one "
        "trajectory in one plan; give every row of a participant the same plan, tranche, categorie, maatregel, "
        "doelgroep, jong, start and einde"
    )
