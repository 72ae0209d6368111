"""The chapters' tables as a report reader sees them: Dutch headers and numbers."""

from __future__ import annotations

import re

import pandas as pd

from sectorplannen import claims, notation, published
from sectorplannen.notation import round_half_up
from sectorplannen.participants import disclosure
from sectorplannen.published import labels as table_labels
from sectorplannen.render import style

SOURCE_DECLARATIONS = "Beschikkingen en einddeclaraties sectorplannen (Bijlage A), bewerking sectorplannen-project"


def _labelled(frame: pd.DataFrame, columns: dict[str, tuple[str, callable]], caption: str, source: str):
    """The ``columns`` of ``frame`` (name -> Dutch header and number format), styled."""
    view = frame[list(columns)].rename(columns={name: header for name, (header, _) in columns.items()})
    return style.table(view, dict(columns.values()), caption, source)


def participants(frame: pd.DataFrame, caption: str):
    """Tabel 3.1 / 6.1: planned and realised participants per category."""
    columns = {
        "deelnemers_gepland": ("Gepland aantal deelnemers", notation.getal),
        "deelnemers_gerealiseerd": ("Gerealiseerd aantal deelnemers", notation.getal),
        "realisatie_deelnemers": ("Percentage bereikt", notation.procent),
        "deelnemers_aandeel": ("Aandeel in gerealiseerde deelnemers", notation.procent),
    }
    return _labelled(frame, columns, caption, SOURCE_DECLARATIONS)


def budget(frame: pd.DataFrame, caption: str):
    """Tabel 3.2 / 6.2: planned and spent budget per category."""
    columns = {
        "budget_gepland": ("Gepland budget", notation.euro),
        "budget_besteed": ("Gerealiseerd budget", notation.euro),
        "realisatie_budget": ("Percentage bereikt", notation.procent),
        "budget_aandeel": ("Aandeel in besteed budget", notation.procent),
    }
    return _labelled(frame, columns, caption, SOURCE_DECLARATIONS)


def funding(frame: pd.DataFrame, caption: str):
    """Tabel 3.3 / 6.3: funding per plan, incl. overhead."""
    columns = {
        "rijk": ("Rijksoverheid", notation.euro),
        "sector": ("Sector", notation.euro),
        "totaal": ("Totaal", notation.euro),
        "aandeel_sector": ("Aandeel sector (gedrukt)", notation.procent),
        "aandeel_sector_berekend": ("Aandeel sector (berekend)", notation.procent),
    }
    source = "Einddeclaraties sectorplannen (Tabel 3.3 / 6.3), bewerking sectorplannen-project"
    return _labelled(frame.rename_axis(index="Sectorplan", columns=None), columns, caption, source)


def plans(frame: pd.DataFrame, caption: str, money: bool = False):
    """A plan x category table (Tabel A.1 and the like)."""
    fmt = notation.euro if money else notation.getal
    return style.table(frame, dict.fromkeys(frame.columns, fmt), caption, SOURCE_DECLARATIONS)


# The statuses shown in grey: neither evidence nor a difference (the arithmetic of a table's own
# cells keeps the default colour).
NO_EVIDENCE = tuple(
    s for s in claims.STATUSES if s not in (claims.STATUS_REPRODUCED, claims.STATUS_DIFFERS, claims.STATUS_ARITHMETIC)
)


def ledger(frame: pd.DataFrame, caption: str = "Grootboek: gepubliceerde getallen en de herberekening"):
    """The reproduction ledger as a table (differences highlighted), with the inputs of each value."""
    columns = ["claim", "plaats", "regel", "tekst", "gepubliceerd", "berekend", "status", "invoer", "toelichting"]
    if "standaard" in frame.columns:  # a run with other parameters: beside the published selection's value
        columns[6:6] = ["standaard", "verschil"]
    view = frame[columns].rename(columns=str.capitalize).set_index("Claim")
    view = view.rename(columns={"Invoer": "Berekend uit"})  # the page of all numbers' name for it
    view = view.rename(
        columns={"Standaard": "Standaardselectie", "Berekend": "Deze selectie"} if "standaard" in frame.columns else {}
    )
    colors = {
        claims.STATUS_DIFFERS: "background-color: #fdebd0",
        claims.STATUS_REPRODUCED: "background-color: #e9f7ef",
        **dict.fromkeys(NO_EVIDENCE, "color: #777777"),
    }
    styler = style.table(view, caption=caption)
    styler = styler.set_properties(
        subset=["Plaats", "Tekst", "Status", "Berekend uit", "Toelichting"], **{"text-align": "left"}
    )
    return styler.map(lambda v: colors.get(v, ""), subset=["Status"])


def wide(seed: str, table_id: str) -> pd.DataFrame:
    """A published table back in its printed layout (rows x columns), values as numbers."""

    frame = published.table(table_id, seed)
    labels = table_labels.grouped_labels(frame)
    for column in table_labels.extra_label_columns(frame):
        labels = labels + frame[column].where(frame[column] == "", " " + frame[column])
    out = frame.assign(label=labels).pivot_table(
        index="label", columns="category", values="value", aggfunc="first", sort=False
    )
    out = out.reindex(columns=[c for c in frame.attrs["columns"] if c in out.columns])
    out.index.name = frame.attrs["label_columns"][0] if frame.attrs.get("label_columns") else ""
    out.columns.name = None
    return out


def published_table(seed: str, table_id: str, caption: str | None = None):
    """A published table in the house style, captioned with its source and lines."""

    res = published.resource(table_id, seed)
    meta = res["sectorplannen"]
    frame = wide(seed, table_id)
    units = {c: (meta.get("units") or {}).get(c, meta["unit"]) for c in frame.columns}
    formats = {
        c: (
            notation.procent
            if u == "procent"
            else notation.euro
            if u == "euro"
            else (lambda v: notation.getal(v, 1) if v is not None and v == v and v % 1 else notation.getal(v))
        )
        for c, u in units.items()
    }
    first, last = meta["lines"]
    source = f"{res['sources'][0]['title']}, r. {first}-{last}"
    unit_note = {"duizend euro": " (x € 1.000)", "miljoen euro": " (x € 1 mln.)"}.get(meta["unit"], "")
    return style.table(frame, formats, (caption or reference_caption(seed, table_id, res["title"])) + unit_note, source)


DOCUMENTS = {
    "000": "voortgangsbrief 2017",
    "001": "rapport",
    "002": "voortgangsbrief 2014",
    "003": "tussenevaluatie DWSRA",
    "004": "brief 2020",
}


def reference_caption(seed: str, table_id: str, title: str) -> str:
    """'Tabel 2.1 (tussenevaluatie DWSRA): Ontvangen ...': which table of which document, named once;
    a table transcribed from running text says so ('Uit de tekst (rapport): ...')."""

    document = DOCUMENTS.get(seed, seed)
    rest = re.sub(rf"^(?:Tabel\s+{re.escape(table_id)}[.:]?\s*)+", "", title).strip()
    if re.search(r"(^|\.)t\d+$", table_id):
        return f"Uit de tekst ({document}): {rest}"
    if table_id.startswith("F"):
        return f"Figuur {table_id[1:]} ({document}): {rest}"
    return f"Tabel {table_id} ({document}): {rest}"


DIFFERS_NOTE = "≠ = wijkt af van het gedrukte getal (toelichting in het grootboek)"


def _printed_number(text) -> tuple[float, int] | None:
    """The number in a printed cell ('€ 64 miljoen', '58,4 procent') and its decimals."""

    match = re.search(r"\d[\d.]*(?:,\d+)?", str(text or ""))
    if not match:
        return None
    number = match.group(0).replace(".", "")
    decimals = len(number.split(",")[1]) if "," in number else 0
    return float(number.replace(",", ".")), decimals


def printed_beside_computed(frame: pd.DataFrame, caption: str, source: str):
    """A table with '(gedrukt)' and '(berekend)' columns side by side, the computed numbers that differ
    from the printed ones (at the printed rounding) marked with ≠ and a colour, in the table itself."""

    shown = frame.copy().astype(object)
    marks = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for column in [c for c in frame.columns if c.endswith("(berekend)")]:
        printed = column.replace("(berekend)", "(gedrukt)")
        for row in frame.index:
            value = frame.loc[row, column]
            number = _printed_number(frame.loc[row, printed]) if printed in frame.columns else None
            differs = (
                number is not None
                and value is not None
                and value == value
                and round_half_up(float(value), number[1]) != number[0]
            )
            shown.loc[row, column] = ("≠ " if differs else "") + notation.getal(value, 1)
            marks.loc[row, column] = "background-color: #fdebd0; font-weight: bold" if differs else ""
    styler = style.table(shown, {}, caption, f"{source}. {DIFFERS_NOTE}")
    return styler.apply(lambda _: marks, axis=None)


PARTICIPANT_SOURCE = (
    "koppeling deelnemers met UWV-gegevens; onthullingscontrole met ACRO (minimale celgrootte) en "
    "aanvullende onderdrukking tegen afleiden door aftrekken"
)


def _suppression_note(min_cell: int) -> str:
    return f"x = onderdrukt: minder dan {min_cell} deelnemers, of af te leiden uit andere getallen"


def participant_table(counts: pd.DataFrame, caption: str, label: str, min_cell: int):
    """A disclosure-controlled count table ('x' where suppressed), labelled with the data kind."""

    shown = disclosure.marked(counts, notation.getal, "x")
    return style.table(
        shown, caption=f"{caption} ({label})", source=f"{PARTICIPANT_SOURCE}. {_suppression_note(min_cell)}"
    )


def participant_shares(shares: pd.DataFrame, caption: str, label: str, min_cell: int):
    """A disclosure-controlled share table: percentages, n, 'x' where suppressed."""

    shown = disclosure.marked(shares.drop(columns="n"), notation.procent, "x")
    shown.insert(0, "n", disclosure.marked(shares[["n"]], notation.getal, "x")["n"])
    return style.table(
        shown, caption=f"{caption} ({label})", source=f"{PARTICIPANT_SOURCE}. {_suppression_note(min_cell)}"
    )


COMPARISON_HEADERS = {
    "n": "Aantal deelnemers",
    "aandeel": "Aandeel met een baan",
    "alle": "Aandeel alle deelnemers",
    "verschil": "Verschil (procentpunt)",
    "laag": "95%-interval, ondergrens",
    "hoog": "95%-interval, bovengrens",
    "p": "p-waarde",
    "onderdrukt": "Onderdrukt",
    "referentie": "Referentiegroep",
}


def comparison(frame: pd.DataFrame, caption: str, label: str):
    """Differences between groups (points), intervals and p-values: never called an effect. Headers in
    words; the suppression and reference flags as 'ja' or empty."""
    frame = frame.copy()
    for flag in ("onderdrukt", "referentie"):
        if flag in frame.columns:
            frame[flag] = frame[flag].map({True: "ja", False: ""})
    frame.index.name = {"categorie": "Thema of type traject"}.get(frame.index.name, frame.index.name)
    formats = {
        c: (lambda v: notation.getal(v, 1))
        for c in (
            "aandeel",
            "alle",
            "verschil",
            "laag",
            "hoog",
            "Met een baan",
            "Andere werkgever (van werkenden)",
            "Andere sector (van werkenden)",
        )
    }
    formats |= {"p": lambda v: "" if v != v else ("<0,001" if v < 0.001 else notation.getal(v, 3)), "n": notation.getal}
    formats = {COMPARISON_HEADERS.get(c, c): f for c, f in formats.items()}
    frame = frame.rename(columns=COMPARISON_HEADERS)
    return style.table(frame, formats, f"{caption} ({label}; verschillen, geen effecten)")
