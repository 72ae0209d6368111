"""The Content-Security-Policy every page of the report carries: no inline script, nothing from another host.

Pages are opened from disk, so the policy travels in the page itself (``<meta http-equiv>``, placed
before any script or style). Scripts only as files of the site (``'self'``, which Chromium matches
for ``file:`` pages too), images only embedded (``data:``); styles may be inline, because nbconvert's
page style, pandas' table styles and a few ``style`` attributes are, and a style cannot run code.
"""

from __future__ import annotations

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'"
)
META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
# The one document of the whole report that Chromium prints to PDF: no script at all.
PRINT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
PRINT_META = f'<meta http-equiv="Content-Security-Policy" content="{PRINT_POLICY}">'
