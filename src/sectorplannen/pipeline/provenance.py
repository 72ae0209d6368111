"""Provenance of a chapter run: what made it, so every output can be traced and rebuilt.

A run records the git commit (and whether the tree had uncommitted changes), its parameters, the
SHA-256 of every input data file, the versions of the packages that compute it and the kind of
data (published tables, synthetic or real participant data). The same record gives the
*fingerprint* that decides whether a chapter must be rebuilt: content hashes, not timestamps.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from sectorplannen import datakind, paths
from sectorplannen.hashing import content_hash, extract_label, input_name, sha256
from sectorplannen.participants.formats import mapping_beside
from sectorplannen.pipeline import uptodate
from sectorplannen.pipeline.uptodate import input_files

PACKAGES = (
    "sectorplannen",
    "pandas",
    "numpy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "papermill",
    "nbconvert",
    "nbformat",
)


def public_parameters(parameters: dict, data_kind: str) -> dict:
    """The parameters as outputs may show them: the path of a real extract replaced by its label."""
    if data_kind != datakind.EXTRACT:
        return dict(parameters)
    return {**parameters, "data_source": extract_label(parameters["data_source"])}


def participant_files(parameters: dict, data_kind: str) -> list[Path]:
    """The participant files a chapter reads: the synthetic file and the prior it is calibrated from,
    or the real extract and the column mapping beside it."""
    if data_kind == datakind.SYNTHETIC:
        return [paths.SYNTHETIC, paths.CALIBRATION]
    if data_kind == datakind.EXTRACT:
        extract = Path(parameters["data_source"])
        return [extract, *filter(None, [mapping_beside(extract)])]
    return []


def paired_script(notebook: Path) -> Path:
    """The jupytext ``.py`` paired with a notebook."""
    return notebook.with_suffix(".py")


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


@lru_cache(maxsize=1)
def git_state() -> dict:
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit or "onbekend", "dirty": bool(status) if status is not None else None}


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "niet geïnstalleerd"
    return out


def fingerprint(notebook: Path, parameters: dict, data_kind: str, inputs: tuple[str, ...]) -> str:
    """Content hash of everything a chapter run depends on (:func:`.uptodate.fingerprint`, which a
    no-op ``make report`` computes without importing this layer): parameters (an extract by its
    label), the notebook and its paired ``.py``, every file of the package, the data files and the
    participant file (by content, whatever its path). A missing input counts as such."""
    shown = public_parameters(parameters, data_kind)
    return uptodate.fingerprint(notebook, shown, data_kind, inputs, participant_files(parameters, data_kind))


def participant_hashes(parameters: dict, data_kind: str) -> dict[str, str]:
    """The participant files of a run by SHA-256 of their content; an extract under its label, the
    column mapping beside it under the label plus '.mapping' (each file its own entry)."""
    out = {}
    files = participant_files(parameters, data_kind)
    for index, path in enumerate(files):
        if not path.is_file():
            continue
        if path.is_relative_to(paths.ROOT):
            name = input_name(path)
        else:
            name = extract_label(parameters["data_source"]) + (".mapping" if index else "")
        out[name] = content_hash(path)
    return out


def record(
    parameters: dict, data_kind: str, fingerprint_value: str, inputs: tuple[str, ...], extra_inputs: dict | None = None
) -> dict:
    """The provenance record of one run (pass :func:`public_parameters`; ``extra_inputs`` are
    :func:`participant_hashes`)."""
    hashes = {str(p.relative_to(paths.ROOT)): sha256(p) for p in input_files(inputs)}
    return {
        "git": git_state(),
        "parameters": parameters,
        "data_kind": data_kind,
        "inputs": {**hashes, **(extra_inputs or {})},
        "packages": package_versions(),
        "fingerprint": fingerprint_value,
    }
