"""In-app link grammar, the module key, and the offline web-link rules, with exact spans."""
from __future__ import annotations

import pytest

from conftest import entry_text, findings_of

TAIL = "### Q: Where next?\n\nA: Here.\n\n"


def link_findings(repo, target, **fields):
    repo.entry("x.md", entry_text(TAIL + f"[Go]({target})\n", **fields))
    return [f for f in findings_of(repo.root) if f.category in ("module-link", "external-link")]


@pytest.mark.parametrize("target", [
    "?tab=home", "?tab=modules", "?tab=modules&module=sleep", "?tab=modules&module=social-support&section=local-groups",
    "?module=sleep&tab=modules", "https://www.nih.gov/health", "mailto:help@example.org", "tel:988",
])
def test_valid_targets_pass(repo, target):
    assert link_findings(repo, target) == []


@pytest.mark.parametrize("target, rule, suggestion, fragment", [
    ("?tab=Home", "unknown-tab", "home", "Home"),
    ("?tab=modles", "unknown-tab", "modules", "modles"),
    ("?tab=modules&module=Feeding", "unknown-module", "feeding", "Feeding"),
    ("?tab=modules&module=slep", "unknown-module", "sleep", "slep"),
    ("?tab=modules&modle=sleep", "unknown-parameter", "module", "modle"),
    ("?tab=modules&module=sleep&section=naps", "unknown-section", None, "naps"),
    ("?tab=modules&module=social-support&section=reaching-ot", "unknown-section", "reaching-out", "reaching-ot"),
    ("?tab=home&module=sleep", "module-needs-modules-tab", "modules", "home"),
    ("?tab=modules&section=local-groups", "section-needs-module", None, "local-groups"),
    ("?module=sleep", "missing-tab", None, "?module=sleep"),
    ("?tab=home&tab=chat", "repeated-parameter", None, "&tab=chat"),
    ("?tab=modules&module=", "empty-parameter", None, "module="),
    ("?tab=home&", "empty-parameter", None, "&"),
    ("?", "empty-link", None, "?"),
    ("?tab=modules&module=sleep&ref=x", "unknown-parameter", None, "ref"),
])
def test_in_app_grammar(repo, target, rule, suggestion, fragment):
    findings = link_findings(repo, target)
    assert [f.rule for f in findings] == [rule]
    finding = findings[0]
    assert finding.category == "module-link" and finding.severity == "error"
    assert finding.suggestion == suggestion
    line = (repo.root / "entries/x.md").read_text().splitlines()[finding.line - 1]
    assert line[finding.column - 1:finding.end_column - 1] == fragment


def test_module_key_checked_against_modules_yaml(repo):
    repo.entry("x.md", entry_text(module="Sleep"))
    findings = findings_of(repo.root)
    assert [(f.category, f.rule, f.suggestion, f.line, f.column, f.end_column) for f in findings] == \
        [("module-link", "unknown-module", "sleep", 3, 9, 14)]


@pytest.mark.parametrize("target, rule, severity, suggestion", [
    ("javascript:alert(1)", "unsafe-scheme", "error", None),
    ("JavaScript:void(0)", "unsafe-scheme", "error", None),
    ("data:text/html;base64,PHNjcmlwdD4=", "unsafe-scheme", "error", None),
    ("file:///etc/passwd", "unsafe-scheme", "error", None),
    ("vbscript:msgbox", "unsafe-scheme", "error", None),
    ("htps://www.nih.gov", "malformed-url", "error", "https"),
    ("https:/example.org", "malformed-url", "error", "https://example.org"),
    ("https:///example.org", "malformed-url", "error", "https://example.org"),
    # a space ends a Markdown link target: not a link at all, so the reader sees the text, and the
    # address in it (bare, up to the space) is checked as one
    ("https://exa mple.org", "malformed-url", "error", None),
    ("https://-bad-.org", "malformed-url", "error", None),
    ("http://www.nih.gov/x", "insecure-http", "warning", "https"),
    ("www.nih.gov/page", "missing-scheme", "error", "https://www.nih.gov/page"),
    ("", "empty-link", "error", None),
    ("<>", "empty-link", "error", None),
    ("other-entry.md", "unsupported-link", "warning", None),
    ("ftp://files.example.org/a", "unsupported-scheme", "error", None),
    ("mailto:nobody", "malformed-url", "error", None),
])
def test_web_link_rules(repo, target, rule, severity, suggestion):
    findings = link_findings(repo, target)
    if rule is None:
        assert findings == []
        return
    assert [(f.category, f.rule, f.severity, f.suggestion) for f in findings] == \
        [("external-link", rule, severity, suggestion)]


def test_links_in_code_are_ignored_and_other_forms_are_found(repo):
    body = (TAIL + "`[x](javascript:a)`\n\n    [y](htps://indented.code)\n\n```\n[z](?tab=nope)\n```\n\n"
            "<http://auto.example.org>\n\n![chart](http://img.example.org/a.png)\n\n[ref]: ?tab=nowhere\n")
    repo.entry("x.md", entry_text(body))
    found = [(f.rule, f.line) for f in findings_of(repo.root) if f.category in ("module-link", "external-link")]
    # the definition is used by nothing: the reader never sees it, so its target is not checked
    assert found == [("insecure-http", 18), ("insecure-http", 20), ("unused-reference", 22)]


def test_link_spanning_lines_is_found(repo):
    repo.entry("x.md", entry_text(TAIL + "[Tap\nhere](?tab=modules&module=nope) for more.\n"))
    findings = findings_of(repo.root)
    assert [(f.rule, f.line) for f in findings] == [("unknown-module", 11)]


def test_sources_are_checked_in_place(repo):
    repo.entry("x.md", entry_text(sources="\n  - https://www.nih.gov/ok\n  - http://www.nih.gov/old\n  - 'htps://x.org'"))
    findings = [f for f in findings_of(repo.root) if f.category == "external-link"]
    assert [(f.rule, f.line, f.column) for f in findings] == [("insecure-http", 7, 5), ("malformed-url", 8, 6)]
