"""Editing a rendered page in place: named sections the site inserts (and replaces on every build), and its text."""

from __future__ import annotations

import html
import re

_HEADING = re.compile(r'<h([1-3])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)


def section(name: str, content: str) -> str:
    """``content`` between the markers of section ``name``."""
    return f"<!--site:{name}-->{content}<!--/site:{name}-->"


def strip(page: str, name: str) -> str:
    """``page`` without section ``name`` (as an earlier build inserted it)."""
    return re.sub(rf"<!--site:{name}-->.*?<!--/site:{name}-->", "", page, flags=re.DOTALL)


def find(page: str, name: str) -> str | None:
    """The content of section ``name``, if the page has it."""
    match = re.search(rf"<!--site:{name}-->(.*?)<!--/site:{name}-->", page, flags=re.DOTALL)
    return match.group(1) if match else None


def insert(page: str, anchor: str, name: str, content: str, after: bool = True) -> str:
    """``page`` with section ``name`` (replacing an earlier one) just after (or before) the first ``anchor``."""
    page = strip(page, name)
    at = page.find(anchor)
    if at < 0:
        raise ValueError(f"page has no {anchor!r} to put section {name!r} at")
    at += len(anchor) if after else 0
    return page[:at] + section(name, content) + page[at:]


def with_policy(page: str, meta: str) -> str:
    """``page`` with the policy ``meta`` first in its head, unless it already carries a policy (a page
    rendered before pages had one gets it before anything its head could load or run)."""
    if re.search(r"<meta\b[^>]*http-equiv=\"Content-Security-Policy\"", page, flags=re.IGNORECASE):
        return page
    head = re.search(r"<head\b[^>]*>", page, flags=re.IGNORECASE)
    return page[: head.end()] + meta + page[head.end() :] if head else page


def set_title(page: str, title: str) -> str:
    return re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", page, count=1, flags=re.DOTALL)


def plain(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: no styles, scripts, images or pilcrows."""
    fragment = re.sub(r"<(style|script)\b.*?</\1>", " ", fragment, flags=re.DOTALL | re.IGNORECASE)
    fragment = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", fragment, flags=re.DOTALL)
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(fragment)).strip()


def headings(page: str, levels: str = "123") -> list[tuple[int, str, str]]:
    """The page's headings as (level, id, text), in order."""
    return [(int(level), anchor, plain(text)) for level, anchor, text in _HEADING.findall(page) if level in levels]


def sections(page: str) -> list[tuple[str, str, str]]:
    """The page cut at its headings: (id, heading text, text under it), for the search index."""
    main = page[page.find("<main>") : page.rfind("</main>")] if "<main>" in page else page
    cuts = list(_HEADING.finditer(main))
    out = []
    for i, match in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(main)
        out.append((match.group(2), plain(match.group(3)), plain(main[match.end() : end])))
    return out
