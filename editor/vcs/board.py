"""The review board: every entry as a card in one column (Draft, In review, Changes requested,
Approved, Due soon / overdue), with its writer, how long it has waited there, and its open comments.

Built from the library's index rows (``editor.content.index``: status and the review fields of the
frontmatter) and one pass over git: ``git log --name-only`` over the entries once (reused while HEAD
stays where it was) and ``git status`` for the entries changed but not committed. Qt-free.

- The writer is the author of the newest commit that changed the entry and is not a reviewer's step
  (subjects "Approve:" and "Request changes:"); for an entry with uncommitted changes or no history,
  whoever git says you are ("You" when git does not know).
- Waiting is counted from when the entry came into its column: the newest "Request review:" commit
  (or the request's date) for In review, the newest "Request changes:" commit (or the note's date)
  for Changes requested, the approval (commit or reviewed_on) for Approved, the due date (overdue) or
  30 days before it (due soon), the edit that voided an approval, and for a draft the newest review
  step or else its first commit. Uncommitted drafts and requests count from the file's mtime.
- A void approval (the body changed since it was approved) or an approved entry without a review
  block goes to Due soon / overdue, first, marked "Approval void": its approval no longer counts, so a
  review is due now.
"""
from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from editor.vcs.process import VcsError, run

DRAFT, IN_REVIEW, CHANGES, APPROVED, DUE = "draft", "in-review", "changes-requested", "approved", "due"
COLUMNS = (DRAFT, IN_REVIEW, CHANGES, APPROVED, DUE)
TITLES = {DRAFT: "Draft", IN_REVIEW: "In review", CHANGES: "Changes requested", APPROVED: "Approved",
          DUE: "Due soon / overdue"}
DUE_SOON_DAYS = 30
REVIEWER_STEPS = ("Approve:", "Request changes:")  # commit subjects of a reviewer's step (editor.vcs.review)
MARKERS = {IN_REVIEW: "Request review:", CHANGES: "Request changes:", APPROVED: "Approve:"}
VOID, OVERDUE, SOON = "void", "overdue", "due"


@dataclass(frozen=True)
class Commit:
    time: float
    name: str
    email: str
    subject: str


@dataclass
class EntryHistory:
    """What the board needs of one entry's commits, newest first as git log lists them."""

    writer: Commit | None = None  # the newest commit that is not a reviewer's step
    newest: Commit | None = None
    oldest: Commit | None = None
    marked: dict[str, float] = field(default_factory=dict)  # column -> time of its newest marker commit
    last_step: float | None = None  # the newest review step of any kind


@dataclass
class History:
    head: str | None
    entries: dict[str, EntryHistory]


@dataclass(frozen=True)
class Card:
    path: str
    question: str
    column: str
    status: str | None
    writer: str
    since: float  # when it came into its column (seconds since the epoch)
    waiting: str  # "3 days"
    comments: int = 0
    asked: str = ""  # In review: the reviewer the writer asked (name), or ""
    detail: str = ""  # a line of what matters for the column
    flag: str = ""  # Due column: void, overdue or due
    uncommitted: bool = False
    headline: str = ""  # Due column: "Approval void", "Overdue by 5 weeks", "Due in 12 days"


@dataclass
class Context:
    """What a build read once for every card: a card of one changed row is made from it again
    (``editor.vcs.board_update``) exactly as the build made the others."""

    root: Path
    settings: object
    interval: int
    today: _dt.date
    now: float
    repository: bool
    you: str
    history: History | None
    dirty: set[str]
    comments: dict[str, int]


@dataclass
class Board:
    columns: dict[str, list[Card]]
    identity: tuple[str, str] | None  # (name, email) of whoever git says you are
    repository: bool
    history: History | None = None  # for the next build (reused while HEAD stays)
    seconds: float = 0.0
    _by_path: dict | None = field(default=None, repr=False, compare=False)
    context: Context | None = field(default=None, repr=False, compare=False)
    keys: dict[str, list] | None = field(default=None, repr=False, compare=False)  # each column's sort keys

    def card(self, path: str) -> Card | None:
        if self._by_path is None:
            self._by_path = {c.path: c for cards in self.columns.values() for c in cards}
        return self._by_path.get(path)

    def index(self) -> None:
        """The path of every card and each column's sort keys, made where the board is built (a
        worker): the UI thread then finds a card, and where it goes, without a pass over them all."""
        self.card("")
        self.keys = {column: [sort_key(card) for card in cards] for column, cards in self.columns.items()}

    @property
    def count(self) -> int:
        return sum(len(cards) for cards in self.columns.values())


# ------------------------------------------------------------------------------------------ words


def waiting_words(seconds: float) -> str:
    """How long, in words a person says: "just now", "5 hours", "3 days", "2 months", "1 year"."""
    if seconds < 60:
        return "just now"
    for size, unit, limit in _UNITS:
        amount = seconds / size
        if amount < limit:
            number = int(amount)
            return f"{number} {unit}" if number == 1 else f"{number} {unit}s"
    years = int(seconds / (365.25 * 86400))
    return "1 year" if years == 1 else f"{years} years"


_UNITS = ((60, "minute", 60), (3600, "hour", 24), (86400, "day", 14), (7 * 86400, "week", 9),
          (30.44 * 86400, "month", 12))


# ------------------------------------------------------------------------------------------ git


def _repository(root: Path) -> tuple[bool, str | None]:
    """Whether ``root`` is the top of a git work tree, and its HEAD (None before the first commit)."""
    try:
        result = run(root, "rev-parse", "--show-toplevel", "--verify", "-q", "HEAD", check=False)
    except VcsError:
        return False, None
    lines = result.stdout.splitlines()
    try:
        top = bool(lines) and os.path.samefile(lines[0], root)
    except OSError:
        top = False
    if not top:
        return False, None
    head = lines[1].strip() if len(lines) > 1 and result.returncode == 0 else None
    return True, head


def read_identity(root: Path) -> tuple[str, str] | None:
    result = run(root, "config", "--get-regexp", r"^user\.(name|email)$", check=False)
    found = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(" ")
        found[key.lower()] = value.strip()
    name, email = found.get("user.name", ""), found.get("user.email", "")
    return (name, email) if name and email else None


def read_history(root: Path, head: str | None, folder: str = "entries") -> History:
    """One ``git log --name-only`` over the entries: for each entry path, its writer, its first and
    newest commits and its newest review steps."""
    entries: dict[str, EntryHistory] = {}
    if head is None:
        return History(None, entries)
    out = run(root, "log", "-z", "--no-merges", "--format=%x01%ct%x00%an%x00%ae%x00%s", "--name-only",
              "--end-of-options", head, "--", folder, timeout=120).stdout
    for chunk in out.split("\x01"):
        parts = chunk.split("\x00")
        if len(parts) < 5:
            continue
        try:
            commit = Commit(float(parts[0]), parts[1], parts[2], parts[3])
        except ValueError:
            continue
        reviewer_step = commit.subject.startswith(REVIEWER_STEPS)
        column = next((c for c, marker in MARKERS.items() if commit.subject.startswith(marker)), None)
        for name in parts[4:]:
            name = name.lstrip("\n")
            if not name:
                continue
            known = entries.get(name)
            if known is None:
                known = entries[name] = EntryHistory(newest=commit)
            known.oldest = commit
            if known.writer is None and not reviewer_step:
                known.writer = commit
            if column is not None:
                known.marked.setdefault(column, commit.time)
                if known.last_step is None:
                    known.last_step = commit.time
    return History(head, entries)


def uncommitted(root: Path, folder: str = "entries") -> set[str]:
    """Entries changed, added or untracked in the working tree (and index)."""
    out = run(root, "status", "-z", "--porcelain", "--untracked-files=all", "--no-renames", "--", folder).stdout
    return {item[3:] for item in out.split("\x00") if len(item) > 3 and item[2] == " "}


def open_comments(root: Path, paths: Iterable[str]) -> dict[str, int]:
    """Unresolved comment threads per entry (``editor.content.comments``)."""
    from editor.content.comments import open_counts

    return open_counts(root, paths)


# ------------------------------------------------------------------------------------------ the board


def _midnight(value: str | None) -> float | None:
    try:
        day = _dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None
    return _dt.datetime.combine(day, _dt.time()).timestamp()


def _latest(*times: float | None) -> float | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def column_of(row, interval_days: int, today: _dt.date) -> tuple[str, str, _dt.date | None]:
    """The column of an index row, the Due column's flag, and the date the next review falls due."""
    from editor.checks.review import next_review_date  # the checks load on the worker that builds the board

    if row.status == "in-review":
        return IN_REVIEW, "", None
    if row.status == "approved":
        if row.approval != "current":
            return DUE, VOID, None
        due = next_review_date({"reviewed_on": row.reviewed_on, "next_review": row.next_review}
                               if row.next_review else {"reviewed_on": row.reviewed_on}, interval_days)
        if due is not None and due < today:
            return DUE, OVERDUE, due
        if due is not None and due <= today + _dt.timedelta(days=DUE_SOON_DAYS):
            return DUE, SOON, due
        return APPROVED, "", due
    if row.review_note is not None:
        return CHANGES, "", None
    return DRAFT, "", None


def build_board(root: Path, rows: list, settings=None, today: _dt.date | None = None, now: float | None = None,
                history: History | None = None, comments: dict[str, int] | None = None) -> Board:
    """Every row as a card. ``history``: the git pass of an earlier build, reused when HEAD has not
    moved; ``comments``: open comment counts when the caller has them (else they are read)."""
    started = time.perf_counter()
    root = Path(root)
    today = today or _dt.date.today()
    now = time.time() if now is None else now
    interval = settings.review_interval_days if settings is not None else 1095
    repository, head = _repository(root)
    identity = read_identity(root) if repository else None
    dirty: set[str] = set()
    if repository:
        if history is None or history.head != head:
            history = read_history(root, head)
        dirty = uncommitted(root)
    else:
        history = None
    if comments is None:
        comments = open_comments(root, [row.path for row in rows])
    you = identity[0] if identity else "You"
    context = Context(root, settings, interval, today, now, repository, you, history, dirty, comments)
    columns: dict[str, list[Card]] = {column: [] for column in COLUMNS}
    known = history.entries if history is not None else {}
    # the files' times in one pass, apart from the cards' work (why: ``editor.session.search.build_texts``)
    mtimes = {row.path: _mtime(root, row.path, now) for row in rows if row.path in dirty or row.path not in known}
    for row in rows:
        card = card_for(row, context, mtimes)
        columns[card.column].append(card)
    for cards in columns.values():
        cards.sort(key=sort_key)  # the longest waiting first (in Due: void, overdue, then due soon)
    board = Board(columns, identity, repository, history, context=context)
    board.index()
    board.seconds = time.perf_counter() - started
    return board


_ORDER = {VOID: 0, OVERDUE: 1, SOON: 2}


def sort_key(card: Card) -> tuple:
    """Where a card stands in its column: the Due column by flag first, then the longest waiting."""
    if card.column == DUE:
        return _ORDER.get(card.flag, 3), card.since, card.path
    return card.since, card.path


def _mtime(root: Path, path: str, now: float) -> float:
    try:
        return (root / path).stat().st_mtime
    except OSError:
        return now


def card_for(row, context: Context, mtimes: dict[str, float] | None = None) -> Card:
    """The card of one index row; ``mtimes``: the files' times, read before (else read here)."""
    history, root, now, settings = context.history, context.root, context.now, context.settings
    column, flag, due = column_of(row, context.interval, context.today)
    known = history.entries.get(row.path) if history is not None else None
    local = row.path in context.dirty or known is None
    mtime = None if not local else mtimes[row.path] if mtimes is not None and row.path in mtimes \
        else _mtime(root, row.path, now)
    writer = context.you if local else (known.writer or known.newest).name
    since, detail = _since(row, column, flag, due, known, mtime, settings)
    if since is None:
        since = mtime if mtime is not None else (known.oldest.time if known and known.oldest else now)
    asked = ""
    if column == IN_REVIEW and row.review_request is not None and row.review_request.reviewer:
        asked = _name(settings, row.review_request.reviewer)
    return Card(row.path, row.question, column, row.status, writer, since, waiting_words(now - since),
                context.comments.get(row.path, 0), asked, detail, flag, local and context.repository,
                _headline(flag, due, now))


def _headline(flag: str, due: _dt.date | None, now: float) -> str:
    if flag == VOID:
        return "Approval void"
    if due is None:
        return ""
    start = _midnight(due.isoformat())
    if flag == OVERDUE:
        return f"Overdue by {waiting_words(now - start)}"
    return "Due today" if start - now < 86400 else f"Due in {waiting_words(start - now)}"


_NAMES: dict[tuple[int, str], tuple[object, str]] = {}


def _name(settings, email: str) -> str:
    """The reviewer's name for an email (the email when not listed); asked for thousands of cards.
    Kept with the very settings it was read from (held, so its id cannot be another's meanwhile)."""
    key = (id(settings), email)
    found = _NAMES.get(key)
    if found is None or found[0] is not settings:
        if len(_NAMES) > 1000:
            _NAMES.clear()
        reviewer = settings.reviewer(email) if settings is not None else None
        found = _NAMES[key] = (settings, reviewer.name if reviewer is not None else email)
    return found[1]


def _since(row, column, flag, due, known: EntryHistory | None, mtime, settings) -> tuple[float | None, str]:
    """When the entry came into its column, and the card's line of detail."""
    marked = known.marked if known is not None else {}
    if column == DUE:
        if flag == VOID:
            edited = mtime if mtime is not None else (known.writer or known.newest).time if known else None
            why = "edited after it was approved" if row.approval == "void" else "marked approved with no review on record"
            return edited, f"Approval void: {why}"
        start = _midnight(due.isoformat())
        if flag == SOON:
            start -= DUE_SOON_DAYS * 86400
            return start, f"Review due {due.isoformat()}"
        return start, f"Review overdue since {due.isoformat()}"
    if column == APPROVED:
        who = _name(settings, row.reviewer) if row.reviewer else "a reviewer"
        return _latest(marked.get(APPROVED), _midnight(row.reviewed_on)), \
            f"Approved by {who}" + (f", next review {due.isoformat()}" if due else "")
    if mtime is not None:  # changed and not committed, or never committed: the file's time
        return mtime, _detail(row, column, settings)
    if column == IN_REVIEW:
        mark = row.review_request
        return _latest(marked.get(IN_REVIEW), _midnight(mark.date) if mark else None), _detail(row, column, settings)
    if column == CHANGES:
        return _latest(marked.get(CHANGES), _midnight(row.review_note.date)), _detail(row, column, settings)
    return known.last_step if known.last_step is not None else known.oldest.time, _detail(row, column, settings)


def _detail(row, column: str, settings) -> str:
    if column == IN_REVIEW:
        mark = row.review_request
        if mark is None:
            return "Waiting for a clinical review"
        text = f"Asked {_name(settings, mark.reviewer)}" if mark.reviewer else "Waiting for any reviewer"
        return text + (f": {' '.join(mark.note.split())}" if mark.note else "")
    if column == CHANGES:
        note = row.review_note
        return f"{_name(settings, note.by) if note.by else 'A reviewer'} asked: {' '.join(note.note.split())}"
    return ""
