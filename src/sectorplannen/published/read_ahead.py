"""The published tables read ahead for every kernel of a build: the kernel nursery
(:mod:`sectorplannen.pipeline.nursery`) reads and validates them one at a time whenever no kernel is
asked for, into the cache each chapter's first read would fill (:func:`sectorplannen.published.table`),
so a kernel forked from it finds them read instead of reading them again, thirteen times a build.

What was read ahead counts only while its files are as they were: a kernel forked after any of them
changed (a table, the data package, the findings, the plan register or the categories, which validate
the tables) starts with every cache of the published data emptied and reads the files as they are."""

from __future__ import annotations

from pathlib import Path

from sectorplannen import hashing, paths
from sectorplannen.published import load


class ReadAhead:
    """The published tables of ``data_dir``, read one per :meth:`step`; :meth:`keep_or_forget` in a
    forked kernel keeps what was read only while every file it depends on is unchanged."""

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = Path(data_dir or paths.PUBLISHED)
        depends = [
            self.data_dir / "datapackage.json",
            self.data_dir / "findings.csv",
            paths.RAW / "plans.yaml",
            paths.RAW / "categories.yaml",
        ]
        # stamps before reading: a file that changes while it is read no longer matches
        self.stamps = {path: hashing.file_stamp(path) for path in depends}
        try:
            found = load.resources(self.data_dir)
            self.todo = [(r["sectorplannen"]["table"], r["sectorplannen"]["seed"], r["path"]) for r in found]
        except Exception:  # a damaged data package is the chapter's to report, in its own words
            self.todo = []
            load.forget()

    def step(self) -> None:
        """Read the next table (totals checked, as a chapter reads it); after a table that cannot be
        read, nothing more is read ahead and nothing read is kept."""
        table_id, source, path = self.todo.pop(0)
        self.stamps[self.data_dir / path] = hashing.file_stamp(self.data_dir / path)
        try:
            load.table(table_id, source, self.data_dir, metadata=False)
        except Exception:  # the chapter reads it again and says what is wrong
            self.todo, self.stamps = [], {}
            load.forget()

    def keep_or_forget(self) -> bool:
        """Whether what was read ahead is kept: every file it depends on is as it was when read;
        otherwise every cache of the published data is emptied."""
        if self.stamps and all(hashing.file_stamp(path) == stamp for path, stamp in self.stamps.items()):
            return True
        load.forget()
        return False
