"""Clinical review: request it, approve exactly what was read, or send it back; the queue; and
proof from history that each approval was made by the reviewer it names."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import yaml

from editor.checks.review import next_review_date
from editor.content.entry import Entry
from editor.content.paths import WriteError, atomic_write
from editor.content.repository import Repository
from editor.findings import Finding
from editor.vcs import git as vcs


class ReviewError(Exception):
    """The review step was refused; nothing changed."""


def _load(repo: Repository, relative: str) -> Entry:
    relative = vcs.inside(repo.root, relative)
    entry = Entry.load(repo.root, relative)
    if entry.problem is not None:
        raise ReviewError(f"{relative}: {entry.problem.message}")
    if entry.frontmatter is None:
        raise ReviewError(f"{relative} has no metadata yet: add id, module and status first")
    return entry


def _write(repo: Repository, entry: Entry) -> None:
    """Atomic, never through a link leading outside; a failure changes nothing and says why."""
    try:
        atomic_write(repo.root, entry.path, entry.to_bytes())
    except WriteError as exc:
        raise ReviewError(str(exc)) from None


def _identity(repo: Repository) -> vcs.Identity:
    """Who is committing; asked before anything is written, so a refusal changes nothing."""
    who = vcs.identity(repo.root)
    if who is None:
        raise ReviewError("Your git identity is not set: run git config user.name \"Your Name\" and "
                          "git config user.email you@example.org")
    return who


def request_review(repo: Repository, relative: str) -> str:
    _identity(repo)
    entry = _load(repo, relative)
    updated = entry.with_field("status", "in-review")
    _write(repo, updated)
    return vcs.commit_paths(repo.root, [entry.path], f"Request review: {entry.question}\n")


def request_changes(repo: Repository, relative: str, note: str) -> str:
    if not note.strip():
        raise ReviewError("Say what needs to change (--note)")
    _identity(repo)
    entry = _load(repo, relative)
    _write(repo, entry.with_field("status", "draft"))
    return vcs.commit_paths(repo.root, [entry.path], f"Request changes: {entry.question}\n\n{note.strip()}\n")


def approve(repo: Repository, relative: str, today: _dt.date | None = None) -> str:
    """Approve the entry's text as it is now. Only a reviewer listed in content.yaml may."""
    who = _identity(repo)
    reviewer = repo.settings.reviewer(who.email) if repo.settings else None
    if reviewer is None:
        raise ReviewError(f"{who.email} is not a clinical reviewer in content.yaml, so it cannot approve; "
                          "nothing was changed")
    entry = _load(repo, relative)
    from editor.checks.runner import check_entry, context_for

    ctx, _ = context_for(repo)
    blocking = [f for f in check_entry(entry, ctx) if f.severity == "error" and f.category != "review"]
    if blocking:
        listed = "; ".join(f"line {f.line}: {f.message}" for f in blocking[:5])
        raise ReviewError(f"{entry.path} has errors to fix before it can be approved: {listed}")
    today = today or _dt.date.today()
    interval = repo.settings.review_interval_days
    block = {"reviewer": reviewer.email, "reviewed_on": today,
             "next_review": today + _dt.timedelta(days=interval), "body_sha256": entry.body_sha256}
    updated = entry.with_field("review", block).with_field("status", "approved")
    _write(repo, updated)
    return vcs.commit_paths(repo.root, [entry.path], f"Approve: {entry.question}\n\n"
                            f"Clinically reviewed; the approval covers body {entry.body_sha256[:12]}.\n\n"
                            f"Reviewed-by: {reviewer.name} <{reviewer.email}>\n")


@dataclass
class QueueItem:
    path: str
    question: str
    reason: str  # in-review, void, due, overdue
    detail: str

    def to_json(self) -> dict:
        return {"path": self.path, "question": self.question, "reason": self.reason, "detail": self.detail}


def queue(repo: Repository, today: _dt.date | None = None, within_days: int = 30) -> list[QueueItem]:
    today = today or _dt.date.today()
    items: list[QueueItem] = []
    interval = repo.settings.review_interval_days if repo.settings else 1095
    for entry in repo.entries():
        if not entry.readable or entry.frontmatter is None:
            continue
        if entry.status == "in-review":
            items.append(QueueItem(entry.path, entry.question, "in-review", "waiting for a clinical review"))
            continue
        review = entry.meta.get("review")
        if entry.status != "approved" or not isinstance(review, dict):
            continue
        if str(review.get("body_sha256", "")).lower() != entry.body_sha256:
            items.append(QueueItem(entry.path, entry.question, "void", "edited after approval; approve again"))
            continue
        due = next_review_date(review, interval)
        if due is not None and due < today:
            items.append(QueueItem(entry.path, entry.question, "overdue", f"review was due {due.isoformat()}"))
        elif due is not None and due <= today + _dt.timedelta(days=within_days):
            items.append(QueueItem(entry.path, entry.question, "due", f"review due {due.isoformat()}"))
    order = {"void": 0, "overdue": 1, "in-review": 2, "due": 3}
    return sorted(items, key=lambda i: (order[i.reason], i.path))


def _review_block(text: str | None):
    if text is None:
        return None
    entry = Entry.from_text("x.md", text)
    review = entry.meta.get("review")
    return yaml.safe_dump(review, sort_keys=True) if isinstance(review, dict) else None


def verify_history(repo: Repository, paths: list[str] | None = None) -> list[Finding]:
    """An approval counts only if the commit that last changed its review block was authored by
    the reviewer it names; a review block typed by anyone else is reported (error)."""
    findings: list[Finding] = []
    for path in paths if paths is not None else repo.paths:
        entry = repo.entry(path)
        review = entry.meta.get("review") if entry.readable else None
        if entry.status != "approved" or not isinstance(review, dict):
            continue
        span = entry.frontmatter.span_for(("review", "reviewer"))
        where = (entry.path, span.line, span.column, span.end_line, span.end_column, "review")
        current = _review_block(entry.text)
        revisions = vcs.history(repo.root, path)
        blocks: dict[str, str | None] = {}  # each version is read from git once

        def block_at(index: int) -> str | None:
            if index >= len(revisions):
                return None
            sha = revisions[index].sha
            if sha not in blocks:
                blocks[sha] = _review_block(vcs.file_at(repo.root, sha, path))
            return blocks[sha]

        if block_at(0) != current:
            findings.append(Finding(*where, "approval-uncommitted", "error",
                                    "This approval is not in the history yet: only an approval committed by "
                                    "the reviewer counts"))
            continue
        author = next((revision for index, revision in enumerate(revisions)
                       if block_at(index) != block_at(index + 1)), None)
        reviewer = str(review.get("reviewer", "")).lower()
        if author is None or author.author_email.lower() != reviewer:
            by = f"{author.author_name} <{author.author_email}>" if author else "nobody"
            findings.append(Finding(*where, "approval-unverified", "error",
                                    f"The review block was last changed by {by}, not by the reviewer {reviewer}: "
                                    "this approval cannot be trusted"))
    return findings
