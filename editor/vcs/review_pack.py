"""The review pack as one HTML document, in the HTML and CSS that Qt's rich-text engine (QTextDocument)
lays out and prints: tables rather than boxes, spans with a background colour or a line through,
``page-break-before`` on the block that starts each entry.

A cover page (the app, the date, the entries with their state and the page each starts on), then one
section per entry: its question, its review metadata, the open review request or changes-requested
note, the changes since its last approval marked in the text as the reader sees it, and its open
comments with the passage each is on (numbered, and the same number after the passage in the text
where it can be found there without doubt; an outdated comment says its passage was rewritten).

``<!--page:entry-N-->`` in the cover stands for the page entry N starts on: the PDF writer lays the
document out, finds the anchors ``entry-N`` and puts the numbers in."""
from __future__ import annotations

import datetime as _dt
import html
import re

from editor.render.diff import DELETED, INSERTED
from editor.render.style import LIGHT, preview_css
from editor.vcs.review_export import EntryReview, today_words
from editor.vcs.since_approval import CHANGED, NEVER

INK, MUTED, RULE = LIGHT["text"], LIGHT["muted"], "#c9d3da"
NOTE_BG, REQUEST_BG, VOID = "#fff4d6", "#e8f1f7", "#9b1c1c"
PASSAGE = "#9a6700"  # the number after a commented passage
_HEADING = re.compile(r'<(/?)h([1-6])(\s[^>]*)?>')
_CLASS = re.compile(r'\sclass="([^"]*)"')
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_WORD = re.compile(r"&[#\w]+;|\w+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MARKERS = re.compile(r"(?m)^\s*#*\s*[QA]:")

PACK_CSS = f"""
body {{ color: {INK}; background-color: #ffffff; font-size: 10pt; }}
p {{ margin-top: 0px; margin-bottom: 4px; }}
p.cover-app {{ font-size: 13pt; font-weight: 600; color: {LIGHT['bar']}; margin-top: 40px; }}
p.cover-title {{ font-size: 24pt; font-weight: 700; color: {LIGHT['heading']}; margin-bottom: 6px; }}
p.cover-meta {{ color: {MUTED}; font-size: 10pt; margin-bottom: 18px; }}
p.legend {{ color: {MUTED}; font-size: 9pt; margin-top: 10px; margin-bottom: 12px; }}
th {{ background-color: #eef2f5; color: {LIGHT['heading']}; font-size: 9pt; text-align: left; }}
td.toc, td.toc-num {{ font-size: 9.5pt; }}
td.toc-num {{ color: {MUTED}; }}
span.path {{ color: {MUTED}; font-size: 8.5pt; }}
p.entry-kicker {{ color: {MUTED}; font-size: 9pt; margin-bottom: 2px; }}
p.entry-title {{ font-size: 17pt; font-weight: 700; color: {LIGHT['question']}; margin-bottom: 10px; line-height: 115%; }}
td.key {{ color: {MUTED}; font-size: 9pt; }}
td.value {{ font-size: 9.5pt; }}
span.void {{ color: {VOID}; font-weight: 700; }}
span.holds {{ color: {LIGHT['button']}; font-weight: 700; }}
p.section {{ font-size: 11.5pt; font-weight: 700; color: {LIGHT['heading']}; margin-top: 16px; margin-bottom: 6px;
             line-height: 120%; }}
p.summary {{ font-weight: 600; margin-top: 12px; line-height: 120%; }}
p.field {{ font-size: 9.5pt; margin-left: 14px; }}
td.note {{ font-size: 9.5pt; }}
p.quote {{ color: {LIGHT['quote']}; font-style: italic; }}
p.outdated {{ color: {VOID}; font-size: 9pt; font-weight: 600; }}
p.said {{ font-size: 9.5pt; }}
p.reply {{ font-size: 9.5pt; margin-left: 18px; }}
td.number {{ color: {PASSAGE}; font-weight: 700; font-size: 10pt; }}
p.none {{ color: {MUTED}; font-size: 9.5pt; }}
"""


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _headings_as_paragraphs(body: str) -> str:
    """Qt's rich text sizes headings itself; the app's sizes come through on paragraphs of class h1...h6."""
    def swap(m: re.Match) -> str:
        if m.group(1):
            return "</p>"
        named = _CLASS.search(m.group(3) or "")
        return f'<p class="h{m.group(2)}{" " + named.group(1) if named else ""}">'
    return _HEADING.sub(swap, body)


# ---------------------------------------------------------------------- commented passages in the text

def _quote_words(quote: str) -> list[str]:
    text = _MARKERS.sub(" ", _LINK_TARGET.sub("] ", quote))
    return [w.lower() for w in re.findall(r"\w+", text)]


def mark_passages(body_html: str, passages: list[tuple[int, str, float]]) -> tuple[str, set[int]]:
    """``body_html`` with each passage's words underlined and its number after them, for passages
    (number, quoted Markdown, where it starts as a fraction of the body) whose words are found in the
    text as shown (taken-out words do not count); where they are found more than once, the place
    nearest the passage's own wins. Returns the marked HTML and the numbers that were placed."""
    tokens = _TOKEN.findall(body_html)
    words: list[tuple[int, int, int, str]] = []  # token index, start, end, word
    in_deleted = False
    for index, token in enumerate(tokens):
        if token.startswith("<"):
            if token.startswith(DELETED[:21]):
                in_deleted = True
            elif in_deleted and token == "</span>":
                in_deleted = False
            continue
        if in_deleted:
            continue
        for m in _WORD.finditer(token):
            if not m.group().startswith("&"):
                words.append((index, m.start(), m.end(), m.group().lower()))
    sequence = [w[3] for w in words]
    underline: set[int] = set()
    after: dict[int, list[int]] = {}  # word index -> numbers to put after it
    placed: set[int] = set()
    for number, quote, fraction in passages:
        wanted = _quote_words(quote)
        if not wanted:
            continue
        n = len(wanted)
        starts = [i for i in range(len(sequence) - n + 1) if sequence[i:i + n] == wanted]
        if not starts:
            continue
        best = min(starts, key=lambda i: abs(i / max(1, len(sequence)) - fraction))
        underline.update(range(best, best + n))
        after.setdefault(best + n - 1, []).append(number)
        placed.add(number)
    if not placed:
        return body_html, placed
    pieces: dict[int, list[tuple[int, int, bool, list[int]]]] = {}
    for position, (index, start, end, _) in enumerate(words):
        if position in underline or position in after:
            pieces.setdefault(index, []).append((start, end, position in underline, after.get(position, [])))
    out = []
    for index, token in enumerate(tokens):
        marks = pieces.get(index)
        if not marks:
            out.append(token)
            continue
        at, text = 0, []
        for start, end, line, numbers in marks:
            text.append(token[at:start])
            word = token[start:end]
            text.append(f'<span style="text-decoration: underline;">{word}</span>' if line else word)
            text.extend(f'<sup><span style="color: {PASSAGE}; font-weight: 700;">{k}</span></sup>' for k in numbers)
            at = end
        text.append(token[at:])
        out.append("".join(text))
    return "".join(out), placed


# ---------------------------------------------------------------------- the pack


def _row(key: str, value: str) -> str:
    return f'<tr><td class="key" width="22%">{_e(key)}</td><td class="value">{value}</td></tr>'


def _approval_html(review: EntryReview) -> str:
    a = review.approval
    if a is None:
        return "Never approved: all of this text is new to review."
    who = _e(a.name or a.reviewer)
    who += f", {_e(a.credentials)}" if a.credentials else "" if a.listed else " (not a reviewer listed in content.yaml)"
    due = f"; next review due {_e(a.next_review)}" if a.next_review else ""
    verdict = ('<span class="void">The approval is void: the entry was changed after it.</span>' if a.void
               else '<span class="holds">The approval holds: the text is as approved.</span>')
    return f"{who} \u2014 reviewed on {_e(a.reviewed_on)}{due}.<br/>{verdict}"


def _box(colour: str, title: str, text: str) -> str:
    return (f'<table width="100%" cellpadding="8" cellspacing="0" bgcolor="{colour}" style="margin-top: 8px;">'
            f'<tr><td class="note"><b>{_e(title)}</b><br/>{_e(text).replace(chr(10), "<br/>")}</td></tr></table>')


def _comments_html(review: EntryReview, placed: set[int]) -> str:
    if not review.comments:
        resolved = f" ({review.resolved_comments} resolved)" if review.resolved_comments else ""
        return f'<p class="section">Open comments</p><p class="none">No open comments{resolved}.</p>'
    rows = []
    for number, p in enumerate(review.comments, 1):
        t = p.thread
        quote = " ".join(t.quote.split())
        quote = quote if len(quote) <= 400 else quote[:399] + "\u2026"
        parts = [f'<p class="quote">\u201c{_e(quote)}\u201d</p>']
        if p.span is None:
            parts.append('<p class="outdated">Outdated \u2014 passage rewritten: these words are no longer in '
                         "the text.</p>")
        elif number not in placed:
            parts.append('<p class="none">(The passage is in the text; it could not be marked in it above.)</p>')
        parts.append(f'<p class="said"><b>{_e(t.comment.name or t.comment.by)}</b> \u00b7 {_e(t.comment.date[:10])}: '
                     f"{_e(t.comment.text)}</p>")
        parts += [f'<p class="reply">\u21b3 <b>{_e(r.name or r.by)}</b> \u00b7 {_e(r.date[:10])}: {_e(r.text)}</p>'
                  for r in t.replies]
        rows.append(f'<tr><td class="number" width="5%">{number}</td><td>{"".join(parts)}</td></tr>')
    more = f" \u2014 {review.resolved_comments} resolved not shown" if review.resolved_comments else ""
    return (f'<p class="section">Open comments ({len(review.comments)}){more}</p>'
            f'<table width="100%" cellpadding="5" cellspacing="0" border="1" '
            f'style="border-style: solid; border-color: {RULE};">{"".join(rows)}</table>')


def entry_html(number: int, review: EntryReview) -> str:
    head = (f'<p class="entry-kicker" style="page-break-before: always;"><a name="entry-{number}"></a>'
            f"Entry {number} \u00b7 {_e(review.status_words)} \u00b7 {_e(review.state_words)}</p>"
            f'<p class="entry-title">{_e(review.question)}</p>')
    rows = [_row("File", _e(review.path))]
    if review.problem:
        return head + _table(rows) + _box(NOTE_BG, "This file cannot be read as an entry", review.problem)
    rows.append(_row("Id", _e(review.id or "\u2014")))
    module = f"{_e(review.module_title)} ({_e(review.module)})" if review.module_title else _e(review.module or "\u2014")
    rows.append(_row("Module", module))
    rows.append(_row("Status", _e(review.status_words)))
    if review.writers:
        rows.append(_row("Changed by", _e(", ".join(review.writers))))
    rows.append(_row("Last approval", _approval_html(review)))
    parts = [head, _table(rows)]
    if review.request is not None:
        r = review.request
        whom = f" of {r.reviewer}" if r.reviewer else ""
        said = f"Review{whom} requested by {r.by or 'someone'}" + (f" on {r.date}" if r.date else "")
        parts.append(_box(REQUEST_BG, said, r.note or "(no note)"))
    if review.changes_requested is not None:
        r = review.changes_requested
        parts.append(_box(NOTE_BG, f"Changes requested by {r.by or 'a reviewer'}" + (f" on {r.date}" if r.date else ""),
                          r.note))
    since = review.since
    if since.state != NEVER:  # the approval row says it already
        parts.append(f'<p class="summary">{_e(since.summary)}</p>')
    parts += [f'<p class="field">\u2022 {_e(f.sentence())}</p>' for f in since.fields]
    body, placed = review.text_html or since.html, set()
    if review.comments:
        size = max(1, _body_length(review))
        body, placed = mark_passages(body, [(n, p.thread.quote, p.span[0] / size)
                                            for n, p in enumerate(review.comments, 1) if p.span])
    title = {NEVER: "The text as the reader will see it (all of it new to review)",
             CHANGED: "The text as the reader will see it, with the changes since the approval marked"}.get(
        since.state, "The text as the reader will see it (unchanged since the approval)")
    parts.append(f'<p class="section">{_e(title)}</p>')
    parts.append(f'<table width="100%" cellpadding="12" cellspacing="0" border="1" '
                 f'style="border-style: solid; border-color: {RULE};"><tr><td class="page">'
                 f"{_headings_as_paragraphs(body)}</td></tr></table>")
    parts.append(_comments_html(review, placed))
    return "".join(parts)


def _body_length(review: EntryReview) -> int:
    return sum(len(text) for op, text in review.since.words if op != "-") if review.since else 1


def _table(rows: list[str]) -> str:
    return f'<table width="100%" cellpadding="3" cellspacing="0">{"".join(rows)}</table>'


def cover_html(reviews: list[EntryReview], app_name: str, today: _dt.date, library: str) -> str:
    rows = []
    for number, r in enumerate(reviews, 1):
        comments = str(len(r.comments)) if r.comments else "\u2014"
        if r.outdated_comments:
            comments += f", {r.outdated_comments} outdated"
        rows.append(f'<tr><td class="toc-num">{number}</td><td class="toc">{_e(r.question)}<br/>'
                    f'<span class="path">{_e(r.path)}</span></td><td class="toc">{_e(r.status_words)}</td>'
                    f'<td class="toc">{_e(r.state_words)}</td><td class="toc">{comments}</td>'
                    f'<td class="toc"><!--page:entry-{number}--></td></tr>')
    count = f"{len(reviews)} entr{'y' if len(reviews) == 1 else 'ies'}"
    return (f'<p class="cover-app">{_e(app_name)}</p><p class="cover-title">Clinical review pack</p>'
            f'<p class="cover-meta">{_e(today_words(today))} \u00b7 the library \u201c{_e(library)}\u201d \u00b7 '
            f"{count}</p>"
            f'<table width="100%" cellpadding="5" cellspacing="0" border="1" '
            f'style="border-style: solid; border-color: {RULE};">'
            "<tr><th width=\"18\">#</th><th>Entry</th><th width=\"78\">Status</th><th width=\"104\">Since approval</th>"
            "<th width=\"96\">Open comments</th><th width=\"46\">Page</th></tr>"
            f'{"".join(rows)}</table>'
            f'<p class="legend">In the text of each entry: {INSERTED}words added since the last approval</span> '
            f"{DELETED}words taken out</span>; a passage with an open comment is underlined, with the comment\u2019s "
            f'number after it<sup><span style="color: {PASSAGE}; font-weight: 700;">1</span></sup>.</p>')


def _reader_css() -> str:
    """The preview's look for the entries' text, without its page rule: a pixel size set on the body
    would win over every point size of the pack (Qt keeps both and draws the pixel one)."""
    return "\n".join(line for line in preview_css().splitlines() if not line.startswith("body "))


def pack_html(reviews: list[EntryReview], app_name: str = "Malone", today: _dt.date | None = None,
              library: str = "") -> str:
    """The whole pack: the cover, then each entry on a page of its own."""
    today = today or _dt.date.today()
    sections = "".join(entry_html(n, r) for n, r in enumerate(reviews, 1))
    return (f"<html><head><title>{_e(app_name)} clinical review pack {today.isoformat()}</title>"
            f"<style>{_reader_css()}{PACK_CSS}</style></head><body>"
            f"{cover_html(reviews, app_name, today, library)}{sections}</body></html>")
