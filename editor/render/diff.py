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
CHUNK_LIMIT = 1500  # tokens a side of one changed stretch compared word by word; beyond, it is replaced whole


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """``difflib``'s opcodes turning token list ``a`` into ``b``, at a cost that stays near linear for
    long texts: the common start and end are set aside, the rest is matched line by line (a token
    holding a line break ends a line), and only the stretches of lines that differ are compared token
    by token (each at most ``CHUNK_LIMIT`` tokens a side; a longer one is replaced whole). Comparing
    40,000 tokens directly, with the few tokens that repeat everywhere, takes minutes."""
    a, b = [_key(t) for t in a], [_key(t) for t in b]  # matched without the spaces a word carries
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    out: list[tuple[str, int, int, int, int]] = []

    def emit(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if out and out[-1][0] == tag:
            last = out.pop()
            out.append((tag, last[1], i2, last[3], j2))
        else:
            out.append((tag, i1, i2, j1, j2))

    emit("equal", 0, head, 0, head)
    a_lines, b_lines = _lines(a, head, len(a) - tail), _lines(b, head, len(b) - tail)
    keys_a = ["".join(a[i:j]) for i, j in a_lines]
    keys_b = ["".join(b[i:j]) for i, j in b_lines]
    # blank lines repeat everywhere: they never start a match (that costs minutes), only extend one
    lines = difflib.SequenceMatcher(lambda key: not key.strip(), keys_a, keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        start_a = a_lines[i1][0] if i1 < len(a_lines) else len(a) - tail
        end_a = a_lines[i2 - 1][1] if i2 > i1 else start_a
        start_b = b_lines[j1][0] if j1 < len(b_lines) else len(b) - tail
        end_b = b_lines[j2 - 1][1] if j2 > j1 else start_b
        if tag == "equal":
            emit("equal", start_a, end_a, start_b, end_b)
        elif tag != "replace":
            emit("delete", start_a, end_a, start_b, start_b)
            emit("insert", end_a, end_a, start_b, end_b)
        elif end_a - start_a <= CHUNK_LIMIT and end_b - start_b <= CHUNK_LIMIT:
            _words(a, b, start_a, end_a, start_b, end_b, emit)
        elif i2 - i1 == j2 - j1:  # as many lines each side (a change made all through): line by line
            for (x1, x2), (y1, y2) in zip(a_lines[i1:i2], b_lines[j1:j2]):
                if x2 - x1 <= CHUNK_LIMIT and y2 - y1 <= CHUNK_LIMIT:
                    _words(a, b, x1, x2, y1, y2, emit)
                else:
                    emit("delete", x1, x2, y1, y1)
                    emit("insert", x2, x2, y1, y2)
        else:
            emit("delete", start_a, end_a, start_b, start_b)
            emit("insert", end_a, end_a, start_b, end_b)
    emit("equal", len(a) - tail, len(a), len(b) - tail, len(b))
    return out


def _key(token: str) -> str:
    """What a token is compared by: a word without the spaces before it (a line break stays one)."""
    stripped = token.lstrip(" \t")
    return stripped or token


def _words(a: list[str], b: list[str], start_a: int, end_a: int, start_b: int, end_b: int, emit) -> None:
    """One changed stretch, token by token."""
    matcher = difflib.SequenceMatcher(None, a[start_a:end_a], b[start_b:end_b], autojunk=False)
    for inner, x1, x2, y1, y2 in matcher.get_opcodes():
        if inner == "replace":
            emit("delete", start_a + x1, start_a + x2, start_b + y1, start_b + y1)
            emit("insert", start_a + x2, start_a + x2, start_b + y1, start_b + y2)
        else:
            emit(inner, start_a + x1, start_a + x2, start_b + y1, start_b + y2)


def _lines(tokens: list[str], start: int, end: int) -> list[tuple[int, int]]:
    found = []
    begin = start
    for index in range(start, end):
        if "\n" in tokens[index] or "\r" in tokens[index]:
            found.append((begin, index + 1))
            begin = index + 1
    if begin < end:
        found.append((begin, end))
    return found


# (the spaces before a word belong to it: a space is never a match of its own, which costs minutes,
# and "unfair" still matches in "unfair, lonely")
_HTML_TOKEN = re.compile(r"<[^>]*>|[^\S\n]*&#?\w+;|[^\S\n]*\w+|[^\S\n]*[^\w\s<&]+|[^\S\n]*&|\s+")
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
    ops = opcodes(old, new)
    lead = 0  # characters of spaces the inserted run's first word gave to the struck-through run before it
    for number, (op, a1, a2, b1, b2) in enumerate(ops):
        following = ops[number + 1] if number + 1 < len(ops) else None
        if op == "equal":
            out.extend(new[b1:b2])
            continue
        if op == "delete":  # one struck-through run, its spaces inside: the new text stays exact
            taken = "".join(t for t in old[a1:a2] if not t.startswith("<")).strip()
            if not taken:
                continue
            if following is not None and following[0] == "insert":  # words put in its place follow it
                first = new[following[3]] if following[4] > following[3] else ""
                if not first.startswith("<") and first[:1].isspace():
                    lead = len(first) - len(first.lstrip())
                    out.append(first[:lead])  # the space before the change stands before it
                out.append(f"{DELETED}{taken} </span>")
            else:
                out.append(f"{DELETED}{taken}</span>")
        elif op == "insert":
            tokens = new[b1:b2]
            if lead and tokens:
                tokens = [tokens[0][lead:], *tokens[1:]]
            lead = 0
            out.extend(_mark(tokens, INSERTED))
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
# for comparing: a word or a mark with the spaces before it, a line break, spaces at a line's end
_WORD = re.compile(r"\r\n|\r|\n|[^\S\r\n]*\w+|[^\S\r\n]*[^\w\s]|[^\S\r\n]+", re.UNICODE)
WORD_DIFF_LIMIT = 40_000  # tokens a side; beyond it the sides are compared line by line


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def words(text: str) -> list[str]:
    """``text`` in the pieces a word diff compares; joined, they are ``text``."""
    return _WORD.findall(text)


def word_changes(mine: str, theirs: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts as runs of (text, differs): the words each side has that the other has not.
    Joined, each side's runs are exactly its text."""
    a, b = words(mine), words(theirs)
    if len(a) > WORD_DIFF_LIMIT or len(b) > WORD_DIFF_LIMIT:
        a, b = mine.splitlines(keepends=True), theirs.splitlines(keepends=True)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in opcodes(a, b):
        same = op == "equal"
        if i2 > i1:
            _append(left, "".join(a[i1:i2]), not same)
        if j2 > j1:
            _append(right, "".join(b[j1:j2]), not same)
    return _trimmed(_bridged(left)), _trimmed(_bridged(right))


def _trimmed(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The spaces before or after a changed word (it carries them when compared) are not part of the change."""
    out: list[tuple[str, bool]] = []
    for text, differs in runs:
        if not differs:
            _append(out, text, False)
            continue
        core = text.strip(" \t")
        if not core:
            _append(out, text, differs)
            continue
        start = text.index(core)
        _append(out, text[:start], False)
        _append(out, core, True)
        _append(out, text[start + len(core):], False)
    return out


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
    if not text:
        return
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
