"""Every error a user can cause, under one base class.

The command line catches :class:`SectorplannenError` only and shows its one-line message: each
names what was wrong and where, and what to do. Any other exception is a bug and keeps its
traceback.
"""

from __future__ import annotations

import difflib
from pathlib import Path


class SectorplannenError(Exception):
    """A mistake in the input or the parameters a user gave (not a bug): its message is the whole story."""


class RawTableError(SectorplannenError, ValueError):
    """A raw table file that does not follow ``data/raw/README.md``."""

    def __init__(self, path: Path | str, message: str, line: str | None = None):
        where = f"{path}" + (f", line-ref {line}" if line else "")
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


class UnknownPlanError(SectorplannenError, KeyError):
    """A plan name that is neither a name nor an alias in the register."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class PublishedDataError(SectorplannenError, ValueError):
    """A published data file that is malformed: names the file, row and column."""


class UnexplainedFindings(SectorplannenError, ValueError):
    """``make data`` found differences in data/raw/ that data/raw/findings.yaml does not explain."""


class StaleRawData(SectorplannenError, ValueError):
    """data/raw/ changed since ``make data`` wrote data/published/."""


class CalibrationError(SectorplannenError, ValueError):
    """A claim the calibration cannot read, or a prior that does not cover the people."""


class ClaimsError(SectorplannenError, ValueError):
    """A malformed claims file (names file, row and column)."""


class CohortError(SectorplannenError, ValueError):
    """An unknown cohort key or value."""


class DisclosureError(SectorplannenError, ValueError):
    """A minimum cell size that disclosure control cannot work with."""


class ReleaseRecordError(SectorplannenError, ValueError):
    """The release record of an extract that cannot be read, written or reset as asked."""


class ParameterError(SectorplannenError, ValueError):
    """A chapter parameter with a wrong type or value."""


class OutcomeError(SectorplannenError, ValueError):
    """An outcome (``variable=value|value``) with an unknown variable or value."""


class ParticipantDataError(SectorplannenError, ValueError):
    """A participant file that does not follow the schema (names file, row and column)."""


class ExtractFormatError(ParticipantDataError):
    """A Parquet, SPSS or Stata extract that cannot be read as the format its suffix names."""


class ColumnMappingError(ParticipantDataError):
    """A column mapping of an extract that names an unknown schema column or a column the extract lacks."""


class ChapterFailed(SectorplannenError, RuntimeError):
    """A chapter notebook that failed: names chapter, parameters, cell and error."""


class NotebookPairError(SectorplannenError, ValueError):
    """A chapter notebook whose paired ``.py`` has other cells."""


class StaleSyntheticData(SectorplannenError, ValueError):
    """The synthetic participant file is older than what it is made from."""


class DataFileError(SectorplannenError, ValueError):
    """A hand-kept data file of the project (plans.yaml, findings.yaml, checks.yaml, calibratie.yaml)
    that is not as its README describes."""


class SetupError(SectorplannenError, RuntimeError):
    """The machine is not set up for a build: no project kernel, an output folder that cannot be
    written, a temporary folder whose path is too long for kernel sockets."""


def did_you_mean(names, known) -> str:
    """``'top_m' (did you mean 'top_n'?)`` for each of ``names``: how a message names what it does not know."""
    out = []
    for name in sorted(names, key=str):
        close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
        out.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return ", ".join(out)
