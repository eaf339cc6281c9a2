"""Which review steps a person may take on an entry, and if not, why, in plain words: Request
Review for the writer of a draft (or of an approval an edit voided), Approve and Request Changes
for a clinical reviewer listed in content.yaml, on an entry in review or an approval that is void
or due. Nothing without an open entry, a git repository and a git identity."""
from __future__ import annotations

from dataclasses import dataclass

from editor.vcs.provenance import name_key
from editor.vcs.board import APPROVED, CHANGES, DRAFT, DUE, IN_REVIEW, VOID

REQUEST, APPROVE, REQUEST_CHANGES = "request", "approve", "changes"
STEPS = (REQUEST, APPROVE, REQUEST_CHANGES)
WHAT = {REQUEST: "Ask a clinical reviewer to review this entry",
        APPROVE: "Approve the saved text of this entry, after reading exactly what you approve",
        REQUEST_CHANGES: "Send this entry back to its writer with a note of what to change"}


@dataclass(frozen=True)
class Right:
    enabled: bool
    reason: str  # the tooltip: what the step does, or why it cannot be taken


def rights(column: str | None, flag: str = "", *, open_entry: bool = True, repository: bool | None = True,
           identity: tuple[str, str] | None = None, known: bool = True, settings=None) -> dict[str, Right]:
    """Each step's Right for an entry in ``column`` (a board column; ``flag`` the Due column's).
    ``repository`` None or ``known`` False: not read yet."""
    def every(reason: str) -> dict[str, Right]:
        return {step: Right(False, reason) for step in STEPS}

    if not open_entry:
        return every("Open an entry first: review steps act on one entry")
    if repository is False:
        return every("This library is not a git repository: review steps are commits, so they need one "
                     "(clone the team's library, or create one with git init)")
    if not known or repository is None:
        return every("Checking who you are to git\u2026")
    if column is None:
        return every("Reading where this entry stands in review\u2026")
    if identity is None:
        return every("Git does not know who you are yet: commit once from the Changes panel (it asks your name "
                     "and email), or run git config user.name and user.email")
    found = {REQUEST: _request(column, flag)}
    reviewer = settings.reviewer(identity[1]) if settings is not None else None
    if reviewer is None:
        names = ", ".join(r.name for r in settings.reviewers) if settings is not None and settings.reviewers else ""
        for step, what in ((APPROVE, "approve"), (REQUEST_CHANGES, "request changes")):
            found[step] = Right(False, f"Only a clinical reviewer listed in content.yaml can {what}; git knows you as "
                                f"{identity[1]}" + (f" (the reviewers are {names})" if names
                                                    else ", and content.yaml lists no reviewers yet"))
    elif name_key(identity[0]) != name_key(reviewer.name):  # approvals are proven by name and email
        for step in (APPROVE, REQUEST_CHANGES):
            found[step] = Right(False, f"Your git name is '{identity[0]}', but content.yaml lists {reviewer.email} as "
                                f"'{reviewer.name}': set git config user.name \"{reviewer.name}\" (or ask for "
                                "content.yaml to be corrected)")
    else:
        found[APPROVE] = _decision(column, flag, APPROVE)
        found[REQUEST_CHANGES] = _decision(column, flag, REQUEST_CHANGES)
    return found


def _request(column: str, flag: str) -> Right:
    if column in (DRAFT, CHANGES) or (column == DUE and flag == VOID):
        return Right(True, WHAT[REQUEST])
    if column == IN_REVIEW:
        return Right(False, "This entry is already waiting for a review")
    if column == DUE:
        return Right(False, "This entry is approved; its review is due, which a reviewer takes up from the board")
    return Right(False, "This entry is approved and its approval still covers its text: there is nothing to review")


def _decision(column: str, flag: str, step: str) -> Right:
    if column in (IN_REVIEW, DUE):
        return Right(True, WHAT[step])
    if column == APPROVED:
        return Right(False, "This entry is approved and not due for review")
    return Right(False, "This entry is a draft: its writer asks for a review first")
