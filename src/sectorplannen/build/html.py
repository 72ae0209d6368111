"""Rendering an executed notebook to an HTML page (nbconvert, the offline template of :mod:`.exporter`)."""

from __future__ import annotations

from pathlib import Path

from sectorplannen.build import exporter, provenance
from sectorplannen.build.files import write_atomic


def render(notebook_path: Path, html_path: Path, show_code: bool = False) -> Path:
    """Render an executed notebook to HTML (code hidden unless ``show_code``), with the
    provenance footer; written atomically."""
    import nbformat  # heavy: loaded only when a notebook is read or written

    nb = nbformat.read(notebook_path, as_version=4)
    body = exporter.export(nb, show_code)  # offline template, lang="nl", the chapter's title
    prov = nb.metadata.get("sectorplannen")
    if prov:
        body = body.replace("</body>", provenance.footer_html(prov) + "\n</body>", 1)
    write_atomic(html_path, body)
    return html_path
