"""Word-level diffs for prose: git's ``--word-diff=porcelain`` output as calm, readable HTML."""
from __future__ import annotations

import html


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
