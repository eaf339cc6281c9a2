"""How the entry list is arranged: which entries a filter shows, their groups (by module or by
status) and their order (by question), made in one pass over the rows. Qt-free and pure, so it
runs on a worker for a library of fifty thousand entries; ``EntryList`` keeps the result current
one row at a time."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from editor.session.search import terms

if TYPE_CHECKING:
    from editor.content.index import IndexRow

FOLDED, UNFOLDED = "\u25b8", "\u25be"  # before a group's heading
PROBLEM_MARK = " \u26a0"  # after the question of an entry with problems
STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "approved": "Approved", None: "No status"}

Key = tuple[str, str]  # an entry's place in its group: its question in lower case, then its path


@dataclass(frozen=True)
class ListFilter:
    """What the entry list shows: the filter's text (question, id, file, and the body once the
    library's texts are read), a module, a status, only entries with problems; and its grouping."""

    text: str = ""
    module: str | None = None
    status: str | None = None
    problems_only: bool = False
    by_status: bool = False

    @property
    def query(self) -> str:
        return self.text.strip()


def key_of(row: IndexRow) -> Key:
    return (row.question.lower(), row.path)


def group_of(row: IndexRow, by_status: bool, titles: Mapping[str, str]) -> str:
    if by_status:
        return STATUS_LABELS.get(row.status, row.status or "No status")
    return titles.get(row.module or "", row.module or "No module")


def heading_label(name: str, size: int, folded: bool) -> str:
    return f"{FOLDED if folded else UNFOLDED} {name} ({size})"


def entry_label(question: str, problem: bool) -> str:
    return question + (PROBLEM_MARK if problem else "")


def group_order(name: str) -> tuple[str, str]:
    return (name.lower(), name)


def matcher(spec: ListFilter, problems: frozenset[str] | set[str],
            body_holds: Callable[[str], bool]) -> Callable[[IndexRow], bool]:
    """Whether the filter shows a row; ``body_holds(path)``: the entry's body holds every word of
    the query (the full-text search)."""
    query, module, status, only_problems = spec.query, spec.module, spec.status, spec.problems_only
    needle = query.lower()

    def shown(row: IndexRow) -> bool:
        if module is not None and row.module != module:
            return False
        if status is not None and row.status != status:
            return False
        if only_problems and row.path not in problems:
            return False
        if not query:
            return True
        return (needle in row.question.lower() or needle in (row.id or "").lower() or needle in row.path.lower()
                or body_holds(row.path))

    return shown


def holds_all(texts: Mapping[str, str], query: str) -> Callable[[str], bool]:
    """``body_holds`` over searchable texts (``editor.session.search``): every word of the query."""
    words = terms(query)
    if not words:
        return lambda path: True

    def holds(path: str) -> bool:
        text = texts.get(path)
        return text is not None and all(word in text for word in words)

    return holds


@dataclass
class Arrangement:
    """The groups the list shows, in order, each with its entries' keys in order, and where each
    shown entry is (path -> its group and key); ``labels``: the text of every row as arranged
    (headings, then their entries unless ``folded``; entries in ``problems`` marked), or None once
    a row has changed since."""

    names: list[str] = field(default_factory=list)
    members: dict[str, list[Key]] = field(default_factory=dict)
    placed: dict[str, tuple[str, Key]] = field(default_factory=dict)
    labels: list[str] | None = None
    problems: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()

    def group_index(self, name: str) -> int:
        """Where the group ``name`` is (or would go) among the groups."""
        order = group_order(name)
        low, high = 0, len(self.names)
        while low < high:  # the names are few (modules or statuses): a bisection by their order
            middle = (low + high) // 2
            if group_order(self.names[middle]) < order:
                low = middle + 1
            else:
                high = middle
        return low

    @staticmethod
    def position_in(members: list[Key], key: Key) -> int:
        return bisect_left(members, key)


def arrange(rows: Iterable[IndexRow], spec: ListFilter, titles: Mapping[str, str], problems: frozenset[str],
            texts: Mapping[str, str], folded: frozenset[str] = frozenset()) -> Arrangement:
    """On a worker: the arrangement of ``rows`` under ``spec`` (``texts``: the searchable texts;
    ``folded``: the groups shown as their heading alone), with its labels."""
    shown = matcher(spec, problems, holds_all(texts, spec.query) if spec.query else (lambda path: True))
    members: dict[str, list[Key]] = {}
    placed: dict[str, tuple[str, Key]] = {}
    by_status = spec.by_status
    for row in rows:
        if shown(row):
            name = group_of(row, by_status, titles)
            key = (row.question.lower(), row.path)
            group = members.get(name)
            if group is None:
                group = members[name] = []
            group.append(key)
            placed[row.path] = (name, key)
    questions: dict[str, str] = {}
    for row in rows:
        if row.path in placed:
            questions[row.path] = row.question
    names = sorted(members, key=group_order)
    labels: list[str] = []
    for name in names:
        group = members[name]
        group.sort()
        labels.append(heading_label(name, len(group), name in folded))
        if name not in folded:
            labels.extend(entry_label(questions[path], path in problems) for _key, path in group)
    return Arrangement(names, members, placed, labels, problems, frozenset(folded) & set(names))
