"""Provenance of a chapter run: what made it, so every output can be traced and rebuilt.

A run records the git commit (and whether the tree had uncommitted changes), its parameters, the
SHA-256 of every input data file, the versions of the packages that compute it and the kind of
data (published tables, synthetic or real participant data). The same record gives the
*fingerprint* that decides whether a chapter must be rebuilt: content hashes, not timestamps.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import subprocess
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from sectorplannen import paths

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
# data/raw holds the plan register and the categories the chapters read, and the tables that
# data/published must match (the build refuses stale published data; see build.check_raw).
INPUT_DIRS = ("data/published", "data/claims", "data/raw")
# The participant files of chapters 4 and 7. SYNTHETIC is participants.SYNTHETIC (not imported
# here: that module loads pandas and pandera, too slow for a no-op rebuild).
SYNTHETIC = paths.DATA / "synthetic" / "deelnemers.csv"
CALIBRATION = paths.DATA / "calibratie.yaml"
SRC = paths.ROOT / "src" / "sectorplannen"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files() -> list[Path]:
    """The data files a chapter reads (published tables, register, categories, findings, claims);
    not the READMEs (documentation) nor hidden files (temporary files of a writer, swap files)."""
    files = []
    for folder in INPUT_DIRS:
        files += [p for p in sorted((paths.ROOT / folder).rglob("*")) if p.is_file() and _is_input(p, folder)]
    return files


def _is_input(path: Path, folder: str) -> bool:
    relative = path.relative_to(paths.ROOT / folder).parts
    return path.name != "README.md" and not any(part.startswith(".") for part in relative)


_HASHES: dict[tuple, str] = {}
# A file modified this recently may change again within the same timestamp tick, so its hash is not
# remembered (git's "racily clean" rule).
RACY_NS = 2_000_000_000


def content_hash(path: Path) -> str:
    """SHA-256 of a (possibly large) file's content. Within one process a file whose size, inode
    and timestamps did not change is hashed once: the synthetic participant file is 120 MB and two
    chapters read it."""
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if key in _HASHES:
        return _HASHES[key]
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS:
        _HASHES[key] = digest
    return digest


def extract_label(data_source) -> str:
    """How outputs name a real participant extract: a short hash of its path (as the run name does),
    never the path itself."""
    return "extract-" + hashlib.sha256(str(data_source).encode()).hexdigest()[:8]


def public_parameters(parameters: dict, data_kind: str) -> dict:
    """The parameters as outputs may show them: the path of a real extract replaced by its label."""
    if data_kind != "extract":
        return dict(parameters)
    return {**parameters, "data_source": extract_label(parameters["data_source"])}


def participant_files(parameters: dict, data_kind: str) -> list[Path]:
    """The participant files a chapter reads: the synthetic file and the prior it is calibrated from,
    or the real extract."""
    if data_kind == "synthetic":
        return [SYNTHETIC, CALIBRATION]
    if data_kind == "extract":
        return [Path(parameters["data_source"])]
    return []


def paired_script(notebook: Path) -> Path:
    """The jupytext ``.py`` paired with a notebook."""
    return notebook.with_suffix(".py")


def code_files() -> list[Path]:
    return sorted((paths.ROOT / "src" / "sectorplannen").glob("*.py"))


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


def _name(path: Path) -> str:
    """How the fingerprint names an input: its path in the repository; a file outside it (a real
    extract) only as such, so no path of a confidential file enters a record."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else "extern"


def fingerprint(notebook: Path, parameters: dict, data_kind: str, extra_files: list[Path] | None = None) -> str:
    """Content hash of everything a chapter run depends on: parameters (an extract by its label),
    the notebook and its paired ``.py``, the package code, the data files and the participant file
    (by content, whatever its path). A missing input counts as such, so the run is not current."""
    digest = hashlib.sha256()
    shown = public_parameters(parameters, data_kind)
    digest.update(json.dumps({"parameters": shown, "data_kind": data_kind}, sort_keys=True).encode())
    small = [notebook, paired_script(notebook), *code_files(), *input_files(), *(extra_files or [])]
    for path in small:
        digest.update(_name(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    for path in participant_files(parameters, data_kind):
        digest.update(_name(path).encode())
        digest.update(content_hash(path).encode() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def participant_hashes(parameters: dict, data_kind: str) -> dict[str, str]:
    """The participant files of a run by SHA-256 of their content; an extract under its label."""
    out = {}
    for path in [p for p in participant_files(parameters, data_kind) if p.is_file()]:
        name = _name(path) if path.is_relative_to(paths.ROOT) else extract_label(parameters["data_source"])
        out[name] = content_hash(path)
    return out


def record(parameters: dict, data_kind: str, fingerprint_value: str, extra_inputs: dict | None = None) -> dict:
    """The provenance record of one run (pass :func:`public_parameters`; ``extra_inputs`` are
    :func:`participant_hashes`)."""
    inputs = {str(p.relative_to(paths.ROOT)): sha256(p) for p in input_files()}
    return {
        "git": git_state(),
        "parameters": parameters,
        "data_kind": data_kind,
        "inputs": {**inputs, **(extra_inputs or {})},
        "packages": package_versions(),
        "fingerprint": fingerprint_value,
    }


# ---------------------------------------------------------------- what a generated file was made from


def synthetic_sources() -> list[Path]:
    """What the synthetic participant file is made from: the prior, the claims it is calibrated to,
    the published tables (by their hashes in datapackage.json) and the generator's code."""
    return [
        CALIBRATION,
        paths.DATA / "claims" / "arbeidsmarktpositie.csv",
        paths.PUBLISHED / "datapackage.json",
        SRC / "synthetic.py",
        SRC / "calibration.py",
    ]


def sources_record(data_file: Path) -> Path:
    """The small file next to a generated file that records the hashes of its sources."""
    return data_file.with_name(data_file.name + ".sources.json")


def _source_hashes(sources: list[Path]) -> dict[str, str]:
    return {_name(p) if p.is_relative_to(paths.ROOT) else str(p): sha256(p) if p.is_file() else "" for p in sources}


def write_sources_record(data_file: Path, sources: list[Path] | None = None) -> Path:
    """Record what ``data_file`` was just made from (written atomically, after the file itself)."""
    record_path = sources_record(data_file)
    text = json.dumps(_source_hashes(synthetic_sources() if sources is None else sources), indent=2, sort_keys=True)
    tmp = record_path.with_name(f".{record_path.name}.{os.getpid()}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(record_path)
    return record_path


def changed_sources(data_file: Path, sources: list[Path] | None = None) -> list[str] | None:
    """The sources of ``data_file`` that changed since it was made (in the order of ``sources``);
    None when there is no (readable) record of what it was made from."""
    try:
        made_from = json.loads(sources_record(data_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    now = _source_hashes(synthetic_sources() if sources is None else sources)
    return [name for name in now if made_from.get(name) != now[name]]


DATA_KIND_LABELS = {
    "published": "gepubliceerde tabellen (echte gegevens op planniveau)",
    "synthetic": "SYNTHETISCHE deelnemersgegevens (geen echte personen)",
    "extract": "echt deelnemersbestand (vertrouwelijk)",
}


def footer_html(prov: dict) -> str:
    """The provenance as an HTML footer a reader can open."""
    git = prov["git"]
    commit = git["commit"][:12] + (" (met niet-vastgelegde wijzigingen)" if git.get("dirty") else "")
    params = html.escape(json.dumps(prov["parameters"], ensure_ascii=False, sort_keys=True))
    packages = ", ".join(f"{k} {v}" for k, v in prov["packages"].items())
    inputs = "".join(
        f"<li><code>{html.escape(k)}</code> <code>{v[:16]}…</code></li>" for k, v in prov["inputs"].items()
    )
    return (
        '<footer class="sectorplannen-provenance" style="margin:3em 1em 1em;padding-top:1em;border-top:1px solid #ccc;'
        'font-size:0.85em;color:#444">'
        f"<p><strong>Herkomst.</strong> Commit <code>{html.escape(commit)}</code>; parameters <code>{params}</code>; "
        f"gegevens: {html.escape(DATA_KIND_LABELS.get(prov['data_kind'], prov['data_kind']))}.</p>"
        f"<p>Pakketten: {html.escape(packages)}.</p>"
        f"<details><summary>Invoerbestanden ({len(prov['inputs'])}, SHA-256)</summary><ul>{inputs}</ul></details>"
        "</footer>"
    )
