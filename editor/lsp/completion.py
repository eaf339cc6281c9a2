"""Completion of in-app links while their target is typed: after ``](?tab=`` the tabs, after
``](?tab=modules&module=`` the modules (their titles beside them), after ``&section=`` that
module's sections; only what modules.yaml lists and a link may reach (``LinkChoices``)."""
from __future__ import annotations

import re

from lsprotocol import types

from editor.content.link_choices import MODULES_TAB, LinkChoices, humanise
from editor.lsp.diagnostics import to_range
from editor.lsp.positions import Places

_TARGET = re.compile(r"\]\([ \t]*<?\?(?P<query>[^\s()<>]*)$")  # an inline link's target, up to the cursor
_TAB = re.compile(r"tab=(?P<value>[^&]*)")
_MODULE = re.compile(rf"tab={MODULES_TAB}&module=(?P<value>[^&]*)")
_SECTION = re.compile(rf"tab={MODULES_TAB}&module=(?P<module>[^&]+)&section=(?P<value>[^&]*)")
_VALUE_END = re.compile(r"[^&)#>\s]*")

TRIGGERS = ["="]


def wanted(before: str) -> tuple[str, str | None, int] | None:
    """What is being typed at the end of ``before`` (a line up to the cursor): ("tab" | "module" |
    "section", the module for a section, where the value starts in ``before``), or None."""
    target = _TARGET.search(before)
    if target is None:
        return None
    query, start = target.group("query"), target.start("query")
    for kind, pattern in (("section", _SECTION), ("module", _MODULE), ("tab", _TAB)):
        match = pattern.fullmatch(query)
        if match is not None:
            module = match.group("module") if kind == "section" else None
            return kind, module, start + match.start("value")
    return None


def completions(choices: LinkChoices | None, places: Places, line: int, offset: int) -> list[types.CompletionItem]:
    """The choices for the value being typed at ``offset`` (on the protocol's ``line``), each
    replacing the whole value, what is typed after the cursor included."""
    if choices is None or not 0 <= line < len(places.starts):
        return []
    start = places.starts[line]
    found = wanted(places.text[start:offset])
    if found is None:
        return []
    kind, module, value_start = found
    value_start += start
    value_end = _VALUE_END.match(places.text, offset, places.ends[line]).end()
    span = to_range(places, value_start, value_end)
    offers: list[tuple[str, str, types.CompletionItemKind]] = []
    if kind == "tab":
        offers = [(tab, f"{humanise(tab)} tab", types.CompletionItemKind.EnumMember) for tab in choices.tabs]
    elif kind == "module":
        offers = [(m.slug, m.title, types.CompletionItemKind.Module) for m in choices.modules]
    else:
        chosen = choices.module(module)
        offers = [(s, f"{chosen.title} \u203a {humanise(s)}", types.CompletionItemKind.Reference)
                  for s in (chosen.sections if chosen is not None else ())]
    return [types.CompletionItem(label=value, kind=item_kind, detail=detail, sort_text=f"{number:05d}",
                                 filter_text=value, text_edit=types.TextEdit(range=span, new_text=value))
            for number, (value, detail, item_kind) in enumerate(offers)]
