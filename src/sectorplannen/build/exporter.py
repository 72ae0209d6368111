"""The nbconvert side of a chapter page: rendered offline (no script or style from another host), in
Dutch, with a real title and the report's Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path

from sectorplannen.build import csp

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "sectorplannen"
SITE_NAME = "Sectorplannen: reproductie"


def title_of(nb) -> str:
    """The page title: the notebook's first markdown heading, else the site's name."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#{1,2}\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return f"{match.group(1).strip()} – {SITE_NAME}"
    return SITE_NAME


def html_exporter(show_code: bool = False):
    """An HTMLExporter on the offline template (no script or style from another host), ``lang="nl"``."""
    from nbconvert import HTMLExporter  # heavy: loaded only when a page is rendered

    return HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE,
        language_code="nl",
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
    """Compile the page templates now (by rendering an empty notebook), in this process."""
    from nbformat import v4  # heavy: loaded only when a page is rendered

    _exporter(show_code).from_notebook_node(v4.new_notebook(metadata={"title": SITE_NAME}), resources=_resources())


def _resources() -> dict:
    """What the template needs besides the notebook: the policy it puts in the page's head."""
    return {"content_security_policy": csp.META}


def export(nb, show_code: bool = False) -> str:
    """The page of an executed notebook: offline template, Dutch, titled after its first heading."""
    if "title" not in nb.metadata:
        nb.metadata["title"] = title_of(nb)
    body, _ = _exporter(show_code).from_notebook_node(nb, resources=_resources())
    return body
