"""Exemption comments: the rules an entry turns off for some of its lines (see README: exemption
comments), read from the HTML comments of its body."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.content.markdown import Body

_DIRECTIVE = re.compile(r"^\s*malone-(disable-next-line|disable-line|disable|enable)\b\s*([\w\-,\s]*)$")


@dataclass
class Exemptions:
    """Rules turned off for some lines by HTML comments (see README: exemption comments)."""

    lines: dict[int, set[str]] = field(default_factory=dict)  # 0-based body line -> rule ids ("*" = all)
    # rule id ("*" = all) -> (first, last) 0-based body lines that disable ... enable or disable-line
    # cover, apart and in order (ranges: thousands of rules times thousands of lines would be millions)
    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.lines or self.ranges)

    def covers(self, line: int, rule: str) -> bool:
        rules = self.lines.get(line)
        if rules and ("*" in rules or rule in rules):
            return True
        for name in ("*", rule):
            ranges = self.ranges.get(name)
            if ranges:
                index = bisect.bisect_right(ranges, (line, float("inf"))) - 1
                if index >= 0 and ranges[index][0] <= line <= ranges[index][1]:
                    return True
        return False


def exemptions_of(body: Body) -> Exemptions:
    exemptions = Exemptions()
    open_rules: dict[str, int] = {}
    last_line = body.position(len(body.text))[0] if body.text else 0
    for comment in body.comments:
        directive = _DIRECTIVE.match(comment.text[4:-3] if comment.text.endswith("-->") else comment.text[4:])
        if not directive:
            continue
        kind, names = directive.group(1), directive.group(2)
        rules = {n.strip() for n in re.split(r"[,\s]+", names) if n.strip()} or {"*"}
        line = body.position(comment.start)[0]
        end_line = body.position(max(comment.end - 1, comment.start))[0]
        if kind == "disable-line":
            for rule in rules:
                exemptions.ranges.setdefault(rule, []).append((line, end_line))
        elif kind == "disable-next-line":
            exemptions.lines.setdefault(end_line + 1, set()).update(rules)
        elif kind == "disable":
            for rule in rules:
                open_rules.setdefault(rule, line)
        else:
            for rule in rules:
                if rule == "*":
                    closing = list(open_rules.items())
                    open_rules.clear()
                else:
                    closing = [(rule, open_rules.pop(rule))] if rule in open_rules else []
                for name, first in closing:
                    exemptions.ranges.setdefault(name, []).append((first, end_line))
    for name, first in open_rules.items():
        exemptions.ranges.setdefault(name, []).append((first, last_line))
    for name, ranges in exemptions.ranges.items():
        exemptions.ranges[name] = _merged(ranges)
    return exemptions


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The same lines as ranges apart and in order (so one bisect finds the one a line is in)."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
