"""A run's settings as a Dutch reader reads them: 'zonder Transport (t3)', 'peildatum 2018',
'echt deelnemersbestand (extract-1a2b3c4d)'; never a parameter name or a Python value."""

from __future__ import annotations

from sectorplannen import datakind
from sectorplannen.chapters import registry
from sectorplannen.chapters.registry import normal_value
from sectorplannen.sources.register import register

ORDER = ("tranche", "exclude_plans", "peildatum", "min_cell_size", "top_n")


def data_words(data_kind: str, parameters: dict) -> str:
    """'synthetische deelnemersgegevens', 'echt deelnemersbestand (extract-1a2b3c4d)'."""
    words = datakind.WORDS.get(data_kind, data_kind)
    if data_kind == datakind.EXTRACT:
        words += f" ({parameters.get('data_source', datakind.EXTRACT)})"
    return words


def plan_names(value) -> list[str]:
    """The names of the plans left out, as the report names them."""
    names = []
    for plan_id in value if isinstance(value, list | tuple) else [value]:
        try:
            names.append(register().get(plan_id).name)
        except KeyError:
            names.append(str(plan_id))
    return names


def parameter_words(key: str, value) -> str:
    """One parameter in words."""
    if key == "exclude_plans":
        return "zonder " + ", ".join(plan_names(value))
    if key == "show_sources":
        return "met bronnen" if value else "zonder bronnen"
    if key == "min_cell_override":
        return "kleinere cellen toegestaan"
    words = {
        "tranche": f"tranche {value}",
        "peildatum": f"peildatum {value}",
        "min_cell_size": f"minimale celgrootte {value}",
        "top_n": f"top {value} plannen",
    }
    return words.get(key, f"{key.replace('_', ' ')} {value}")


def changes(parameters: dict, notebook: str, default_tranche: str | None) -> list[str]:
    """How a run differs from its chapter as ``make report`` builds it, in words (the data are named
    separately, by :func:`data_words`)."""
    defaults = registry.entry(notebook).defaults
    words = []
    for key in sorted(parameters, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k)):
        value = parameters[key]
        if key == "data_source":
            continue
        if key == "tranche":
            if str(value) != str(default_tranche or "1-2"):
                words.append(parameter_words(key, value))
        elif key not in defaults or normal_value(value) != normal_value(defaults[key]):
            words.append(parameter_words(key, value))
    return words


def describe(parameters: dict, notebook: str, data_kind: str, default_tranche: str | None) -> str:
    """A variant in one phrase: 'zonder Transport (t3)', or 'minimale celgrootte 5; synthetische ...'."""
    words = changes(parameters, notebook, default_tranche)
    if data_kind != datakind.PUBLISHED:
        words.append(data_words(data_kind, parameters))
    return "; ".join(words or ["andere instellingen"])
