"""Adversarial tests of the collaboration promises (review provenance, review steps, repository
state, conflicts, drafts), with real git: a bare remote and one clone per person. Each test is named
for the promise it checks; a failing one is a break of that promise."""
from __future__ import annotations

import datetime as dt
import os
import subprocess

import pytest

from conftest import git, shared_library
import test_drafts
import test_review_provenance
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.vcs import conflicts, sync
from editor.vcs.review import ReviewError, approve, note_of, request_changes
from editor.vcs.state import read_state

# the same set-ups as the tests they attack: two sessions on one library, and a --verify-history run
sessions, keep, kill = test_drafts.sessions, test_drafts.keep, test_drafts.kill
verify = test_review_provenance.verify

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
OTHER = "entries/feeding/when-feeding-hurts.md"
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
GRACE = ("Grace Miller", "grace.miller@example.org")
MAYA = ("Maya Chen", "maya.chen@example.org")  # a writer, not a reviewer


def as_person(person) -> list[str]:
    return ["-c", f"user.name={person[0]}", "-c", f"user.email={person[1]}"]


def share(source, target, branch="main"):
    git(source, "push", "-q", "origin", branch)
    git(target, "fetch", "-q", "origin")
    if branch == "main":
        git(target, "merge", "-q", "--ff-only", "origin/main")


def approved_bytes(root, path=ENTRY, reviewer=ANA[1], extra_body="") -> bytes:
    entry = Entry.load(root, path)
    if extra_body:
        entry = entry.with_body(entry.body.rstrip("\n") + "\n\n" + extra_body + "\n")
    block = {"reviewer": reviewer, "reviewed_on": dt.date(2026, 11, 1), "next_review": dt.date(2029, 10, 31),
             "body_sha256": entry.body_sha256}
    return entry.with_field("review", block).with_field("status", "approved").to_bytes()


def keypair(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(key)], check=True)
    return key, key.with_suffix(".pub").read_text(encoding="utf-8").strip()


def set_key(root, person, public, by):
    text = (root / "content.yaml").read_text(encoding="utf-8")
    text = text.replace(f"    email: {person[1]}\n", f"    email: {person[1]}\n    signing_key: \"{public}\"\n")
    (root / "content.yaml").write_text(text, encoding="utf-8")
    git(root, *as_person(by), "commit", "-q", "-m", "Signing key", "--", "content.yaml")


def remove_reviewer(root, person, by):
    text = (root / "content.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - name: {person[0]}\n")
    end = text.index("  - name:", start + 1) if "  - name:" in text[start + 1:] else text.index("crisis_resources")
    (root / "content.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    git(root, *as_person(by), "commit", "-q", "-m", f"{person[0]} is no longer a reviewer", "--", "content.yaml")


@pytest.fixture
def team(tmp_path):
    return shared_library(tmp_path, [MAYA, ANA, GRACE])


# ---------------------------------------------------------------------------------------------- provenance


def test_a_signing_key_cannot_be_bypassed_by_approving_on_a_branch_forked_before_the_key(team, tmp_path, verify):
    # Ana lists her key; Maya branches off the commit before it, forges an unsigned Ana approval there, merges it.
    writer, reviewer, _ = team
    _, public = keypair(tmp_path / "keys", "ana")
    before_key = git(reviewer, "rev-parse", "HEAD").strip()
    set_key(reviewer, ANA, public, by=ANA)
    share(reviewer, writer)
    git(writer, "switch", "-q", "-c", "old", before_key)
    (writer / ENTRY).write_bytes(approved_bytes(writer, extra_body="A sentence Ana never read."))
    git(writer, *as_person(ANA), "commit", "-q", "-am", "Approve")  # unsigned, every name right
    git(writer, "switch", "-q", "main")
    git(writer, "merge", "-q", "--no-edit", "old")
    assert "signing_key" in (writer / "content.yaml").read_text(encoding="utf-8")
    code, findings = verify(writer)
    assert code == 1 and [f["rule"] for f in findings] == ["approval-unverified"], findings


def test_a_removed_reviewer_cannot_reinstate_herself_with_a_merge_of_a_stale_branch(team, verify):
    # Ana removes Grace; Grace merges main into her branch forked earlier keeping her own content.yaml (-s ours), approves.
    writer, reviewer, grace = team
    git(grace, "switch", "-q", "-c", "stale")
    (grace / OTHER).write_text((grace / OTHER).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(grace, "commit", "-q", "-am", "Some work of mine")
    remove_reviewer(reviewer, GRACE, by=ANA)
    git(reviewer, "push", "-q", "origin", "main")
    git(grace, "fetch", "-q", "origin")
    git(grace, "merge", "-q", "-s", "ours", "--no-edit", "origin/main")
    assert "grace.miller@example.org" in (grace / "content.yaml").read_text(encoding="utf-8")
    approve(Repository.open(grace), ENTRY)
    git(grace, "push", "-q", "origin", "stale:main")  # a fast-forward of main
    git(writer, "pull", "-q", "--ff-only")
    code, findings = verify(writer)
    assert code == 1 and [f["rule"] for f in findings] == ["approval-unverified"], findings


# ---------------------------------------------------------------------------------------------- review notes


@pytest.mark.parametrize("note", ["---\nstatus: approved\n---", "key: [unclosed {\n# not a comment\n&a *b !!python/object",
                                  "x" * 50_000])
def test_a_review_note_of_any_text_keeps_the_frontmatter_intact(team, note):
    # request_changes with a note holding ---, YAML syntax or 100 KB; the entry must read back the same note and body.
    _, reviewer, _ = team
    body = Entry.load(reviewer, ENTRY).body
    request_changes(Repository.open(reviewer), ENTRY, note)
    entry = Entry.load(reviewer, ENTRY)
    assert entry.problem is None and entry.status == "draft" and entry.body == body
    assert note_of(entry).note == note.strip()


def test_a_review_note_that_would_make_the_frontmatter_too_large_is_refused_and_changes_nothing(team):
    _, reviewer, _ = team
    before = (reviewer / ENTRY).read_bytes()
    head = git(reviewer, "rev-parse", "HEAD")
    with pytest.raises(ReviewError, match="would be too large.*64 KB allowed; shorten the 'review_note' field"):
        request_changes(Repository.open(reviewer), ENTRY, "x" * 100_000)
    assert (reviewer / ENTRY).read_bytes() == before and git(reviewer, "rev-parse", "HEAD") == head


# ---------------------------------------------------------------------------------------------- conflicts


def replace_in(root, path, old: bytes, new: bytes) -> bytes:
    data = (root / path).read_bytes()
    assert old in data
    data = data.replace(old, new, 1)
    (root / path).write_bytes(data)
    return data


def tree_bytes(root) -> dict[str, bytes]:
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = handle.read()
    return found


def test_finishing_a_merge_runs_the_repositorys_hooks(team):
    # a pre-commit hook that refuses; a merge conflict, choose mine, Continue: the merge commit must not skip the hook.
    writer, colleague, _ = team
    replace_in(colleague, ENTRY, b"A: ", b"A: Theirs. ")
    git(colleague, "commit", "-qam", "Theirs")
    git(colleague, "push", "-q", "origin", "main")
    replace_in(writer, ENTRY, b"A: ", b"A: Mine. ")
    git(writer, "commit", "-qam", "Mine")
    assert sync.pull(writer, "merge").kind == sync.CONFLICTS
    hook = writer / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'No commits today.' >&2\nexit 1\n")
    hook.chmod(0o755)
    conflicts.choose(writer, ENTRY, "mine")
    result = conflicts.continue_operation(writer)
    assert not result.ok and "No commits today." in result.message, result.message


def test_abort_after_choices_in_a_three_commit_rebase_restores_every_byte(team):
    # three commits of mine each conflicting; choose mine at the first, theirs at the second, then Abort.
    writer, colleague, _ = team
    paths = [ENTRY, OTHER, "entries/sleep/sharing-night-feeds.md"]
    for path in paths:
        replace_in(colleague, path, b"A: ", b"A: Theirs. ")
    git(colleague, "commit", "-qam", "Theirs")
    git(colleague, "push", "-q", "origin", "main")
    for number, path in enumerate(paths):
        replace_in(writer, path, b"A: ", f"A: Mine {number}. ".encode())
        git(writer, "commit", "-qam", f"Mine {number}")
    (writer / "untracked.txt").write_bytes(b"\xef\xbb\xbfidea\r\n")
    before, head = tree_bytes(writer), git(writer, "rev-parse", "HEAD")
    assert sync.pull(writer, "rebase").kind == sync.CONFLICTS
    conflicts.choose(writer, ENTRY, "mine")
    assert conflicts.continue_operation(writer).kind == sync.CONFLICTS
    conflicts.choose(writer, OTHER, "theirs")
    conflicts.continue_operation(writer)
    result = conflicts.abort_operation(writer)
    assert result.ok, result.message
    assert tree_bytes(writer) == before and git(writer, "rev-parse", "HEAD") == head
    assert read_state(writer).operation is None and read_state(writer).branch == "main"


def test_a_crlf_entry_with_a_bom_keeps_both_in_the_chosen_side(team):
    # the entry is BOM + CRLF on main; both sides edit one line; rebase; choose theirs then mine: bytes exact.
    writer, colleague, _ = team
    data = b"\xef\xbb\xbf" + (colleague / ENTRY).read_bytes().replace(b"\n", b"\r\n")
    (colleague / ENTRY).write_bytes(data)
    git(colleague, "commit", "-qam", "BOM and CRLF")
    git(colleague, "push", "-q", "origin", "main")
    git(writer, "pull", "-q", "--ff-only")
    theirs = replace_in(colleague, ENTRY, b"A: ", b"A: Theirs. ")
    git(colleague, "commit", "-qam", "Theirs")
    git(colleague, "push", "-q", "origin", "main")
    mine = replace_in(writer, ENTRY, b"A: ", b"A: Mine. ")
    git(writer, "commit", "-qam", "Mine")
    assert sync.pull(writer, "rebase").kind == sync.CONFLICTS
    sides = conflicts.conflict_sides(writer, ENTRY)
    assert (sides.mine, sides.theirs) == (mine, theirs)
    conflicts.choose(writer, ENTRY, "theirs")
    conflicts.choose(writer, ENTRY, "mine")
    assert conflicts.continue_operation(writer).ok
    assert (writer / ENTRY).read_bytes() == mine
    assert subprocess.run(["git", "-C", str(writer), "show", f"HEAD:{ENTRY}"], capture_output=True).stdout == mine


@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_a_conflict_where_the_colleague_deleted_the_entry_can_be_resolved_either_way(team, side):
    # Ana deletes the entry and pushes, Maya edits it; pull --rebase; choose; Continue ends on main with that choice.
    writer, colleague, _ = team
    git(colleague, "rm", "-q", ENTRY)
    git(colleague, "commit", "-qm", "Remove")
    git(colleague, "push", "-q", "origin", "main")
    mine = replace_in(writer, ENTRY, b"A: ", b"A: Mine. ")
    git(writer, "commit", "-qam", "Mine")
    assert sync.pull(writer, "rebase").kind == sync.CONFLICTS
    sides = conflicts.conflict_sides(writer, ENTRY)
    assert sides.mine == mine and sides.theirs is None
    conflicts.choose(writer, ENTRY, side)
    result = conflicts.continue_operation(writer)
    assert result.ok, result.message
    state = read_state(writer)
    assert state.operation is None and state.branch == "main"
    assert ((writer / ENTRY).read_bytes() if (writer / ENTRY).exists() else None) == (mine if side == "mine" else None)


def test_continue_refuses_while_a_file_staged_in_a_terminal_still_has_markers(team):
    # merge conflict, `git add` of the file with its markers in a terminal, then Continue: refused, no commit.
    writer, colleague, _ = team
    replace_in(colleague, ENTRY, b"A: ", b"A: Theirs. ")
    git(colleague, "commit", "-qam", "Theirs")
    git(colleague, "push", "-q", "origin", "main")
    replace_in(writer, ENTRY, b"A: ", b"A: Mine. ")
    git(writer, "commit", "-qam", "Mine")
    assert sync.pull(writer, "merge").kind == sync.CONFLICTS
    head = git(writer, "rev-parse", "HEAD")
    git(writer, "add", ENTRY)
    result = conflicts.continue_operation(writer)
    committed = git(writer, "show", f"HEAD:{ENTRY}")
    assert not result.ok and git(writer, "rev-parse", "HEAD") == head, (result.message, "<<<<<<< " in committed)


def test_a_stale_lock_is_removable_while_git_runs_in_another_repository(team, tmp_path):
    # an old index.lock here, `git cat-file --batch` running in an unrelated repository: the lock is stale.
    import time

    from editor.vcs.state import STALE_LOCK_SECONDS, remove_stale_lock
    writer, _, _ = team
    elsewhere = tmp_path / "clone-10"  # a name that starts like the clone's own folder
    git(tmp_path, "init", "-q", str(elsewhere))
    lock = writer / ".git" / "index.lock"
    lock.write_bytes(b"")
    old = time.time() - STALE_LOCK_SECONDS - 5
    os.utime(lock, (old, old))
    busy = subprocess.Popen(["git", "-C", str(elsewhere), "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL)
    try:
        state = read_state(writer)
        assert state.lock.git_running is False and state.lock.stale
        remove_stale_lock(writer)
        assert not lock.exists()
    finally:
        busy.communicate(b"")


def test_a_commit_in_a_merge_started_in_a_terminal_is_refused(team):
    # `git merge` in a terminal stops on a conflict; the tool's commit of another entry is refused, nothing staged.
    from editor.vcs.commit import CommitBlocked, commit_entries
    writer, colleague, _ = team
    replace_in(colleague, ENTRY, b"A: ", b"A: Theirs. ")
    git(colleague, "commit", "-qam", "Theirs")
    git(colleague, "push", "-q", "origin", "main")
    replace_in(writer, ENTRY, b"A: ", b"A: Mine. ")
    git(writer, "commit", "-qam", "Mine")
    git(writer, "fetch", "-q")
    subprocess.run(["git", "-C", str(writer), "merge", "origin/main"], capture_output=True)
    head = git(writer, "rev-parse", "HEAD")
    replace_in(writer, OTHER, b"A: ", b"A: More. ")
    with pytest.raises(CommitBlocked):
        commit_entries(Repository.open(writer), [OTHER], "Another change")
    assert git(writer, "rev-parse", "HEAD") == head
    assert not git(writer, "diff", "--cached", "--name-only", "--", OTHER)


# ---------------------------------------------------------------------------------------------- drafts


def test_a_killed_windows_draft_survives_the_other_windows_save_and_is_offered(qtbot, sessions):
    # A and B on one entry, both autosave, B is killed first, then A saves: B's words are still offered (to A and a new window).
    clean = "entries/sleep/sharing-night-feeds.md"
    a, b = sessions(), sessions()
    base = a.open(clean).text
    b.open(clean)
    a.edit(base + "A's words.\n")
    keep(qtbot, a)
    b.edit(base + "B's words.\n")
    keep(qtbot, b)
    kill(b)
    assert a.save() is None
    keep(qtbot, a)
    texts = [item.draft.text for item in sessions().keeper.recoverable()]
    assert texts == [base + "B's words.\n"], texts
