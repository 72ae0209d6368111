"""The checks of a real extract as SQL in DuckDB over the file itself, out of core: the same checks,
in the same order and with the same one-line messages as the pandas path
(:func:`sectorplannen.participants.loading.read_valid`), for an extract of any size.

A CSV or Parquet extract is read by DuckDB in a stream under the engine's memory limit (spilling
beyond it), in one pass: the rows counted per combination of every column but the id (so each check
runs once per combination, weighted, and the counts
:func:`sectorplannen.participants.loading.check_extract` needs come out of the same pass), with the
hashes of the ids in each combination, which tell whether a participant may be twice on one date or
on two trajectories (:mod:`sectorplannen.participants.extract_ids`). A CSV file without quotes whose
first column is the id is read a line at a time (the id, then the rest of the line as one text, split
into its columns once per combination), which halves the cost of parsing it. Only when a check fails
are the rows looked at one by one: the first offending row (the header is row 1) and its values are
fetched to write the message.

What DuckDB does not read as strict UTF-8 CSV (Windows-1252, UTF-16, a compressed file, a row with
too many fields, an unclosed quote, binary content), SPSS and Stata files, and Parquet columns of
other types than text, numbers, booleans and dates, go to the pandas reader (:func:`check` returns
None), which names the problem byte by byte or reads the file: such extracts are small by nature
(a statistics package's file, a spreadsheet's export), and the pandas reader bounds what it reads.

Row numbers: a row is a record, as the pandas reader and a spreadsheet count them (a quoted value
over several lines is one row). DuckDB leaves out empty lines, which the pandas reader counts; where
the file has empty lines outside quoted values, they are found in one pass over its bytes (only when
a message needs a row number).

Values are parsed as on the pandas path (:data:`sectorplannen.participants.extract.DATE`): white
space around a date, a tranche or jong ignored, one-digit months and days read, a tranche with an
underscore refused (tests/test_extract_parsing.py runs both on the same files).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow
import pyarrow.parquet as pq

from sectorplannen.errors import ParticipantDataError
from sectorplannen.participants import engine, extract, extract_ids, filebytes, formats
from sectorplannen.participants.disclosure import AUDIT_COLUMNS
from sectorplannen.participants.extract import RULES, columns_problem
from sectorplannen.participants.schema import (
    COLUMNS,
    COUNT,
    EMPLOYED,
    JONG_VALUES,
    NOT_EMPLOYED,
    RULE_CONSISTENT,
    RULE_DATES,
    RULE_JOB_FIELDS,
    RULE_MEASURE,
    STATIC_COLUMNS,
    doelgroepen,
    measures,
    participant_schema,
)
from sectorplannen.sources.categories import category_ids
from sectorplannen.sources.register import register

# Control characters no text holds (as filebytes.BINARY), as a regular expression DuckDB runs.
_BINARY = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"


# Parquet column types DuckDB turns into the text the pandas reader makes of them.
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT")


_HEAD = 65536


# DuckDB's memory limit for the checks unless SECTORPLANNEN_ENGINE_MEMORY says otherwise: with Python
# and the pandas frames of the small result, the process stays under 2 GB (spilling to disk beyond it).
MEMORY_LIMIT = "1536MB"


# Up to this many rows the checks per participant sort the hashes of their ids in memory (numpy: some
# 24 bytes a row at most, 600 MB for 26 million rows, where the whole check peaks at 1,740 MiB);
# beyond it DuckDB groups them, spilling to disk (slower, but within the memory limit).
IDS_IN_MEMORY = 30_000_000


def _ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + engine.quoted(str(value)) + "'"


def _among(expression: str, values) -> str:
    return f"{expression} IN ({', '.join(_text(v) for v in values)})"


def check(path: Path | str, mapping: Path | str | None = None, connection=None) -> pd.Series | None:
    """The number of rows per tranche, peildatum and plan of a CSV or Parquet extract that passes
    every check (a Series as ``frame.groupby(['tranche', 'peildatum', 'plan_id']).size()`` gives), or
    None when the extract is for the pandas reader (see the module's docstring). A failed check raises
    the pandas path's one line."""
    checked = _checked(path, mapping, connection, counted=False)
    return None if checked is None else checked[0]


def counted(path: Path | str, mapping: Path | str | None = None, on_checked=None) -> pd.DataFrame | None:
    """A CSV or Parquet extract checked as :func:`check` does, then counted by the engine
    (:func:`sectorplannen.participants.engine.counts`: the participants per combination of the audited
    columns) over the combinations of the same pass, with the mapping applied and the columns parsed
    as the checks parsed them: the extract's rows are never in memory. None when the extract is for
    the pandas reader. ``on_checked``, when given, is called once the checks passed, before the
    counting (``make bench`` times both from one pass)."""
    checked = _checked(path, mapping, None, counted=True, on_checked=on_checked)
    return None if checked is None else checked[1]


def _checked(path, mapping, connection, counted: bool, on_checked=None) -> tuple[pd.Series, pd.DataFrame | None] | None:
    path = Path(path)
    mapping = Path(mapping) if mapping is not None else formats.mapping_beside(path)
    mapped = formats.Mapping(mapping) if mapping is not None else None
    kind = formats.format_of(path)
    if kind not in (None, "Parquet"):
        return None  # SPSS and Stata: read by pyreadstat
    own = connection is None
    connection = connection or engine.connect(os.environ.get("SECTORPLANNEN_ENGINE_MEMORY") or MEMORY_LIMIT)
    try:
        connection.execute("SET preserve_insertion_order = true")  # row_number() in file order
        connection.execute("SET enable_progress_bar = false")
        source = _csv(path, mapped) if kind is None else _parquet(path, mapped, connection)
        if source is None:
            return None
        checks = _Checks(connection, source, path, mapped)
        per_group = checks.run()
        if per_group is None:
            return None
        if on_checked is not None:
            on_checked()
        return per_group, (checks.counted() if counted else None)
    except _Unreadable:
        return None
    finally:
        if own:
            engine.close(connection)


class _Source:
    """An extract as DuckDB reads it: a relation (``numbered``: with ``k``, the pandas index of each
    row, DuckDB's record number before empty lines are counted), the columns as DuckDB names them
    (``columns``), their text expressions and their names (as the header has them)."""

    def __init__(self, plain: str, numbered: str, texts: list[str], names: list[str], lines: Path | None):
        self.plain, self.numbered, self.texts, self.names, self.lines = plain, numbered, texts, names, lines
        self.columns: list[str] = []
        # a CSV file without quotes in its header: each line as one text, and the separator (see _Checks._by_line)
        self.whole_lines: str | None = None
        self.separator = ""


def _csv(path: Path, mapped) -> _Source | None:
    # only a regular file (a missing path, a folder or a pipe is named); no bound on its size, which
    # the pandas reader needs and DuckDB, reading in a stream, does not
    with open(filebytes.open_regular(path), "rb") as raw:
        head = raw.read(_HEAD)
    if filebytes.compression(head) is not None:
        return None  # compressed (or zip, zstd): decompressed and bounded, or named, by the pandas reader
    given = mapped.encoding if mapped else None
    if given not in (None, "utf-8") or extract.wide_text(head, given) or head[:4] == b"PK\x03\x04":
        return None
    if filebytes.BINARY.search(head):
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of the head
            return None
        text = head[: exc.start].decode("utf-8-sig")
    if not text.strip():
        return None  # empty: the pandas reader names it
    if "\n" not in text and len(head) == _HEAD:
        return None  # a header longer than the head: not an extract the SQL reads
    header = text.split("\n", 1)[0].rstrip("\r")
    known = (*COLUMNS, *mapped.columns) if mapped else COLUMNS
    sep = (mapped.separator if mapped else None) or extract.separator(header, known)
    names = extract.header_fields(header, sep)
    extract.no_repeated_columns(names, path)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names)))
    reader = (
        f"read_csv('{engine.quoted(str(path))}', header = true, delim = {_text(sep)}, quote = '\"', escape = '\"', "
        f"auto_detect = false, strict_mode = true, encoding = 'utf-8', columns = {{{columns}}})"
    )
    texts = [f"coalesce(c{i}, '')" for i in range(len(names))]
    source = _Source(reader, f"(SELECT row_number() OVER () - 1 AS k, * FROM {reader})", texts, names, path)
    source.columns = [f"c{i}" for i in range(len(names))]
    if '"' not in header:
        # every line one text (no separator, no quote: the unit separator, a control character, never
        # in an extract's text); empty lines are NULL
        source.whole_lines = (
            f"read_csv('{engine.quoted(str(path))}', header = true, delim = chr(31), quote = '', escape = '', "
            "auto_detect = false, strict_mode = true, encoding = 'utf-8', columns = {'line': 'VARCHAR'})"
        )
        source.separator = sep
    return source


def _parquet_text(name: str, kind: str) -> str | None:
    """The text the pandas reader makes of a Parquet column (formats.as_text), as SQL; None for a
    type it does not take."""
    column = _ident(name)
    if kind == "VARCHAR":
        return f"coalesce({column}, '')"
    if kind == "BOOLEAN":
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' ELSE '' END"
    if kind in _INTEGERS:
        return f"coalesce(CAST({column} AS VARCHAR), '')"
    if kind == "DATE":
        return f"coalesce(strftime({column}, '%Y-%m-%d'), '')"
    if kind in ("TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"):
        return (
            f"CASE WHEN {column} IS NULL THEN '' WHEN {column} = date_trunc('day', {column}) "
            f"THEN strftime({column}, '%Y-%m-%d') ELSE CAST({column} AS VARCHAR) END"
        )
    if kind in ("DOUBLE", "FLOAT"):
        return (
            f"CASE WHEN {column} IS NULL OR isnan({column}) THEN '' WHEN isfinite({column}) AND {column} = "
            f"trunc({column}) AND abs({column}) < 1e15 THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({column} AS VARCHAR) END"
        )
    return None


def _parquet(path: Path, mapped, connection) -> _Source | None:
    if mapped is not None and (mapped.separator or mapped.encoding):
        return None  # the pandas reader names the csv section that does not belong
    extract.file_bytes(path, size=1)
    try:
        schema = pq.read_schema(path)
    except (pyarrow.ArrowException, OSError, ValueError):
        return None  # not readable: the pandas reader says why
    names = [str(n).strip() for n in schema.names]
    reader = f"read_parquet('{engine.quoted(str(path))}', file_row_number = true)"
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    except duckdb.Error:
        return None
    extract.no_repeated_columns(names, path)
    texts = [_parquet_text(row[0], row[1]) for row in described if row[0] != "file_row_number"]
    if len(texts) != len(names) or any(t is None for t in texts):
        return None
    numbered = f"(SELECT file_row_number AS k, * FROM {reader})"
    source = _Source(reader, numbered, texts, names, None)
    source.columns = [_ident(row[0]) for row in described if row[0] != "file_row_number"]
    return source


def _empty_lines(path: Path) -> list[int]:
    """The pandas indexes (row number minus 2) of the empty lines of a CSV file, in one pass over its
    bytes, a chunk at a time. A row is a record, as the pandas reader (and a spreadsheet) counts
    them: a line break inside a quoted value does not end one, nor does an empty line inside a quoted
    value count. A chunk without quotes or empty lines is only counted."""
    found, records, inside, tail = [], 0, False, None  # tail: the current line so far, when it is "" or "\r"
    with open(path, "rb") as handle:
        while chunk := handle.read(filebytes.CHUNK):
            joined = (tail or b"") + chunk[:2] if tail is not None else b""
            quotes = chunk.count(b'"')
            if (
                not inside
                and not quotes
                and b"\n\n" not in chunk
                and b"\n\r\n" not in chunk
                and not joined.startswith((b"\n", b"\r\n"))
            ):
                ends = chunk.count(b"\n")
                last = chunk.rfind(b"\n")
            else:
                data = np.frombuffer(chunk, np.uint8)
                quoted = np.bitwise_xor.accumulate((data == 34).view(np.uint8)) ^ np.uint8(inside)
                at = np.flatnonzero((data == 10) & (quoted == 0))  # line ends outside quotes
                length = np.diff(at, prepend=-1) - 1  # of the line each ends, within the chunk
                empty = (length == 0) | ((length == 1) & (data[np.maximum(at - 1, 0)] == 13))
                if at.size:
                    line = (tail + chunk[: at[0]]) if tail is not None else None
                    empty[0] = line in (b"", b"\r")
                found += (records + np.flatnonzero(empty) - 1).tolist()  # the header is record 0
                ends = int(at.size)
                last = int(at[-1]) if at.size else -1
                inside = bool(inside ^ (quotes % 2))
            records += ends
            rest = chunk[last + 1 :] if last >= 0 else ((tail + chunk) if tail is not None else None)
            tail = rest if rest in (b"", b"\r") else None
    return found


class _Checks:
    """The checks of one extract, in the pandas path's order."""

    def __init__(self, connection, source: _Source, path: Path, mapped):
        self.db, self.source, self.path, self.mapped = connection, source, path, mapped
        self._blank_lines: list[int] | None = None

    # ------------------------------------------------------------------ the relation, as text columns

    def _texts(self) -> dict[str, str]:
        """Schema (or header) name -> text expression, renamed and recoded by the mapping."""
        names = self.source.names
        if self.mapped is not None:
            names = self.mapped.renamed(names, self.path)
        out = dict(zip(names, self.source.texts, strict=True))
        self.raw = dict(zip(names, self.source.columns, strict=True))
        if self.mapped is not None:
            for column, table in self.mapped.codes.items():
                self.mapped.recodable(column, names, self.path)
                if table:
                    cases = " ".join(f"WHEN {_text(code)} THEN {_text(value)}" for code, value in table.items())
                    out[column] = f"CASE {out[column]} {cases} ELSE {out[column]} END"
        return out

    def _relation(self, numbered: bool, typed: bool = True) -> str:
        """The non-blank rows as text columns under their (mapped) names, with the typed columns."""
        texts = self.texts
        select = ", ".join(f"{expression} AS {_ident(name)}" for name, expression in texts.items())
        blank = " AND ".join(f"{_ident(name)} = ''" for name in texts)
        base = self.source.numbered if numbered else self.source.plain
        keep = "k, " if numbered else ""
        clash = f", {self.clash} AS plan_clash"
        rows = f"(SELECT {keep}{select}{clash} FROM {base}) WHERE NOT ({blank})"
        return f"(SELECT *{self._typed() if typed and not self.problem else ''} FROM {rows})"

    @staticmethod
    def _parsers(value: str | None = None) -> dict[str, dict[str, str]]:
        """Text column -> {typed column: the SQL that parses the text as the pandas path parses it}
        (NULL where it does not parse; :data:`sectorplannen.participants.extract.DATE`); ``jong_t`` is
        jong as the check compares it. The text is the column itself, or the expression ``value``."""
        space = _text(extract.SPACE)

        def text(column: str) -> str:
            return f"trim({value or column}, {space})"

        def date(column: str) -> str:
            return (
                f"CASE WHEN regexp_full_match({text(column)}, '{extract.DATE}') "
                f"THEN try_strptime({text(column)}, '%Y-%m-%d') END"
            )

        jong = f"lower({text('jong')})"
        true = " OR ".join(f"{jong} = {_text(v)}" for v, meant in JONG_VALUES.items() if meant)
        tranche = text("tranche")
        return {
            "start": {"start_d": date("start")},
            "einde": {"einde_d": date("einde")},
            "jong": {"jong_t": jong, "jong_b": f"({true})"},
            "tranche": {"tranche_x": f"CASE WHEN NOT contains({tranche}, '_') THEN TRY_CAST({tranche} AS DOUBLE) END"},
        }

    @classmethod
    def _typed(cls) -> str:
        """The typed columns, parsed row by row (for the queries over the rows themselves)."""
        return "".join(
            f", {expression} AS {name}" for parsed in cls._parsers().values() for name, expression in parsed.items()
        )

    def _typed_by_value(self, table: str, into: str) -> None:
        """The table ``into``: ``table`` with the typed columns, each text parsed once per distinct
        value (a date repeats over thousands of combinations; parsing is most of a query over them)."""
        joins, columns = [], []
        for i, (column, parsed) in enumerate(self._parsers("v").items()):
            expressions = ", ".join(f"{expression} AS {name}" for name, expression in parsed.items())
            joins.append(
                f"LEFT JOIN (SELECT v, {expressions} FROM (SELECT DISTINCT {column} AS v FROM {table})) p{i} "
                f"ON t.{column} = p{i}.v"
            )
            columns += [f"p{i}.{name}" for name in parsed]
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT t.*, {', '.join(columns)} FROM {table} t {' '.join(joins)}"
        )

    # ------------------------------------------------------------------ the checks, by flag

    def _flags(self) -> dict[str, str]:
        """Every row-level check as a condition that is true on an offending row, in the pandas path's order:
        the values parsed (dates, jong, tranche), then each column's check, then the rules across columns."""
        schema = participant_schema()
        plans = {p.id: p.tranche for p in register()}
        themes, types = category_ids("thema"), category_ids("type_traject")
        jong = [v for v in JONG_VALUES]
        tranche = "TRY_CAST(tranche_x AS BIGINT)"  # NULL for NaN or infinity, which parse:tranche names

        def is_date(column):
            first, last = extract.FIRST_DATE, extract.LAST_DATE
            return f"({column} IS NOT NULL AND {column} BETWEEN DATE '{first}' AND DATE '{last}')"

        flags = {
            "parse:start": f"NOT {is_date('start_d')}",
            "parse:einde": f"NOT {is_date('einde_d')}",
            "parse:jong": f"NOT {_among('jong_t', jong)}",
            "parse:tranche": "(tranche_x IS NULL OR NOT isfinite(tranche_x) OR tranche_x <> trunc(tranche_x))",
            "column:deelnemer_id": "deelnemer_id = ''",
        }
        for column in COLUMNS[1:]:
            checks = schema.columns[column].checks
            if not checks:
                continue
            check = checks[0]
            if check.name == "isin":
                value = tranche if column == "tranche" else column
                allowed = check.statistics["allowed_values"]
                flags[f"column:{column}"] = f"NOT {_among(value, [str(v) for v in allowed])}"
            elif check.name == "greater_than_or_equal_to":
                flags[f"column:{column}"] = f"{column}_d < DATE '{check.statistics['min_value']:%Y-%m-%d}'"
            elif check.name == "less_than_or_equal_to":
                flags[f"column:{column}"] = f"{column}_d > DATE '{check.statistics['max_value']:%Y-%m-%d}'"
        if "column:tranche" in flags:
            flags["column:tranche"] = f"{tranche} NOT IN (1, 2, 3)"
        plan_tranche = _among(
            "plan_id || '|' || CAST(" + tranche + " AS VARCHAR)", [f"{p}|{t}" for p, t in plans.items()]
        )
        flags["rule:" + RULE_CONSISTENT] = (
            f"NOT ({plan_tranche} "
            f"AND (CASE WHEN {tranche} < 3 THEN {_among('categorie', [*themes, ''])} ELSE true END) "
            f"AND (CASE WHEN {tranche} = 3 THEN {_among('categorie', [*types, ''])} ELSE true END) "
            f"AND (({tranche} < 3 AND {_among('doelgroep', doelgroepen('1-2'))}) "
            f"OR ({tranche} = 3 AND doelgroep = categorie)))"
        )
        employed = _among("inkomenssituatie", EMPLOYED)
        geen = _text(NOT_EMPLOYED)
        filled = " AND ".join(f"{c} <> {geen}" for c in extract.JOB_FIELDS)
        empty = " AND ".join(f"{c} = {geen}" for c in extract.JOB_FIELDS)
        flags["rule:" + RULE_JOB_FIELDS] = f"NOT (({employed} AND {filled}) OR (NOT {employed} AND {empty}))"
        flags["rule:" + RULE_DATES] = "start_d > einde_d"
        theme_of = {m: theme for theme, named in measures().items() for m in named}
        theme = " ".join(f"WHEN {_text(m)} THEN {_text(t)}" for m, t in theme_of.items())
        flags["rule:" + RULE_MEASURE] = f"(CASE maatregel {theme} ELSE categorie END) <> categorie"
        return flags

    # ------------------------------------------------------------------ the run

    def run(self) -> pd.Series | None:
        self.texts = self._texts()
        self.problem = columns_problem(list(self.texts), self.path)
        self.clash = self._clash_condition()
        clash = "plan_clash"
        if self.problem:  # the mapping's merge and an extract without rows are named before the header
            (rows, clashes) = self._sql(
                f"SELECT count(*), count(*) FILTER (WHERE {clash}) FROM {self._relation(False)}"
            ).fetchone()
            self._no_clash(clashes, clash)
            self._not_empty(rows)
            raise ParticipantDataError(self.problem)
        flags = self._flags()
        ident = self.texts["deelnemer_id"]
        others = [c for c in COLUMNS if c != "deelnemer_id"]
        self._one_pass(ident, [self.raw[c] for c in others])
        suspicion = self._suspicion()  # sorting in its own thread meanwhile
        blank = " AND ".join(f"{self.texts[c]} = ''" for c in others)  # a row without values: left out
        texts = ", ".join(f"{self.texts[c]} AS {c}" for c in others)
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE kombinaties_tekst AS SELECT {texts}, "
            f"CASE WHEN {blank} THEN n - no_id ELSE n END AS n, CASE WHEN {blank} THEN 0 ELSE no_id END AS no_id, "
            f"control, {self.clash} AS plan_clash FROM ruw"
        )
        self._typed_by_value("kombinaties_tekst", "kombinaties")
        self._sql("DROP TABLE kombinaties_tekst")
        sums = ", ".join(
            "sum(no_id)" if n == "column:deelnemer_id" else f"coalesce(sum(n) FILTER (WHERE coalesce({c}, false)), 0)"
            for n, c in flags.items()
        )
        grouped = self._sql(
            f"SELECT tranche_x, peildatum, plan_id, sum(n) AS n, coalesce(sum(n) FILTER (WHERE plan_clash), 0), "
            "sum(control) AS control, "
            f"{sums} FROM kombinaties GROUP BY ALL"
        ).df()
        grouped.columns = ["tranche_x", "peildatum", "plan_id", "n", "clash", "control", *flags]
        totals = grouped.drop(columns=["tranche_x", "peildatum", "plan_id"]).sum()
        self._no_clash(int(totals["clash"]), clash)
        self._not_empty(int(totals["n"]))
        failing = [name for name in flags if totals[name] > 0]
        if failing or totals["control"] > 0:
            if self._binary():
                return None  # the pandas reader names the byte, its row and column
            self._first_failure(flags, failing[:1], totals)
        self._per_participant(suspicion)
        ok = grouped[grouped["n"] > 0]
        counts = ok.assign(tranche=ok["tranche_x"].astype("int64")).groupby(["tranche", "peildatum", "plan_id"])["n"]
        return counts.sum().astype("int64").rename(None)

    # ------------------------------------------------------------------ the one pass over the file

    def _one_pass(self, ident: str, raw: list[str]) -> None:
        """The rows counted per combination of every column but the id (far fewer than rows: codes and
        dates repeat), so each check then runs once per combination, weighted; with the hashes of the ids
        in each combination, for the checks per participant (:mod:`sectorplannen.participants.extract_ids`).
        The columns are grouped as DuckDB reads them and made text (dates, the mapping's codes) after.
        A table ``ruw``: the columns as read, ``n``, ``no_id``, ``control`` and ``sp_ids``."""
        counts = (
            f"count(*) AS n, count(*) FILTER (WHERE {ident} = '') AS no_id, "
            f"count(*) FILTER (WHERE regexp_matches({ident}, '{_BINARY}')) AS control, "
            f"list(hash({ident})) FILTER (WHERE {ident} <> '') AS sp_ids"
        )
        if self.source.whole_lines is not None and self.raw["deelnemer_id"] == "c0" and self._by_line(counts, raw):
            return
        columns = ", ".join(raw)
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE ruw AS SELECT {columns}, {counts} FROM {self.source.plain} GROUP BY ALL"
        )

    def _by_line(self, counts: str, raw: list[str]) -> bool:
        """The pass over a CSV file whose first column is the id, reading each line as one text: the id
        is the text before the first separator, the rest of the line is grouped as it is and split into
        its columns once per combination. Parsing every field of every row is most of the cost of a
        CSV file, so this halves it. A file with a quote in any line (a quoted value may hold the
        separator or a line break), or with a line of another number of fields, is read field by field
        (False)."""
        sep = _text(self.source.separator)
        lines = (
            f"(SELECT CASE WHEN p = 0 THEN line ELSE substr(line, 1, p - 1) END AS c0, "
            f"CASE WHEN p = 0 THEN NULL ELSE substr(line, p + 1) END AS sp_rest "
            f"FROM (SELECT line, strpos(line, {sep}) AS p FROM {self.source.whole_lines} WHERE line IS NOT NULL))"
        )
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE ruw_regels AS SELECT sp_rest, {counts}, "
            f"count(*) FILTER (WHERE contains(c0, '\"')) AS quoted FROM {lines} GROUP BY sp_rest"
        )
        fields = len(self.source.names) - 1
        (odd,) = self._sql(
            "SELECT sum(quoted) + count(*) FILTER (WHERE sp_rest IS NULL OR contains(sp_rest, '\"') "
            f"OR len(string_split(sp_rest, {sep})) <> {fields}) FROM ruw_regels"
        ).fetchone()
        if odd:
            self._sql("DROP TABLE ruw_regels")
            return False
        split = ", ".join(f"parts[{i}] AS c{i}" for i in range(1, fields + 1))
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE ruw AS SELECT {split}, n, no_id, control, sp_ids "
            f"FROM (SELECT string_split(sp_rest, {sep}) AS parts, * FROM ruw_regels)"
        )
        self._sql("DROP TABLE ruw_regels")
        return True

    def counted(self) -> pd.DataFrame:
        """The engine's table of counts over the checked combinations (after :meth:`run` passed): the
        audited columns typed as a validated frame has them, each combination weighted by its rows."""
        typed = {"tranche": "CAST(tranche_x AS BIGINT)", "jong": "jong_b"}
        columns = ", ".join(f"{typed.get(c, c)} AS {c}" for c in AUDIT_COLUMNS)
        self._sql(
            f"CREATE OR REPLACE TEMP VIEW gecontroleerd AS SELECT {columns}, n AS {COUNT} FROM kombinaties WHERE n > 0"
        )
        return engine.counts(engine.View("gecontroleerd"), self.db)

    def _sql(self, query: str, parameters=None):
        try:
            return self.db.execute(query, parameters or [])
        except duckdb.OutOfMemoryException:
            raise ParticipantDataError(
                f"{self.path}: checking the extract needed more than the engine's memory limit even when spilling "
                "to disk: set SECTORPLANNEN_ENGINE_MEMORY higher (e.g. 8GB) or free space in the temporary folder"
            ) from None
        except duckdb.Error as exc:
            raise _Unreadable() from exc

    def _index(self, k: int) -> int:
        """The pandas index (row number minus 2) of DuckDB's record ``k``: empty lines before it counted."""
        if self.source.lines is None:
            return int(k)
        if self._blank_lines is None:
            self._blank_lines = _empty_lines(self.source.lines)
        index = int(k)
        for blank in self._blank_lines:
            if blank <= index:
                index += 1
        return index

    def _clash_condition(self) -> str:
        """Rows whose plan id a mapping code becomes while the extract holds it as it is (two plans would merge)."""
        table = (self.mapped.codes.get("plan_id") if self.mapped else None) or {}
        if not table or "plan_id" not in self.texts:
            return "false"
        raw = dict(zip(self.mapped.renamed(self.source.names, self.path), self.source.texts, strict=True))["plan_id"]
        return f"(NOT {_among(raw, list(table))} AND {_among(raw, list(table.values()))})"

    def _no_clash(self, clashes: int, clash: str) -> None:
        """Refuse a mapping that merges two plans, naming the first row that holds a plan as it is."""
        if clashes:
            k, plan = self._sql(
                f"SELECT k, plan_id FROM {self._relation(True)} WHERE {clash} ORDER BY k LIMIT 1"
            ).fetchone()
            raise self.mapped.merge_error(plan, self._index(k), self.path)

    def _not_empty(self, rows: int) -> None:
        if not rows:
            raise ParticipantDataError(
                f"{self.path}: a header row but no participant rows: export the extract with one row per "
                "participant and measurement date"
            )

    def _binary(self) -> bool:
        """Whether a value holds a control character (then the pandas reader's message comes first)."""
        any_binary = " OR ".join(f"regexp_matches({_ident(n)}, '{_BINARY}')" for n in self.texts)
        (found,) = self._sql(f"SELECT count(*) FILTER (WHERE {any_binary}) FROM {self._relation(False)}").fetchone()
        return bool(found)

    def _first(self, condition: str, columns: str = "*"):
        """The first row (in file order) where ``condition`` holds, as a Series, with its pandas index."""
        frame = self._sql(
            f"SELECT {columns} FROM {self._relation(True)} WHERE coalesce({condition}, false) ORDER BY k LIMIT 1"
        ).df()
        row = frame.iloc[0]
        return self._index(row["k"]), row

    def _first_failure(self, flags: dict, failing: list[str], totals) -> None:
        if not failing:
            return
        name = failing[0]
        n = int(totals[name])
        more = "" if n <= 1 else f" (and {n - 1} more row{'s' if n > 2 else ''})"
        index, row = self._first(flags[name])
        kind, _, column = name.partition(":")
        if name == "parse:start" or name == "parse:einde":
            raise ParticipantDataError(extract.not_a_date(self.path, index, column, row[column], more))
        if name == "parse:jong":
            raise ParticipantDataError(extract.not_a_boolean(self.path, index, row["jong"], more))
        if name == "parse:tranche":
            raise ParticipantDataError(extract.not_a_tranche(self.path, index, row["tranche"], more))
        if kind == "column":
            raise ParticipantDataError(self._column_message(column, flags[name], index, row, n))
        if self._duplicates():
            return
        row = row.copy()
        row["tranche"] = int(row["tranche_x"])
        raise ParticipantDataError(RULES[column](row, index, n, self.path))

    def _column_message(self, column: str, condition: str, index: int, row: pd.Series, n: int) -> str:
        """The pandas path's message for a failed column check (explain's), from the first offending rows."""
        schema = participant_schema()
        check = schema.columns[column].checks[0]
        values = {
            "tranche": lambda r: int(r["tranche_x"]),
            "start": lambda r: r["start_d"],
            "einde": lambda r: r["einde_d"],
        }
        value = values.get(column, lambda r: r[column])
        cases = [(index, value(row))]
        if column == "plan_id":
            second = self._sql(
                f"SELECT plan_id, min(k) AS k FROM {self._relation(True)} WHERE coalesce({condition}, false) "
                f"AND plan_id <> ? GROUP BY plan_id ORDER BY k LIMIT 1",
                [row["plan_id"]],
            ).fetchall()
            cases += [(self._index(k), plan) for plan, k in second]
        failures = pd.DataFrame(
            {
                "schema_context": "Column",
                "column": column,
                "check": check.name,
                "check_number": 0,
                "index": [i for i, _ in cases],
                "failure_case": [v for _, v in cases],
            }
        )
        return extract.column_problem(failures, self.path, schema, n)

    # ------------------------------------------------------------------ per participant

    def _suspicion(self):
        """Start deciding, from the hashes of the ids, whether a participant may be twice on one date or on
        two trajectories; a function that gives the answer (twice, moved). Up to IDS_IN_MEMORY rows the
        hashes are sorted in memory (:mod:`sectorplannen.participants.extract_ids`) in a thread of its own,
        while DuckDB runs the checks per combination; beyond, DuckDB groups them (spilling) when asked."""
        static = f"hash({', '.join(self.raw[c] for c in STATIC_COLUMNS)})"
        per_combination = f"hash({self.texts['peildatum']}) AS d, {static} AS s FROM ruw WHERE sp_ids IS NOT NULL"
        (rows,) = self._sql("SELECT coalesce(sum(len(sp_ids)), 0) FROM ruw").fetchone()
        if rows > IDS_IN_MEMORY:
            return lambda: self._sql(
                "SELECT count(*) FILTER (WHERE twice) > 0, count(*) FILTER (WHERE moved) > 0 FROM ("
                "SELECT count(*) > count(DISTINCT d) AS twice, min(s) <> max(s) AS moved "
                f"FROM (SELECT unnest(sp_ids) AS h, {per_combination}) GROUP BY h)"
            ).fetchone()
        table = self._sql(f"SELECT sp_ids, {per_combination}").to_arrow_table()
        ids = table.column("sp_ids").combine_chunks()
        arrays = (ids.flatten().to_numpy(), ids.value_lengths().to_numpy(), *(table.column(c).to_numpy() for c in "ds"))
        pool = ThreadPoolExecutor(max_workers=1)
        answer = pool.submit(extract_ids.suspects, *arrays)
        pool.shutdown(wait=False)
        return answer.result

    def _per_participant(self, suspicion) -> None:
        """A participant twice on one date, or on two trajectories: suspected from the hashes of the ids
        (``suspicion``, from :meth:`_suspicion`), and only then looked for row by row by the exact queries."""
        twice, moved = suspicion()
        if twice and self._duplicates():
            return
        if moved:
            self._two_trajectories()

    def _static(self) -> str:
        typed = {"tranche": "CAST(tranche_x AS BIGINT)", "jong": "jong_b", "start": "start_d", "einde": "einde_d"}
        return ", ".join(typed.get(c, c) for c in STATIC_COLUMNS)

    def _duplicates(self) -> bool:
        """Raise the pandas path's message for the first participant twice on one date; False when there is none."""
        found = self._sql(
            "SELECT min(k) AS first, count(*) AS n, any_value(peildatum) AS peildatum, "
            f"any_value(deelnemer_id) AS id FROM {self._relation(True)} GROUP BY deelnemer_id, peildatum "
            "HAVING count(*) > 1 ORDER BY first"
        ).df()
        if found.empty:
            return False
        first = found.iloc[0]
        (second,) = self._sql(
            f"SELECT k FROM {self._relation(True)} WHERE deelnemer_id = ? AND peildatum = ? "
            "ORDER BY k LIMIT 1 OFFSET 1",
            [first["id"], first["peildatum"]],
        ).fetchone()
        extra = int((found["n"] - 1).sum())
        raise ParticipantDataError(
            extract.duplicate_message(
                self.path, self._index(first["first"]), self._index(second), first["peildatum"], extra
            )
        )

    def _two_trajectories(self) -> None:
        static = self._static()
        self._sql(
            f"CREATE OR REPLACE TEMP TABLE trajecten AS SELECT deelnemer_id, min(k) AS k FROM {self._relation(True)} "
            f"GROUP BY deelnemer_id, {static}"
        )
        found = self._sql(
            "SELECT deelnemer_id, min(k) AS first FROM trajecten GROUP BY deelnemer_id HAVING count(*) > 1 "
            "ORDER BY first"
        ).df()
        if found.empty:
            return
        ks = [
            k
            for (k,) in self._sql(
                "SELECT k FROM trajecten WHERE deelnemer_id = ? ORDER BY k LIMIT 2", [found["deelnemer_id"].iloc[0]]
            ).fetchall()
        ]
        a, b = (self._first(f"k = {int(k)}")[1] for k in ks)
        typed = {"tranche": "tranche_x", "jong": "jong_b", "start": "start_d", "einde": "einde_d"}
        column = next(c for c in STATIC_COLUMNS if a[typed.get(c, c)] != b[typed.get(c, c)])
        raise ParticipantDataError(
            extract.two_trajectories(
                self.path,
                self._index(ks[0]),
                self._index(ks[1]),
                column,
                (a["peildatum"], b["peildatum"]),
                len(found) - 1,
            )
        )


class _Unreadable(Exception):
    """DuckDB could not read the file as the CSV or Parquet it was told: the pandas reader names why."""
