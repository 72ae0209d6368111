"""Layer 2, the published data: tidy tables built from the sources (``make data``), loaded and
validated, the consistency checks between printed numbers and the findings that explain them.
"""

from sectorplannen.errors import PublishedDataError
from sectorplannen.published.load import check_files, read_table_file, resource, resources, table, tables

__all__ = ["PublishedDataError", "check_files", "read_table_file", "resource", "resources", "table", "tables"]
