"""A light index of the repository for browsing: path, id, module, status and question of every
entry, read without parsing the Markdown (fast enough for ten thousand entries)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from editor.content.entry import Entry

_QUESTION = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+Q:[ \t]*(.*?)[ \t#]*$", re.M)


@dataclass(frozen=True)
class IndexRow:
    path: str
    id: str | None
    module: str | None
    status: str | None
    question: str

    def matches(self, text: str) -> bool:
        needle = text.lower()
        return any(needle in (value or "").lower() for value in (self.question, self.id, self.path))


def row_for(entry: Entry) -> IndexRow:
    match = _QUESTION.search(entry.body) if entry.readable else None
    question = match.group(1).strip() if match else Path(entry.path).stem.replace("-", " ")
    return IndexRow(entry.path, entry.id, entry.module, entry.status, question)


def build_index(root: Path, paths: list[str], progress=None) -> list[IndexRow]:
    rows = []
    for number, path in enumerate(paths, 1):
        rows.append(row_for(Entry.load(root, path)))
        if progress is not None and number % 200 == 0:
            progress(number, len(paths))
    return rows
