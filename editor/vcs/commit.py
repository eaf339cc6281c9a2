"""Committing entries the way the team agreed: nothing with conflict markers, and an entry with an
error finding only with a stated reason, which goes into the commit message."""
from __future__ import annotations

from editor.checks.runner import check_entry, context_for
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.findings import Finding
from editor.vcs import git as vcs
from editor.vcs.advice import refusal
from editor.vcs.state import read_state
from editor.vcs.sync import has_conflict_markers


class CommitBlocked(Exception):
    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


def commit_entries(repo: Repository, paths: list[str], summary: str, description: str = "",
                   override_reason: str | None = None) -> str:
    if not summary.strip():
        raise CommitBlocked("Write a short summary of the change")
    if vcs.identity(repo.root) is None:
        raise CommitBlocked("Tell git who you are first: your name and email go into the history")
    ctx, _ = context_for(repo)
    errors: list[Finding] = []
    for path in paths:
        target = repo.root / vcs.inside(repo.root, path)
        if target.is_file():
            entry = Entry.load(repo.root, vcs.inside(repo.root, path))
            if entry.readable and has_conflict_markers(entry.text):
                raise CommitBlocked(f"{path} still has conflict markers (<<<<<<< ... >>>>>>>): choose a version first")
            if path.startswith("entries/"):
                # an edit that voids an approval is normal work (it goes back to review), not a blocker
                errors += [f for f in check_entry(entry, ctx) if f.severity == "error" and f.category != "review"]
    refused = refusal(read_state(repo.root), "commit")  # a rebase or merge unfinished, not on a branch, a lock
    if refused:
        raise CommitBlocked(refused)
    if errors and not (override_reason and override_reason.strip()):
        raise CommitBlocked(f"{len(errors)} error(s) in the entries to commit; fix them, or commit anyway "
                            "with a reason", errors)
    message = summary.strip()
    if description.strip():
        message += "\n\n" + description.strip()
    if errors:
        message += f"\n\nCommitted despite {len(errors)} error(s): {override_reason.strip()}"
    return vcs.commit_paths(repo.root, paths, message + "\n")
