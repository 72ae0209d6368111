"""Everything a build checks before any chapter runs; nothing is written when a check fails."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow
import pyarrow.parquet as pq

from sectorplannen import claims, datakind, hashing, participants, paths, published
from sectorplannen.chapters.registry import Chapter
from sectorplannen.errors import NotebookPairError, ParameterError, SetupError, StaleSyntheticData
from sectorplannen.participants import synthetic
from sectorplannen.pipeline import kernel
from sectorplannen.pipeline.files import check_writable, shown
from sectorplannen.pipeline.workers import say
from sectorplannen.published import make


def preflight(chapters: list[Chapter]) -> None:
    """Everything that can be checked before any chapter runs: notebooks, parameters, kernel,
    output folder, data files. Raises ValueError naming what is wrong; nothing is written."""

    for chapter in chapters:
        source = paths.NOTEBOOKS / f"{chapter.notebook}.ipynb"
        if not source.exists():
            known = sorted(p.stem for p in paths.NOTEBOOKS.glob("*.ipynb"))
            raise ParameterError(f"unknown notebook {chapter.notebook!r}; known: {', '.join(known)}")
        spec = chapter.spec  # resolved once (make chapter resolved it; a listed chapter is resolved here)
        if chapter.data_kind == datakind.EXTRACT:  # read and check the whole extract before any kernel starts
            participants.check_extract(
                spec.data_source, spec.tranche, spec.peildatum, exclude_plans=list(spec.exclude_plans)
            )
    check_kernel()
    check_writable(paths.OUTPUTS)
    check_data()
    check_raw()
    check_pairs(chapters)
    prepare_synthetic(chapters)


def check_kernel(name: str | None = None) -> None:
    """The project's Jupyter kernel is installed (``make setup`` installs it)."""
    name = name or kernel.KERNEL
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # heavy: loaded only when a kernel is needed

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise SetupError(f"Jupyter kernel {name!r} is not installed: run `make setup`") from None


def check_data() -> None:
    """Every published file is there and unchanged (hashes in datapackage.json); a damaged table
    is named with its row and column. The claims files are validated."""

    published.check_files()
    for path in sorted(claims.CLAIMS.glob("*.csv")):
        claims.load(path.stem)


def check_raw() -> None:
    """data/raw/ is what ``make data`` built data/published/ from; a table edited since is named."""

    make.check_raw()


def check_pairs(chapters: list[Chapter]) -> None:
    """Each chapter's notebook and its paired ``.py`` have the same cells (as tests/test_notebooks.py
    compares them): an edit made in only one of them would otherwise run or be reviewed unseen.
    A notebook without a ``.py`` has nothing out of step with it (tests/test_notebooks.py requires
    the pair in the repository)."""
    import jupytext  # heavy: loaded only when notebook pairs are compared
    import nbformat  # heavy: loaded only when a notebook is read or written

    for notebook in sorted({c.notebook for c in chapters}):
        source = paths.NOTEBOOKS / f"{notebook}.ipynb"
        script = source.with_suffix(".py")
        if not script.exists():
            continue
        paired = [c.source for c in jupytext.read(script).cells]
        if paired != [c.source for c in nbformat.read(source, as_version=4).cells]:
            raise NotebookPairError(
                f"{shown(script)} and {shown(source)} differ: "
                f"run `.venv/bin/jupytext --sync {shown(source)}` (or `make sync`)"
            )


def prepare_synthetic(chapters: list[Chapter]) -> None:
    """Make the synthetic participant file before any kernel starts when a chapter needs it and it
    is missing (so parallel kernels never race to write it); refuse when it is older than its
    prior, claims, published tables or generator code (``make data`` regenerates it and reports
    the claims the calibration could not meet, which a build would hide)."""
    if not any(c.data_kind == datakind.SYNTHETIC for c in chapters):
        return

    path = paths.SYNTHETIC
    if not path.exists():
        start = time.perf_counter()
        synthetic.write(path)
        say(f"[data] {shown(path)} aangemaakt (synthetisch, {time.perf_counter() - start:.1f} s)")
        return
    changed = hashing.changed_sources(path, synthetic.synthetic_sources())
    if changed is None:
        record = hashing.sources_record(path).name
        raise StaleSyntheticData(f"{shown(path)} has no record of what it was made from ({record}): run `make data`")
    if changed:
        raise StaleSyntheticData(f"{shown(path)} is older than {changed[0]}: run `make data`")
    if path.suffix == ".parquet":
        check_parquet(path)


def check_parquet(path: Path) -> None:
    """The synthetic file is a complete Parquet file (its footer, which a truncated file lacks, reads):
    a damaged file is named before any kernel starts, with the command that makes it again."""
    try:
        pq.read_metadata(path)
    except (pyarrow.ArrowException, OSError) as exc:
        reason = " ".join(str(exc).split())[:120]
        raise StaleSyntheticData(f"{shown(path)} is damaged ({reason}): run `make data`") from None
