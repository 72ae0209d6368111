"""Reproducible evaluation of the Regeling cofinanciering sectorplannen (2013-2019).

Public entry points: :func:`sectorplannen.published.table` (one published table as a tidy
DataFrame), :func:`sectorplannen.sources.register.register` (the plan register) and the ``sectorplannen``
command line (``python -m sectorplannen --help``).
"""

__version__ = "0.1.0"
