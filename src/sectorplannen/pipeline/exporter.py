"""The notebook side of a chapter page: what nbconvert makes of an executed notebook (its cells as
HTML, offline, no script), cut in two around the ledger output, with the chapter's tables as data.

A chapter page is rendered once, by the site (:mod:`sectorplannen.site`), from these parts and the
build's records; nothing here writes a page. The ledger output (marked in its metadata by the notebook,
:mod:`sectorplannen.render.outputs`) is left out: the site shows its summary in its place, from the ledger file.
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

from sectorplannen.pipeline.files import write_atomic
from sectorplannen.render.outputs import LEDGER_PART, MARK, TABLE_MIME

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "sectorplannen"


def title_of(nb) -> str:
    """The chapter's title: the notebook's first markdown heading (without markup), else ''."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#{1,2}\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return html.unescape(re.sub(r"[\\*_`]", "", match.group(1))).strip()
    return ""


def html_exporter(show_code: bool = False):
    """An HTMLExporter on the body-only template: the cells, no page around them, no script."""
    from nbconvert import HTMLExporter  # heavy: loaded only when a page is rendered

    return HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE,
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


# One exporter per setting per process: its templates are compiled on first use (a tenth of a second),
# so the build warms them (:func:`warm`) before it forks the workers that render the chapters.
_EXPORTERS: dict[bool, object] = {}


def _exporter(show_code: bool):
    if show_code not in _EXPORTERS:
        _EXPORTERS[show_code] = html_exporter(show_code)
    return _EXPORTERS[show_code]


def warm(show_code: bool = False) -> None:
    """Compile the templates now (by rendering an empty notebook), in this process."""
    from nbformat import v4  # heavy: loaded only when a page is rendered

    _exporter(show_code).from_notebook_node(v4.new_notebook())


def _is_ledger(output) -> bool:
    return (output.get("metadata") or {}).get(MARK) == LEDGER_PART


def split_at_ledger(nb) -> tuple[object, object | None]:
    """The notebook before the ledger output and after it (None when it shows no ledger)."""
    for i, cell in enumerate(nb.cells):
        outputs = cell.get("outputs", [])
        at = next((j for j, output in enumerate(outputs) if _is_ledger(output)), None)
        if at is None:
            continue
        before, after = copy.deepcopy(nb), copy.deepcopy(nb)
        before.cells = [*nb.cells[:i], {**copy.deepcopy(cell), "outputs": outputs[:at]}]
        rest = {**copy.deepcopy(cell), "source": "", "outputs": outputs[at + 1 :]}
        after.cells = ([rest] if rest["outputs"] else []) + nb.cells[i + 1 :]
        return before, after
    return nb, None


def tables(nb) -> list[dict]:
    """Every house-style table the notebook shows (the ledger aside: its file is its data), as its
    caption, labels and cell texts."""
    return [
        output["data"][TABLE_MIME]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if TABLE_MIME in output.get("data", {}) and not _is_ledger(output)
    ]


def parts(nb, show_code: bool = False) -> dict:
    """What the site needs of an executed notebook: its title, its cells as HTML before and after the
    ledger output, its tables as data and its provenance record."""
    from nbformat import from_dict  # heavy: loaded only when a page is rendered

    before, after = split_at_ledger(nb)
    render = _exporter(show_code).from_notebook_node
    return {
        "title": title_of(nb),
        "before": render(from_dict(before))[0],
        "after": render(from_dict(after))[0] if after is not None else "",
        "ledger": after is not None,
        "tables": tables(nb),
        "provenance": nb.metadata.get("sectorplannen"),
    }


def write_parts(notebook_path: Path, parts_path: Path, show_code: bool = False) -> dict:
    """Render an executed notebook's parts (:func:`parts`) to ``parts_path`` (JSON, atomically) and
    return them (their provenance is what the build records: the notebook is read once)."""
    import nbformat  # heavy: loaded only when a notebook is read or written

    rendered = parts(nbformat.read(notebook_path, as_version=4), show_code)
    write_atomic(parts_path, json.dumps(rendered, ensure_ascii=False, sort_keys=True))
    return rendered


def read_parts(parts_path: Path) -> dict | None:
    """The parts a build wrote, or None when they are missing or damaged (the chapter is then rebuilt)."""
    try:
        record = json.loads(parts_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and "before" in record else None


# What the lab template puts inline besides its two style sheets (nbconvert's lab/index.html.j2).
_LAB_EXTRA_CSS = """
a.anchor-link { display: none; }
.jp-InputArea, .jp-InputArea-editor { overflow: hidden; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-Collapser { display: none; }
@media print { .jp-Cell-inputWrapper, .jp-Cell-outputWrapper { display: block; } }
"""


def notebook_css() -> str:
    """The style of the cells (JupyterLab's light theme as nbconvert ships it, and the colours of
    highlighted code), one file for every chapter page instead of 250 kB inline in each."""
    from pygments.formatters import HtmlFormatter  # heavy: loaded only when the site is made

    lab = next(Path(p) for p in html_exporter().template_paths if (Path(p) / "static" / "index.css").is_file())
    sheets = [(lab / "static" / name).read_text(encoding="utf-8") for name in ("index.css", "theme-light.css")]
    return "\n".join([*sheets, HtmlFormatter(style="default").get_style_defs(".highlight"), _LAB_EXTRA_CSS])
