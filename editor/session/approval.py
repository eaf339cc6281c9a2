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
approved = lazy("editor.vcs.approved")
review = lazy("editor.vcs.review")
render = lazy("editor.render.html")
diffs = lazy("editor.render.diff")
vcs = lazy("editor.vcs.git")


@dataclass
class ApprovalPreview:
    path: str
    question: str
    body_sha256: str  # the text the confirmation shows, which the approval must still find on disk
    html: str  # the saved text as the reader sees it, with the changes since the last approval marked
    summary: str  # against what: "Changes since Ana's approval of 2026-03-02", or "Never approved…"
    already_approved: bool = False


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
    registry = repo.registry
    options = render.RenderOptions(registry, line_offset=entry.body_first_line)
    now = render.render_body(entry.body, options)
    before = approved.last_approved(repo.root, path, entry)
    if before is None:
        summary = "Never approved: all of this text is new to review."
        shown = diffs.rendered_changes(None, now)
    else:
        who = repo.settings.reviewer(before.reviewer) if repo.settings else None
        name = who.name if who is not None else before.reviewer
        if before.sha is None:
            summary = f"Already approved by {name} on {before.reviewed_on}: nothing has changed since."
        else:
            summary = f"Changes since {name}'s approval of {before.reviewed_on} are marked: added words in green, " \
                      "removed words struck through."
        shown = diffs.rendered_changes(render.render_body(before.body, options), now)
    return ApprovalPreview(path, entry.question, entry.body_sha256, shown, summary, before is not None and before.sha is None)


def approve_shown(root: Path, path: str, body_sha256: str) -> str:
    """On the serial queue: approve ``path`` only if its saved text is still the one shown."""
    repo = repository.Repository.open(root)
    entry = entries.Entry.load(repo.root, path)
    if entry.problem is not None or entry.body_sha256 != body_sha256:
        raise FailureError(Failure(failures.REVIEW, "The entry changed after you read it, so it was not approved; "
                                   "read it again and approve what you see."))
    return review.approve(repo, path)
