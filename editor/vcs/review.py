"""Clinical review: request it, approve exactly what was read, or send it back with a note the writer
sees; and the queue. Proof from history that each approval was made by the reviewer it names is
``editor/vcs/provenance.py`` (``verify_history``, also importable from here).

Every step is all or nothing: git and the identity are checked first (and, to approve, that the
identity is a listed reviewer by name and email, and that their git signs when content.yaml lists
a signing key for them), then the entry is written and committed (the repository's hooks run); when
the commit fails, the entry's file is put back byte for byte and the ReviewError says why.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from editor.checks.review import next_review_date
from editor.content.entry import Entry
from editor.content.frontmatter import FrontmatterEditError
from editor.content.paths import WriteError, atomic_write
from editor.content.repository import Repository
from editor.vcs import git as vcs
from editor.vcs import signing
from editor.vcs.process import VcsError
from editor.vcs.provenance import name_key, verify_history  # noqa: F401 - verify_history is part of this API

NOTE_KEY = "review_note"  # in the frontmatter, outside the hashed body: {by: email, date: YYYY-MM-DD, note: text}
REQUEST_KEY = "review_request"  # likewise: {reviewer: email, by: email, date: YYYY-MM-DD, note: text}; the
# writer's request, kept while the entry is in review: any step that moves it out of review clears it


class ReviewError(Exception):
    """The review step was refused or failed; the entry's file is as it was and nothing was committed."""


@dataclass(frozen=True)
class ReviewNote:
    """What a reviewer asked to change ("Request changes"), for the writer to see."""

    by: str  # email of who asked
    date: str  # YYYY-MM-DD (the key is not "on", which YAML 1.1 reads as true)
    note: str

    def to_json(self) -> dict:
        return {"by": self.by, "date": self.date, "note": self.note}


def note_of(entry: Entry) -> ReviewNote | None:
    """The entry's open review note (changes requested and not yet answered by a new request for
    review or an approval), or None."""
    value = entry.meta.get(NOTE_KEY)
    if not isinstance(value, dict) or not isinstance(value.get("note"), str) or not value["note"].strip():
        return None
    return ReviewNote(str(value.get("by") or ""), str(value.get("date") or ""), value["note"].strip())


def _load(repo: Repository, relative: str) -> Entry:
    relative = vcs.inside(repo.root, relative)
    entry = Entry.load(repo.root, relative)
    if entry.problem is not None:
        raise ReviewError(f"{relative}: {entry.problem.message}")
    if entry.frontmatter is None:
        raise ReviewError(f"{relative} has no metadata yet: add id, module and status first")
    return entry


def _ready(repo: Repository) -> vcs.Identity:
    """A git repository and who is committing, asked before anything is written."""
    vcs.require_repository(repo.root)
    who = vcs.identity(repo.root)
    if who is None:
        raise ReviewError("Your git identity is not set: run git config user.name \"Your Name\" and "
                          "git config user.email you@example.org")
    return who


def _edit(entry: Entry, fields: dict) -> Entry:
    """The entry with fields set (a value of None removes the field). A request for review belongs
    to an entry in review: a step that moves the entry out of review (approve, request changes)
    clears it too."""
    if fields.get("status") not in (None, "in-review") and REQUEST_KEY in entry.meta:
        fields = {**fields, REQUEST_KEY: None}
    try:
        for key, value in fields.items():
            entry = entry.without_field(key) if value is None else entry.with_field(key, value)
    except FrontmatterEditError as exc:
        raise ReviewError(f"{entry.path} cannot be changed safely: {exc}") from None
    return entry


def _write_and_commit(repo: Repository, entry: Entry, updated: Entry, message: str, sign: bool = False) -> str:
    """Write ``updated`` and commit it; if the commit fails, put the file back as it was, byte for byte."""
    try:
        original = (repo.root / entry.path).read_bytes()
        if updated.to_bytes() == original:
            raise ReviewError(f"{entry.path} is already {entry.status or 'so'} as it reads now: there is nothing to "
                              "change or commit")
        atomic_write(repo.root, entry.path, updated.to_bytes())
    except WriteError as exc:
        raise ReviewError(str(exc)) from None
    except OSError as exc:
        raise ReviewError(f"Cannot read {entry.path}: {exc.strerror}") from None
    try:
        return vcs.commit_paths(repo.root, [entry.path], message, sign=sign)
    except VcsError as exc:
        reason = str(exc)
    try:
        atomic_write(repo.root, entry.path, original)
    except WriteError as exc:
        raise ReviewError(f"The review step could not be committed: {reason}\nAnd {entry.path} could not be put back "
                          f"as it was ({exc}); its previous version is in git (git checkout -- {entry.path}).") from None
    raise ReviewError(f"The review step could not be committed, so {entry.path} is unchanged: {reason}")


def request_review(repo: Repository, relative: str, *, reviewer: str | None = None, note: str | None = None,
                   today: _dt.date | None = None) -> str:
    """In review, with the request in the frontmatter (``review_request``: who asked, when, whom
    they asked when ``reviewer`` is given, which must be a reviewer listed in content.yaml, and the
    ``note``) and in the commit; a reviewer's earlier note is answered by it and goes."""
    chosen = None
    if reviewer is not None and reviewer.strip():
        chosen = repo.settings.reviewer(reviewer) if repo.settings else None
        if chosen is None:
            listed = ", ".join(f"{r.name} ({r.email})" for r in (repo.settings.reviewers if repo.settings else []))
            raise ReviewError(f"{reviewer.strip()} is not a clinical reviewer in content.yaml, so they cannot be asked "
                              "to review; " + (f"ask one of: {listed}" if listed else "content.yaml lists no reviewers")
                              + ". Nothing was changed")
    note = (note or "").strip()
    who = _ready(repo)
    entry = _load(repo, relative)
    record = {"reviewer": chosen.email if chosen else None, "by": who.email, "date": today or _dt.date.today(),
              "note": note or None}
    record = {key: value for key, value in record.items() if value is not None}
    asked = entry.meta.get(REQUEST_KEY) if isinstance(entry.meta.get(REQUEST_KEY), dict) else {}
    same = str(asked.get("reviewer") or "") == str(record.get("reviewer") or "") and str(asked.get("note") or "") == note
    if entry.status == "in-review" and NOTE_KEY not in entry.meta and same:
        whom = f" by {chosen.name}" if chosen else ""
        raise ReviewError(f"{entry.path} is already waiting for a review{whom}: there is nothing to change or commit")
    updated = _edit(entry, {"status": "in-review", NOTE_KEY: None, REQUEST_KEY: record})
    message = f"Request review: {entry.question}\n"
    if note:
        message += f"\n{note}\n"
    if chosen:
        message += f"\nReview-requested-from: {chosen.name} <{chosen.email}>\n"
    return _write_and_commit(repo, entry, updated, message)


def request_changes(repo: Repository, relative: str, note: str, today: _dt.date | None = None) -> str:
    """Back to draft, with the note in the frontmatter (``review_note``) for the writer, and in the commit."""
    if not note.strip():
        raise ReviewError("Say what needs to change (--note)")
    who = _ready(repo)
    entry = _load(repo, relative)
    record = {"by": who.email, "date": today or _dt.date.today(), "note": note.strip()}
    updated = _edit(entry, {"status": "draft", NOTE_KEY: record})
    return _write_and_commit(repo, entry, updated, f"Request changes: {entry.question}\n\n{note.strip()}\n")


def _reviewer(repo: Repository, who: vcs.Identity):
    """The listed reviewer the committing identity is, by email and name, as git will record it."""
    reviewer = repo.settings.reviewer(who.email) if repo.settings else None
    if reviewer is None:
        raise ReviewError(f"{who.email} is not a clinical reviewer in content.yaml, so it cannot approve; "
                          "nothing was changed")
    if name_key(who.name) != name_key(reviewer.name):
        raise ReviewError(f"Your git name is '{who.name}', but content.yaml lists {reviewer.email} as '{reviewer.name}'. "
                          f"Approvals are proven by name and email: set git config user.name \"{reviewer.name}\" "
                          "(or ask for content.yaml to be corrected); nothing was changed")
    recorded = vcs.recorded_identities(repo.root)
    for role, person in zip(("author", "committer"), recorded or ()):
        if name_key(person.name) != name_key(reviewer.name) or person.email.lower() != reviewer.email.lower():
            raise ReviewError(f"git would record {person.name} <{person.email}> as the {role} of this approval, not "
                              f"{reviewer.name} <{reviewer.email}> (GIT_AUTHOR_* or GIT_COMMITTER_* variables are set): "
                              "unset them and approve again; nothing was changed")
    return reviewer


def _signs(repo: Repository, reviewer) -> bool:
    """Whether to sign the approval: always when content.yaml lists a signing key for the reviewer
    (refused when their git cannot sign with it), else when their git is set up to sign."""
    setup = signing.signing_setup(repo.root)
    if not reviewer.signing_key.strip():
        return setup.signs
    wanted = signing.public_key(reviewer.signing_key)
    if wanted is None:
        raise ReviewError(f"The signing_key content.yaml lists for {reviewer.email} is not an SSH public key line "
                          "(ssh-ed25519 AAAA... name@laptop), so no approval of yours could be proven; have it "
                          "corrected first. Nothing was changed")
    if setup.missing:
        raise ReviewError(f"content.yaml lists a signing key for you, so your approvals count only when signed with "
                          f"it, and your git is not set up to sign ({setup.missing}). {signing.SETUP_HELP}. "
                          "Nothing was changed")
    if setup.key is not None and setup.key != wanted:
        raise ReviewError("Your git signs with a different key from the one content.yaml lists for you, so this "
                          "approval would not count. Point user.signingkey at that key (git config --global "
                          "user.signingkey ~/.ssh/THAT_KEY.pub). Nothing was changed")
    return True


def open_comments_refusal(root, entry: Entry) -> str | None:
    """Why ``entry`` cannot be approved yet because of its open comments, or None."""
    from editor.content.comments import load_threads

    waiting = [t for t in load_threads(root, entry.path) if t.blocks]
    if not waiting:
        return None
    first = waiting[0]
    said = " ".join((first.comment.text or f"a comment whose file cannot be read: {first.problem}").split())
    said = said if len(said) <= 80 else said[:79] + "\u2026"
    more = f" and {len(waiting) - 1} more" if len(waiting) > 1 else ""
    return (f"{entry.path} has {len(waiting)} open comment{'s' if len(waiting) > 1 else ''} "
            f"({first.comment.name or first.comment.by}: \u201c{said}\u201d{more}): resolve "
            f"{'them' if len(waiting) > 1 else 'it'} before approving; nothing was changed")


def approve(repo: Repository, relative: str, today: _dt.date | None = None) -> str:
    """Approve the entry's text as it is now. Only a reviewer listed in content.yaml may."""
    who = _ready(repo)
    reviewer = _reviewer(repo, who)
    sign = _signs(repo, reviewer)
    entry = _load(repo, relative)
    refusal = open_comments_refusal(repo.root, entry)
    if refusal:
        raise ReviewError(refusal)
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
    updated = _edit(entry, {"review": block, "status": "approved", NOTE_KEY: None})
    return _write_and_commit(repo, entry, updated, f"Approve: {entry.question}\n\n"
                             f"Clinically reviewed; the approval covers body {entry.body_sha256[:12]}.\n\n"
                             f"Reviewed-by: {reviewer.name} <{reviewer.email}>\n", sign=sign)


@dataclass
class QueueItem:
    path: str
    question: str
    reason: str  # void, overdue, in-review, changes-requested, due
    detail: str
    note: ReviewNote | None = None  # for changes-requested: what the reviewer asked

    def to_json(self) -> dict:
        data = {"path": self.path, "question": self.question, "reason": self.reason, "detail": self.detail}
        if self.note is not None:
            data["note"] = self.note.to_json()
        return data


ORDER = {"void": 0, "overdue": 1, "in-review": 2, "changes-requested": 3, "due": 4}


def queue(repo: Repository, today: _dt.date | None = None, within_days: int = 30) -> list[QueueItem]:
    today = today or _dt.date.today()
    items: list[QueueItem] = []
    interval = repo.settings.review_interval_days if repo.settings else 1095
    for path in repo.paths:  # one at a time, none kept: memory as the queue's, not the library's
        entry = Entry.load(repo.root, path)
        if not entry.readable or entry.frontmatter is None:
            continue
        if entry.status == "in-review":
            asked = entry.meta.get(REQUEST_KEY) if isinstance(entry.meta.get(REQUEST_KEY), dict) else {}
            whom = repo.settings.reviewer(str(asked.get("reviewer") or "")) if repo.settings else None
            items.append(QueueItem(entry.path, entry.question, "in-review",
                                   f"waiting for a clinical review by {whom.name}" if whom
                                   else "waiting for a clinical review"))
            continue
        note = note_of(entry)
        if entry.status == "draft" and note is not None:
            who = repo.settings.reviewer(note.by) if repo.settings else None
            items.append(QueueItem(entry.path, entry.question, "changes-requested",
                                   f"{who.name if who else note.by} asked on {note.date}: {' '.join(note.note.split())}",
                                   note))
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
    return sorted(items, key=lambda i: (ORDER[i.reason], i.path))
