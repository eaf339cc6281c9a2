"""A light index of the repository for browsing: path, id, module, status and question of every
entry, and where it stands in review (the review block's dates, whether the approval still covers
the body, a reviewer's note, a request for review), read without parsing the Markdown (fast enough
for ten thousand entries)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from editor.content.entry import Entry

_QUESTION = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+Q:[ \t]*(.*?)[ \t#]*$", re.M)


@dataclass(frozen=True)
class ReviewMark:
    """A note kept outside the hashed body: a reviewer's ``review_note`` (changes requested) or a
    writer's ``review_request`` (who was asked, ``reviewer``, may be empty)."""

    by: str
    date: str
    note: str = ""
    reviewer: str = ""


@dataclass(frozen=True)
class IndexRow:
    path: str
    id: str | None
    module: str | None
    status: str | None
    question: str
    reviewer: str | None = None  # review.reviewer
    reviewed_on: str | None = None  # review.reviewed_on, as written
    next_review: str | None = None  # review.next_review, as written (the default is the board's to work out)
    approval: str | None = None  # None: no review block; "current": it covers the body; "void": edited since
    review_note: ReviewMark | None = None  # changes requested, not yet answered
    review_request: ReviewMark | None = None

    @property
    def review_key(self) -> tuple:
        """What the review board shows of this row: a change of anything else needs no new board."""
        return (self.status, self.question, self.reviewer, self.reviewed_on, self.next_review, self.approval,
                self.review_note, self.review_request)

    def matches(self, text: str) -> bool:
        needle = text.lower()
        return any(needle in (value or "").lower() for value in (self.question, self.id, self.path))


def row_for(entry: Entry) -> IndexRow:
    match = _QUESTION.search(entry.body) if entry.readable else None
    question = match.group(1).strip() if match else Path(entry.path).stem.replace("-", " ")
    meta = entry.meta
    review = meta.get("review")
    review = review if isinstance(review, dict) else {}
    approval = None
    if review:
        approval = "current" if str(review.get("body_sha256") or "").lower() == entry.body_sha256 else "void"
    return IndexRow(entry.path, entry.id, entry.module, entry.status, question,
                    _text(review.get("reviewer")), _text(review.get("reviewed_on")), _text(review.get("next_review")),
                    approval, _mark(meta.get("review_note"), need_note=True), _mark(meta.get("review_request")))


def _text(value) -> str | None:
    return str(value) if value is not None and not isinstance(value, (dict, list)) else None


def _mark(value, need_note: bool = False) -> ReviewMark | None:
    if not isinstance(value, dict):
        return None
    note = value.get("note")
    note = note.strip() if isinstance(note, str) else ""
    if need_note and not note:
        return None
    return ReviewMark(_text(value.get("by")) or "", _text(value.get("date")) or "", note,
                      _text(value.get("reviewer")) or "")


def build_index(root: Path, paths: list[str], progress=None) -> list[IndexRow]:
    rows = []
    for number, path in enumerate(paths, 1):
        rows.append(row_for(Entry.load(root, path)))
        if progress is not None and number % 200 == 0:
            progress(number, len(paths))
    return rows
