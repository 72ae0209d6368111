"""The site's templates: one Jinja environment that escapes every value unless the site marks it as
markup it made itself (the cells nbconvert rendered, which escaped their own texts)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sectorplannen.pipeline import csp

TEMPLATES = Path(__file__).parent / "templates"
SITE_TITLE = "Sectorplannen: reproductie"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment every page is rendered with (autoescaped; a missing value is an error)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def cells(html: str) -> Markup:
    """The cells nbconvert rendered from an executed notebook: markup made by the build, not text."""
    return Markup(html)


def render(template: str, *, title: str, nav: dict, scripted: bool = False, **context) -> str:
    """One page: ``template`` with the site's frame (policy, title, sidebar, contents, previous/next)."""
    policy = Markup(csp.SCRIPTED_META if scripted else csp.META)
    context.setdefault("notebook_styles", False)
    context.setdefault("scripts", [])
    page = (
        environment()
        .get_template(template)
        .render(title=title, nav=nav, policy=policy, site_title=SITE_TITLE, **context)
    )
    return page if page.endswith("\n") else page + "\n"
