"""Format and schema rules of the contract, each with its position."""
from __future__ import annotations

from conftest import FIXTURES, GOOD_BODY, entry_text, findings_of, rules_of


def only(findings, rule):
    matched = [f for f in findings if f.rule == rule]
    assert matched, f"no {rule} in {[(f.rule, f.message) for f in findings]}"
    return matched[0]


def test_clean_entry_has_no_findings(repo):
    repo.entry("sleep/rest.md", entry_text())
    assert findings_of(repo.root) == []


def test_legacy_entry_without_frontmatter_only_misses_metadata(repo):
    repo.entry("social/far-from-friends.md", (FIXTURES / "legacy-entry.md").read_bytes())
    findings = findings_of(repo.root)
    assert [(f.rule, f.category, f.severity, f.line) for f in findings] == [("missing-metadata", "schema", "warning", 1)]


def test_empty_and_whitespace_files(repo):
    repo.entry("a.md", b"")
    repo.entry("b.md", b"  \n\n")
    assert rules_of(repo.root) == [("entries/a.md", "empty-file"), ("entries/b.md", "empty-file")]


def test_non_utf8_reports_position_of_bad_byte(repo):
    repo.entry("bad.md", entry_text().encode() + b"caf\xe9 au lait\n")
    finding = only(findings_of(repo.root), "not-utf8")
    assert (finding.category, finding.line, finding.column) == ("format", 11, 4)


def test_binary_file(repo):
    repo.entry("pic.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert rules_of(repo.root) == [("entries/pic.md", "binary-file")]


def test_broken_yaml_points_at_the_yaml_error_line(repo):
    repo.entry("x.md", "---\nid: rest\nmodule: sleep\nstatus: [draft\ntags: a\n---\n" + GOOD_BODY)
    finding = only(findings_of(repo.root), "invalid-yaml")
    assert finding.category == "format" and finding.line in (4, 5, 6)
    assert "YAML" in finding.message


def test_unclosed_frontmatter(repo):
    repo.entry("x.md", "---\nid: rest\nmodule: sleep\n" + GOOD_BODY)
    assert rules_of(repo.root) == [("entries/x.md", "unclosed-frontmatter")]


def test_frontmatter_must_be_a_mapping(repo):
    repo.entry("x.md", "---\n- a\n- b\n---\n" + GOOD_BODY)
    assert [r for _, r in rules_of(repo.root)] == ["frontmatter-not-mapping"]


def test_body_shape_rules(repo):
    repo.entry("noq.md", entry_text("Some text first.\n\n### Q: Late?\n\nA: yes\n", id="noq"))
    repo.entry("none.md", entry_text("Just prose.\n", id="none"))
    repo.entry("two.md", entry_text("### Q: One?\n\nA: yes\n\n### Q: Two?\n\nA: no\n", id="two"))
    repo.entry("noa.md", entry_text("### Q: One?\n\nNo marker here.\n", id="noa"))
    repo.entry("bare.md", entry_text("### Q: Alone?\n", id="bare"))
    repo.entry("fenced.md", entry_text("### Q: One?\n\nA: yes\n\n```\n### Q: not a heading\n```\n", id="fenced"))
    found = {(p.split("/")[-1], r) for p, r in rules_of(repo.root)}
    assert found == {("noq.md", "question-not-first"), ("none.md", "missing-question"),
                     ("two.md", "multiple-questions"), ("noa.md", "answer-prefix"), ("bare.md", "missing-answer")}
    two = only(findings_of(repo.root, paths=["entries/two.md"]), "multiple-questions")
    assert two.line == 10


def test_missing_required_fields(repo):
    repo.entry("x.md", "---\ntags: [a]\n---\n" + GOOD_BODY)
    findings = [f for f in findings_of(repo.root) if f.rule == "missing-field"]
    assert sorted(f.message for f in findings) == ["Missing required field 'id'", "Missing required field 'module'",
                                                  "Missing required field 'status'"]
    assert all((f.line, f.column, f.category, f.severity) == (1, 1, "schema", "error") for f in findings)


def test_empty_frontmatter_reports_missing_fields(repo):
    repo.entry("x.md", "---\n---\n" + GOOD_BODY)
    assert [r for _, r in rules_of(repo.root)].count("missing-field") == 3


def test_invalid_id_suggests_a_slug(repo):
    repo.entry("x.md", entry_text(id="'Rest Tips!'"))
    finding = only(findings_of(repo.root), "invalid-id")
    assert (finding.line, finding.column, finding.suggestion) == (2, 5, "rest-tips")


def test_invalid_status_suggests_the_valid_one(repo):
    repo.entry("x.md", entry_text(status="Draft"))
    finding = only(findings_of(repo.root), "invalid-status")
    assert finding.suggestion == "draft" and finding.line == 4


def test_wrong_types(repo):
    repo.entry("x.md", entry_text(tags="lonely", sources="https://nih.gov"))
    rules = [r for _, r in rules_of(repo.root)]
    assert "invalid-tags" in rules and "invalid-sources" in rules


def test_tag_items_and_duplicates(repo):
    repo.entry("x.md", entry_text(tags="[a, 988, a]"))
    rules = [r for _, r in rules_of(repo.root)]
    assert "invalid-tag" in rules and "invalid-tags" in rules


def test_unknown_field_is_a_warning_with_suggestion(repo):
    repo.entry("x.md", entry_text(tag="[a]"))
    finding = only(findings_of(repo.root), "unknown-field")
    assert (finding.severity, finding.suggestion, finding.line, finding.column) == ("warning", "tags", 5, 1)


def test_duplicate_field(repo):
    repo.entry("x.md", "---\nid: a\nmodule: sleep\nstatus: draft\nstatus: approved\n---\n" + GOOD_BODY)
    finding = only(findings_of(repo.root), "duplicate-field")
    assert finding.line == 5


def test_duplicate_id_reported_on_later_file_naming_first(repo):
    repo.entry("a/first.md", entry_text(id="same"))
    repo.entry("b/second.md", entry_text(id="same"))
    findings = [f for f in findings_of(repo.root) if f.rule == "duplicate-id"]
    assert len(findings) == 1
    assert findings[0].path == "entries/b/second.md" and "entries/a/first.md" in findings[0].message
    # checking only the later file still compares against every entry
    only_second = findings_of(repo.root, paths=["entries/b/second.md"])
    assert [f.rule for f in only_second] == ["duplicate-id"]


def test_review_block_values(repo):
    review = ("\n  reviewer: not-an-email\n  reviewed_on: 2026-02-30\n  next_review: soon\n"
              "  body_sha256: xyz\n  extra: 1")
    repo.entry("x.md", entry_text(status="approved", review=review))
    rules = sorted(r for _, r in rules_of(repo.root))
    assert rules.count("invalid-date") == 2 and "invalid-hash" in rules and "invalid-reviewer" in rules
    assert "unknown-field" in rules
    assert "approval-void" not in rules  # a malformed hash is reported once, as malformed


def test_deeply_odd_values_do_not_crash(repo):
    repo.entry("x.md", "---\nid: !!binary aGVsbG8=\nmodule: {a: b}\nstatus: 3\ntags: [[x]]\n---\n" + GOOD_BODY)
    rules = {r for _, r in rules_of(repo.root)}
    assert {"invalid-id", "invalid-module", "invalid-status", "invalid-tag"} <= rules
