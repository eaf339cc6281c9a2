"""The link report: every link target, in-app and web, with its status and the entries that use
it (backlinks), broken ones first. With a module, it answers "what links to this module?"."""
from __future__ import annotations

from dataclasses import dataclass, field

from editor.checks.budget import links_of
from editor.checks.online import rule_for, web_uses
from editor.content.config import Registry
from editor.content.entry import Entry
from editor.content.links import check_web_target, is_in_app, parse_in_app
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


def build_report(entries: list[Entry], registry: Registry | None, statuses: dict[str, LinkStatus] | None = None,
                 module: str | None = None) -> list[TargetRow]:
    rows: dict[str, TargetRow] = {}
    for entry in entries:
        if not entry.readable:
            continue
        body = links_of(entry)  # (empty for an entry too large to check)
        for link in body.links:
            target = link.target.strip()
            if not is_in_app(target) or (module is not None and _module_of(target) != module):
                continue
            if target not in rows:
                parsed = parse_in_app(target, registry)
                rows[target] = TargetRow(target, "in-app", "ok" if parsed.ok else "broken",
                                         destination_label(parsed, registry))
            rows[target].used_by.append((entry.path, entry.body_position(link.start)[0]))
        if module is not None:
            continue
        for link in body.links:
            target = link.target.strip()
            if is_in_app(target) or target.lower().startswith(("http://", "https://")):
                continue
            if target not in rows:  # mailto:, tel:, malformed or unsafe targets
                problems = check_web_target(target)
                rows[target] = TargetRow(target, "web", "broken" if any(p.severity == "error" for p in problems)
                                         else ("warning" if problems else "ok"),
                                         problems[0].message if problems else "not a web page; not fetched")
            rows[target].used_by.append((entry.path, entry.body_position(link.start)[0]))
        for use in web_uses(entry):
            if use.url not in rows:
                rows[use.url] = _web_row(use.url, statuses)
            rows[use.url].used_by.append((use.path, use.line))
    return sorted(rows.values(), key=lambda r: (ORDER[r.status], r.kind, r.target))


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
