"""YAML with limits (issue 18): an alias bomb, a flood of keys or a deep nest in one file is one
finding on its line, found in milliseconds, and the rest of the library is checked as usual; the
frontmatter writer refuses an edit it could not keep to its own field."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOOD_BODY, entry_text, git, rules_of, shared_library
from editor.cli import main
from editor.content import frontmatter as fmlib
from editor.content import frontmatter_edit as edit
from editor.content import yaml_limits
from editor.content.entry import Entry
from editor.content.repository import Repository

# nine copies of nine copies ... twelve levels deep: 9**12 (282 billion) values once expanded
BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x]"] +
                 [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)])


def bomb_in(field: str) -> str:
    nested = "\n".join("  " + line for line in BOMB.splitlines())
    return f"---\nid: rest-tips\nmodule: sleep\nstatus: draft\n{field}:\n{nested}\n---\n{GOOD_BODY}"


def findings(root, rule):
    return [f for f in __import__("conftest").findings_of(root) if f.rule == rule]


@pytest.mark.parametrize("field", ["tags", "review", "sources"])
def test_an_alias_bomb_in_an_entry_is_one_finding_on_its_line_and_the_others_are_checked(repo, field):
    repo.entry("sleep/bomb.md", bomb_in(field))
    repo.entry("sleep/other.md", entry_text(GOOD_BODY.replace("hard,", "hard, so cheer up,"), id="other"))
    found = rules_of(repo.root)
    assert ("entries/sleep/bomb.md", "yaml-aliases") in found
    assert ("entries/sleep/other.md", "dismissive-phrases") in found  # the rest of the library as usual
    bomb = findings(repo.root, "yaml-aliases")[0]
    text = (repo.root / "entries/sleep/bomb.md").read_text()
    assert text.splitlines()[bomb.line - 1].lstrip().startswith("a1: &a1 [*a0")  # the first alias's line
    assert bomb.severity == "error" and "alias" in bomb.message and "Error" not in bomb.message


@pytest.mark.parametrize("name", ["content.yaml", "modules.yaml"])
def test_an_alias_bomb_in_a_settings_file_is_a_finding_and_entries_are_still_checked(repo, name):
    repo.write(name, (repo.root / name).read_text() + "bomb:\n" + "\n".join("  " + line for line in BOMB.splitlines())
               + "\n")
    repo.entry("sleep/rest.md", entry_text(GOOD_BODY.replace("hard,", "hard, so cheer up,")))
    found = rules_of(repo.root)
    assert (name, "yaml-aliases") in found
    assert ("entries/sleep/rest.md", "dismissive-phrases") in found
    assert main(["check", str(repo.root), "--no-cache"]) == 1  # a plain finding, never an internal error


def test_a_settings_file_may_share_a_value_with_a_few_aliases(repo):
    repo.write("content.yaml", (repo.root / "content.yaml").read_text().replace(
        "    credentials: Perinatal psychologist\n", "    credentials: &role Perinatal psychologist\n"
        "  - name: Bo Lind\n    email: bo@example.org\n    credentials: *role\n"))
    repo.entry("sleep/rest.md", entry_text())
    assert not [rule for path, rule in rules_of(repo.root) if path == "content.yaml"]
    assert [r.credentials for r in Repository.open(repo.root).settings.reviewers] == ["Perinatal psychologist"] * 2


@pytest.mark.parametrize("text, rule", [
    ("---\nid: x\ntags: " + "[" * 30_000 + "]" * 30_000 + "\n---\n" + GOOD_BODY, "yaml-too-deep"),
    ("---\nid: x\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(80)) + " " * 80 + "v\n---\n" + GOOD_BODY,
     "yaml-too-deep"),
    ("---\nid: x\n" + "".join(f"k{i}: v\n" for i in range(100_000)) + "---\n" + GOOD_BODY, "frontmatter-too-large"),
    ("---\nbase: &b {status: draft}\n<<: *b\nid: x\n---\n" + GOOD_BODY, "yaml-merge-key"),
    ("---\n<<: {status: draft}\nid: x\n---\n" + GOOD_BODY, "yaml-merge-key"),
    ("---\nid: x\ntags: &t [a, *t]\n---\n" + GOOD_BODY, "yaml-aliases"),
])
def test_frontmatter_beyond_the_limits_is_refused_with_its_own_rule(text, rule):
    fm = Entry.from_text("entries/x.md", text).frontmatter
    assert fm.error is not None and fm.error.rule == rule and fm.data is None
    assert len(fm.error.message) < 200


def test_every_unknown_key_of_a_large_frontmatter_is_reported_at_its_own_line(repo):
    keys = "".join(f"k{i}: v\n" for i in range(3000))
    repo.entry("sleep/keys.md", f"---\nid: rest-tips\nmodule: sleep\nstatus: draft\n{keys}---\n{GOOD_BODY}")
    unknown = [f for f in __import__("conftest").findings_of(repo.root) if f.path.endswith("keys.md")
               and f.category == "schema" and f.rule != "missing-field"]
    assert len(unknown) == 3000
    assert sorted(f.line for f in unknown) == list(range(5, 3005))


def test_the_quick_path_and_the_event_scan_read_the_same_data():
    plain = "id: x\nmodule: sleep\ntags: [a, b]\nreview:\n  by: ana@example.org\n  date: 2026-01-02\n"
    assert yaml_limits.quick(plain) and not yaml_limits.quick(plain + "note: '&'\n")
    quick = fmlib.parse_document(plain).data
    scanned = fmlib.parse_document(plain + "note: '&'\n").data
    assert scanned == {**quick, "note": "&"}


def test_nested_duplicate_keys_are_findings(repo):
    repo.entry("sleep/dup.md", "---\nid: rest-tips\nmodule: sleep\nstatus: draft\nreview:\n  by: a\n  by: b\n---\n"
               + GOOD_BODY)
    dup = findings(repo.root, "duplicate-field")
    assert len(dup) == 1 and dup[0].line == 7 and "review.by" in dup[0].message


# ---------------------------------------------------------------- the writer

@pytest.mark.parametrize("text, key, words", [
    ("---\nid: q\nstatus: &s draft\nold: *s\n---\nbody\n", "status", "line 4"),  # an anchor another field uses
    ("---\nx: &s draft\nstatus: *s\n---\nbody\n", "status", "line 3"),  # an alias: editing would rewrite x
    ("---\nbase: &b {status: draft}\n<<: *b\n---\nbody\n", "status", "line 3"),  # a merge key
    ("---\nstatus: draft\nid: q\nstatus: in-review\n---\nbody\n", "status", "lines 2 and 4"),  # given twice
    ("---\nx: &s draft\nstatus: draft\n---\nbody\n", "x", "line 2"),  # an anchor on the field edited
])
def test_the_writer_refuses_an_edit_it_cannot_keep_and_names_the_line(text, key, words):
    for change in (lambda: edit.set_field(text, key, "approved"), lambda: edit.remove_field(text, key)):
        with pytest.raises(fmlib.FrontmatterEditError) as refused:
            change()
        assert words in str(refused.value)


def test_an_unused_anchor_elsewhere_does_not_stop_an_edit_of_another_field():
    text = "---\nx: &s draft\nstatus: draft\n---\nbody\n"
    assert edit.set_field(text, "status", "in-review") == "---\nx: &s draft\nstatus: in-review\n---\nbody\n"


def test_review_request_on_a_status_given_twice_is_refused_and_commits_nothing(tmp_path, capsys):
    clone = shared_library(tmp_path, [("Wren Ade", "wren@example.org")])[0]
    path = "entries/sleep/worry-at-bedtime.md"
    target = clone / path
    text = target.read_text()
    target.write_text(text.replace("status: draft\n", "status: in-review\nstatus: draft\n", 1))
    git(clone, "commit", "-qam", "two statuses")
    head = git(clone, "rev-parse", "HEAD")
    code = main(["review", "request", str(target)])
    err = capsys.readouterr().err
    assert code != 0 and "given more than once" in err and "Traceback" not in err
    assert git(clone, "rev-parse", "HEAD") == head and git(clone, "status", "--porcelain") == ""


def test_an_alias_bomb_in_a_comment_file_is_an_unreadable_comment_not_a_hang(repo):
    repo.entry("sleep/rest.md", entry_text())
    repo.write("entries/sleep/rest.comments/t1.yaml", "quote: rest\n" + BOMB + "\n")
    found = rules_of(repo.root)
    assert ("entries/sleep/rest.md", "unreadable-comment") in found


def test_a_new_field_goes_before_a_document_end_line():
    assert edit.set_field("---\nid: q\n...\n---\nbody\n", "status", "draft") == "---\nid: q\nstatus: draft\n...\n---\nbody\n"


def test_a_frontmatter_written_as_one_flow_mapping_refuses_a_new_field_rather_than_breaking():
    text = "---\n{id: q, status: draft}\n---\nbody\n"
    assert edit.set_field(text, "status", "in-review") == "---\n{id: q, status: in-review}\n---\nbody\n"
    with pytest.raises(fmlib.FrontmatterEditError, match="edit it in the text"):
        edit.set_field(text, "review", {"reviewer": "ana"})


YAML_PIECES = st.sampled_from(["id: q\n", "status: draft\n", "status: &s draft\n", "old: *s\n", "<<: {x: 1}\n",
                               "tags: [a, b]\n", "tags:\n  - a\n", "{id: q, status: draft}\n", "...\n", "# note\n",
                               "'status': x\n", "review:\n  by: a\n  by: b\n", "x: |\n  a\n  b\n", "  \n",
                               "x: 'a''b'\n", "y: \"\\t\"\n", "z: 2026-01-02\n", "? status\n: v\n", "k: [\n", "]\n"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_PIECES, max_size=8).map("".join), st.sampled_from(["status", "tags", "review", "id"]),
       st.one_of(st.sampled_from(["in-review", "a: b", "#x", ""]), st.lists(st.sampled_from(["x", "y z"]), max_size=2),
                 st.just({"reviewer": "ana", "on": "2026-01-01"})))
def test_an_edit_either_is_refused_or_changes_exactly_its_field_as_yaml_itself_reads_it(yaml_text, key, value):
    """The oracle is PyYAML's own reader, not the writer's: whatever the frontmatter holds (anchors,
    aliases, merge keys, repeated keys, a flow mapping, '...'), an edit that is not refused yields
    YAML that reads, with ``value`` under ``key`` and every other field as it was."""
    text = f"---\n{yaml_text}---\nbody\n"
    try:
        changed = edit.set_field(text, key, value)
    except fmlib.FrontmatterEditError:
        return
    before = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    after = yaml.safe_load(fmlib.split(changed).yaml_text)
    assert changed.endswith("---\nbody\n") and isinstance(after, dict)
    assert after[key] == value
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in (before or {}).items() if k != key}
