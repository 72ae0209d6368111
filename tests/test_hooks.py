"""The commit hooks (tools/hooks.py) find what they are for, in the words they say it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from sectorplannen import paths

HOOKS = paths.ROOT / "tools" / "hooks.py"


def _run(*args):
    return subprocess.run([sys.executable, str(HOOKS), *map(str, args)], capture_output=True, text=True, check=False)


def test_clean_notebooks_pass():
    notebooks = sorted((paths.ROOT / "notebooks").glob("*.ipynb"))
    for check in ("outputs", "paired"):
        result = _run(check, *notebooks)
        assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_a_notebook_with_outputs_is_refused(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = json.loads((paths.ROOT / "notebooks" / "inhoud.ipynb").read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 1
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "42\n"}]
    (folder / "inhoud.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    result = _run("outputs", folder / "inhoud.ipynb")
    assert result.returncode == 1
    assert (
        result.stdout
        == f"{folder / 'inhoud.ipynb'}: has outputs; clear them (JupyterLab: Edit > Clear Outputs of All Cells)\n"
    )


def test_a_notebook_out_of_step_with_its_py_is_refused(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for suffix in (".ipynb", ".py"):
        shutil.copy(paths.ROOT / "notebooks" / f"uitvoering{suffix}", folder / f"uitvoering{suffix}")
    script = folder / "uitvoering.py"
    script.write_text(script.read_text(encoding="utf-8").replace("top_n = 20", "top_n = 5", 1), encoding="utf-8")
    result = _run("paired", script)
    assert (result.returncode, result.stdout) == (
        1,
        f"{folder / 'uitvoering.ipynb'} and {script} differ; run `make sync`\n",
    )
    script.unlink()
    result = _run("paired", folder / "uitvoering.ipynb")
    assert result.stdout == f"{folder / 'uitvoering.ipynb'}: has no paired .py; run `make sync`\n"


def test_a_large_file_is_refused(tmp_path):
    big, small = tmp_path / "deelnemers.csv", tmp_path / "klein.csv"
    big.write_bytes(b"x" * 2_000_001)
    small.write_bytes(b"x" * 2_000_000)
    result = _run("size", big, small)
    assert result.returncode == 1
    assert result.stdout == f"{big}: 2.0 MB is too large to commit (limit 2 MB)\n"


def test_unknown_check_is_a_usage_error():
    result = _run("lint")
    assert result.returncode == 2 and "usage: hooks.py" in result.stderr
