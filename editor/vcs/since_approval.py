"""What changed in an entry since it was last approved: the words of its body (added, taken out),
the same marked in the text as the reader will see it, and its frontmatter fields by name.

One answer for every place that shows it: the Review panel, the approval confirmation, export for
review and ``malone-editor review diff``."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import yaml

from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.render import diff as diffs
from editor.render.html import RenderOptions, html_document, render_body
from editor.vcs.approved import Approved, last_approved
from editor.vcs.process import VcsError

NEVER = "never-approved"
UNCHANGED = "unchanged"
CHANGED = "changed"
UNPROVEN = "unproven"  # marked approved, but the history does not prove it (or holds no approved text): all new
BOOKKEEPING = ("review", "review_note", "review_request")  # review steps' own fields: not the content's


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str | None  # as YAML would write the value; None: the field was not there
    after: str | None

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    def to_json(self) -> dict:
        return {"field": self.name, "change": self.kind, "before": self.before, "after": self.after}

    def sentence(self) -> str:
        if self.before is None:
            return f"{self.name}: added ({self.after})"
        if self.after is None:
            return f"{self.name}: removed (was {self.before})"
        return f"{self.name}: {self.before} \u2192 {self.after}"


@dataclass
class SinceApproval:
    path: str
    question: str
    state: str  # NEVER, UNCHANGED or CHANGED
    reviewer: str  # email of the approval's reviewer ("" when never approved)
    reviewer_name: str
    reviewed_on: str
    commit: str | None  # the commit holding the approved text (None: it is the file as it is now)
    words: list[tuple[str, str]] = field(default_factory=list)  # ("=", "+" or "-", text), the body's words
    fields: list[FieldChange] = field(default_factory=list)
    html: str = ""  # the body now, as the reader sees it, with the changes marked
    body_sha256: str = ""  # of the text compared
    unproven: str = ""  # why the history does not prove the approval the file carries ("" when it does)

    @property
    def summary(self) -> str:
        if self.state == NEVER:
            return "Never approved: all of this text is new to review."
        who = self.reviewer_name or self.reviewer or "a reviewer"
        if self.state == UNPROVEN:
            return (f"Marked approved by {who}{' on ' + self.reviewed_on if self.reviewed_on else ''}, but the "
                    f"history does not prove it ({self.unproven.rstrip('.')}): all of the text is shown as new, "
                    "to read in full.")
        if self.state == UNCHANGED:
            return f"Approved by {who} on {self.reviewed_on}: nothing has changed since."
        counts = self.counts
        said = []
        if counts["+"]:
            said.append(f"{counts['+']} word{'s' if counts['+'] != 1 else ''} added")
        if counts["-"]:
            said.append(f"{counts['-']} taken out")
        if self.fields:
            said.append(f"{len(self.fields)} field{'s' if len(self.fields) != 1 else ''} changed")
        return f"Changes since {who}'s approval of {self.reviewed_on}: " + (", ".join(said) or "white space only") + "."

    @property
    def counts(self) -> dict[str, int]:
        counts = {"+": 0, "-": 0}
        for op, text in self.words:
            if op in counts:
                counts[op] += len(text.split())
        return counts

    def to_json(self) -> dict:
        return {"version": 1, "path": self.path, "question": self.question, "state": self.state,
                "approved": None if self.state in (NEVER, UNPROVEN) else {
                    "reviewer": self.reviewer, "reviewer_name": self.reviewer_name,
                    "reviewed_on": self.reviewed_on, "commit": self.commit},
                "summary": self.summary, "body_sha256": self.body_sha256, "unproven": self.unproven or None,
                "words": [{"change": {"=": "same", "+": "added", "-": "removed"}[op], "text": text}
                          for op, text in self.words],
                "fields": [f.to_json() for f in self.fields]}

    def to_text(self) -> str:
        """As git's plain word diff writes it: [-taken out-]{+added+}."""
        lines = [f"{self.path} \u2014 {self.question}", self.summary]
        lines += [f"  {f.sentence()}" for f in self.fields]
        if self.state != UNCHANGED:
            lines.append("")
            lines.append(_plain(self.words).rstrip("\n"))
        return "\n".join(lines) + "\n"

    def to_html_page(self, app_name: str = "Malone") -> str:
        head = f"<p class='review-summary'><b>{html.escape(self.summary)}</b></p>"
        if self.fields:
            head += "<ul class='review-fields'>" + "".join(f"<li>{html.escape(f.sentence())}</li>"
                                                          for f in self.fields) + "</ul>"
        return html_document(head + self.html, self.question, app_name)


def _plain(words: list[tuple[str, str]]) -> str:
    """As git's plain word diff writes it: [-taken out-]{+added+}; spaces taken out or put in are just
    the new spaces, and a replacement's spaces before it are written once."""
    out = []
    lead_shown = None
    for op, text in words:
        if op == "=" or not text.strip():
            if op != "-":
                out.append(text)
            lead_shown = None
            continue
        lead = text[: len(text) - len(text.lstrip())]
        core = text.strip()
        if op == "+" and lead_shown is not None and lead == lead_shown:
            lead = ""
        out.append(f"{lead}[-{core}-]" if op == "-" else f"{lead}{{+{core}+}}")
        lead_shown = text[: len(text) - len(text.lstrip())] if op == "-" else None
    return "".join(out)


def _yaml(value) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def field_changes(before: dict, after: dict) -> list[FieldChange]:
    """The frontmatter fields that differ, by name (the review steps' own fields left out)."""
    changes = []
    for name in list(before) + [k for k in after if k not in before]:
        if name in BOOKKEEPING:
            continue
        old = _yaml(before[name]) if name in before else None
        new = _yaml(after[name]) if name in after else None
        if old != new:
            changes.append(FieldChange(str(name), old, new))
    return changes


def word_ops(old: str, new: str) -> list[tuple[str, str]]:
    """The body's changes word by word: ("=", text), ("-", text) or ("+", text); the "=" and "+"
    parts joined are ``new``, the "=" and "-" parts ``old``."""
    a, b = diffs.words(old), diffs.words(new)
    if len(a) > diffs.WORD_DIFF_LIMIT or len(b) > diffs.WORD_DIFF_LIMIT:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    for tag, i1, i2, j1, j2 in diffs.opcodes(a, b):
        if tag == "equal":  # the same words; the spaces before one may differ (a word now starts a line)
            for x, y in zip(a[i1:i2], b[j1:j2]):
                if x == y:
                    add("=", x)
                    continue
                core = x.lstrip(" \t")
                add("-", x[: len(x) - len(core)])
                add("+", y[: len(y) - len(y.lstrip(" \t"))])
                add("=", core)
            continue
        add("-", "".join(a[i1:i2]))
        add("+", "".join(b[j1:j2]))
    return ops


def since_approval(repo: Repository, relative: str, text: str | None = None) -> SinceApproval:
    """The entry at ``relative`` as ``text`` has it (default: as saved) against the text last approved."""
    entry = Entry.from_text(relative, text) if text is not None else Entry.load(repo.root, relative)
    if entry.problem is not None:
        raise ValueError(entry.problem.message)
    try:
        before: Approved | None = last_approved(repo.root, relative, entry)
    except VcsError:  # no git here, or a path git refuses: never approved as far as anyone can tell
        before = None
    options = RenderOptions(repo.registry, line_offset=entry.body_first_line)
    now_html = render_body(entry.body, options)
    meta = dict(entry.meta) if isinstance(entry.meta, dict) else {}
    review = meta.get("review") if isinstance(meta.get("review"), dict) else None
    claimed = str(review.get("reviewer") or "") if review else ""
    problem = "" if before is None and not claimed else _unproven(repo, relative, entry)
    if before is None and claimed:
        problem = problem or "the text it approved is not in this clone's history"
    if before is None or problem:
        who = before.reviewer if before is not None else claimed
        person = repo.settings.reviewer(who) if repo.settings and who else None
        on = before.reviewed_on if before is not None else str(review.get("reviewed_on") or "") if review else ""
        return SinceApproval(relative, entry.question, UNPROVEN if problem else NEVER, who,
                             person.name if person is not None else who, on, None,
                             [("+", entry.body)] if entry.body else [], [], diffs.rendered_changes(None, now_html),
                             entry.body_sha256, problem)
    person = repo.settings.reviewer(before.reviewer) if repo.settings else None
    name = person.name if person is not None else before.reviewer
    state = UNCHANGED if before.sha is None else CHANGED
    words = word_ops(_lf(before.body).strip(), _lf(entry.body).strip())  # line endings are not a change
    fields = [] if before.sha is None else field_changes(before.meta, meta)
    then_html = render_body(before.body, RenderOptions(repo.registry, line_offset=entry.body_first_line))
    shown = now_html if state == UNCHANGED else diffs.rendered_changes(then_html, now_html)
    return SinceApproval(relative, entry.question, state, before.reviewer, name, before.reviewed_on, before.sha,
                         words, fields, shown, entry.body_sha256)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unproven(repo: Repository, relative: str, entry: Entry) -> str:
    """Why the history does not prove the approval the entry carries (forged with --author, made by
    someone not listed, not committed, a shallow clone, no review block left), or "" when it does."""
    from editor.vcs.process import run
    from editor.vcs.provenance import block_problem, review_block

    try:
        head = run(repo.root, "rev-parse", "-q", "--verify", "HEAD", check=False).stdout.strip()
        # the verdict depends only on the block and the history: the same between two pauses in typing
        key = (str(repo.root), relative, review_block(entry.text), head, (repo.root / ".git" / "shallow").exists())
        if head and key in _VERDICTS:
            return _VERDICTS[key]
        verdict = (block_problem(repo.root, relative, entry.text) or "").rstrip(".")
    except VcsError as exc:
        return str(exc)
    if head:
        if len(_VERDICTS) > 256:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict


_VERDICTS: dict[tuple, str] = {}  # (root, path, review block, HEAD) -> why unproven ("" when proven)
