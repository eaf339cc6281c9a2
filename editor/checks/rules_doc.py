"""docs/rules.md: the built-in language rules, with their published sources, and the categories a
rule may report under (from the check registry).

    python -m editor.checks.rules_doc > docs/rules.md
"""
from __future__ import annotations

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
    lines += ["", "Spelling (`misspelling`, warning) is built in: pyspellchecker's English list with US spellings, "
              "`editor/checks/rules/words.txt` (clinical and parenting words) and the repository's `dictionary.txt`.",
              "", "## Categories", "", "A rule's `category` (in `tone.yaml` too) is one of:", ""]
    for name in RULE_CATEGORIES:
        found = category(name)
        note = "; no comment in an entry can exempt its findings" if not found.exemptible else ""
        lines.append(f"- `{name}`: {found.description}{note}")
    lines += ["", "## Sources", ""]
    for key, source in sources.items():
        lines.append(f"- `{key}`: {source.get('title', '')}, {source.get('publisher', '')}. {source.get('url', '')}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
