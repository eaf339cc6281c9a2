"""The check registry: one table of checks with one signature, and the categories everything else
names (the contract's list, the rules schema, docs/rules.md) taken from it."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil

from conftest import ROOT
from editor.checks import registry, runner, view
from editor.checks.registry import CATEGORIES, CHECKS, RULE_CATEGORIES, category_names, language_categories
from editor.checks.view import EntryView
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.findings import Finding


def contract_categories() -> list[tuple[str, str | None]]:
    """docs/content-format.md, "Findings": each category with its description (None when it has none)."""
    text = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    block = re.search(r"^- `category`: one of\n(.*?)^- `rule`", text, re.S | re.M).group(1)
    block = " ".join(block.split())
    found = []
    for match in re.finditer(r"`([a-z-]+)`(?: \(((?:[^()]|\([^()]*\))*)\))?[,.]", block):
        if not found or match.start() >= found[-1][2]:  # names inside a description are not categories
            found.append((match.group(1), match.group(2), match.end()))
    return [(name, description) for name, description, _ in found]


def test_the_categories_are_the_contracts_in_its_order_and_words():
    listed = contract_categories()
    assert [name for name, _ in listed] == list(category_names())
    for name, description in listed:
        if description is not None:
            assert registry.category(name).description == description, name
    assert all(c.description and "\n" not in c.description for c in CATEGORIES)


def test_every_check_names_known_categories_and_every_category_has_a_check():
    names = set(category_names())
    assert len({check.name for check in CHECKS}) == len(CHECKS)
    for check in CHECKS:
        assert check.categories and set(check.categories) <= names, check.name
        assert check.exemptions in (registry.NEVER, registry.ALWAYS, registry.BY_CATEGORY), check.name
        assert check.allow in (None, registry.ALLOW_SPAN, registry.ALLOW_WORD), check.name
    assert {name for check in CHECKS for name in check.categories} == names
    assert set(RULE_CATEGORIES) <= names and language_categories() == RULE_CATEGORIES


def test_a_rules_category_is_one_the_registry_lists():
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))
    category = schema["$defs"]["rule"]["properties"]["category"]
    assert category["enum"] == list(RULE_CATEGORIES)
    assert category["x-message"] == "category must be " + registry.listed(RULE_CATEGORIES).replace(" and ", " or ")


def test_each_check_reports_only_under_its_categories(tmp_path):
    """Every check of the table, run alone with the one signature over the corpus and the sample
    entries, returns findings of the categories it declares."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "sample_content", root)
    shutil.copytree(ROOT / "tests" / "corpus" / "defects", root / "entries" / "defects")
    (root / "entries" / "defects" / "spelt.md").write_text(
        "---\nid: spelt\nmodule: sleep\nstatus: draft\n---\n### Q: Why?\n\nA: Rest when you feel overwhlemed.\n")
    repo = Repository.open(root)
    ctx, _ = runner.context_for(repo, dt.date(2026, 11, 25))
    seen: dict[str, set[str]] = {check.name: set() for check in CHECKS}
    for path in repo.paths:
        entry_view = EntryView(repo.entry(path))
        for check in CHECKS:
            found = check.run(entry_view, ctx)
            assert isinstance(found, list) and all(isinstance(f, Finding) for f in found), check.name
            seen[check.name] |= {f.category for f in found}
    for check in CHECKS:
        assert seen[check.name] <= set(check.categories), check.name
    assert {"tone", "safety", "readability", "spelling", "module-link", "format"} <= set().union(*seen.values())


def test_checks_that_need_no_prose_do_not_make_it(monkeypatch):
    made = []
    real = view.extract
    monkeypatch.setattr(view, "extract", lambda body: made.append(body) or real(body))
    entry = Entry.from_text("entries/x.md", "---\nid: x\nmodule: sleep\nstatus: draft\n---\n"
                                            "### Q: Why?\n\nA: He committed suicide. Call 988.\n")
    ctx = runner.CheckContext(None, None, dt.date(2026, 11, 25))
    assert [f.category for f in runner.check_entry(entry, ctx)] == []
    assert made == []
    ctx.ruleset, _ = runner.load_ruleset(None)
    assert "tone" in {f.category for f in runner.check_entry(entry, ctx)} and len(made) == 1


def test_a_check_that_stops_leaves_only_its_findings():
    assert [check.name for check in CHECKS if check.stops] == ["file"]
    entry = Entry.from_text("entries/x.md", "---\nid: x\n")
    ctx = runner.CheckContext(None, None, dt.date(2026, 11, 25))
    ctx.ruleset, _ = runner.load_ruleset(None)
    assert [(f.category, f.rule) for f in runner.check_entry(entry, ctx)] == [("format", "unclosed-frontmatter")]
