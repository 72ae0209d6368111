"""What a PDF that Chromium printed says about itself: how many pages, and on which page each element that a
link of the document points at landed (its named destinations). Chromium (Skia) writes plain objects, no
object streams, so the page tree and the catalog's ``/Dests`` can be read without a PDF library."""

from __future__ import annotations

import re
from pathlib import Path


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(?m)^(\d+) 0 obj\b(.*?)\bendobj", data, re.DOTALL)}


def _name(raw: bytes) -> str:
    """A PDF name (``#xx`` escapes) as text."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("utf-8")


def destination_pages(data: bytes) -> dict[str, int]:
    """The page (from 1) of each named destination of a PDF that Chromium printed: every element that a link
    of the document points at (``href="#id"``), by its id. Read from the catalog's ``/Dests`` and the page tree."""
    objects = _objects(data)
    catalog = next((body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)), b"")
    root, dests = re.search(rb"/Pages\s+(\d+) 0 R", catalog), re.search(rb"/Dests\s+(\d+) 0 R", catalog)
    if not root or not dests:
        raise RuntimeError("the PDF Chromium printed has no page tree or no named destinations")

    def leaves(number: int):
        body = objects[number]
        if not re.search(rb"/Type\s*/Pages\b", body):
            yield number
            return
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        for kid in re.findall(rb"(\d+) 0 R", kids.group(1) if kids else b""):
            yield from leaves(int(kid))

    order = {page: place for place, page in enumerate(leaves(int(root.group(1))), start=1)}
    return {
        _name(name): order[int(page)]
        for name, page in re.findall(rb"/([^\s/\[\]<>()]+)\s*\[\s*(\d+) 0 R", objects[int(dests.group(1))])
    }


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF (its /Type /Page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", Path(pdf).read_bytes()))
