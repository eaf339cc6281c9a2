"""What the writer can do with a finding where it stands: take its suggestion (a quick fix), or
read about it (hover: the rule, its message and the guidance behind it)."""
from __future__ import annotations

import re

from lsprotocol import types

from editor.lsp.diagnostics import Result, to_range

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")  # what could make markup, a link or HTML of quoted words


def code_actions(result: Result, start: int, end: int, versioned: bool) -> list[types.CodeAction]:
    """A quick fix for each finding with a suggestion whose span meets ``start``..``end``: its span
    replaced by the suggestion, in the version the findings are of when ``versioned``."""
    actions = []
    for finding, (first, last), shown in result.spans():
        if finding.suggestion is None or first > end or last < start:
            continue
        safe = result.safe.get(finding)  # what ``malone-editor fix`` would write there, line breaks kept
        edit = types.TextEdit(range=to_range(result.places, first, last), new_text=safe or finding.suggestion)
        if versioned:
            document = types.OptionalVersionedTextDocumentIdentifier(uri=result.uri, version=result.version)
            change = types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=[edit])])
        else:
            change = types.WorkspaceEdit(changes={result.uri: [edit]})
        title = f"Replace with '{finding.suggestion}'" if finding.suggestion else "Remove it"
        actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[shown],
                                        edit=change, is_preferred=True if safe is not None else None))
    return actions


def escape(text: str) -> str:
    """``text`` as plain words in Markdown: the writer's own words quoted in a message must not
    turn into markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def hover(result: Result, offset: int, markdown: bool = True) -> types.Hover | None:
    """The findings whose span holds ``offset``: each rule, message, suggestion and guidance, in
    Markdown, or in plain text for a client that shows no Markdown."""
    plain = (lambda text: text.replace("\n", " ")) if not markdown else escape
    parts, spans = [], []
    for finding, (first, last), _ in result.spans():
        if not (first <= offset < last or first == last == offset):
            continue
        spans.append((first, last))
        rule = f"**{escape(finding.rule)}**" if markdown else finding.rule
        lines = [f"{rule} ({finding.severity})", "", plain(finding.message)]
        if finding.suggestion:
            lines += ["", f"Suggestion: {plain(finding.suggestion)}"]
        source = result.guidance.get(finding.rule)
        if source is not None:
            title = plain(source.title or source.url or "")
            if source.url:
                title = f"[{title}](<{source.url}>)" if markdown else f"{title} <{source.url}>"
            lines += ["", f"Guidance: {title}" + (f", {plain(source.publisher)}" if source.publisher else "")]
        parts.append("\n".join(lines))
    if not parts:
        return None
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=("\n\n---\n\n" if markdown else "\n\n").join(parts)),
                       range=to_range(result.places, first, last))
