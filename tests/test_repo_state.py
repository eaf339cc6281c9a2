"""The repository's state and conflicts in the core (no Qt): two clones of a bare remote, real git.

Each reproduction of issue 14 is a test: "Use My Version" during a rebase took the colleague's
text, finishing a rebase left it unfinished, finishing a merge committed what else was staged,
CRLF became LF, a hook's refusal said "Pull first", and "Already up to date." was said where
nothing could be compared."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import git, shared_library
from editor.content.repository import Repository
from editor.render.diff import conflict_html, word_changes
from editor.vcs import advice, conflicts, sync
from editor.vcs import git as vcs
from editor.vcs.commit import CommitBlocked, commit_entries
from editor.vcs.process import VcsError, explain
from editor.vcs.state import MERGE, REBASE, STALE_LOCK_SECONDS, read_state, remove_stale_lock

ENTRY = "entries/sleep/sharing-night-feeds.md"
OTHER = "entries/sleep/worry-at-bedtime.md"
WRITER, COLLEAGUE = ("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")


@pytest.fixture
def team(tmp_path):
    return shared_library(tmp_path, [WRITER, COLLEAGUE])


def remote_of(clone: Path) -> Path:
    return clone.parent / "remote.git"


def shared_bytes(clone: Path, path: str = ENTRY) -> bytes:
    """The file as the shared library has it, read by git itself from the bare remote."""
    return subprocess.run(["git", "-C", str(remote_of(clone)), "show", f"main:{path}"], check=True,
                          capture_output=True).stdout


def replace_in(root: Path, path: str, old: bytes, new: bytes) -> bytes:
    data = (root / path).read_bytes()
    assert old in data
    data = data.replace(old, new, 1)
    (root / path).write_bytes(data)
    return data


def conflicting_edits(writer: Path, colleague: Path, crlf: bool = False) -> tuple[bytes, bytes]:
    """Both change the same line; the colleague pushes first. Returns (writer's bytes, colleague's bytes)."""
    if crlf:  # the entry is CRLF on the shared library before either edit
        data = (colleague / ENTRY).read_bytes().replace(b"\n", b"\r\n")
        (colleague / ENTRY).write_bytes(data)
        git(colleague, "commit", "-qam", "CRLF\n")
        git(colleague, "push", "-q", "origin", "main")
        git(writer, "pull", "-q", "--ff-only")
    theirs = replace_in(colleague, ENTRY, b"A: ", b"A: Their careful words. ")
    git(colleague, "commit", "-qam", "Their wording\n")
    git(colleague, "push", "-q", "origin", "main")
    mine = replace_in(writer, ENTRY, b"A: ", b"A: My gentle words. ")
    git(writer, "commit", "-qam", "My wording\n")
    return mine, theirs


def tree_bytes(root: Path) -> dict[str, bytes]:
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = Path(folder) / name
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def never_up_to_date(result) -> None:
    assert "up to date" not in result.message.lower(), result.message


# ---------------------------------------------------------------------------------------- the state


def test_state_of_a_fresh_clone_and_what_the_last_fetch_found(team, tmp_path):
    writer, _ = team
    state = read_state(writer)
    assert (state.branch, state.upstream, state.upstream_remote, state.ahead, state.behind) == \
        ("main", "origin/main", "origin", 0, 0)
    assert state.remotes == ("origin",) and state.operation is None and state.lock is None and not state.detached
    assert state.reachable is None and advice.describe(state).actions == (advice.FETCH,)  # not compared yet
    assert sync.fetch(writer).ok
    state = read_state(writer)
    assert state.reachable is True and advice.describe(state).text.startswith("Up to date with the shared library")
    git(writer, "remote", "set-url", "origin", str(tmp_path / "moved-away.git"))
    sync.fetch_quietly(writer)  # the background fetch: never raises, keeps what it found
    state = read_state(writer)
    assert state.reachable is False and "cannot be found" in state.reach_problem
    said = advice.describe(state)
    assert "could not be reached at the last try" in said.text and said.actions == (advice.FETCH,)


def test_not_a_repository_is_a_state_not_an_exception(tmp_path):
    state = read_state(tmp_path)
    assert not state.repository and "not a git repository" in state.problem
    assert advice.refusal(state, "pull") and sync.pull(tmp_path).kind == sync.REFUSED


# ---------------------------------------------------------------------------------------- conflicts


@pytest.mark.parametrize("how", ["merge", "rebase"])
@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_a_choice_is_that_persons_text_and_reaches_the_shared_library(team, how, side):
    writer, colleague = team
    mine, theirs = conflicting_edits(writer, colleague)
    result = sync.pull(writer, how)
    assert result.kind == sync.CONFLICTS and ENTRY in result.message
    state = read_state(writer)
    assert state.operation.kind == (MERGE if how == "merge" else REBASE)
    assert state.operation.unresolved == [ENTRY]
    if how == "rebase":
        assert state.detached and state.operation.branch == "main"
        assert state.operation.replaying.subject == "My wording"  # the writer's commit being replayed
    said = advice.describe(state)
    assert said.actions == (advice.CONTINUE, advice.ABORT) and ENTRY in said.text
    sides = conflicts.conflict_sides(writer, ENTRY)
    assert sides.mine == mine and sides.theirs == theirs  # whatever git's stage numbers mean in a rebase
    assert sides.mine_label == "Your version, not yet shared"
    assert sides.theirs_label == "Ana Ruiz's version, on the shared library"
    assert sides.theirs_choice == "Use Ana Ruiz's Version (on the shared library)"
    conflicts.choose(writer, ENTRY, side)
    chosen = mine if side == "mine" else theirs
    assert (writer / ENTRY).read_bytes() == chosen
    assert read_state(writer).operation.conflicts[0].chosen == side
    finished = conflicts.continue_operation(writer)
    assert finished.ok, finished.message
    state = read_state(writer)
    assert state.operation is None and state.branch == "main" and not state.detached
    assert sync.push(writer).ok
    assert shared_bytes(writer) == chosen
    if side == "mine":
        assert b"My gentle words." in shared_bytes(writer)  # the writer's edit is in the result


@pytest.mark.parametrize("how", ["merge", "rebase"])
def test_a_crlf_entry_stays_crlf(team, how):
    writer, colleague = team
    mine, theirs = conflicting_edits(writer, colleague, crlf=True)
    assert sync.pull(writer, how).kind == sync.CONFLICTS
    sides = conflicts.conflict_sides(writer, ENTRY)
    assert sides.mine == mine and b"\r\n" in sides.mine and b"\n" not in sides.mine.replace(b"\r\n", b"")
    assert sides.theirs == theirs
    conflicts.choose(writer, ENTRY, "mine")
    assert (writer / ENTRY).read_bytes() == mine
    assert conflicts.continue_operation(writer).ok
    assert sync.push(writer).ok and shared_bytes(writer) == mine


@pytest.mark.parametrize("how", ["merge", "rebase"])
def test_abort_restores_exactly_what_was_there(team, how):
    writer, colleague = team
    conflicting_edits(writer, colleague)
    (writer / "notes-to-self.txt").write_bytes(b"an untracked idea\r\n")
    if how == "merge":  # a merge leaves work in files it does not touch where it is
        replace_in(writer, OTHER, b"A: ", b"A: Unfinished thought. ")
    before, head = tree_bytes(writer), git(writer, "rev-parse", "HEAD")
    assert sync.pull(writer, how).kind == sync.CONFLICTS
    conflicts.choose(writer, ENTRY, "theirs")
    result = conflicts.abort_operation(writer)
    assert result.ok and result.backup
    assert tree_bytes(writer) == before
    assert git(writer, "rev-parse", "HEAD") == head
    state = read_state(writer)
    assert state.operation is None and state.branch == "main"
    assert b"Their careful words" in subprocess.run(["git", "-C", str(writer), "show", f"{result.backup}:{ENTRY}"],
                                                    capture_output=True, check=True).stdout  # the choice is kept


def test_a_rebase_stops_at_each_conflict_and_ends_on_the_branch(team):
    writer, colleague = team
    replace_in(colleague, ENTRY, b"A: ", b"A: Theirs one. ")
    replace_in(colleague, OTHER, b"A: ", b"A: Theirs two. ")
    git(colleague, "commit", "-qam", "Theirs\n")
    git(colleague, "push", "-q", "origin", "main")
    replace_in(writer, ENTRY, b"A: ", b"A: Mine one. ")
    git(writer, "commit", "-qam", "First of mine\n")
    replace_in(writer, OTHER, b"A: ", b"A: Mine two. ")
    git(writer, "commit", "-qam", "Second of mine\n")
    assert sync.pull(writer, "rebase").kind == sync.CONFLICTS
    assert read_state(writer).operation.step == (1, 2)
    refused = conflicts.continue_operation(writer)
    assert refused.kind == "refused" and ENTRY in refused.message  # no choice yet: nothing happens
    conflicts.choose(writer, ENTRY, "mine")
    second = conflicts.continue_operation(writer)
    assert second.kind == sync.CONFLICTS and OTHER in second.message
    state = read_state(writer)
    assert state.operation.replaying.subject == "Second of mine" and state.operation.unresolved == [OTHER]
    conflicts.choose(writer, OTHER, "mine")
    assert conflicts.continue_operation(writer).ok
    assert read_state(writer).branch == "main"
    assert git(writer, "log", "--format=%s", "-3").split("\n")[:3] == ["Second of mine", "First of mine", "Theirs"]


def test_finishing_a_merge_commits_only_the_merge_and_the_choices(team):
    writer, colleague = team
    conflicting_edits(writer, colleague)
    assert sync.pull(writer, "merge").kind == sync.CONFLICTS
    staged = replace_in(writer, OTHER, b"A: ", b"A: Staged by a commit that failed. ")
    git(writer, "add", "--", OTHER)
    conflicts.choose(writer, ENTRY, "mine")
    result = conflicts.continue_operation(writer)
    assert result.ok and OTHER in result.message  # said, not committed silently
    assert git(writer, "diff", "--name-only", "HEAD^1", "HEAD").split() == []  # mine kept, nothing else came in
    assert git(writer, "diff", "--name-only", "HEAD^2", "HEAD").split() == [ENTRY]  # against theirs: only the choice
    assert git(writer, "diff", "HEAD", "--", OTHER)  # still changed in the files ...
    assert not git(writer, "diff", "--cached", "--", OTHER)  # ... and no longer staged
    assert (writer / OTHER).read_bytes() == staged


def test_a_commit_or_a_review_step_in_the_middle_is_refused_plainly(team):
    writer, colleague = team
    conflicting_edits(writer, colleague)
    assert sync.pull(writer, "merge").kind == sync.CONFLICTS
    replace_in(writer, OTHER, b"A: ", b"A: More. ")
    with pytest.raises(CommitBlocked, match="middle of merging"):
        commit_entries(Repository.open(writer), [OTHER], "Another change")
    assert not git(writer, "diff", "--cached", "--name-only", "--", OTHER)  # nothing left staged by the try


def test_a_failed_commit_leaves_nothing_staged(team, monkeypatch):
    writer, _ = team
    git(writer, "config", "user.useConfigOnly", "true")
    git(writer, "config", "--unset", "user.email")
    for name in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    replace_in(writer, ENTRY, b"A: ", b"A: Soon. ")
    with pytest.raises(VcsError):
        vcs.commit_paths(writer, [ENTRY], "Soon\n")
    assert git(writer, "diff", "--cached", "--name-only") == ""


def test_a_kill_in_the_middle_of_a_rebase_is_found_at_the_next_start(team):
    """The editor was killed mid-rebase: the next read of the state finds it (nothing is kept in
    memory), and pull and commit refuse instead of saying "Already up to date." or committing on
    the detached HEAD."""
    writer, colleague = team
    conflicting_edits(writer, colleague)
    subprocess.run(["git", "-C", str(writer), "pull", "-q", "--rebase"], capture_output=True)  # as in a terminal
    state = read_state(writer)
    assert state.operation.kind == REBASE and advice.describe(state).actions == (advice.CONTINUE, advice.ABORT)
    result = sync.pull(writer)
    assert result.kind == sync.REFUSED and "Continue" in result.message
    never_up_to_date(result)
    with pytest.raises(VcsError, match="middle of"):
        vcs.commit_paths(writer, [OTHER], "On a detached HEAD\n")
    assert sync.push(writer).kind == sync.REFUSED


# ---------------------------------------------------------------------------------------- refusals


def test_no_upstream_is_said_and_the_branch_can_be_published(team):
    writer, _ = team
    git(writer, "checkout", "-q", "-b", "spring-edits")
    state = read_state(writer)
    said = advice.describe(state)
    assert state.upstream is None and said.actions == (advice.PUBLISH,) and "not shared yet" in said.text
    for result in (sync.pull(writer), sync.push(writer)):
        assert result.kind == sync.REFUSED and "Publish" in result.message
        never_up_to_date(result)
    published = sync.publish(writer)
    assert published.ok, published.message
    assert read_state(writer).upstream == "origin/spring-edits"
    assert git(remote_of(writer), "branch", "--list", "spring-edits").strip() == "spring-edits"


def test_detached_and_no_remote_are_refused_in_plain_words(team):
    writer, _ = team
    git(writer, "checkout", "-q", "--detach")
    assert advice.describe(read_state(writer)).level == advice.ATTENTION
    for result in (sync.pull(writer), sync.push(writer)):
        assert result.kind == sync.REFUSED and "not on a branch" in result.message
        never_up_to_date(result)
    with pytest.raises(VcsError, match="not on a branch"):
        vcs.commit_paths(writer, [ENTRY], "Nowhere\n")
    git(writer, "checkout", "-q", "main")
    git(writer, "remote", "remove", "origin")
    for result in (sync.pull(writer), sync.push(writer), sync.fetch(writer)):
        assert result.kind == sync.REFUSED and "not connected to a shared library" in result.message
        never_up_to_date(result)


def test_a_push_refused_by_a_server_hook_says_the_hooks_words(team):
    writer, _ = team
    hook = remote_of(writer) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'Entries go to main only after a clinical review.' >&2\nexit 1\n")
    hook.chmod(0o755)
    replace_in(writer, ENTRY, b"A: ", b"A: Unreviewed. ")
    git(writer, "commit", "-qam", "Unreviewed\n")
    result = sync.push(writer)
    assert result.kind == sync.SERVER_REFUSED and not result.ok
    assert "Entries go to main only after a clinical review." in result.message
    assert "Pull first" not in result.message and "remote:" not in result.message


# ---------------------------------------------------------------------------------------- locks


def test_a_lock_with_no_git_running_is_stale_only_when_old_and_can_be_removed(team):
    writer, _ = team
    lock = writer / ".git" / "index.lock"
    lock.write_bytes(b"")
    state = read_state(writer)
    assert state.lock is not None and state.lock.git_running is False and not state.lock.stale  # just made
    with pytest.raises(VcsError) as refused:
        vcs.commit_paths(writer, [ENTRY], "Locked\n")
    assert "index.lock" not in str(refused.value) and "Another git program" in str(refused.value)
    with pytest.raises(VcsError, match="still working"):
        remove_stale_lock(writer)
    old = time.time() - STALE_LOCK_SECONDS - 5
    os.utime(lock, (old, old))
    state = read_state(writer)
    assert state.lock.stale and advice.describe(state).actions == (advice.REMOVE_LOCK,)
    remove_stale_lock(writer)
    assert not lock.exists() and read_state(writer).lock is None


def test_a_lock_held_while_git_runs_here_is_never_stale(team):
    writer, _ = team
    lock = writer / ".git" / "index.lock"
    lock.write_bytes(b"")
    old = time.time() - 3600
    os.utime(lock, (old, old))
    busy = subprocess.Popen(["git", "-C", str(writer), "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL)  # a git program at work in this library, waiting for input
    try:
        state = read_state(writer)
        if state.lock.git_running is None:
            pytest.skip("running programs cannot be seen on this system")
        assert state.lock.git_running and not state.lock.stale
        assert "working in this library right now" in advice.describe(state).text
        with pytest.raises(VcsError):
            remove_stale_lock(writer)
        assert lock.exists()
    finally:
        busy.communicate(b"")


# ---------------------------------------------------------------------------------------- words


def test_word_changes_mark_exactly_the_differing_words():
    mine, theirs = "A: My gentle words.\r\nRest well.", "A: Their careful words.\nRest well."
    left, right = word_changes(mine, theirs)
    assert "".join(t for t, _ in left) == mine and "".join(t for t, _ in right) == theirs
    assert [t for t, differs in left if differs and t.strip()] == ["My gentle"]
    assert [t for t, differs in right if differs and t.strip()] == ["Their careful"]
    page = conflict_html("Your version, not yet shared", mine, "Ana Ruiz's version, on the shared library", theirs)
    assert "Ana Ruiz&#x27;s version, on the shared library" in page and "font-weight:bold;\">My gentle</span>" in page


@pytest.mark.parametrize("said, expected", [
    ("error: unable to create temporary file: No space left on device\nfatal: unable to write new index file",
     "no space left on device"),
    ("fatal: Unable to create '/home/maya/library/.git/index.lock': File exists.\n\nAnother git process seems to be "
     "running in this repository", "Another git program is working in this library"),
    ("error: You have not concluded your merge (MERGE_HEAD exists).\nhint: Please, commit your changes",
     "A merge is not finished yet"),
    ("fatal: It seems that there is already a rebase-merge directory", "a rebase) is not finished yet"),
    ("error: Your local changes to the following files would be overwritten by merge:\n\tentries/a.md\nPlease commit",
     "not committed yet"),
])
def test_git_failures_are_plain_words_with_the_reason_kept(said, expected):
    plain = explain(said)
    assert expected in plain and "\n" not in plain
    assert "index.lock" not in plain and "MERGE_HEAD" not in plain and "hint" not in plain
