"""docs/rules.md: the built-in language rules, with their published sources, and the categories a
rule may report under (from the check registry).

    python -m editor.checks.rules_doc > docs/rules.md
"""
from __future__ import annotations

from editor.checks import guidance
from editor.checks.registry import RULE_CATEGORIES, category
from editor.checks.rules import built_in_data


def rules_markdown() -> str:
    data = built_in_data()
    sources = data.get("sources") or {}
    lines = ["# Built-in language rules", "",
             "Generated from `editor/checks/rules/default.yaml` and `editor/checks/registry.py` by "
             "`python -m editor.checks.rules_doc`.", "",
             "| rule | category | kind | severity | what it asks | source |", "|---|---|---|---|---|---|"]
    for raw in data.get("rules", []):
        source = sources.get(raw.get("source", ""), {})
        cite = f"[{source.get('title', raw.get('source', ''))}]({source['url']})" if source.get("url") else \
            source.get("title", "")
        message = raw["message"].replace("|", "\\|").replace("{match}", "…")
        lines.append(f"| `{raw['id']}` | {raw['category']} | {raw['kind']} | {raw['severity']} | {message} | {cite} |")
    lines += ["", "Spelling is built in. `misspelling` (warning): words that pyspellchecker's English list, "
              "`editor/checks/rules/words.txt` (clinical and parenting words, current perinatal medicines) and the "
              "repository's `dictionary.txt` do not know. `locale-spelling` (warning): content.yaml's `locale` decides; "
              "in en-US a British form (colour, paediatric, travelled, centre, organise, mum) is reported with the US "
              "spelling as the suggestion, and in en-GB the reverse. The pairs are generated from the spelling patterns "
              "of `editor/checks/rules/locale.yaml` applied to the word list, plus its extra pairs, less its exceptions.",
              "", *_safe_fixes(data), "", "## How a rule is written", "", *_grammar(), "",
              "", "## Categories", "", "A rule's `category` (in `tone.yaml` too) is one of:", ""]
    for name in RULE_CATEGORIES:
        found = category(name)
        note = "; no comment in an entry can exempt its findings" if not found.exemptible else ""
        lines.append(f"- `{name}`: {found.description}{note}")
    lines += ["", "## Sources", ""]
    for key, source in sources.items():
        lines.append(f"- `{key}`: {source.get('title', '')}, {source.get('publisher', '')}. {source.get('url', '')}")
    lines += ["", *guidance.markdown()]
    return "\n".join(lines).rstrip("\n") + "\n"


def _safe_fixes(data: dict) -> list[str]:
    """What ``malone-editor fix`` may change by itself, from the rules' ``safe_fixes`` and ``safe_suggestions``."""
    from editor.checks import fixes

    kinds = {fixes.ALL: "every suggestion", fixes.CASE_ONLY: "a suggestion that differs from the text only in case",
             fixes.NEVER: "none"}
    lines = ["## Safe automatic fixes", "", "`malone-editor fix` makes these suggestions by itself, and no other "
             "(see `editor/checks/fixes.py` for where it still leaves them to the writer):", ""]
    for raw in data.get("rules", []):
        for form, better in (raw.get("safe_fixes") or {}).items():
            lines.append(f"- `{raw['id']}`: \u201c{form}\u201d \u2192 \u201c{better}\u201d, matched exactly so")
    for rule, kind in (data.get("safe_suggestions") or {}).items():
        lines.append(f"- `{rule}`: {kinds.get(kind, kind)}")
    return lines


def _grammar() -> list[str]:
    """The phrase grammar and the context mechanisms, from their modules' own documentation."""
    from editor.checks import context, phrases

    def body(doc: str) -> list[str]:
        return [line.rstrip() for line in doc.strip().splitlines()]

    return ["A rule's `phrases` (the built-in rules use nothing else; a repository's tone.yaml may also use "
            "`tokens` and `swap`, regular expressions, and one that repeats a repeating part, like `(a+)+`, "
            "is refused):", "",
            *body(phrases.__doc__)[2:], "",
            "A rule's `unless` lists phrases whose match, overlapping the rule's, keeps it quiet (compounds and "
            "literal senses: `suicide prevention`, `cut yourself some slack`). Its `context` switches on these "
            "mechanisms:", "", *body(context.__doc__)[2:]]


if __name__ == "__main__":
    print(rules_markdown(), end="")
