"""The report as a person sees it: rendered in headless Chromium, with its tables and figures."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from sectorplannen import paths
from sectorplannen.chapters import registry
from sectorplannen.site.devtools import DevTools
from sectorplannen.site.pdf import BROWSER_FLAGS

pytestmark = pytest.mark.notebook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = BROWSER_FLAGS
PLACEHOLDER_ALT = "No description has been provided for this image"


@pytest.fixture(scope="module")
def pages(built_report):
    folder = built_report / "report"  # the whole report, built once per test session (conftest)
    return folder / "index.html", folder / f"{registry.CHAPTERS[1].name}.html"


def one_browser() -> Iterator[DevTools]:
    """One headless Chromium for a whole test module (a launch costs about 0,6 s before it loads anything);
    every page is opened in a fresh page of its own (``render``). Skips when Chromium is not installed."""
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    with DevTools(CHROMIUM, FLAGS) as started:
        yield started


@pytest.fixture(scope="module")
def browser():
    yield from one_browser()


def render(
    browser: DevTools, url: str, budget_ms: int | None = None, window: tuple[int, int] | None = None, watch=False
) -> BeautifulSoup:
    """The page at ``url`` as a browser run leaves it, opened in a fresh page (nothing kept from the page
    before): its DOM after its scripts ran (and ``budget_ms`` of its clock: ``--virtual-time-budget``), in a
    window ``window`` px wide and high (``--window-size``); ``watch`` records its requests and console."""
    browser.fresh(watch=watch)
    if window:
        browser.window(*window)
    browser.open(url, budget_ms)
    return BeautifulSoup(browser.dom(), "html.parser")


def test_pages_render_in_chromium_with_tables_and_figures(pages, browser):
    screenshots = paths.OUTPUTS / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    for page in pages:  # a fresh page each: its DOM and its screenshot
        shot = screenshots / f"{page.stem}.png"
        soup = render(browser, page.as_uri(), window=(1200, 2400))
        shot.write_bytes(browser.screenshot())
        assert soup.find("table") is not None, f"{page.name}: no table in the rendered page"
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def test_chapter_images_are_whole_and_described(pages, browser):
    _, chapter = pages
    images = render(browser, chapter.as_uri()).find_all("img")
    assert len(images) >= 5
    for image in images:
        alt = image.get("alt", "")
        assert alt and alt != PLACEHOLDER_ALT, f"image without alternative text: {str(image)[:80]}"
        src = image["src"]
        assert src.startswith("data:image/png;base64,"), f"image not embedded: {src[:60]}"
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n", "broken PNG"


def test_index_links_resolve(pages, browser):
    index, _ = pages
    soup = render(browser, index.as_uri())
    links = [a["href"] for a in soup.find_all("a")]
    assert len(links) >= len(registry.CHAPTERS)
    for href in links:
        assert (index.parent / href).exists(), f"index links to missing {href}"
