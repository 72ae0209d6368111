"""Rendering an executed notebook to an HTML page (nbconvert)."""

from __future__ import annotations

from pathlib import Path

from sectorplannen.build import provenance
from sectorplannen.build.files import write_atomic


def render(notebook_path: Path, html_path: Path, show_code: bool = False) -> Path:
    """Render an executed notebook to HTML (code hidden unless ``show_code``), with the
    provenance footer; written atomically."""
    import nbformat  # heavy: loaded only when a notebook is read or written
    from nbconvert import HTMLExporter  # heavy: loaded only when a page is rendered

    nb = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(
        exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True
    )
    body, _ = exporter.from_notebook_node(nb)
    prov = nb.metadata.get("sectorplannen")
    if prov:
        body = body.replace("</body>", provenance.footer_html(prov) + "\n</body>", 1)
    write_atomic(html_path, body)
    return html_path
