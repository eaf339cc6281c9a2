"""Review: approvals that are missing, void, by someone not listed, or due again."""
from __future__ import annotations

import datetime as _dt
import re

from editor.checks import CheckContext
from editor.checks.view import EntryView
from editor.findings import Finding, excerpt

CATEGORY = "review"
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def next_review_date(review: dict, interval_days: int) -> _dt.date | None:
    for key, extra in (("next_review", 0), ("reviewed_on", interval_days)):
        try:
            return _dt.date.fromisoformat(str(review.get(key))) + _dt.timedelta(days=extra)
        except (ValueError, OverflowError):  # not a date, or one past the year 9999 once the interval is added
            continue
    return None


def check(view: EntryView, ctx: CheckContext) -> list[Finding]:
    entry = view.entry
    meta = entry.meta
    review = meta.get("review")
    fm = entry.frontmatter
    if fm is None or meta.get("status") != "approved":
        return []
    if not isinstance(review, dict):
        span = fm.span_for(("status",))
        return [Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                        "approval-missing", "error",
                        "Marked approved but has no review block: only a clinical review can approve an entry")]
    findings: list[Finding] = []
    reviewer = review.get("reviewer")
    if ctx.settings is not None and isinstance(reviewer, str) and ctx.settings.reviewer(reviewer) is None:
        span = fm.span_for(("review", "reviewer"))
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                "reviewer-not-listed", "error",
                                f"'{excerpt(reviewer)}' is not a clinical reviewer in content.yaml, so this approval "
                                "does not count"))
    expected = review.get("body_sha256")
    if isinstance(expected, str) and _HEX64.fullmatch(expected) and expected.lower() != entry.body_sha256:
        span = fm.span_for(("review", "body_sha256"))
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                "approval-void", "error",
                                "The answer changed after it was approved: the approval is void until a "
                                "reviewer approves this text"))
    interval = ctx.settings.review_interval_days if ctx.settings else 1095
    due = next_review_date(review, interval)
    if due is not None and due < ctx.today:
        key = "next_review" if "next_review" in review else "reviewed_on"
        span = fm.span_for(("review", key))
        findings.append(Finding(entry.path, span.line, span.column, span.end_line, span.end_column, CATEGORY,
                                "review-overdue", "warning",
                                f"The clinical review was due on {due.isoformat()}"))
    return findings
