"""The repository's state and conflicts in the editor window, on two clones of a bare remote:
real widgets, real git, no fixed sleeps."""
from __future__ import annotations

import os
import subprocess

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMessageBox, QWidget  # noqa: E402

from conftest import git, shared_library  # noqa: E402
from test_adversarial import PY_CLASS  # noqa: E402
from test_repo_state import ENTRY, OTHER, conflicting_edits, remote_of, replace_in, shared_bytes, tree_bytes  # noqa: E402
from test_ui import make_window, open_and_wait, type_at_end  # noqa: E402

LONG = 20000


@pytest.fixture(autouse=True)
def answer_yes(monkeypatch, tmp_path):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


@pytest.fixture
def team(tmp_path):
    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")])


def close(window):
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)


def state_offers(window, *actions) -> bool:
    return tuple(window.git.changes.state.buttons) == actions


def row_of(changes, path: str) -> int:
    return next(i for i in range(changes.files.count()) if path in changes.files.item(i).text())


def plain(text: str) -> None:
    assert text and not PY_CLASS.search(text) and "fatal:" not in text and "hint:" not in text, text


def come_back_to(qtbot, window) -> None:
    """The writer switches to a terminal and back: the window is activated again."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=LONG)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=LONG)


@pytest.mark.parametrize("how", ["merge", "rebase"])
@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_choose_a_version_continue_and_push(qtbot, team, how, side):
    writer, colleague = team
    mine, theirs = conflicting_edits(writer, colleague)
    window = make_window(qtbot, writer)
    changes = window.git.changes
    window.git.act("rebase" if how == "rebase" else "merge")
    qtbot.waitUntil(lambda: state_offers(window, "continue", "abort"), timeout=LONG)
    assert "changed on both sides" in changes.state.label.text() and ENTRY in changes.state.label.text()
    assert window.git.changes_dock.isVisible() and changes.state.isVisible()
    changes.files.setCurrentRow(row_of(changes, ENTRY))
    qtbot.waitUntil(lambda: changes.use_theirs.isVisible(), timeout=LONG)
    page = changes.diff.toPlainText()
    assert "Your version, not yet shared" in page and "Ana Ruiz's version, on the shared library" in page
    assert page.index("My gentle words.") < page.index("Ana Ruiz's version") < page.index("Their careful words.")
    assert "font-weight:700" in changes.diff.toHtml() or "font-weight:bold" in changes.diff.toHtml()
    assert changes.use_mine.text() == "Use Your Version (not yet shared)"
    assert changes.use_theirs.text() == "Use Ana Ruiz's Version (on the shared library)"
    (changes.use_mine if side == "mine" else changes.use_theirs).click()
    chosen = mine if side == "mine" else theirs
    qtbot.waitUntil(lambda: "press Continue" in changes.message.text(), timeout=LONG)
    assert (writer / ENTRY).read_bytes() == chosen
    qtbot.waitUntil(lambda: "version chosen" in changes.files.item(row_of(changes, ENTRY)).text(), timeout=LONG)
    changes.state.buttons["continue"].click()
    qtbot.waitUntil(lambda: window.session.git.state is not None and window.session.git.state.operation is None
                    and window.session.git.state.branch == "main", timeout=LONG)
    assert "main" in changes.branch.text() and "unfinished" not in changes.branch.text()
    window.git.sync("push")
    qtbot.waitUntil(lambda: changes.message.text() == "Pushed.", timeout=LONG)
    assert shared_bytes(writer) == chosen
    close(window)


def test_commit_in_the_middle_points_to_continue(qtbot, team):
    writer, colleague = team
    conflicting_edits(writer, colleague)
    window = make_window(qtbot, writer)
    changes = window.git.changes
    window.git.act("merge")
    qtbot.waitUntil(lambda: state_offers(window, "continue", "abort"), timeout=LONG)
    head = git(writer, "rev-parse", "HEAD")
    changes.summary.setText("Resolve")
    changes.commit_button.click()
    qtbot.waitUntil(lambda: "Continue" in changes.message.text(), timeout=LONG)
    assert "Tick the files" not in changes.message.text()
    assert git(writer, "rev-parse", "HEAD") == head
    close(window)


def test_a_rebase_left_by_a_killed_editor_is_shown_with_continue_and_abort(qtbot, team):
    writer, colleague = team
    conflicting_edits(writer, colleague)
    (writer / "notes-to-self.txt").write_bytes(b"untracked\n")
    before, head = tree_bytes(writer), git(writer, "rev-parse", "HEAD")
    subprocess.run(["git", "-C", str(writer), "pull", "-q", "--rebase"], capture_output=True)  # then the kill
    window = make_window(qtbot, writer)
    changes = window.git.changes
    qtbot.waitUntil(lambda: state_offers(window, "continue", "abort"), timeout=LONG)
    assert "putting your commits on top of the shared library" in changes.state.label.text()
    assert "My wording" in changes.state.label.text()  # the writer's commit being replayed
    assert changes.state.isVisible() and changes.state.buttons["abort"].isVisible()
    assert "rebase unfinished" in changes.branch.text()
    window.git.sync("pull")
    qtbot.waitUntil(lambda: "middle of" in changes.message.text(), timeout=LONG)
    assert "up to date" not in changes.message.text().lower()
    changes.state.buttons["abort"].click()
    qtbot.waitUntil(lambda: window.session.git.state is not None and window.session.git.state.operation is None, timeout=LONG)
    assert tree_bytes(writer) == before and git(writer, "rev-parse", "HEAD") == head
    assert "Back to exactly how things were" in changes.message.text()
    close(window)


def test_a_push_refused_by_a_server_hook_shows_the_hooks_words(qtbot, team):
    writer, _ = team
    hook = remote_of(writer) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'Main takes reviewed entries only: ask Ana.' >&2\nexit 1\n")
    hook.chmod(0o755)
    replace_in(writer, ENTRY, b"A: ", b"A: Unreviewed. ")
    git(writer, "commit", "-qam", "Unreviewed\n")
    window = make_window(qtbot, writer)
    window.git.changes.sync_buttons["push"].click()
    qtbot.waitUntil(lambda: "refused" in window.git.changes.message.text(), timeout=LONG)
    text = window.git.changes.message.text()
    assert "Main takes reviewed entries only: ask Ana." in text and "Pull first" not in text
    close(window)


@pytest.mark.parametrize("state", ["no upstream", "detached", "no remote"])
def test_pull_and_push_never_say_up_to_date_where_nothing_can_be_compared(qtbot, team, state):
    writer, _ = team
    if state == "no upstream":
        git(writer, "checkout", "-q", "-b", "spring-edits")
    elif state == "detached":
        git(writer, "checkout", "-q", "--detach")
    else:
        git(writer, "remote", "remove", "origin")
    window = make_window(qtbot, writer)
    changes = window.git.changes
    qtbot.waitUntil(lambda: window.session.git.state is not None, timeout=LONG)
    for what in ("pull", "push"):
        changes.message.clear()
        changes.sync_buttons[what].click()
        qtbot.waitUntil(lambda: bool(changes.message.text()) and not changes.message.text().endswith("\u2026"),
                        timeout=LONG)
        assert "up to date" not in changes.message.text().lower()
        plain(changes.message.text())
    said = changes.state.label.text()
    expected = {"no upstream": "not shared yet", "detached": "not on a branch", "no remote": "not connected"}[state]
    assert expected in said
    if state == "no upstream":
        assert changes.state.buttons["publish"].text() == "Publish This Branch"
        changes.state.buttons["publish"].click()
        qtbot.waitUntil(lambda: "Published spring-edits" in changes.message.text(), timeout=LONG)
        qtbot.waitUntil(lambda: "spring-edits  \u21910" in changes.branch.text(), timeout=LONG)
    close(window)


def test_pull_refreshes_the_entry_list(qtbot, team):
    writer, colleague = team
    new = "entries/sleep/naps-for-parents.md"
    source = (colleague / ENTRY).read_text(encoding="utf-8")
    (colleague / new).write_text(source.replace("id: sharing-night-feeds", "id: naps-for-parents"), encoding="utf-8")
    git(colleague, "add", "--", new)
    git(colleague, "commit", "-qm", "A new entry\n")
    git(colleague, "push", "-q", "origin", "main")
    window = make_window(qtbot, writer)
    assert window.browser.item_for(new) is None
    window.git.changes.sync_buttons["pull"].click()
    qtbot.waitUntil(lambda: window.browser.item_for(new) is not None, timeout=LONG)
    assert any(row.path == new for row in window.session.rows)
    close(window)


def test_a_checkout_underneath_is_noticed_when_the_window_comes_back(qtbot, team):
    writer, _ = team
    window = make_window(qtbot, writer)
    changes = window.git.changes
    qtbot.waitUntil(lambda: changes.branch.text().startswith("main"), timeout=LONG)
    git(writer, "checkout", "-q", "-b", "other")  # in a terminal, while the window is in the background
    new = "entries/sleep/only-on-other.md"
    (writer / new).write_text((writer / ENTRY).read_text(encoding="utf-8").replace("id: sharing-night-feeds",
                                                                                   "id: only-on-other"), encoding="utf-8")
    git(writer, "add", "--", new)
    git(writer, "commit", "-qm", "Only on other\n")
    come_back_to(qtbot, window)
    qtbot.waitUntil(lambda: changes.branch.text().startswith("other"), timeout=LONG)
    qtbot.waitUntil(lambda: window.browser.item_for(new) is not None, timeout=LONG)
    assert "not shared yet" in changes.state.label.text()
    close(window)


def test_a_commit_while_a_lock_is_held_says_so_in_plain_words(qtbot, team):
    writer, _ = team
    window = make_window(qtbot, writer)
    open_and_wait(qtbot, window, OTHER)
    type_at_end(qtbot, window, "\nOne more line.")
    assert window.save()
    (writer / ".git" / "index.lock").write_bytes(b"")  # a terminal's git at work
    window.git.commit([OTHER], "One more line", "", "a reason")
    changes = window.git.changes
    qtbot.waitUntil(lambda: "Another git program" in changes.message.text(), timeout=LONG)
    plain(changes.message.text())
    assert "index.lock" not in changes.message.text()
    close(window)


def test_a_choice_on_a_full_disk_says_why_and_changes_nothing(qtbot, team, monkeypatch):
    import errno

    writer, colleague = team
    conflicting_edits(writer, colleague)
    window = make_window(qtbot, writer)
    changes = window.git.changes
    window.git.act("rebase")
    qtbot.waitUntil(lambda: state_offers(window, "continue", "abort"), timeout=LONG)
    before = (writer / ENTRY).read_bytes()

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("editor.content.atomic.os.fsync", no_space)
    changes.files.setCurrentRow(row_of(changes, ENTRY))
    qtbot.waitUntil(lambda: changes.use_mine.isVisible(), timeout=LONG)
    changes.use_mine.click()
    qtbot.waitUntil(lambda: "No space left on device" in changes.message.text(), timeout=LONG)
    plain(changes.message.text())
    assert (writer / ENTRY).read_bytes() == before
    assert window.session.git.state.operation.unresolved == [ENTRY]
    close(window)
