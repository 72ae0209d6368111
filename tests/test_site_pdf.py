"""`make pdf`: the whole report as one PDF, printed by headless Chromium."""

from __future__ import annotations

import re
import shutil

import pytest

from sectorplannen.chapters import registry
from sectorplannen.site import pdf

pytestmark = pytest.mark.notebook


def _outline_titles(data: bytes) -> list[str]:
    """The bookmark titles of a PDF (Chromium writes one per heading), decoded."""
    titles = []
    for raw in re.findall(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", data):
        if raw.startswith(b"<"):
            text = bytes.fromhex(raw[1:-1].decode())
            titles.append(text[2:].decode("utf-16-be") if text[:2] == b"\xfe\xff" else text.decode("latin-1"))
        else:
            titles.append(re.sub(r"\\([()\\])", r"\1", raw[1:-1].decode("latin-1")))  # \( \) \\ unescaped
    return titles


def test_make_pdf_prints_every_chapter_with_page_numbers(request, tmp_path):
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium')")
    site = request.getfixturevalue("built_site")  # the whole report as a site, built once per session
    target = pdf.build(site, tmp_path / "rapport.pdf")
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = pdf.page_count(target)
    assert 40 <= pages <= 400, pages  # a title page, then every chapter on pages of its own
    # Chromium's outline holds each heading's text (line breaks lose their space, hence no whitespace)
    squeezed = {re.sub(r"\s+", "", t) for t in _outline_titles(data)}
    for chapter in registry.CHAPTERS:
        title = re.sub(r"\s+", "", chapter.title)
        assert any(title in t for t in squeezed), f"chapter {chapter.number} missing from the PDF"
    html = pdf.print_html(site)
    assert 'counter(page) " van " counter(pages)' in html and "commit" in html
    assert "site-sidebar" not in html and "cdnjs" not in html
