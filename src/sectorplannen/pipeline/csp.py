"""The Content-Security-Policy every page of the report carries: no inline script, nothing from another host.

Pages are opened from disk, so the policy travels in the page itself (``<meta http-equiv>``, placed
before any script or style). Images only embedded (``data:``), forms only to the site, no ``<base>``;
styles may be inline, because nbconvert's page style, pandas' table styles and a few ``style``
attributes are, and a style cannot run code. Chapter pages and the index run no script at all (they
are where the labels of an extract are shown); the page of all numbers and the search page run only
the site's script files (``'self'``, which Chromium matches for ``file:`` pages too), none inline.
"""

from __future__ import annotations

POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'"
SCRIPTED_POLICY = POLICY + "; script-src 'self'"
# The one document of the whole report that Chromium prints to PDF: no script, nothing but itself.
PRINT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"


def meta(policy: str = POLICY) -> str:
    """The ``<meta>`` element that puts ``policy`` on a page."""
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


META, SCRIPTED_META, PRINT_META = meta(POLICY), meta(SCRIPTED_POLICY), meta(PRINT_POLICY)
