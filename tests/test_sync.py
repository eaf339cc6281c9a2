"""Status, commits, and sync with a bare remote: no path drops a writer's work."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git, shared_library
from editor.content.repository import Repository
from editor.vcs.commit import CommitBlocked, commit_entries
from editor.vcs.status import parse_status, status
from editor.vcs.sync import backup, has_conflict_markers, pull, push

ENTRY = "entries/sleep/sharing-night-feeds.md"


@pytest.fixture
def clones(tmp_path):
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Sam Writer", "sam@example.org")])


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_status_from_one_porcelain_call(clones):
    a, _ = clones
    edit(a, ENTRY, "A: ", "A: Truly, ")
    (a / "entries" / "sleep" / "new.md").write_text("draft", encoding="utf-8")
    git(a, "mv", "entries/sleep/coping-with-sleep-deprivation.md", "entries/sleep/coping.md")
    state = status(a)
    assert state.branch == "main" and state.upstream == "origin/main" and (state.ahead, state.behind) == (0, 0)
    kinds = {c.path: c.kind for c in state.changes}
    assert kinds == {ENTRY: "modified", "entries/sleep/new.md": "untracked", "entries/sleep/coping.md": "renamed"}
    renamed = next(c for c in state.changes if c.kind == "renamed")
    assert renamed.original == "entries/sleep/coping-with-sleep-deprivation.md" and renamed.staged


def test_parse_status_reads_conflicts_and_divergence():
    text = ("# branch.oid abc\0# branch.head main\0# branch.upstream origin/main\0# branch.ab +2 -3\0"
            "u UU N... 100644 100644 100644 100644 a b c entries/x.md\0? notes.txt\0")
    state = parse_status(text)
    assert (state.ahead, state.behind) == (2, 3) and state.conflicted == ["entries/x.md"]


def test_backup_keeps_everything_and_touches_nothing(clones):
    a, _ = clones
    edit(a, ENTRY, "A: ", "A: Unsaved thought. ")
    (a / "scratch.md").write_text("untracked idea", encoding="utf-8")
    before = git(a, "status", "--porcelain")
    ref = backup(a, "test")
    assert git(a, "status", "--porcelain") == before
    assert "Unsaved thought." in git(a, "show", f"{ref}:{ENTRY}")
    assert git(a, "show", f"{ref}:scratch.md") == "untracked idea"


def test_diverged_pull_is_explained_not_forced_and_work_survives(clones):
    a, b = clones
    edit(b, ENTRY, "A: ", "A: From b. ")
    git(b, "commit", "-qam", "b\n")
    git(b, "push", "-q", "origin", "main")
    edit(a, "entries/sleep/worry-at-bedtime.md", "A: ", "A: From a. ")
    git(a, "commit", "-qam", "a\n")
    (a / ENTRY).write_text((a / ENTRY).read_text(encoding="utf-8") + "\nSo many nights.\n", encoding="utf-8")
    # uncommitted work in a file the pull changes
    result = pull(a)
    assert not result.ok and "both changed" in result.message
    assert "So many" in (a / ENTRY).read_text(encoding="utf-8")
    assert result.backup and "So many" in git(a, "show", f"{result.backup}:{ENTRY}")
    git(a, "stash", "-q")  # the writer sets the edit aside as the guided flow does, then rebases
    rebased = pull(a, "rebase")
    assert rebased.ok, rebased.message
    git(a, "stash", "pop", "-q")
    text = (a / ENTRY).read_text(encoding="utf-8")
    assert "From b." in text and "So many" in text


def test_conflict_is_listed_and_cannot_be_committed(clones):
    a, b = clones
    edit(b, ENTRY, "A: ", "A: Theirs. ")
    git(b, "commit", "-qam", "b\n")
    git(b, "push", "-q", "origin", "main")
    edit(a, ENTRY, "A: ", "A: Mine. ")
    git(a, "commit", "-qam", "a\n")
    result = pull(a, "merge")
    assert not result.ok and ENTRY in result.message
    assert status(a).conflicted == [ENTRY]
    assert has_conflict_markers((a / ENTRY).read_text(encoding="utf-8"))
    with pytest.raises(CommitBlocked, match="conflict markers"):
        commit_entries(Repository.open(a), [ENTRY], "Resolve")


def test_rejected_push_says_what_to_do(clones):
    a, b = clones
    edit(b, ENTRY, "A: ", "A: B first. ")
    git(b, "commit", "-qam", "b\n")
    assert push(b).ok
    edit(a, "entries/sleep/worry-at-bedtime.md", "A: ", "A: A second. ")
    git(a, "commit", "-qam", "a\n")
    result = push(a)
    assert not result.ok and "Pull first" in result.message


def test_credentials_never_prompt(clones):
    a, _ = clones
    git(a, "remote", "set-url", "origin", "https://127.0.0.1:9/nobody/library.git")
    result = push(a)
    assert not result.ok and result.message


def test_commit_blocked_by_errors_unless_a_reason_is_given(clones):
    a, _ = clones
    repo = Repository.open(a)
    edit(a, ENTRY, "A: ", "A: See [this](?tab=modules&module=nowhere). ")
    with pytest.raises(CommitBlocked) as blocked:
        commit_entries(repo, [ENTRY], "Add a link")
    assert [f.rule for f in blocked.value.findings] == ["unknown-module"]
    sha = commit_entries(repo, [ENTRY], "Add a link", "For the new module", override_reason="module ships next week")
    message = git(a, "log", "-1", "--format=%B", sha)
    assert message.startswith("Add a link\n\nFor the new module\n\nCommitted despite 1 error(s): module ships next week")


def test_commit_only_the_selected_files(clones):
    a, _ = clones
    edit(a, ENTRY, "A: ", "A: One. ")
    edit(a, "entries/sleep/worry-at-bedtime.md", "A: ", "A: Two. ")
    git(a, "add", "entries/sleep/worry-at-bedtime.md")
    commit_entries(Repository.open(a), [ENTRY], "Only this one", override_reason=None)
    assert git(a, "show", "--name-only", "--format=", "HEAD").split() == [ENTRY]
    assert "worry-at-bedtime.md" in git(a, "status", "--porcelain")


def test_discard_keeps_a_backup(clones):
    from editor.vcs.git import discard

    a, _ = clones
    edit(a, ENTRY, "A: ", "A: Regrettable words. ")
    (a / "entries" / "sleep" / "scratch.md").write_text("scratch", encoding="utf-8")
    discard(a, ENTRY)
    discard(a, "entries/sleep/scratch.md")
    assert "Regrettable" not in (a / ENTRY).read_text(encoding="utf-8")
    assert not (a / "entries" / "sleep" / "scratch.md").exists()
    refs = git(a, "for-each-ref", "--format=%(refname)", "refs/malone/backups").split()
    assert len(refs) == 2
    assert any("Regrettable" in git(a, "show", f"{ref}:{ENTRY}") for ref in refs)
