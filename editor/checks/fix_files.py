"""Safe fixes made to an entry's file: read it, find its safe fixes (``editor.checks.fixes``), check
the fixed text again, and write it only if that check is clean and the file on disk is still the
bytes that were read. Everything else in the file stays byte for byte: the BOM, every line ending,
the permissions (``editor.content.atomic.write_atomically``, by way of ``paths.atomic_write``).

An entry whose review block approves its current body loses that approval when its body changes
(``review.body_sha256``): its body is left alone unless the caller says to void the approval; a fix
of its frontmatter (``module: Sleep``) keeps the approval and is made either way.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from editor.checks import CheckContext, budget
from editor.checks.fixes import Fix, apply, safe_fixes, unresolved
from editor.checks.runner import check_entry
from editor.checks.view import EntryView
from editor.content.entry import Entry
from editor.content.paths import WriteError, atomic_write, link_outside
from editor.content.source import SourceText
from editor.findings import Finding

APPROVAL_VOID = "approval-void"

# why a file was left alone (``Outcome.kind``)
APPROVED = "approved"  # its body is approved and the approval was not to be voided
RECHECK = "recheck"  # the check of the fixed text was not clean
CHANGED = "changed-on-disk"
READ_ONLY = "read-only"
WRITE_FAILED = "write-failed"


@dataclass
class Left:
    """Safe fixes that were not made, and why."""

    kind: str
    reason: str
    fixes: list[Fix]


@dataclass
class Outcome:
    """What fixing one entry did (or, in a dry run, would do)."""

    path: str
    text: str = ""  # the file's text as read, for showing the changes
    fixes: list[Fix] = field(default_factory=list)  # made (or to be made, in a dry run)
    left: list[Left] = field(default_factory=list)  # safe, but not made
    voided: bool = False  # its approval is now void (the body was approved and is fixed)

    @property
    def left_alone(self) -> bool:
        return bool(self.left)


def before_write(path: Path) -> None:
    """Called between reading a file and writing it (tests change the file here)."""


def approves_body(entry: Entry) -> bool:
    """Whether the entry's review block approves its body as it is now."""
    review = entry.meta.get("review")
    return isinstance(review, dict) and str(review.get("body_sha256", "")).lower() == entry.body_sha256


def findings_of(root: Path, entry: Entry, ctx: CheckContext) -> list[Finding]:
    """Everything the check says of one entry: its own checks and its open comments."""
    from editor.checks import comments
    from editor.content.comments import load_threads

    return check_entry(entry, ctx) + comments.findings(entry, load_threads(root, entry.path))


def fix_entry(root: Path, path: str, ctx: CheckContext, void_approvals: bool = False, dry_run: bool = False) -> Outcome:
    """Make the safe fixes of ``root/path`` (a repository-relative entry), or in a dry run say which."""
    outcome = Outcome(path)
    full = root / path
    if link_outside(root, path) is not None:
        return outcome  # never read or written through a link that leaves the repository (the check says so)
    try:
        raw = full.read_bytes()
    except OSError:
        return outcome  # the check reports an unreadable file
    entry = Entry.from_bytes(path, raw)
    if not entry.readable or budget.oversize(entry) is not None:
        return outcome
    try:
        before = findings_of(root, entry, ctx)
        fixes = safe_fixes(before, EntryView(entry), ctx.ruleset, ctx.registry) if ctx.ruleset is not None else []
    except budget.TooLarge:
        return outcome
    if not fixes:
        return outcome
    outcome.text = entry.text
    approved = approves_body(entry) and any(fix.in_body for fix in fixes)
    if approved and not void_approvals:
        outcome.left.append(Left(APPROVED, "a clinical reviewer approved this answer, and fixing it would void that "
                                 "approval (--void-approvals fixes it anyway; it then needs review again)",
                                 [fix for fix in fixes if fix.in_body]))
        fixes = [fix for fix in fixes if not fix.in_body]
        if not fixes:
            return outcome
    voiding = approved and void_approvals
    fixed_source = SourceText(apply(entry.text, fixes), entry.source.bom)
    after = findings_of(root, Entry.from_source(path, fixed_source), ctx)
    problems = unresolved(before, after, fixes, entry.source, fixed_source,
                          frozenset({APPROVAL_VOID}) if voiding else frozenset())
    if problems:
        return _left(outcome, fixes, RECHECK, "; ".join(dict.fromkeys(problems)))
    outcome.fixes = fixes
    outcome.voided = voiding
    if dry_run:
        return outcome
    return _write(root, full, raw, fixed_source.to_bytes(), outcome)


def _left(outcome: Outcome, fixes: list[Fix], kind: str, reason: str) -> Outcome:
    outcome.left.append(Left(kind, reason, fixes))
    outcome.fixes, outcome.voided = [], False
    return outcome


def _write(root: Path, full: Path, read: bytes, data: bytes, outcome: Outcome) -> Outcome:
    fixes = outcome.fixes
    try:
        mode = full.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return _left(outcome, fixes, READ_ONLY, "the file is read-only")
    before_write(full)
    try:
        unchanged = full.read_bytes() == read
    except OSError:
        unchanged = False
    if not unchanged:
        return _left(outcome, fixes, CHANGED, "it changed on disk while fixing; run fix again to fix it as it is now")
    try:
        atomic_write(root, outcome.path, data)
    except WriteError as exc:
        return _left(outcome, fixes, WRITE_FAILED, str(exc))
    return outcome
