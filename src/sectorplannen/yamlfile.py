"""The project's YAML data files (``data/raw/*.yaml``, ``data/claims/*.yaml``, ``data/calibratie.yaml``,
the raw tables' headers) read with PyYAML's safe loader in C (libyaml) where PyYAML has it: the same
values as ``yaml.safe_load``, several times faster, and every chapter kernel reads a dozen of them.

What a user writes (a run's parameters, a sweep's grid, an extract's column mapping) is still read with
``yaml.safe_load``, whose messages name the place of a mistake in the words the tests hold."""

from __future__ import annotations

from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader if PyYAML was built with libyaml


def parse(text: str):
    """The value of a YAML text (safe: plain data only)."""
    return yaml.load(text, Loader=_LOADER)


def read(path: Path | str):
    """The value of a YAML file (UTF-8)."""
    return parse(Path(path).read_text(encoding="utf-8"))
