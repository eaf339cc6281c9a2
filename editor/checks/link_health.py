"""The Link Health model: every link target with its status and every entry that uses it, broken
first, made from the link index (``editor.checks.link_index``) in a few milliseconds, and "what
links here" for a module. Qt-free; the panel shows it.

Statuses: an in-app target against modules.yaml; a web address from the last Check Web Links,
else from a fresh healthy answer in the link cache, else "not checked"; other targets (mailto:,
malformed or unsafe addresses) by the offline rules. Nothing here touches the network."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from editor.checks.link_index import IN_APP, OTHER, WEB, LinkIndex, LinkUse
from editor.content.config import Registry
from editor.content.links import check_web_target, parse_in_app
from editor.web.fetch import LinkStatus

BROKEN, WARNING, UNCHECKED, OK = "broken", "warning", "unchecked", "ok"
ORDER = {BROKEN: 0, WARNING: 1, UNCHECKED: 2, OK: 3}
NOT_CHECKED = "Not checked yet: use Check Web Links to fetch it"


class Use(NamedTuple):
    path: str
    line: int
    column: int
    where: str  # body or sources
    question: str
    module: str | None  # the module of the entry that holds the link


@dataclass
class TargetRow:
    target: str
    kind: str  # in-app or web (every non-in-app target: web addresses, mailto:, malformed ones)
    status: str
    detail: str
    module: str | None = None  # the module an in-app link opens
    fetched: bool = False  # a web address: its status is a fetched answer (this run's or the cache's)
    uses: list[Use] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len({u.path for u in self.uses})


@dataclass
class Backlinks:
    """What links to one module: each entry with its links there (any section), most first."""

    module: str
    title: str
    entries: list[tuple[str, str, list[tuple[str, Use]]]]  # (path, question, [(target, use)])
    members: int  # entries that belong to the module
    broken: int  # of the links, how many are broken (an unknown section, say)

    @property
    def links(self) -> int:
        return sum(len(found) for _, _, found in self.entries)


@dataclass
class LinkHealth:
    rows: list[TargetRow]
    titles: dict[str, str]  # module slug -> title, as modules.yaml has them
    members: dict[str, int]  # module slug -> entries that belong to it

    def counts(self) -> dict[str, int]:
        found = {BROKEN: 0, WARNING: 0, UNCHECKED: 0, OK: 0}
        for row in self.rows:
            found[row.status] += 1
        return found

    def filtered(self, module: str | None = None, text: str = "") -> list[TargetRow]:
        """The rows for one module (None: all): in-app links that open it, and the web links of the
        entries that belong to it (each with only those entries' uses); then those whose target,
        detail, or a using entry's question or path hold ``text`` (any case)."""
        rows = self.rows
        if module is not None:
            kept = []
            for row in rows:
                if row.kind == IN_APP:
                    if row.module == module:
                        kept.append(row)
                    continue
                uses = [u for u in row.uses if u.module == module]
                if uses:
                    kept.append(TargetRow(row.target, row.kind, row.status, row.detail, row.module, row.fetched,
                                          uses))
            rows = kept
        needle = text.strip().lower()
        if needle:
            rows = [r for r in rows if needle in r.target.lower() or needle in r.detail.lower()
                    or any(needle in u.question.lower() or needle in u.path.lower() for u in r.uses)]
        return rows

    def backlinks(self, module: str) -> Backlinks:
        found: dict[str, list[tuple[str, Use]]] = {}
        questions: dict[str, str] = {}
        broken = 0
        for row in self.rows:
            if row.kind != IN_APP or row.module != module:
                continue
            for use in row.uses:
                found.setdefault(use.path, []).append((row.target, use))
                questions[use.path] = use.question
                broken += row.status == BROKEN
        entries = [(path, questions[path], sorted(links, key=lambda t: (t[1].line, t[1].column)))
                   for path, links in found.items()]
        entries.sort(key=lambda e: (-len(e[2]), e[1].lower(), e[0]))
        return Backlinks(module, self.titles.get(module, module), entries, self.members.get(module, 0), broken)


def in_app_row(target: str, registry: Registry | None) -> TargetRow:
    from editor.render.html import destination_label

    parsed = parse_in_app(target, registry)
    label = destination_label(parsed, registry)
    if parsed.ok:
        return TargetRow(target, IN_APP, OK, f"Opens {label}", parsed.module)
    return TargetRow(target, IN_APP, BROKEN, parsed.problems[0].message if parsed.problems else label, parsed.module)


def other_row(target: str) -> TargetRow:
    problems = check_web_target(target)
    status = BROKEN if any(p.severity == "error" for p in problems) else (WARNING if problems else OK)
    return TargetRow(target, WEB, status, problems[0].message if problems else "Not a web page; not fetched")


def web_row(url: str, status: LinkStatus | None, not_checked: str = NOT_CHECKED) -> TargetRow:
    """A web address: from its fetched status when there is one, else by the offline rules."""
    from editor.checks.online import rule_for

    offline = [p for p in check_web_target(url) if p.severity != "info"]
    if status is None:
        if offline:
            return TargetRow(url, WEB, WARNING, offline[0].message)
        return TargetRow(url, WEB, UNCHECKED, not_checked)
    rule = rule_for(status)
    if rule is None:
        answer = f"the page answers ({status.code})" if status.code else "the page answers"
        detail = f"{offline[0].message}; {answer}" if offline else answer[0].upper() + answer[1:]
        return TargetRow(url, WEB, WARNING if offline else OK, detail, fetched=True)
    severity = rule[1]
    state = BROKEN if severity == "error" else WARNING
    detail = status.message
    if rule[0] == "moved-permanently" and status.final_url:
        detail = f"Moved permanently to {status.final_url}"
    return TargetRow(url, WEB, state, detail or rule[0], fetched=True)


def sort_rows(rows) -> list[TargetRow]:
    return sorted(rows, key=lambda r: (ORDER[r.status], r.kind != IN_APP, r.target))


def build(index: LinkIndex, registry: Registry | None, questions: dict[str, tuple[str, str | None]],
          statuses: dict[str, LinkStatus] | None = None,
          cached: Callable[[str], LinkStatus | None] | None = None) -> LinkHealth:
    """The model of ``index``. ``questions``: path -> (question, module) of every entry (the
    library index has them); ``statuses``: the last Check Web Links' answers; ``cached(url)``: a
    fresh answer from the link cache, or None."""
    rows: dict[tuple[str, str], TargetRow] = {}
    statuses = statuses or {}
    make = tuple.__new__  # Use(...) costs three times as much, for every link of every entry
    for path, record in index.files.items():
        question, module = questions.get(path, (path, None))
        for use in record.uses:
            target, kind, line, column, where = use
            key = (IN_APP if kind == IN_APP else WEB, target)
            row = rows.get(key)
            if row is None:
                row = rows[key] = _row(use, registry, statuses, cached)
            row.uses.append(make(Use, (path, line, column, where, question, module)))
    titles = {slug: m.title for slug, m in registry.modules.items()} if registry is not None else {}
    members: dict[str, int] = {}
    for question, module in questions.values():
        if module:
            members[module] = members.get(module, 0) + 1
    return LinkHealth(sort_rows(rows.values()), titles, members)


def _row(use: LinkUse, registry, statuses, cached) -> TargetRow:
    if use.kind == IN_APP:
        return in_app_row(use.target, registry)
    if use.kind == OTHER:
        return other_row(use.target)
    status = statuses.get(use.target)
    if status is None and cached is not None:
        status = cached(use.target)
    return web_row(use.target, status)


__all__ = ["BROKEN", "OK", "UNCHECKED", "WARNING", "WEB", "Backlinks", "LinkHealth", "TargetRow", "Use", "build",
           "in_app_row", "other_row", "web_row"]
