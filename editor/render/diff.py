"""Word-level diffs for prose: git's ``--word-diff=porcelain`` output as calm, readable HTML."""
from __future__ import annotations

import difflib
import html
import re


def word_diff_html(porcelain: str) -> str:
    """Removed words struck through in red, added words in green, unchanged text plain."""
    if not porcelain.strip():
        return "<p><i>No changes.</i></p>"
    parts: list[str] = []
    started = False
    for line in porcelain.splitlines():
        if line.startswith("@@"):
            parts.append("<hr/>" if started else "")
            started = True
            continue
        if not started:
            continue  # the header: diff --git, index, ---, +++
        if line == "~":
            parts.append("<br/>")
        elif line.startswith("+"):
            parts.append(f'<span style="background-color:#dff5e1;color:#14532d;">{html.escape(line[1:])}</span>')
        elif line.startswith("-"):
            parts.append(f'<span style="background-color:#fde2e2;color:#7f1d1d;text-decoration:line-through;">'
                         f"{html.escape(line[1:])}</span>")
        elif line.startswith(" "):
            parts.append(html.escape(line[1:]))
    # white space as written: the frontmatter's indentation, a list's, two spaces at a line's end
    return "<div style='font-family:monospace;white-space:pre-wrap;'>" + "".join(parts) + "</div>"


def added_file_html(text: str) -> str:
    return (f'<div style="background-color:#dff5e1;color:#14532d;">'
            f'{html.escape(text).replace(chr(10), "<br/>")}</div>')


# a tag, an entity, a word, a run of punctuation, white space: "unfair" and "unfair," share the word
_HTML_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\w+|[^\w\s<&]+|&|\s+")
INSERTED = '<span class="inserted" style="background-color:#dff5e1;color:#14532d;">'
DELETED = '<span class="deleted" style="background-color:#fde2e2;color:#7f1d1d;text-decoration:line-through;">'


def rendered_changes(old_html: str | None, new_html: str) -> str:
    """The new text as the reader will see it, with the words added since ``old_html`` marked and the
    words taken out shown struck through where they stood (a word-level diff of the two renderings,
    tags kept from the new one). With no old text, every word is new."""
    new = _HTML_TOKEN.findall(new_html)
    if old_html is None:
        return "".join(_mark(new, INSERTED))
    old = _HTML_TOKEN.findall(old_html)
    out: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(new[b1:b2])
            continue
        if op in ("delete", "replace"):  # one struck-through run, its spaces inside: the new text stays exact
            taken = "".join(t for t in old[a1:a2] if not t.startswith("<"))
            if taken.strip():
                out.append(f"{DELETED}{taken}</span>")
        if op in ("insert", "replace"):
            out.extend(_mark(new[b1:b2], INSERTED))
    return "".join(out)


def _mark(tokens: list[str], opening: str) -> list[str]:
    """Each run of words between tags wrapped in one ``opening`` span (the spaces between its words
    inside it, those at its ends outside); tags as they are."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        run.clear()
        core = text.strip()
        if not core:
            out.append(text)
            return
        start = text.index(core[0])
        out.append(f"{text[:start]}{opening}{core}</span>{text[start + len(core):]}")

    for token in tokens:
        if token.startswith("<"):
            flush()
            out.append(token)
        else:
            run.append(token)
    flush()
    return out


_TOKEN = re.compile(r"\r\n|\r|\n|[^\S\r\n]+|\w+|[^\w\s]", re.UNICODE)
WORD_DIFF_LIMIT = 40_000  # tokens a side; beyond it the sides are compared line by line


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_changes(mine: str, theirs: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts as runs of (text, differs): the words each side has that the other has not.
    Joined, each side's runs are exactly its text."""
    a, b = tokens(mine), tokens(theirs)
    if len(a) > WORD_DIFF_LIMIT or len(b) > WORD_DIFF_LIMIT:
        a, b = mine.splitlines(keepends=True), theirs.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        same = op == "equal"
        if i2 > i1:
            _append(left, "".join(a[i1:i2]), not same)
        if j2 > j1:
            _append(right, "".join(b[j1:j2]), not same)
    return _bridged(left), _bridged(right)


def _bridged(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A space between two changed words is part of the change ("My gentle", not "My" and "gentle")."""
    out: list[tuple[str, bool]] = []
    for number, (text, differs) in enumerate(runs):
        between = 0 < number < len(runs) - 1 and runs[number - 1][1] and runs[number + 1][1]
        if not differs and between and not text.strip(" \t") and "\n" not in text and "\r" not in text:
            differs = True
        _append(out, text, differs)
    return out


def _append(runs: list[tuple[str, bool]], text: str, differs: bool) -> None:
    if runs and runs[-1][1] == differs:
        runs[-1] = (runs[-1][0] + text, differs)
    else:
        runs.append((text, differs))


def _runs_html(runs: list[tuple[str, bool]], colour: str) -> str:
    parts = []
    for text, differs in runs:
        escaped = html.escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")
        parts.append(f'<span style="background-color:{colour};font-weight:bold;">{escaped}</span>' if differs
                     and text.strip() else escaped)
    return "".join(parts)


def conflict_html(mine_label: str, mine: str | None, theirs_label: str, theirs: str | None) -> str:
    """Both versions of an entry changed on both sides, each under its label, with the words that
    differ highlighted; a side that deleted the entry says so."""
    left, right = word_changes(mine or "", theirs or "")

    def block(label: str, text: str | None, runs, colour: str) -> str:
        body = _runs_html(runs, colour) if text is not None else "<i>deleted on this side</i>"
        return f"<h3>{html.escape(label)}</h3><div style='background-color:#f6f6f6;'>{body}</div>"

    return ("<p><b>This entry changed on both sides.</b> Choose a version below; you can edit it after. "
            "The words that differ are highlighted.</p>"
            + block(mine_label, mine, left, "#fff1b8") + block(theirs_label, theirs, right, "#d6ecff"))
