"""The report as a person sees it: rendered in headless Chromium, with its tables and figures."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from sectorplannen import paths
from sectorplannen.chapters import registry
from sectorplannen.site.pdf import BROWSER_FLAGS

pytestmark = pytest.mark.notebook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = BROWSER_FLAGS
PLACEHOLDER_ALT = "No description has been provided for this image"


@pytest.fixture(scope="module")
def pages(built_report):
    folder = built_report / "report"  # the whole report, built once per test session (conftest)
    return folder / "index.html", folder / f"{registry.CHAPTERS[1].name}.html"


def _chromium(args, tmp_path):
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_pages_render_in_chromium_with_tables_and_figures(pages, tmp_path):
    screenshots = paths.OUTPUTS / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    for page in pages:  # one browser run per page: its DOM and its screenshot
        shot = screenshots / f"{page.stem}.png"
        dom = _chromium([f"--screenshot={shot}", "--window-size=1200,2400", "--dump-dom", page.as_uri()], tmp_path)
        soup = BeautifulSoup(dom, "html.parser")
        assert soup.find("table") is not None, f"{page.name}: no table in the rendered page"
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def test_chapter_images_are_whole_and_described(pages, tmp_path):
    _, chapter = pages
    dom = _chromium(["--dump-dom", chapter.as_uri()], tmp_path)
    images = BeautifulSoup(dom, "html.parser").find_all("img")
    assert len(images) >= 5
    for image in images:
        alt = image.get("alt", "")
        assert alt and alt != PLACEHOLDER_ALT, f"image without alternative text: {str(image)[:80]}"
        src = image["src"]
        assert src.startswith("data:image/png;base64,"), f"image not embedded: {src[:60]}"
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n", "broken PNG"


def test_index_links_resolve(pages, tmp_path):
    index, _ = pages
    soup = BeautifulSoup(_chromium(["--dump-dom", index.as_uri()], tmp_path), "html.parser")
    links = [a["href"] for a in soup.find_all("a")]
    assert len(links) >= len(registry.CHAPTERS)
    for href in links:
        assert (index.parent / href).exists(), f"index links to missing {href}"
