"""House style: Dutch number formatting, tables and figures as a report reader sees them."""

from __future__ import annotations

import hashlib
import textwrap

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from pandas.io.formats.style import Styler

from sectorplannen.notation import getal, procent
from sectorplannen.render import outputs
from sectorplannen.render.escaping import html_text

PALETTE = ["#1f4e79", "#2e86c1", "#85c1e9", "#f0b27a", "#ca6f1e", "#7b7d7d", "#117a65", "#b03a2e"]


FIGSIZE = (8.0, 4.5)
TITLE_WIDTH = 70  # characters of a figure title per line (bold, 11 pt, 8 inch wide)


def apply() -> None:
    """Set the seaborn/matplotlib house style (call once per notebook)."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 11,
            "axes.titlelocation": "left",
            "legend.frameon": False,
            "svg.hashsalt": "sectorplannen",  # deterministic SVG ids
            "axes.formatter.use_locale": False,
        }
    )


def thousands_axis(axis) -> None:
    """Dutch thousands separators on a matplotlib axis."""
    axis.set_major_locator(mpl.ticker.MaxNLocator(nbins=6))
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda x, _: getal(x)))


def percent_axis(axis) -> None:
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda x, _: procent(x)))


def titled(ax, title: str, source: str, subtitle: str | None = None) -> None:
    """Title in the report's form, with the source line under the figure."""

    # wrapped, so a long title is never clipped at the figure's edge
    lines = [textwrap.fill(part, TITLE_WIDTH) for part in (title, subtitle) if part]
    ax.set_title("\n".join(lines), wrap=True)
    ax.figure.text(0.01, 0.01, f"Bron: {source}", fontsize=8, color="#555555", ha="left", va="bottom")


def _escaped(formatter: callable) -> callable:
    """``formatter`` with its text escaped as HTML (pandas escapes a value before formatting, not after)."""
    return lambda value: html_text(formatter(value))


def _escaped_names(index: pd.Index) -> list:
    """The level names of ``index`` as HTML text (pandas writes them unescaped)."""
    return [name if name is None else html_text(name) for name in index.names]


class HouseTable(Styler):
    """A table in the house style: shown as HTML, and carrying its cells as data for the build."""

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self._repr_html_(), outputs.TABLE_MIME: outputs.table_data(self)}


def table(
    frame: pd.DataFrame,
    formats: dict[str, callable] | None = None,
    caption: str | None = None,
    source: str | None = None,
):
    """A pandas Styler in the house style: Dutch numbers, caption, no index name clutter.

    Every label, value, name and caption is escaped as HTML text (pandas writes them as markup
    otherwise): a label from an extract cannot become an element of the page."""

    formats = formats or {}
    frame = frame.rename_axis(index=_escaped_names(frame.index), columns=_escaped_names(frame.columns))
    styler = HouseTable(frame).set_uuid(hashlib.sha256(str(caption).encode()).hexdigest()[:8])
    styler = styler.format(na_rep="", escape="html").format_index(escape="html", axis=0)
    styler = styler.format_index(escape="html", axis=1)
    formats = {c: _escaped(f) for c, f in formats.items() if c in frame.columns}
    if formats:  # only these columns (a dict alone would reset every other column's escaping)
        styler = styler.format(formats, subset=list(formats), na_rep="")
    if caption:
        styler = styler.set_caption(
            html_text(caption) + (f"<br><small>Bron: {html_text(source)}</small>" if source else "")
        )
    styler = styler.set_table_styles(
        [
            {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
            {"selector": "th", "props": "text-align: left; padding: 2px 8px;"},
            {"selector": "td", "props": "text-align: right; padding: 2px 8px;"},
        ]
    )
    return styler
