"""The chapters' figures in the house style (seaborn/matplotlib), titled like the report's. Each figure
function returns a :class:`~sectorplannen.render.drawings.Drawing`: its PNG, drawn once per content."""

from __future__ import annotations

import base64
import html
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML

from sectorplannen import notation
from sectorplannen.render import drawings, style
from sectorplannen.render.drawings import drawn
from sectorplannen.sources import report_items


def _img(fig, alt: str) -> str:
    """A figure (a house-style :class:`~sectorplannen.render.drawings.Drawing`, or any matplotlib figure,
    which is closed) as an <img> of PNG bytes with alternative text."""
    data = fig.png if isinstance(fig, drawings.Drawing) else drawings.png(fig)
    data = base64.b64encode(data).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" style="max-width:100%">'


def show(fig, alt: str):
    """Show a figure as a PNG with alternative text."""
    return HTML(_img(fig, alt))


def report_figure(item_id: str, fig, alt: str, note: str = ""):
    """A figure of the report under its number: anchored ``figuur-3-2``, captioned 'Figuur 3.2 (rapport):
    <the report's title>' (from data/claims/tabellen_figuren.yaml), with a note on how it was computed."""
    item = report_items.item(item_id)
    caption = f"<figcaption><strong>{html.escape(item.caption)}</strong></figcaption>"
    remark = f'<p class="figuurnoot">{html.escape(note)}</p>' if note else ""
    return HTML(f'<figure id="{item.target}" class="rapportfiguur">{caption}{_img(fig, alt)}{remark}</figure>')


def not_reproduced(item_id: str):
    """The place of a figure of the report this project cannot draw: its number and title, and why
    (the absent input, from data/claims/tabellen_figuren.yaml)."""
    item = report_items.item(item_id)
    return HTML(
        f'<figure id="{item.target}" class="rapportfiguur niet-gereproduceerd"><figcaption><strong>'
        f"{html.escape(item.caption)}</strong></figcaption><p>Niet gereproduceerd. {html.escape(item.reason)}</p>"
        "</figure>"
    )


@drawn
def bars(series: pd.Series, title: str, source: str, xlabel: str, percent: bool = False, subtitle=None):
    """Horizontal bars of one value per category (Figuur 2.1, 2.2)."""
    fig, ax = plt.subplots()
    sns.barplot(x=series.to_numpy(), y=list(series.index), ax=ax, color=style.PALETTE[0], orient="h")
    for container in ax.containers:
        ax.bar_label(
            container,
            labels=[notation.procent(v) if percent else notation.getal(v) for v in series],
            padding=3,
            fontsize=8,
        )
    (style.percent_axis if percent else style.thousands_axis)(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@drawn
def per_plan(rates: pd.Series, title: str, source: str, xlabel: str, subtitle=None):
    """One bar per plan, highest first, with the 100% line (Figuur A.2, A.4, A.7)."""
    data = rates.sort_values(ascending=False, kind="mergesort")
    fig, ax = plt.subplots(figsize=(8.0, max(3.0, 0.16 * len(data) + 1.4)))
    ax.barh(range(len(data)), data.to_numpy(), color=style.PALETTE[0], height=0.75)
    ax.set_yticks(range(len(data)), list(data.index), fontsize=6)
    ax.margins(y=0.01)
    ax.invert_yaxis()
    ax.axvline(100, color="#555555", linestyle="--", linewidth=1)
    style.percent_axis(ax.xaxis)
    ax.set_xlabel(xlabel)
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


@drawn
def planned_realised(frame: pd.DataFrame, planned: str, realised: str, title: str, source: str, subtitle=None):
    """Planned and realised side by side per category (Figuur 3.1)."""
    data = frame[[planned, realised]].rename(columns={planned: "Gepland", realised: "Gerealiseerd"})
    long = data.reset_index(names="categorie").melt(id_vars="categorie", var_name="", value_name="aantal")
    fig, ax = plt.subplots()
    sns.barplot(data=long, y="categorie", x="aantal", hue="", ax=ax, orient="h")
    style.thousands_axis(ax.xaxis)
    ax.set_xlabel("Aantal deelnemers")
    ax.set_ylabel("")
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@drawn
def stacked(frame: pd.DataFrame, title: str, source: str, xlabel: str, subtitle=None, euro=False, legend_below=False):
    """Stacked horizontal bars per plan by category (Figuur 3.2, 3.3, 6.1, 6.2); ``legend_below`` puts
    the legend in a band under the axis, for bars that reach the right edge (Figuur A.1, A.3, A.5, A.6)."""
    band = 0.6 if legend_below else 0.0  # inches under the axis label for the legend
    height = max(3.0, 0.32 * len(frame) + 1.2) + band
    fig, ax = plt.subplots(figsize=(8.0, height))
    data = frame / 1e6 if euro else frame
    data.iloc[::-1].plot.barh(stacked=True, ax=ax, width=0.75, color=style.PALETTE[: data.shape[1]], legend=False)
    style.thousands_axis(ax.xaxis)
    ax.set_xlabel(xlabel + (" (miljoen euro)" if euro else ""))
    ax.set_ylabel("")
    handles, labels = ax.get_legend_handles_labels()
    if legend_below:
        fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.25 / height), ncol=4, fontsize=8)
    else:
        ax.legend(handles, labels, loc="lower right", fontsize=8)
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, (0.05 * height + band) / height if legend_below else 0.05, 1, 1))
    return fig


@drawn
def distribution(
    rates: pd.Series, title: str, source: str, xlabel: str, marked: pd.Series | None = None, subtitle=None
):
    """Distribution of plan realisation rates with the outliers named (Figuur A.1-A.7)."""
    fig, ax = plt.subplots()
    sns.histplot(rates.to_numpy(), bins=range(0, int(max(rates.max(), 100)) + 20, 10), ax=ax, color=style.PALETTE[1])
    ax.axvline(100, color="#555555", linestyle="--", linewidth=1)
    for name, value in (marked if marked is not None else pd.Series(dtype=float)).items():
        ax.annotate(
            textwrap.fill(f"{name} ({notation.procent(value)})", 28),  # short lines: the name stays inside the figure
            xy=(value, 0),
            xytext=(value, ax.get_ylim()[1] * 0.3),  # the name reads upwards from here
            fontsize=7,
            rotation=90,
            ha="center",
            va="bottom",
            arrowprops={"arrowstyle": "-", "color": "#999999"},
        )
    style.percent_axis(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Aantal plannen")
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@drawn
def grouped(frame: pd.DataFrame, title: str, source: str, xlabel: str, percent: bool = False, subtitle=None):
    """Horizontal bars per row, one colour per column (e.g. national against regional plans)."""
    long = frame.reset_index(names="rij").melt(id_vars="rij", var_name="groep", value_name="waarde").dropna()
    fig, ax = plt.subplots(figsize=(8.0, max(3.0, 0.45 * len(frame) + 1.5)))
    sns.barplot(data=long, y="rij", x="waarde", hue="groep", ax=ax, orient="h")
    (style.percent_axis if percent else style.thousands_axis)(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.legend(title="", fontsize=8)
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@drawn
def over_time(frame: pd.DataFrame, title: str, source: str, ylabel: str, subtitle=None):
    """Lines over successive reports (quickscans, then the end figures)."""
    fig, ax = plt.subplots()
    for i, column in enumerate(frame.columns):
        ax.plot(range(len(frame)), frame[column].to_numpy(), marker="o", label=column, color=style.PALETTE[i])
    ax.set_xticks(range(len(frame)), [str(i) for i in frame.index], rotation=20, ha="right", fontsize=8)
    style.thousands_axis(ax.yaxis)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    style.titled(ax, title, source, subtitle)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@drawn
def stacked_shares(shares: pd.DataFrame, title: str, source: str, label: str):
    """100%-stacked bars of shares per group (Figuur 4.1 and the like); suppressed cells left out.
    The legend sits under the axis label, in a band of fixed height whatever the number of bars."""
    data = shares.fillna(0.0)
    if data.empty or not data.to_numpy().any():  # every share suppressed (a tiny extract): say so, draw no bars
        fig, ax = plt.subplots(figsize=(8.0, 1.6))
        ax.axis("off")
        ax.text(0.5, 0.4, "Geen aandelen te tonen: elke cel is onderdrukt of leeg.", ha="center", va="center")
        style.titled(ax, title, source, subtitle=label)
        return fig
    legend_rows = -(-data.shape[1] // 3)
    bottom = 0.55 + 0.22 * legend_rows  # inches: axis label, legend, source line
    height = 0.45 * len(data) + 1.2 + bottom
    fig, ax = plt.subplots(figsize=(8.0, height))
    data.iloc[::-1].plot.barh(stacked=True, ax=ax, width=0.75, color=style.PALETTE[: data.shape[1]], legend=False)
    style.percent_axis(ax.xaxis)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Aandeel deelnemers")
    ax.set_ylabel("")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.2 / height), ncol=3, fontsize=8)
    style.titled(ax, title, source, subtitle=label)
    fig.tight_layout(rect=(0, bottom / height, 1, 1))
    return fig
