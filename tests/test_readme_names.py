"""Every function, class or module the README names in code type (``uitvoering.per_category``,
``pipeline.uptodate``) exists in the package, so the path of a number cannot name code that is gone."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import sectorplannen
from sectorplannen import paths

# File names in code type (``uitvoering_tranche-3.html``, ``A.3.csv``) are not code.
FILE_ENDINGS = {
    *("html", "csv", "py", "txt", "yaml", "yml", "json", "ipynb"),
    *("md", "pdf", "parquet", "toml", "j2", "lock"),
}
# Names a notebook binds (``run = notebook.start(...)``), not names of the package.
NOTEBOOK_NAMES = {"run"}
DOTTED = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\([^`]*\))?`")


def _modules_by_name() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for module in pkgutil.walk_packages(sectorplannen.__path__, "sectorplannen."):
        if module.name.endswith("__main__"):  # importing it runs the command line
            continue
        found.setdefault(module.name.rsplit(".", 1)[1], []).append(module.name)
    return found


def _owners(first: str, modules: dict[str, list[str]]) -> list:
    """What ``first`` may name: a module of the package (by its last name, or a layer), or a class or
    function that a module of the package defines (``RunSpec``)."""
    found = []
    for candidate in [f"sectorplannen.{first}", *modules.get(first, [])]:
        try:
            found.append(importlib.import_module(candidate))
        except ImportError:
            continue
    if not found and first[:1].isupper():
        for names in modules.values():
            for module in map(importlib.import_module, names):
                if getattr(getattr(module, first, None), "__module__", None) == module.__name__:
                    found.append(getattr(module, first))
    return found


def _resolves(name: str, modules: dict[str, list[str]]) -> bool:
    """``a.b.c``: ``a`` a module, class or function of the package, ``b.c`` attributes or submodules of it."""
    first, *rest = name.split(".")
    for target in _owners(first, modules):
        for part in rest:
            if hasattr(target, part):
                target = getattr(target, part)
                continue
            try:
                target = importlib.import_module(f"{target.__name__}.{part}")  # a module's submodule
            except (ImportError, AttributeError):
                break
        else:
            return True
    return False


def names_in(text: str) -> list[str]:
    names = {n for n in DOTTED.findall(text) if n.split(".")[0] not in NOTEBOOK_NAMES}
    return sorted(n for n in names if n.rsplit(".", 1)[1] not in FILE_ENDINGS)


def test_every_name_the_readme_gives_exists():
    modules = _modules_by_name()
    names = names_in((paths.ROOT / "README.md").read_text(encoding="utf-8"))
    assert "statistics.indicators.Indicators.deelnemers_gerealiseerd" in names
    assert [name for name in names if not _resolves(name, modules)] == []


@pytest.mark.parametrize("gone", ["arbeidsmarkt.compute", "steunpakket.scale_comparison", "build.uptodate"])
def test_a_name_that_is_gone_is_found(gone):
    """The names the README gave before this test existed: the check finds each of them."""
    assert names_in(f"see `{gone}` and `uitvoering_tranche-3.html`") == [gone]
    assert not _resolves(gone, _modules_by_name())
