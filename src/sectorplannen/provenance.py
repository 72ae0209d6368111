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
import subprocess
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
INPUT_DIRS = ("data/published", "data/claims")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files() -> list[Path]:
    """The data files a chapter reads (published tables, register, findings, claims)."""
    files = []
    for folder in INPUT_DIRS:
        files += [p for p in sorted((paths.ROOT / folder).rglob("*")) if p.is_file()]
    return files


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


def fingerprint(notebook: Path, parameters: dict, data_kind: str, extra_files: list[Path] | None = None) -> str:
    """Content hash of everything a chapter run depends on."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"parameters": parameters, "data_kind": data_kind}, sort_keys=True).encode())
    for path in [notebook, *code_files(), *input_files(), *(extra_files or [])]:
        digest.update(str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def record(parameters: dict, data_kind: str, fingerprint_value: str) -> dict:
    """The provenance record of one run."""
    return {
        "git": git_state(),
        "parameters": parameters,
        "data_kind": data_kind,
        "inputs": {str(p.relative_to(paths.ROOT)): sha256(p) for p in input_files()},
        "packages": package_versions(),
        "fingerprint": fingerprint_value,
    }


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
