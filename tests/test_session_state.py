"""The session keeps the repository's state current (no widget): after every git step, on
request (the window's activation), and by the background fetch; one signal when it changes;
reads overtaken by newer ones dropped; the library read again when the files moved underneath."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import git, shared_library  # noqa: E402
from test_repo_state import ENTRY, replace_in  # noqa: E402

LONG = 20000


@pytest.fixture
def team(tmp_path):
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")])


@pytest.fixture
def session(qtbot, team, tmp_path):
    from editor.content.recovery import RecoveryStore
    from editor.session.session import Session

    session = Session(team[0], RecoveryStore(tmp_path / "recovery"))
    with qtbot.waitSignals([session.libraryChanged, session.repoStateChanged], timeout=LONG):
        session.load()
    yield session
    session.close(10000)


def settled(qtbot, session) -> None:
    """Every state read asked for has come back."""
    qtbot.waitUntil(lambda: session.git._writes == 0 and session.git._shown == session.git._asked, timeout=LONG)


def test_one_signal_when_the_state_changes_and_none_when_it_does_not(qtbot, session):
    changes = []
    session.repoStateChanged.connect(changes.append)
    session.git.refresh_state()
    settled(qtbot, session)
    assert changes == []  # read again, nothing changed: no signal
    replace_in(session.root, ENTRY, b"A: ", b"A: Edited in a terminal. ")
    with qtbot.waitSignal(session.repoStateChanged, timeout=LONG):
        session.git.refresh_state()
    assert [c.path for c in session.git.state.changes] == [ENTRY]
    assert len(changes) == 1


def test_the_background_fetch_finds_what_colleagues_pushed(qtbot, session, team):
    _, colleague = team
    assert session.git.fetch_timer.isActive() and session.git.fetch_timer.interval() <= 5 * 60 * 1000
    replace_in(colleague, ENTRY, b"A: ", b"A: From Ana. ")
    git(colleague, "commit", "-qam", "From Ana\n")
    git(colleague, "push", "-q", "origin", "main")
    with qtbot.waitSignal(session.repoStateChanged, timeout=LONG,
                          check_params_cb=lambda state: state.behind == 1 and state.reachable is True):
        session.git.background_fetch()


def test_a_state_read_overtaken_by_a_newer_one_is_dropped(qtbot, session):
    from editor.vcs.state import RepoState

    newer, older = RepoState(branch="newer"), RepoState(branch="older")
    session.git._state_read(session.git._asked + 2, newer)
    session.git._state_read(session.git._asked + 1, older)  # asked for earlier, came back later
    assert session.git.state is newer


def test_a_commit_keeps_the_library_and_a_pull_reads_it_again(qtbot, session, team):
    _, colleague = team
    loads = []
    session.libraryChanged.connect(lambda: loads.append(1))
    replace_in(session.root, ENTRY, b"A: ", b"A: Mine. ")
    got = []
    session.git.commit([ENTRY], "Mine", "", None, on_done=got.append, on_error=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=LONG)
    settled(qtbot, session)
    assert session.git.state.ahead == 1 and loads == []  # a commit changes no file: nothing to read again
    new = "entries/sleep/from-ana.md"
    (colleague / new).write_text((colleague / ENTRY).read_text(encoding="utf-8").replace(
        "id: sharing-night-feeds", "id: from-ana"), encoding="utf-8")
    git(colleague, "add", "--", new)
    git(colleague, "commit", "-qm", "From Ana\n")
    git(colleague, "push", "-q", "origin", "main")
    with qtbot.waitSignal(session.libraryChanged, timeout=LONG):
        session.git.sync("pull", "merge", on_done=got.append, on_error=got.append)
    assert any(row.path == new for row in session.rows)
