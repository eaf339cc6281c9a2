"""Export for review: what a clinical governance meeting reads about each entry up for review, gathered
in one pass (``gather``) — its review metadata, its last approval and whether it still holds, the
open review request or changes-requested note, its changes since approval marked in the text as the
reader sees it, and its open comments — and laid out as one HTML document for Qt's rich-text engine
(``editor/vcs/review_pack.py``), which the PDF writer prints (``editor/ui/pdf_export.py``).

Everything here is read only: nothing is written, nothing is committed."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from editor.checks.review import next_review_date
from editor.content.comments import Placed, load_threads, place
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.render.html import RenderOptions, render_body
from editor.vcs.process import VcsError, run
from editor.vcs.since_approval import CHANGED, NEVER, UNCHANGED, SinceApproval, since_approval

STATUS_WORDS = {"draft": "Draft", "in-review": "In review", "approved": "Approved"}
STATE_WORDS = {NEVER: "Never approved", UNCHANGED: "Unchanged since approval", CHANGED: "Changed since approval"}
WRITER_LIMIT = 3  # names of people who changed the entry shown, newest first
_REVIEW_STEPS = ("Approve:", "Request changes:")  # commits by reviewers, not writers


@dataclass(frozen=True)
class Approval:
    """The entry's last approval, as the meeting needs it."""

    reviewer: str  # email
    name: str
    credentials: str  # from content.yaml; "" when the reviewer is not listed there
    listed: bool
    reviewed_on: str
    next_review: str  # "" when it cannot be told
    void: bool  # the entry was changed after it


@dataclass(frozen=True)
class Request:
    """An open review request (``review_request``) or changes-requested note (``review_note``)."""

    by: str  # the name when the person is a listed reviewer, else what the file says (an email)
    date: str
    note: str
    reviewer: str = ""  # for a request: whom it asks, by name where known


@dataclass
class EntryReview:
    path: str
    question: str
    id: str = ""
    module: str = ""
    module_title: str = ""
    status: str = ""
    writers: list[str] = field(default_factory=list)  # who changed it, newest first (git authors)
    since: SinceApproval | None = None
    text_html: str = ""  # the body as the reader sees it: with the changes marked, or plain when never approved
    approval: Approval | None = None
    request: Request | None = None
    changes_requested: Request | None = None
    comments: list[Placed] = field(default_factory=list)  # the open ones, in the order they were made
    resolved_comments: int = 0
    problem: str | None = None  # the file could not be read as an entry: why

    @property
    def state(self) -> str:
        return self.since.state if self.since is not None else ""

    @property
    def state_words(self) -> str:
        return "Cannot be read" if self.problem else STATE_WORDS.get(self.state, "")

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status or "no status")

    @property
    def outdated_comments(self) -> int:
        return sum(1 for p in self.comments if p.span is None)


def in_review_paths(repo: Repository) -> list[str]:
    """Every entry whose status is in-review: the review column."""
    return [e.path for e in repo.entries() if e.readable and e.status == "in-review"]


def _name(repo: Repository, who: str) -> str:
    person = repo.settings.reviewer(who) if repo.settings and who else None
    return person.name if person is not None else who


def _request(repo: Repository, value, asks: bool) -> Request | None:
    if not isinstance(value, dict):
        return None
    note = value.get("note")
    note = note.strip() if isinstance(note, str) else ""
    if not asks and not note:
        return None
    reviewer = _name(repo, str(value.get("reviewer") or "")) if asks else ""
    return Request(_name(repo, str(value.get("by") or "")), str(value.get("date") or ""), note, reviewer)


def _approval(repo: Repository, entry: Entry, since: SinceApproval) -> Approval | None:
    if since.state == NEVER:
        return None
    person = repo.settings.reviewer(since.reviewer) if repo.settings else None
    interval = repo.settings.review_interval_days if repo.settings else 1095
    block = entry.meta.get("review")
    block = block if isinstance(block, dict) else {"reviewed_on": since.reviewed_on}
    due = next_review_date(block, interval)
    return Approval(since.reviewer, since.reviewer_name, person.credentials if person else "", person is not None,
                    since.reviewed_on, due.isoformat() if due else "", since.state == CHANGED)


def writers(repo: Repository, paths: list[str]) -> dict[str, list[str]]:
    """Who changed each entry (commit authors, newest first, review steps left out): one git call.
    Empty where the library is not under git."""
    found: dict[str, list[str]] = {p: [] for p in paths}
    if not paths:
        return found
    try:
        out = run(repo.root, "-c", "log.showSignature=false", "log", "--format=%x1e%an%x00%s", "--name-only",
                  "--no-renames", "--", *paths, timeout=60).stdout
    except VcsError:
        return found
    for record in out.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        author, _, subject = head.partition("\x00")
        if subject.startswith(_REVIEW_STEPS) or not author:
            continue
        for name in names.splitlines():
            listed = found.get(name.strip())
            if listed is not None and author not in listed and len(listed) < WRITER_LIMIT:
                listed.append(author)
    return found


def gather_one(repo: Repository, path: str, authors: list[str] | None = None) -> EntryReview:
    entry = Entry.load(repo.root, path)
    if entry.problem is not None:
        return EntryReview(path, path, problem=entry.problem.message)
    meta = entry.meta if isinstance(entry.meta, dict) else {}
    module = str(meta.get("module") or "")
    known = repo.registry.modules.get(module) if repo.registry is not None else None
    review = EntryReview(path, entry.question or path, str(meta.get("id") or ""), module,
                         known.title if known else "", str(meta.get("status") or ""), list(authors or []))
    try:
        review.since = since_approval(repo, path)
    except ValueError as exc:
        review.problem = str(exc)
        return review
    review.approval = _approval(repo, entry, review.since)
    if review.since.state == NEVER:  # all of it new: the text unmarked reads better than a page of green
        review.text_html = render_body(entry.body, RenderOptions(repo.registry, line_offset=entry.body_first_line))
    else:
        review.text_html = review.since.html
    review.request = _request(repo, meta.get("review_request"), True)
    review.changes_requested = _request(repo, meta.get("review_note"), False)
    threads = load_threads(repo.root, path)
    placed = place(threads, entry.body)
    review.comments = [p for p in placed if p.thread.is_open]
    review.resolved_comments = sum(1 for t in threads if t.resolved is not None and t.problem is None)
    return review


def gather(repo: Repository, paths: Iterable[str], progress: Callable[[int, int], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> list[EntryReview]:
    """Everything the pack shows about each of ``paths``, in order (each once)."""
    chosen = list(dict.fromkeys(paths))
    authors = writers(repo, chosen)
    found = []
    for number, path in enumerate(chosen, 1):
        if cancelled is not None and cancelled():
            break
        found.append(gather_one(repo, path, authors.get(path)))
        if progress is not None:
            progress(number, len(chosen))
    return found


def today_words(today: _dt.date) -> str:
    return f"{today.day} {today.strftime('%B %Y')}"
