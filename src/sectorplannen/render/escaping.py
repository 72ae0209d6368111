"""Text from data or parameters made inert where a chapter writes it into markup (HTML or Markdown).

A label from an extract, a plan name or a reason given as a parameter is text, never markup: in
HTML its ``& < > " '`` become entities; in Markdown (which passes HTML through) its punctuation is
also backslash-escaped, so it can neither open a tag nor make a link, an image or emphasis.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")


def html_text(value) -> str:
    """``value`` as text in HTML (element content or a quoted attribute)."""
    return html.escape(str(value), quote=True)


def markdown_text(value) -> str:
    """``value`` as literal text in Markdown: punctuation backslash-escaped, then ``& < >`` as entities."""
    return html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", str(value)), quote=False)
