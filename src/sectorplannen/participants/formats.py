"""Extracts in the formats secure environments export besides CSV (Parquet, SPSS, Stata), read
into the same text columns as a CSV extract, and the column mapping that renames an extract's
columns and recodes its values to the schema's.

Every format gives a frame of strings with the index :func:`sectorplannen.participants.extract.read`
gives (row number minus 2), so the checks and their one-line messages are the same for every format.
A mapping is a YAML file beside the extract (``deelnemers.sav.mapping.yaml``) or given explicitly::

    columns: {BSN_ID: deelnemer_id, PLAN: plan_id}
    codes: {inkomenssituatie: {1: werknemer, 4: ww}}
    csv: {separator: ';', encoding: latin-1}    # a CSV extract only; otherwise both are detected
"""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyreadstat
import yaml

from sectorplannen.errors import ColumnMappingError, ExtractFormatError
from sectorplannen.participants.schema import COLUMNS

# Suffix -> (format name, what to do when the file is not readable as that format).
FORMATS = {
    ".parquet": ("Parquet", "export it again as Parquet, or export it as UTF-8 CSV"),
    ".pq": ("Parquet", "export it again as Parquet, or export it as UTF-8 CSV"),
    ".sav": ("SPSS", "save it again from SPSS as .sav, or export it as UTF-8 CSV"),
    ".zsav": ("SPSS", "save it again from SPSS as .sav, or export it as UTF-8 CSV"),
    ".dta": ("Stata", "save it again from Stata as .dta, or export it as UTF-8 CSV"),
}


MAPPING_SUFFIX = ".mapping.yaml"


# The separators a mapping may give for a CSV extract, by the name it may give them.
SEPARATOR_NAMES = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}


def format_of(path: Path) -> str | None:
    """The format a file's suffix names ('Parquet', 'SPSS', 'Stata'), or None for a CSV file."""
    entry = FORMATS.get(Path(path).suffix.lower())
    return entry[0] if entry else None


def _text_value(value) -> str:
    """One cell as the text a CSV export would hold: dates as YYYY-MM-DD, booleans as true/false,
    whole numbers without decimals, missing values empty."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | pd.Timestamp):
        stamp = pd.Timestamp(value)
        return f"{stamp:%Y-%m-%d}" if stamp == stamp.normalize() else stamp.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def as_text(column: pd.Series) -> pd.Series:
    """A column of any type as text (see :func:`_text_value`); a column of strings stays as it is."""
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty"):
        return column
    if pd.api.types.is_datetime64_any_dtype(column):
        text = column.dt.strftime("%Y-%m-%d")
        timed = column.notna() & (column != column.dt.normalize())
        if timed.any():
            text[timed] = column[timed].map(_text_value)
        return text.fillna("")
    return column.astype(object).map(_text_value).astype(object)


def _unreadable(path: Path, kind: str, exc: Exception) -> ExtractFormatError:
    _, todo = FORMATS[path.suffix.lower()]
    reason = " ".join(str(exc).split())[:160] or type(exc).__name__
    return ExtractFormatError(f"{path}: not a readable {kind} file ({reason}): {todo}")


def read_table(path: Path) -> pd.DataFrame:
    """A Parquet, SPSS or Stata file as text columns, the index the row number minus 2; a file that
    is not readable as the format its suffix names is one line."""
    kind = format_of(path)
    try:
        if kind == "Parquet":
            frame = pd.read_parquet(path, engine="pyarrow")
        elif kind == "SPSS":
            frame, _ = pyreadstat.read_sav(str(path), apply_value_formats=False)
        else:
            frame, _ = pyreadstat.read_dta(str(path), apply_value_formats=False)
    except (pyarrow.ArrowException, pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, ValueError) as exc:
        raise _unreadable(path, kind, exc) from None
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    return pd.DataFrame({i: as_text(frame.iloc[:, i]) for i in range(frame.shape[1])}).set_axis(frame.columns, axis=1)


# ------------------------------------------------------------------------------ the column mapping


def mapping_beside(path: Path) -> Path | None:
    """The mapping file beside an extract (its name plus '.mapping.yaml'), when there is one."""
    candidate = Path(f"{path}{MAPPING_SUFFIX}")
    return candidate if candidate.is_file() else None


def _lines(node, prefix=()) -> dict[tuple, int]:
    """The line (1-based) of every key in a YAML mapping, by its path of keys as text."""
    found = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            where = (*prefix, str(key.value))
            found[where] = key.start_mark.line + 1
            found.update(_lines(value, where))
    return found


def _text_key(value) -> str:
    return _text_value(value)


class Mapping:
    """A column mapping read from its YAML file: extract column -> schema column, and per schema
    column extract code -> schema value."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.is_file():
            raise ColumnMappingError(
                f"{self.path}: no such mapping file: check the path, or remove it to read the extract as it is"
            )
        text = self.path.read_text(encoding="utf-8-sig")
        try:
            data = yaml.safe_load(text)
            self._line = _lines(yaml.compose(text))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f", line {mark.line + 1}" if mark else ""
            raise ColumnMappingError(
                f"{self.path}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc}): see the example "
                "mapping in data/README.md"
            ) from None
        data = data or {}
        if not isinstance(data, dict) or set(data) - {"columns", "codes", "csv"}:
            extra = sorted(map(str, set(data) - {"columns", "codes", "csv"})) if isinstance(data, dict) else []
            what = f"unknown key(s) {', '.join(map(repr, extra))}" if extra else "not a mapping"
            raise ColumnMappingError(
                f"{self.path}: {what}: a mapping holds only 'columns', 'codes' and 'csv' (see data/README.md)"
            )
        self.separator, self.encoding = self._csv(data.get("csv") or {})
        columns, codes = data.get("columns") or {}, data.get("codes") or {}
        for key, value in (("columns", columns), ("codes", codes)):
            if not isinstance(value, dict):
                raise ColumnMappingError(
                    f"{self.path}{self._at(key)}, {key}: not a list of 'name: value' pairs: see data/README.md"
                )
        self.columns = {str(k).strip(): str(v).strip() for k, v in columns.items()}
        self._check_columns()
        self.codes = {}
        for column, table in codes.items():
            column = str(column).strip()
            if column not in COLUMNS:
                raise ColumnMappingError(
                    f"{self.path}{self._at('codes', column)}, codes: {column!r} is not a column of the schema: "
                    f"name the schema column (after renaming), one of {', '.join(COLUMNS)}"
                )
            if not isinstance(table, dict):
                raise ColumnMappingError(
                    f"{self.path}{self._at('codes', column)}, codes, column {column!r}: not a list of "
                    "'code: value' pairs: write e.g. '1: werknemer' on its own line"
                )
            self.codes[column] = {_text_key(k): _text_value(v) for k, v in table.items()}
        self._one_code_per_plan()

    def _one_code_per_plan(self) -> None:
        """Two extract codes recoded to one plan id would merge two plans into one without a word (and
        the plan's counts would mix participants of both): refused, naming both codes."""
        seen: dict[str, str] = {}
        for code, plan in (self.codes.get("plan_id") or {}).items():
            if plan in seen:
                raise ColumnMappingError(
                    f"{self.path}{self._at('codes', 'plan_id', code)}, codes, column 'plan_id': {seen[plan]!r} and "
                    f"{code!r} both become plan {plan!r}, which merges two plans: give each extract code its own "
                    "plan id"
                )
            seen[plan] = code

    def _csv(self, options) -> tuple[str | None, str | None]:
        """The CSV separator and encoding the mapping gives (``csv: {separator: ';', encoding:
        latin-1}``), each None where the file is to decide."""
        if not isinstance(options, dict) or set(options) - {"separator", "encoding"}:
            raise ColumnMappingError(
                f"{self.path}{self._at('csv')}, csv: give only 'separator' and 'encoding', e.g. "
                "csv: {separator: ';', encoding: latin-1}"
            )
        separator = options.get("separator")
        if separator is not None:
            separator = SEPARATOR_NAMES.get(str(separator).lower(), str(separator))
            if separator not in SEPARATOR_NAMES.values():
                raise ColumnMappingError(
                    f"{self.path}{self._at('csv', 'separator')}, csv: separator {options['separator']!r} is not "
                    "one a CSV export uses: write ',', ';' or tab"
                )
        encoding = options.get("encoding")
        if encoding is not None:
            try:
                encoding = codecs.lookup(str(encoding)).name
            except LookupError:
                raise ColumnMappingError(
                    f"{self.path}{self._at('csv', 'encoding')}, csv: {options['encoding']!r} is not an encoding: "
                    "write utf-8, latin-1 or windows-1252"
                ) from None
        return separator, encoding

    def _at(self, *keys) -> str:
        line = self._line.get(tuple(str(k) for k in keys))
        return f", line {line}" if line else ""

    def _check_columns(self) -> None:
        for source, target in self.columns.items():
            if target not in COLUMNS:
                raise ColumnMappingError(
                    f"{self.path}{self._at('columns', source)}, columns: {source!r} maps to {target!r}, which is not "
                    f"a column of the schema: use one of {', '.join(COLUMNS)}"
                )
        targets = list(self.columns.values())
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            sources = [s for s, t in self.columns.items() if t == twice[0]]
            raise ColumnMappingError(
                f"{self.path}{self._at('columns', sources[1])}, columns: {', '.join(map(repr, sources))} all map "
                f"to {twice[0]!r}: map one extract column to each schema column"
            )

    def apply(self, frame: pd.DataFrame, extract: Path) -> pd.DataFrame:
        """The extract's frame with the schema's column names and values; a mapped column that the
        extract lacks, or a rename onto a column it already has, is one line naming the mapping."""
        out = frame.set_axis(self.renamed(list(frame.columns), extract), axis=1)
        for column, table in self.codes.items():
            self.recodable(column, list(out.columns), extract)
            if column == "plan_id":
                self._no_merge_with_the_extract(out[column], table, extract)
            out[column] = out[column].map(table).fillna(out[column])
        return out

    def renamed(self, names: list[str], extract: Path) -> list[str]:
        """The extract's column names after renaming; a mapped column that the extract lacks, or a
        rename onto a column it already has, is one line naming the mapping."""
        for source, target in self.columns.items():
            if source not in names:
                raise ColumnMappingError(
                    f"{self.path}{self._at('columns', source)}, columns: maps {source!r}, which {extract} does not "
                    f"have (its columns: {', '.join(names)}): correct the name or remove the line"
                )
            if target in names and target not in self.columns:
                raise ColumnMappingError(
                    f"{self.path}{self._at('columns', source)}, columns: maps {source!r} to {target!r}, which "
                    f"{extract} already has: remove one of the two from the extract or the mapping"
                )
        return [self.columns.get(n, n) for n in names]

    def recodable(self, column: str, names: list[str], extract: Path) -> None:
        """Refuse codes for a column the extract does not have after renaming (``names``)."""
        if column not in names:
            raise ColumnMappingError(
                f"{self.path}{self._at('codes', column)}, codes: recodes {column!r}, which {extract} does not "
                "have after renaming: map an extract column to it under 'columns' or remove the codes"
            )

    def _no_merge_with_the_extract(self, plans: pd.Series, table: dict, extract: Path) -> None:
        """A code recoded to a plan id the extract also holds as it is merges two groups of rows into one plan."""
        kept = plans[~plans.isin(list(table))]
        clash = kept[kept.isin(list(table.values()))]
        if not clash.empty:
            raise self.merge_error(clash.iloc[0], int(clash.index[0]), extract)

    def merge_error(self, plan: str, index: int, extract: Path) -> ColumnMappingError:
        """Plan ``plan``, which a code becomes, held as it is on the row at ``index`` (row number minus 2)."""
        code = next(c for c, target in self.codes["plan_id"].items() if target == plan)
        return ColumnMappingError(
            f"{self.path}{self._at('codes', 'plan_id', code)}, codes, column 'plan_id': {code!r} becomes plan "
            f"{plan!r}, which {extract} also holds as it is (row {index + 2}), so two plans "
            "would merge: recode every plan code of the extract, or none"
        )
