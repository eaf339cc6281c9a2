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
    return "<div style='font-family:sans-serif;'>" + "".join(parts) + "</div>"


def added_file_html(text: str) -> str:
    return (f'<div style="background-color:#dff5e1;color:#14532d;">'
            f'{html.escape(text).replace(chr(10), "<br/>")}</div>')


_TOKEN = re.compile(r"<[^>]*>|[^<\s]+|\s+")
INSERTED = '<span class="inserted" style="background-color:#dff5e1;color:#14532d;">'
DELETED = '<span class="deleted" style="background-color:#fde2e2;color:#7f1d1d;text-decoration:line-through;">'


def rendered_changes(old_html: str | None, new_html: str) -> str:
    """The new text as the reader will see it, with the words added since ``old_html`` marked and the
    words taken out shown struck through where they stood (a word-level diff of the two renderings,
    tags kept from the new one). With no old text, every word is new."""
    new = _TOKEN.findall(new_html)
    if old_html is None:
        return "".join(_mark(new, INSERTED))
    old = _TOKEN.findall(old_html)
    out: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(new[b1:b2])
            continue
        if op in ("delete", "replace"):
            out.extend(_mark([t for t in old[a1:a2] if not t.startswith("<")], DELETED))
        if op in ("insert", "replace"):
            out.extend(_mark(new[b1:b2], INSERTED))
    return "".join(out)


def _mark(tokens: list[str], opening: str) -> list[str]:
    """Words wrapped in ``opening``; tags and white space as they are."""
    return [token if token.startswith("<") or token.isspace() else f"{opening}{token}</span>" for token in tokens]
