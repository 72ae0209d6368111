"""One error hierarchy: a user's mistake is one line and exit status 2; a bug keeps its traceback."""

from __future__ import annotations

import ast
import inspect

import pytest

from sectorplannen import cli, errors, paths

# Exceptions defined outside errors.py on purpose: control flow, not user errors.
# (_Unreadable: DuckDB cannot read an extract as told, so the pandas reader checks it and names why.)
NOT_USER_ERRORS = {"NotComputable", "Interrupted", "_RemoteTraceback", "_Unreadable"}


def test_every_user_error_is_a_sectorplannen_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, BaseException)]
    assert len(classes) >= 15
    assert all(issubclass(c, errors.SectorplannenError) for c in classes)


def test_no_error_class_is_defined_outside_errors_py():
    found = []
    for path in sorted((paths.ROOT / "src" / "sectorplannen").rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            bases = [getattr(b, "id", getattr(b, "attr", "")) for b in getattr(node, "bases", [])]
            is_error = any(b.endswith(("Error", "Exception", "Interrupt")) for b in bases)
            if isinstance(node, ast.ClassDef) and is_error and node.name not in NOT_USER_ERRORS:
                found.append(f"{path.name}: {node.name}")
    assert not found


def test_a_user_error_is_one_line_with_exit_status_2(monkeypatch, capsys):
    def refuse(args):
        raise errors.ParameterError("top_n must be a whole number of at least 1, not 0")

    monkeypatch.setattr(cli, "_table", refuse)
    assert cli.main(["table", "A.1"]) == 2
    assert capsys.readouterr().err == "error: top_n must be a whole number of at least 1, not 0\n"


def test_a_bug_keeps_its_traceback(monkeypatch):
    """A ValueError or KeyError from a bug is not turned into a one-line message."""

    def bug(args):
        return {}["missing"]

    monkeypatch.setattr(cli, "_table", bug)
    with pytest.raises(KeyError, match="missing"):
        cli.main(["table", "A.1"])


def test_a_real_user_mistake_through_the_cli(capsys):
    assert cli.main(["chapter", "uitvoering", "--params", "top_m=5"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: unknown parameter(s) 'top_m' (did you mean 'top_n'?) for uitvoering; known: tranche, "
        "exclude_plans, top_n\n"
    )
