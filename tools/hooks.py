"""Checks the pre-commit hooks run on the files being committed (the test suite enforces the same).

``python tools/hooks.py outputs FILE...``   notebooks are committed without outputs
``python tools/hooks.py paired FILE...``    each notebook and its jupytext ``.py`` have the same cells
``python tools/hooks.py size FILE...``      no file over the limit (generated data stays out of git)

Each prints one line per problem, naming the file and what to do, and exits 1 if there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

MAX_BYTES = 2_000_000  # "nothing over a few MB": the largest committed file is a few hundred kB


def outputs(files: list[Path]) -> list[str]:
    problems = []
    for path in (f for f in files if f.suffix == ".ipynb"):
        nb = nbformat.read(path, as_version=4)
        if any(c.cell_type == "code" and (c.outputs or c.execution_count is not None) for c in nb.cells):
            problems.append(f"{path}: has outputs; clear them (JupyterLab: Edit > Clear Outputs of All Cells)")
    return problems


def paired(files: list[Path]) -> list[str]:
    problems = []
    notebooks = {
        f.with_suffix(".ipynb") for f in files if f.suffix in (".ipynb", ".py") and f.parent.name == "notebooks"
    }
    for notebook in sorted(n for n in notebooks if n.exists()):
        script = notebook.with_suffix(".py")
        if not script.exists():
            problems.append(f"{notebook}: has no paired .py; run `make sync`")
            continue
        cells = [c.source for c in nbformat.read(notebook, as_version=4).cells]
        if [c.source for c in jupytext.read(script).cells] != cells:
            problems.append(f"{notebook} and {script} differ; run `make sync`")
    return problems


def size(files: list[Path]) -> list[str]:
    return [
        f"{path}: {path.stat().st_size / 1e6:.1f} MB is too large to commit (limit {MAX_BYTES / 1e6:.0f} MB)"
        for path in files
        if path.is_file() and path.stat().st_size > MAX_BYTES
    ]


CHECKS = {"outputs": outputs, "paired": paired, "size": size}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in CHECKS:
        print(f"usage: hooks.py {{{','.join(CHECKS)}}} FILE...", file=sys.stderr)
        return 2
    problems = CHECKS[argv[0]]([Path(a) for a in argv[1:]])
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
