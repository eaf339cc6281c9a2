"""What an approval would cover, shown before it is made, and an approval of exactly that text.

A reviewer approves what they read: the confirmation shows the entry's saved text as the reader
will see it, with the words changed since the last approved version marked (or all of it, when it
was never approved), and the approval that follows is refused if the saved text is no longer the
one shown."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from editor.lazy import lazy
from editor.session import failures
from editor.session.failures import Failure, FailureError

entries = lazy("editor.content.entry")
repository = lazy("editor.content.repository")
review = lazy("editor.vcs.review")
changes = lazy("editor.vcs.since_approval")
vcs = lazy("editor.vcs.git")


@dataclass
class ApprovalPreview:
    path: str
    question: str
    body_sha256: str  # the text the confirmation shows, which the approval must still find on disk
    html: str  # the saved text as the reader sees it, with the changes since the last approval marked
    summary: str  # against what: "Changes since Ana's approval of 2026-03-02", or "Never approved…"
    already_approved: bool = False
    blocked: str | None = None  # why it cannot be approved yet (open comments), or None


def preview(root: Path, path: str) -> ApprovalPreview:
    """On a worker: the saved entry, rendered, beside the version last approved."""
    repo = repository.Repository.open(root)
    who = vcs.identity(repo.root)
    if who is None or repo.settings is None or repo.settings.reviewer(who.email) is None:
        whom = who.email if who is not None else "You"
        raise FailureError(Failure(failures.REVIEW, f"{whom} is not a clinical reviewer in content.yaml, so it "
                                   "cannot approve; nothing was changed"))
    entry = entries.Entry.load(repo.root, path)
    if entry.problem is not None:
        raise FailureError(Failure(failures.DISK, f"{path}: {entry.problem.message}"))
    since = changes.since_approval(repo, path)
    fields = "".join(f"<li>{_escape(f.sentence())}</li>" for f in since.fields)
    shown = (f"<p><b>Fields changed:</b></p><ul>{fields}</ul>" if fields else "") + since.html
    summary = since.summary + (" Added words are in green, removed words struck through."
                               if since.state == changes.CHANGED else "")
    already = since.state == changes.UNCHANGED and not since.unproven
    return ApprovalPreview(path, entry.question, entry.body_sha256, shown, summary, already,
                           review.open_comments_refusal(repo.root, entry))


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def approve_shown(root: Path, path: str, body_sha256: str) -> str:
    """On the serial queue: approve ``path`` only if its saved text is still the one shown."""
    repo = repository.Repository.open(root)
    entry = entries.Entry.load(repo.root, path)
    if entry.problem is not None or entry.body_sha256 != body_sha256:
        raise FailureError(Failure(failures.REVIEW, "The entry changed after you read it, so it was not approved; "
                                   "read it again and approve what you see."))
    return review.approve(repo, path)
