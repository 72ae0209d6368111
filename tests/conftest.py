"""Shared fixtures: outputs in a temporary folder; a scratch copy of data/published/ that a test may corrupt."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# No test writes into the user's outputs/: every run of the suite (and the kernels it starts)
# writes into a fresh temporary folder, set before the package reads it. A test suite that built
# into outputs/ could also pass on pages cached from an earlier run.
os.environ["SECTORPLANNEN_OUTPUTS"] = tempfile.mkdtemp(prefix="sectorplannen-test-outputs-")
atexit.register(shutil.rmtree, os.environ["SECTORPLANNEN_OUTPUTS"], ignore_errors=True)
# Nor into the user's release records of confidential extracts (participants.releases).
os.environ["SECTORPLANNEN_RELEASES"] = tempfile.mkdtemp(prefix="sectorplannen-test-releases-")
atexit.register(shutil.rmtree, os.environ["SECTORPLANNEN_RELEASES"], ignore_errors=True)

from sectorplannen import paths  # noqa: E402 (after the outputs folder is set)


@pytest.fixture
def published_copy(tmp_path: Path) -> Path:
    """A copy of data/published/ in a temporary folder."""
    target = tmp_path / "published"
    shutil.copytree(paths.PUBLISHED, target)
    return target


def rewrite_cell(csv_path: Path, row_match: dict, column: str, new_value: str) -> None:
    """Set ``column`` to ``new_value`` in the first CSV row whose fields equal ``row_match``."""
    import csv

    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    for row in rows:
        if all(row[k] == v for k, v in row_match.items()):
            row[column] = new_value
            break
    else:  # pragma: no cover - a test that matches nothing is a broken test
        raise AssertionError(f"no row matches {row_match}")
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def broken_notebook(folder: Path, name: str, source: str = "inhoud") -> Path:
    """A copy of a chapter notebook with a last cell that raises ``RuntimeError('kapot')``."""
    import json

    nb = json.loads((paths.ROOT / "notebooks" / f"{source}.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "kapot",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "raise RuntimeError('kapot')",
        }
    )
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


SYSTEM_TEMP = tempfile.gettempdir()  # before any test points TMPDIR elsewhere


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Outputs in tmp_path and a temporary directory of their own (short: kernel sockets live in
    it), for this process, its workers and kernels."""
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    temp = Path(tempfile.mkdtemp(prefix="sp-", dir=SYSTEM_TEMP))
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(outputs))
    monkeypatch.setattr(paths, "OUTPUTS", outputs)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield outputs, temp
    shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def sample():
    """313 rows of the synthetic file (every 2500th), as text as its CSV export holds them: all three
    tranches and measurement dates (the shape of an extract to write in any format)."""
    import pandas as pd

    from sectorplannen.participants import synthetic

    if not paths.SYNTHETIC.exists():
        synthetic.write()
    return pd.read_csv(
        paths.SYNTHETIC_CSV, dtype=str, keep_default_na=False, skiprows=lambda i: i > 0 and i % 2500 != 1
    )
