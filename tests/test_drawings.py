"""Figures drawn once per content (``sectorplannen.render.drawings``): the same figure of the same
numbers is the same PNG without drawing it again; other numbers, other settings, other render code or
a damaged file draw it anew; a folder that cannot be written costs only the reuse."""

from __future__ import annotations

import hashlib
import os

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from sectorplannen import paths, reuse
from sectorplannen.render import drawings, figures, style

# Tabel 3.2-like figures: participants realised per theme (round numbers, for the test only)
SERIES = pd.Series([1200.0, 800.0, 400.0], index=["Instroom", "Van-werk-naar-werk", "Behoud"])


@pytest.fixture
def outputs(tmp_path, monkeypatch):
    folder = tmp_path / "outputs"
    monkeypatch.setattr(paths, "OUTPUTS", folder)
    style.apply()
    return folder


class Counted:
    """A figure function that counts how often it drew."""

    def __init__(self):
        self.calls = 0

    def __call__(self, series: pd.Series, title: str):
        self.calls += 1
        fig, ax = plt.subplots(figsize=(3, 2))
        bars = ax.barh(range(len(series)), series.to_numpy())
        ax.set_yticks(range(len(series)), list(series.index))
        ax.bar_label(bars, labels=[f"{v:.0f}" for v in series])
        ax.set_title(title)
        return fig


@pytest.fixture
def counted():
    function = Counted()
    function.__qualname__ = "Counted"  # a function's name is part of its key
    return function


def kept(outputs) -> list[str]:
    return sorted(p.name for p in (paths.reuse() / drawings.FOLDER).glob("*.png"))


def test_the_same_figure_is_drawn_once_and_is_the_png_a_fresh_drawing_gives(outputs, counted):
    draw = drawings.drawn(counted)
    first = draw(SERIES, "Deelnemers per thema")
    again = draw(SERIES.copy(), "Deelnemers per thema")  # equal numbers in another object
    assert counted.calls == 1
    assert again.png == first.png == drawings.png(counted(SERIES, "Deelnemers per thema"))
    assert first.png.startswith(drawings.PNG_START)
    assert kept(outputs) == [f"{drawings.key(counted, (SERIES, 'Deelnemers per thema'), {})}.png"]


@pytest.mark.parametrize(
    "change",
    [
        lambda draw: draw(SERIES.replace(400.0, 401.0), "Deelnemers per thema"),  # one number
        lambda draw: draw(SERIES.rename({"Behoud": "Zij-instroom"}), "Deelnemers per thema"),  # a label
        lambda draw: draw(SERIES, "Deelnemers per thema, tranche 3"),  # the title
    ],
    ids=["a number", "a label", "the title"],
)
def test_other_numbers_or_words_draw_another_figure(outputs, counted, change):
    draw = drawings.drawn(counted)
    first = draw(SERIES, "Deelnemers per thema")
    other = change(draw)
    assert counted.calls == 2
    assert other.png != first.png
    assert len(kept(outputs)) == 2


def test_other_settings_draw_again(outputs, counted):
    draw = drawings.drawn(counted)
    draw(SERIES, "Deelnemers per thema")
    with mpl.rc_context({"patch.linewidth": 3.0}):
        draw(SERIES, "Deelnemers per thema")
    assert counted.calls == 2


def test_other_render_code_draws_again(outputs, counted, tmp_path, monkeypatch):
    code = tmp_path / "figures.py"
    code.write_text("WIDTH = 0.75\n", encoding="utf-8")
    monkeypatch.setattr(reuse, "code", lambda *_: [code])
    drawings._settled.cache_clear()
    before = drawings.key(counted, (SERIES, "t"), {})
    code.write_text("WIDTH = 0.8\n", encoding="utf-8")
    drawings._settled.cache_clear()
    assert drawings.key(counted, (SERIES, "t"), {}) != before
    monkeypatch.undo()
    drawings._settled.cache_clear()


def test_the_key_covers_the_render_package_and_the_libraries():
    drawings._settled.cache_clear()
    names = {p.name for p in reuse.code("render")}
    assert {"figures.py", "style.py", "drawings.py", "notation.py"} <= names
    assert drawings.LIBRARIES == ("matplotlib", "seaborn", "numpy", "pandas", "pillow")


def test_a_damaged_file_is_drawn_again_and_replaced(outputs, counted):
    draw = drawings.drawn(counted)
    first = draw(SERIES, "Deelnemers per thema")
    (target,) = (paths.reuse() / drawings.FOLDER).glob("*.png")
    target.write_bytes(first.png[: len(first.png) // 2])  # cut off half-way
    again = draw(SERIES, "Deelnemers per thema")
    assert counted.calls == 2
    assert again.png == first.png == target.read_bytes()


def test_a_folder_that_cannot_be_written_costs_only_the_reuse(tmp_path, monkeypatch, counted):
    blocked = tmp_path / "outputs"
    blocked.write_text("a file where the outputs folder should be", encoding="utf-8")
    monkeypatch.setattr(paths, "OUTPUTS", blocked)
    draw = drawings.drawn(counted)
    first = draw(SERIES, "Deelnemers per thema")
    again = draw(SERIES, "Deelnemers per thema")
    assert counted.calls == 2
    assert again.png == first.png


def test_an_argument_that_cannot_be_hashed_is_drawn_every_time(outputs):
    calls = []

    def with_function(series, labeller):
        calls.append(1)
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.bar(range(len(series)), series.to_numpy())
        ax.set_title(labeller("x"))
        return fig

    draw = drawings.drawn(with_function)
    draw(SERIES, lambda x: x.upper())  # a lambda cannot be pickled
    draw(SERIES, lambda x: x.upper())
    assert len(calls) == 2
    assert kept(outputs) == []


def test_the_least_recently_used_go_beyond_keep(outputs, counted, monkeypatch):
    monkeypatch.setattr(drawings, "KEEP", 2)
    draw = drawings.drawn(counted)
    keys = []
    for value in (1.0, 2.0, 3.0):
        series = SERIES.replace(400.0, value)
        draw(series, "t")
        keys.append(drawings.key(counted, (series, "t"), {}))
        for path in (paths.reuse() / drawings.FOLDER).glob("*.png"):  # distinct times on any clock
            mtime = path.stat().st_mtime_ns
            os.utime(path, ns=(mtime - 10**9, mtime - 10**9))
    assert kept(outputs) == sorted(f"{k}.png" for k in keys[1:])


def test_a_house_figure_is_a_drawing_shown_as_an_image(outputs):
    drawing = figures.bars(SERIES, "Deelnemers per thema", "bron", "Aantal")
    assert isinstance(drawing, drawings.Drawing)
    page = figures.show(drawing, "Staafdiagram").data
    assert "data:image/png;base64," in page
    assert drawing._repr_png_() == drawing.png
    fig = drawing.figure()  # drawn again: the same pixels
    assert hashlib.sha256(drawings.png(fig)).hexdigest() == hashlib.sha256(drawing.png).hexdigest()
