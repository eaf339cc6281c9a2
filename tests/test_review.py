"""Clinical review through git: a writer and a reviewer in their own clones of a shared remote."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import git, shared_library
from editor.cli import main
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.vcs.review import ReviewError, approve, queue, verify_history

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"  # in review in the sample library


@pytest.fixture
def clones(tmp_path):
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")])


def test_draft_to_approved_across_two_clones(clones, capsys):
    writer, reviewer = clones
    assert main(["review", "changes", str(writer / ENTRY), "--note", "Shorten the second paragraph"]) == 0
    assert Entry.load(writer, ENTRY).status == "draft"
    assert "Shorten the second paragraph" in git(writer, "log", "-1", "--format=%B")
    assert main(["review", "request", str(writer / ENTRY)]) == 0
    git(writer, "push", "-q", "origin", "main")
    git(reviewer, "pull", "-q", "--ff-only")
    assert [i.path for i in queue(Repository.open(reviewer)) if i.reason == "in-review"].count(ENTRY) == 1
    assert main(["review", "approve", str(reviewer / ENTRY)]) == 0
    entry = Entry.load(reviewer, ENTRY)
    review = entry.meta["review"]
    assert entry.status == "approved" and review["reviewer"] == "ana.ruiz@example.org"
    assert review["body_sha256"] == entry.body_sha256
    assert dt.date.fromisoformat(review["next_review"]) - dt.date.fromisoformat(review["reviewed_on"]) == \
        dt.timedelta(days=1095)
    trailer = git(reviewer, "log", "-1", "--format=%(trailers:key=Reviewed-by,valueonly)").strip()
    assert trailer == "Ana Ruiz <ana.ruiz@example.org>"
    git(reviewer, "push", "-q", "origin", "main")
    git(writer, "pull", "-q", "--ff-only")
    capsys.readouterr()
    code = main(["check", str(writer), ENTRY, "--verify-history", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["findings"] == []


def test_non_reviewer_is_refused_and_nothing_changes(clones):
    writer, _ = clones
    before = (writer / ENTRY).read_bytes()
    head = git(writer, "rev-parse", "HEAD")
    with pytest.raises(ReviewError, match="not a clinical reviewer"):
        approve(Repository.open(writer), ENTRY)
    assert (writer / ENTRY).read_bytes() == before and git(writer, "rev-parse", "HEAD") == head


def test_entry_with_errors_cannot_be_approved(clones):
    _, reviewer = clones
    with pytest.raises(ReviewError, match="errors to fix"):
        approve(Repository.open(reviewer), "entries/sleep/worry-at-bedtime.md")


def test_edit_after_approval_voids_it(clones, capsys):
    _, reviewer = clones
    approve(Repository.open(reviewer), ENTRY)
    path = reviewer / ENTRY
    path.write_text(path.read_text(encoding="utf-8").replace("A: ", "A: Truly, ", 1), encoding="utf-8")
    assert [i.reason for i in queue(Repository.open(reviewer)) if i.path == ENTRY] == ["void"]
    capsys.readouterr()
    main(["check", str(reviewer), ENTRY, "--format", "json"])
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["approval-void"]


def test_forged_approval_is_caught_by_verify_history(clones, capsys):
    writer, _ = clones
    path = writer / ENTRY
    entry = Entry.load(writer, ENTRY)
    forged = entry.with_field("review", {"reviewer": "ana.ruiz@example.org", "reviewed_on": dt.date(2026, 11, 1),
                                         "next_review": dt.date(2029, 10, 31), "body_sha256": entry.body_sha256})
    path.write_bytes(forged.with_field("status", "approved").to_bytes())
    capsys.readouterr()
    assert main(["check", str(writer), ENTRY, "--format", "json"]) == 0  # the file alone looks approved
    capsys.readouterr()
    main(["check", str(writer), ENTRY, "--verify-history", "--format", "json"])
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert rules == ["approval-uncommitted"]
    git(writer, "commit", "-q", "-am", "Approve it myself\n")
    findings = verify_history(Repository.open(writer), [ENTRY])
    assert [f.rule for f in findings] == ["approval-unverified"]
    assert "Maya Chen" in findings[0].message


def test_queue_lists_due_and_overdue(clones):
    _, reviewer = clones
    repo = Repository.open(reviewer)
    reasons = {i.reason for i in queue(repo, today=dt.date(2029, 9, 1))}
    assert {"in-review", "due"} <= reasons or {"in-review", "overdue"} <= reasons
    assert any(i.reason == "overdue" for i in queue(repo, today=dt.date(2031, 1, 1)))


def test_review_needs_a_git_repository(sample_repo, capsys):
    assert main(["review", "request", str(sample_repo / ENTRY)]) == 2
    assert "not a git repository" in capsys.readouterr().err
