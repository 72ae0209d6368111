"""Reading the cells nbconvert rendered: their headings (the page's contents) and their text per section
(the search index). The site never edits a page; it reads the build's fragments and renders pages once."""

from __future__ import annotations

import html
import re

_HEADING = re.compile(r'<h([1-3])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)


def plain(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: no styles, scripts, images or pilcrows."""
    fragment = re.sub(r"<(style|script)\b.*?</\1>", " ", fragment, flags=re.DOTALL | re.IGNORECASE)
    fragment = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", fragment, flags=re.DOTALL)
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(fragment)).strip()


def headings(fragment: str, levels: str = "123") -> list[tuple[int, str, str]]:
    """The fragment's headings as (level, id, text), in order."""
    return [
        (int(level), html.unescape(anchor), plain(text))
        for level, anchor, text in _HEADING.findall(fragment)
        if level in levels
    ]


def sections(fragment: str) -> list[tuple[str, str, str]]:
    """The fragment cut at its headings: (id, heading text, text under it), for the search index."""
    cuts = list(_HEADING.finditer(fragment))
    out = []
    for i, match in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(fragment)
        out.append((html.unescape(match.group(2)), plain(match.group(3)), plain(fragment[match.end() : end])))
    return out
