"""The package's layers, read from the source: imports point one way only, at module level, no cycles.

The layers, bottom up (README, "How the code is organised"): the foundation modules, then
sources -> published -> statistics -> claims -> participants -> render -> chapters -> pipeline ->
site -> the command line. A module may import its own layer and the layers below it.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "sectorplannen"
LAYERS = [
    {
        "sectorplannen",
        "sectorplannen.errors",
        "sectorplannen.paths",
        "sectorplannen.notation",
        "sectorplannen.hashing", "sectorplannen.reuse", "sectorplannen.yamlfile",
        "sectorplannen.datakind",
    },
    {"sectorplannen.sources"},
    {"sectorplannen.published"},
    {"sectorplannen.statistics"},
    {"sectorplannen.claims"},
    {"sectorplannen.participants"},
    {"sectorplannen.render"},
    {"sectorplannen.chapters"},
    {"sectorplannen.pipeline"},
    {"sectorplannen.site"},
    {"sectorplannen.cli", "sectorplannen.__main__"},
]
# Heavy dependencies a module may import where it uses them (with a comment saying why), so that
# the command line and a no-op build do not pay for them.
LAZY_ALLOWED = {
    "pandas",  # the plan register's only: a parameter mistake is answered without it (sources/register.py)
    "pandera",
    "papermill",
    "nbconvert",
    "nbformat",
    "jupytext",
    "jupyter_client",
    "traitlets",
    "acro",
    "scipy",
    "highspy",
    "distributed",
    "pygments",
}
# The one module that may import the package's layers inside functions: the command line, the top
# layer, which nothing imports (so a lazy import there cannot hide a cycle). Each command imports
# the layers it runs when it runs, so that a no-op `make report` is answered by build.uptodate
# (standard library only) in a tenth of a second instead of after a second of importing pandas,
# pandera and the layers. Every such import says so in a comment, as the heavy tools' do.
LAZY_LAYERS = {"sectorplannen.cli"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "sectorplannen" and module.startswith(prefix + ".")):
                best = number
    if best is None:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS and the README")
    return best


def _imports(path: Path, module: str):
    """(imported module, line, at module level) for every import of the package in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                package = module.split(".")[: -node.level + (1 if path.name == "__init__.py" else 0) or None]
                base = ".".join([*package, base] if base else package)
            if base.split(".")[0] != "sectorplannen":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = (
                    candidate
                    if (SRC / Path(*candidate.split("."))).exists()
                    or (SRC / (Path(*candidate.split(".")).as_posix() + ".py")).exists()
                    else base
                )
                yield target, node.lineno, id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sectorplannen":
                    yield alias.name, node.lineno, id(node) in top


def _modules():
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer():
    for module in _modules():
        _layer(module)


def test_imports_point_down_only():
    wrong = []
    for module, path in _modules().items():
        for target, line, _ in _imports(path, module):
            if _layer(target) > _layer(module):
                wrong.append(
                    f"{path.relative_to(SRC)}:{line}: {module} (layer {_layer(module)}) imports {target} "
                    f"(layer {_layer(target)})"
                )
    assert not wrong, "\n".join(wrong)


def test_package_imports_are_at_module_level():
    inside = [
        f"{path.relative_to(SRC)}:{line}: {target}"
        for module, path in _modules().items()
        for target, line, top in _imports(path, module)
        if not top and module not in LAZY_LAYERS
    ]
    assert not inside, "imports of the package inside functions hide cycles:\n" + "\n".join(inside)


def test_lazy_imports_are_heavy_dependencies_with_a_reason():
    """Every import inside a function is of a heavy dependency, with a comment on its line or the
    line above saying why it is lazy."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        allowed = LAZY_ALLOWED | ({"sectorplannen"} if _module_name(path) in LAZY_LAYERS else set())
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top:
                name = (node.module if isinstance(node, ast.ImportFrom) else node.names[0].name) or ""
                commented = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                if name.split(".")[0] not in allowed or not commented:
                    wrong.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = {}
    modules = _modules()
    for module, path in modules.items():
        graph[module] = {t for t, _, _ in _imports(path, module) if t != module and t in modules}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_the_checker_sees_a_violation(tmp_path):
    """The rules can fail: an upward import and an import inside a function are found."""
    source = tmp_path / "sectorplannen" / "sources" / "bad.py"
    source.parent.mkdir(parents=True)
    source.write_text("from sectorplannen.chapters import registry\n\ndef f():\n    from sectorplannen import claims\n")
    found = list(_imports(source, "sectorplannen.sources.bad"))
    assert ("sectorplannen.chapters.registry", 1, True) in found
    assert ("sectorplannen.claims", 4, False) in found
    assert _layer("sectorplannen.chapters.registry") > _layer("sectorplannen.sources.bad")


def test_a_no_op_report_imports_no_heavy_layer():
    """The command line's own imports are light: what `make report` runs before it knows whether
    anything changed loads neither pandas nor a layer that imports it."""
    import subprocess
    import sys

    code = (
        "import sys; import sectorplannen.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'pandas', 'pandera', 'numpy', 'nbformat'} "
        "or m.startswith(('sectorplannen.chapters', 'sectorplannen.published', 'sectorplannen.participants'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_parameter_mistake_is_answered_without_pandas():
    """`make chapter` with a parameter of the wrong kind says so in one line before pandas, pandera
    or a layer that computes is loaded (the plan register loads them only when it is read)."""
    import subprocess
    import sys

    code = (
        "import sys; from sectorplannen import cli\n"
        "try:\n"
        "    cli.main(['chapter', 'uitvoering', '--tranche', '3', '--params', 'top_n=twee'])\n"
        "finally:\n"
        "    print(sorted(m for m in sys.modules if m.split('.')[0] in {'pandas', 'pandera', 'numpy'}"
        " or m.startswith(('sectorplannen.published', 'sectorplannen.participants'))))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.stderr.strip() == "error: top_n must be a whole number, not 'twee'"
    assert run.stdout.strip() == "[]"
