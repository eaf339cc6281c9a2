"""Review findings, and configuration files that are missing, broken or wrong."""
from __future__ import annotations

import datetime as dt

from conftest import GOOD_BODY, entry_text, findings_of, rules_of
from editor.content.entry import body_hash

HASH = body_hash(GOOD_BODY)


def approved(reviewer="ana.ruiz@example.org", sha=HASH, reviewed="2026-06-01", next_review="2029-05-31"):
    review = f"\n  reviewer: {reviewer}\n  reviewed_on: {reviewed}\n"
    if next_review:
        review += f"  next_review: {next_review}\n"
    review += f"  body_sha256: {sha}"
    return entry_text(status="approved", review=review)


def test_valid_approval_is_clean(repo):
    repo.entry("x.md", approved())
    assert findings_of(repo.root) == []


def test_approved_without_review(repo):
    repo.entry("x.md", entry_text(status="approved"))
    finding = findings_of(repo.root)[0]
    assert (finding.category, finding.rule, finding.severity, finding.line) == ("review", "approval-missing", "error", 4)


def test_any_body_edit_voids_the_approval(repo):
    repo.entry("x.md", approved().replace("it is common", "it's common"))
    assert rules_of(repo.root) == [("entries/x.md", "approval-void")]


def test_whitespace_around_body_does_not_void(repo):
    repo.entry("x.md", approved() + "\n\n")
    assert findings_of(repo.root) == []


def test_uppercase_hash_is_accepted(repo):
    repo.entry("x.md", approved(sha=HASH.upper()))
    assert findings_of(repo.root) == []


def test_reviewer_not_listed(repo):
    repo.entry("x.md", approved(reviewer="writer@example.org"))
    assert rules_of(repo.root) == [("entries/x.md", "reviewer-not-listed")]


def test_overdue_review_is_a_warning(repo):
    repo.entry("x.md", approved(reviewed="2020-01-01", next_review="2023-01-01"))
    finding = findings_of(repo.root, today=dt.date(2026, 11, 25))[0]
    assert (finding.rule, finding.severity) == ("review-overdue", "warning")
    assert findings_of(repo.root, today=dt.date(2022, 12, 31)) == []


def test_next_review_defaults_to_interval(repo):
    repo.entry("x.md", approved(reviewed="2023-01-01", next_review=None))
    assert findings_of(repo.root, today=dt.date(2025, 12, 31)) == []  # 1095 days later is 2026-01-01
    assert [f.rule for f in findings_of(repo.root, today=dt.date(2026, 1, 2))] == ["review-overdue"]


def test_missing_modules_yaml_is_a_finding_and_other_checks_still_run(repo):
    (repo.root / "modules.yaml").unlink()
    repo.entry("x.md", entry_text(id="Bad Id"))
    found = rules_of(repo.root)
    assert ("modules.yaml", "missing-config") in found and ("entries/x.md", "invalid-id") in found


def test_broken_content_yaml_names_file_and_line(repo):
    repo.write("content.yaml", "app_name: Malone\nreviewers:\n  - name: Ana\n   email: x\n")
    finding = next(f for f in findings_of(repo.root) if f.path == "content.yaml")
    assert (finding.rule, finding.category, finding.line) == ("invalid-yaml", "format", 4)


def test_content_yaml_schema_problems_are_positioned(repo):
    repo.write("content.yaml", "app_name: Malone\nreview_interval_days: soon\nreviewers:\n  - name: Ana\n"
                               "    email: nope\ntrusted_domain: [nih.gov]\n")
    found = {(f.rule, f.line) for f in findings_of(repo.root) if f.path == "content.yaml"}
    assert found == {("invalid-setting", 2), ("invalid-reviewer", 5), ("unknown-field", 6)}


def test_modules_yaml_problems(repo):
    repo.write("modules.yaml", "tabs: [home, modules]\nmodules:\n  - slug: sleep\n    title: Sleep\n"
                               "  - slug: sleep\n    title: Again\n  - slug: Bad Slug\n    title: X\n")
    found = {(f.rule, f.line) for f in findings_of(repo.root) if f.path == "modules.yaml"}
    assert found == {("duplicate-module", 5), ("invalid-slug", 7)}


def test_modules_yaml_not_a_mapping(repo):
    repo.write("modules.yaml", "- just\n- a list\n")
    repo.entry("x.md", entry_text())
    found = rules_of(repo.root)
    assert found == [("modules.yaml", "invalid-yaml")]  # module links are not checked against nothing
