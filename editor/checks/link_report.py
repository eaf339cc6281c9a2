"""The link report: every link target, in-app and web, with its status and the entries that use
it (backlinks), broken ones first. With a module, it answers "what links to this module?"."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from editor.checks.link_index import IN_APP, WEB, LinkUse, extract
from editor.checks.online import rule_for
from editor.content.config import Registry
from editor.content.entry import Entry
from editor.content.links import check_web_target, parse_in_app
from editor.render.html import destination_label
from editor.web.fetch import LinkStatus

ORDER = {"broken": 0, "warning": 1, "unchecked": 2, "ok": 3}


@dataclass
class TargetRow:
    target: str
    kind: str  # "in-app" or "web"
    status: str  # broken, warning, unchecked (web, offline) or ok
    detail: str
    used_by: list[tuple[str, int]] = field(default_factory=list)  # (entry path, line)

    def to_json(self) -> dict:
        return {"target": self.target, "kind": self.kind, "status": self.status, "detail": self.detail,
                "used_by": [{"path": p, "line": line} for p, line in self.used_by]}


def _module_of(target: str) -> str | None:
    return parse_in_app(target, None).module


class LinkReport:
    """The report made one entry at a time, from the link index's uses of each (``add``): only its
    rows are kept, never the entries."""

    def __init__(self, registry: Registry | None, module: str | None = None):
        self.registry, self.module = registry, module
        self._rows: dict[str, TargetRow] = {}
        self._pages: dict[str, None] = {}  # the web pages (to fetch with --online), in order of first use

    def add(self, path: str, uses: Iterable[LinkUse]) -> None:
        rows, module = self._rows, self.module
        for use in uses:
            target = use.target
            if use.kind == IN_APP:
                if module is not None and _module_of(target) != module:
                    continue
                if target not in rows:
                    parsed = parse_in_app(target, self.registry)
                    rows[target] = TargetRow(target, "in-app", "ok" if parsed.ok else "broken",
                                             destination_label(parsed, self.registry))
            elif module is not None:
                continue
            elif target not in rows:
                if use.kind == WEB:
                    rows[target] = _web_row(target, None)
                    self._pages[target] = None
                else:  # mailto:, tel:, malformed or unsafe targets
                    problems = check_web_target(target)
                    rows[target] = TargetRow(target, "web", "broken" if any(p.severity == "error" for p in problems)
                                             else ("warning" if problems else "ok"),
                                             problems[0].message if problems else "not a web page; not fetched")
            rows[target].used_by.append((path, use.line))

    def pages(self) -> list[str]:
        """Every web page the entries added use, once each."""
        return list(self._pages)

    def rows(self, statuses: dict[str, LinkStatus] | None = None) -> list[TargetRow]:
        """The rows, broken first; web pages with their fetched ``statuses`` where given."""
        if statuses:
            for url in self._pages:
                fetched = _web_row(url, statuses)
                row = self._rows[url]
                row.status, row.detail = fetched.status, fetched.detail
        return sorted(self._rows.values(), key=lambda r: (ORDER[r.status], r.kind, r.target))


def build_report(entries: Iterable[Entry], registry: Registry | None, statuses: dict[str, LinkStatus] | None = None,
                 module: str | None = None) -> list[TargetRow]:
    """The report of ``entries`` (each read whole: the command line reads them through the index)."""
    report = LinkReport(registry, module)
    for entry in entries:
        report.add(entry.path, extract(entry))
    return report.rows(statuses)


def _web_row(url: str, statuses: dict[str, LinkStatus] | None) -> TargetRow:
    offline = [p for p in check_web_target(url) if p.severity != "info"]
    if statuses is None or url not in statuses:
        if offline:
            return TargetRow(url, "web", "warning", offline[0].message)
        return TargetRow(url, "web", "unchecked", "not fetched (run with --online)")
    status = statuses[url]
    rule = rule_for(status)
    if rule is None:
        return TargetRow(url, "web", "warning" if offline else "ok", offline[0].message if offline else f"{status.code}")
    name, severity = rule
    state = {"error": "broken", "warning": "warning", "info": "warning"}[severity]
    return TargetRow(url, "web", state, status.message)
