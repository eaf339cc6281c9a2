"""The published guidance, term by term, traced to the rules that catch it.

``rules/guidance.yaml`` lists what each guide asks writers to avoid and what to say instead. An
item is caught when its example sentence (or the avoided words on their own) draws a language
finding from the built-in rules; an item no rule catches says why in ``not``. docs/rules.md shows
the trace, and a test holds every item to one or the other.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

GUIDANCE = Path(__file__).resolve().parent / "rules" / "guidance.yaml"
_NOT_POINTING = {"reading-grade", "long-sentence", "misspelling"}


@dataclass
class Item:
    source: str
    index: int
    avoid: list[str]
    instead: str
    kind: str
    example: str | None
    reason: str | None  # why no rule: the item's own, or its source's default for terms
    caught: dict[str, list[str]]  # avoided words (or the example) -> rules that report them


def _probe_texts(texts: list[str]) -> list[list[str]]:
    """The language rules each text draws, as an entry's answer (with a crisis line, so the safety
    rule stays out of it)."""
    from editor.checks import CheckContext
    from editor.checks.rules import load_ruleset
    from editor.checks.runner import check_entry
    from editor.content.config import Settings
    from editor.content.entry import Entry

    ruleset, _ = load_ruleset(None)
    ctx = CheckContext(Settings(), None, ruleset=ruleset)
    found = []
    for text in texts:
        entry = Entry.from_text("entries/probe.md", "---\nid: probe\nmodule: mood\nstatus: draft\n---\n"
                                f"### Q: A question?\n\nA: {text}\n\nCall 988 any time.\n")
        found.append(sorted({f.rule for f in check_entry(entry, ctx)
                             if f.category in ("tone", "readability", "safety", "spelling") and f.rule not in _NOT_POINTING}))
    return found


@lru_cache(maxsize=1)
def data() -> dict:
    return yaml.safe_load(GUIDANCE.read_text(encoding="utf-8"))


def coverage() -> list[Item]:
    items: list[Item] = []
    probes: list[str] = []
    for key, source in data()["sources"].items():
        for index, raw in enumerate(source.get("items") or []):
            avoid = raw["avoid"] if isinstance(raw["avoid"], list) else [raw["avoid"]]
            kind = raw.get("kind", "term")
            reason = raw.get("not") or (source.get("default_not") if kind == "term" else None)
            item = Item(key, index, [str(a) for a in avoid], str(raw.get("instead", "")), kind, raw.get("example"),
                        reason, {})
            items.append(item)
            probes += [item.example] if item.example else [f"Here it is: {a}." for a in item.avoid]
    results = iter(_probe_texts(probes))
    for item in items:
        for words in ([item.example] if item.example else item.avoid):
            item.caught[words] = next(results)
    return items


def markdown() -> list[str]:
    """The coverage section of docs/rules.md."""
    lines = ["## Coverage of the published guidance", "",
             "Generated from `editor/checks/rules/guidance.yaml`: for each guide, what it asks writers to avoid, "
             "what it says instead, and the rule that reports it (found by running the rules on the words, or on the "
             "item's example sentence), or why no rule does.", ""]
    sources = data()["sources"]
    by_source: dict[str, list[Item]] = {}
    for item in coverage():
        by_source.setdefault(item.source, []).append(item)
    for key, source in sources.items():
        items = by_source.get(key, [])
        caught = sum(1 for i in items if any(i.caught.values()))
        lines += [f"### {source.get('title', key)}", "",
                  f"{source.get('publisher', '')}. {source.get('url', '')}" +
                  (f" (read via {source['found_via']})" if source.get("found_via") else ""), "",
                  f"{caught} of {len(items)} items caught by a rule.", "",
                  "| avoid | instead | rule, or why not |", "|---|---|---|"]
        for item in items:
            rules = sorted({r for found in item.caught.values() for r in found})
            if rules:
                missing = [w for w, found in item.caught.items() if not found]
                verdict = ", ".join(f"`{r}`" for r in rules) + \
                    (f" (not alone: {', '.join(missing)})" if missing and not item.example else "") + \
                    (f" (in context: \"{item.example}\")" if item.example else "")
            else:
                verdict = f"not a rule: {item.reason}" if item.reason else "**not caught, no reason recorded**"
            cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")  # noqa: E731
            lines.append(f"| {cell(' / '.join(item.avoid))} | {cell(item.instead)} | {cell(verdict)} |")
        lines.append("")
    return lines
