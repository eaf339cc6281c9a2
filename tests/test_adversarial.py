"""Adversarial reproductions: each test states a promise of README's Guarantees and failed on the
code it was written against. Nothing here is xfail: a passing test means the bug is fixed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import ROOT, git  # noqa: E402
from test_ui import make_window, no_modal_dialogs  # noqa: E402, F401 - the autouse answer to every question

PY_CLASS = re.compile(r"\b[A-Z][a-zA-Z]*(Error|Exception)\b|Traceback")


def close(window):
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)


def committed_library(tmp_path, monkeypatch):
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    root = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Maya Chen")
    git(root, "config", "user.email", "maya.chen@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Library")
    return root


def commit_file(root, relative, data: bytes, message):
    (root / relative).write_bytes(data)
    git(root, "add", "--", relative)
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


ENTRY = "entries/sleep/sharing-night-feeds.md"
HEAD = b"---\nid: sharing-night-feeds\nmodule: sleep\nstatus: draft\n---\n### Q: How do we share night feeds?\n\n"


def _plain(message: str) -> None:
    assert not PY_CLASS.search(message), message
    assert "\n" not in message.strip(), message


# ---------------------------------------------------------------------------------------- 1. lossless


def test_restore_version_after_an_emoji_restores_that_version_exactly(qtbot, tmp_path, monkeypatch):
    """History > Restore This Version of a body with an emoji (any character outside the BMP)
    before the changed part: the editor must then hold exactly that version. replace_text
    computes the common prefix in Python characters but positions a QTextCursor, which counts
    UTF-16 units, so each astral character shifts the replaced span by one."""
    root = committed_library(tmp_path, monkeypatch)
    v1 = HEAD + "A: Night feeds are hard \U0001F499 for both of you.\n\nTake turns.\n".encode()
    v2 = HEAD + "A: Night feeds are hard \U0001F499 for both of you.\n\nTake turns at night, gently.\n".encode()
    sha1 = commit_file(root, ENTRY, v1, "v1")
    commit_file(root, ENTRY, v2, "v2")
    window = make_window(qtbot, root)
    assert window.open_entry(ENTRY)
    window.git._restore(sha1)
    qtbot.waitUntil(lambda: window.session.is_modified, timeout=10000)
    assert window.save()
    try:
        assert (root / ENTRY).read_bytes() == v1
    finally:
        close(window)


def test_recovered_draft_of_an_entry_with_an_emoji_is_restored_exactly(qtbot, tmp_path, monkeypatch):
    """After a crash the next start offers the kept draft; Restore must put back exactly the words
    that were kept. Restoring goes through replace_text, which positions the cursor in Python
    characters, not in Qt's UTF-16 units: an emoji before the change shifts it."""
    root = committed_library(tmp_path, monkeypatch)
    on_disk = HEAD + "A: Night feeds are hard \U0001F499\U0001F499 for both of you.\n\nTake turns.\n".encode()
    (root / ENTRY).write_bytes(on_disk)
    kept = on_disk.decode().replace("Take turns.", "Take turns, and rest when you can.")
    window = make_window(qtbot, root)
    window.session.recovery.save(window.session.root, ENTRY, kept, None)  # a draft of a window that is gone
    window.recovery.offer_recovery()
    window.drafts_panel.rows[0].restore.click()
    qtbot.waitUntil(lambda: window.session.is_modified, timeout=10000)
    try:
        assert window.editor.text() == kept
    finally:
        close(window)








def test_noncharacter_fdd0_survives_an_edit_elsewhere(qtbot, tmp_path, monkeypatch):
    """U+FDD0/U+FDD1 are valid UTF-8 text, but Qt's insertText makes a new block at each (they
    are its frame markers). EditorText's break pattern does not know them, so after any edit the
    character is saved as a line feed: a silent change far from the edit."""
    root = committed_library(tmp_path, monkeypatch)
    original = HEAD + "A: Take turns\ufdd0 and rest.\n".encode()
    (root / ENTRY).write_bytes(original)
    window = make_window(qtbot, root)
    assert window.open_entry(ENTRY)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "X")
    assert window.save()
    try:
        assert (root / ENTRY).read_bytes() == original + b"X"
    finally:
        close(window)


# ---------------------------------------------------------------------------------------- 3. plain failures


@pytest.fixture
def make_session(qtbot, tmp_path):
    from editor.content.recovery import RecoveryStore
    from editor.session.session import Session

    made = []

    def make(root, recovery=None):
        session = Session(root, RecoveryStore(recovery or tmp_path / "recovery"))
        with qtbot.waitSignal(session.libraryChanged, timeout=20000):
            session.load()
        made.append(session)
        return session

    yield make
    for session in made:
        session.close(10000)


def run_git(qtbot, operation, *args):
    """Run a session.git operation and return what it delivered: a result or a Failure."""
    got = []
    operation(*args, on_done=got.append, on_error=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=30000)
    return got[0]


def said(result) -> str:
    return getattr(result, "message", str(result))


def team(tmp_path):
    from conftest import shared_library

    return shared_library(tmp_path, [("Maya Chen", "maya.chen@example.org"), ("Ana Ruiz", "ana.ruiz@example.org")])


def diverge(writer, other):
    """Both writers change the same line; the other pushes first."""
    from editor.vcs import sync

    for clone, word in ((other, "Alpha"), (writer, "Beta")):
        path = clone / ENTRY
        path.write_text(path.read_text(encoding="utf-8").replace("A:", f"A: {word}", 1), encoding="utf-8")
        git(clone, "commit", "-qam", word)
    assert sync.push(other).ok


@pytest.mark.parametrize("what", ["fetch", "pull", "push"])
def test_unreachable_remote_folder_is_said_in_one_plain_line(qtbot, tmp_path, make_session, what):
    """A remote that is a folder which does not exist (a moved share, an unplugged drive):
    explain() knows URLs it cannot reach, but passes git's four-line 'does not appear to be a git
    repository ... Please make sure you have the correct access rights' through as it is."""
    writer, _ = team(tmp_path)
    git(writer, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    session = make_session(writer)
    _plain(said(run_git(qtbot, session.git.sync, what, "ff-only")))


def test_push_without_a_remote_is_said_in_one_plain_line(qtbot, tmp_path, make_session, monkeypatch):
    """A library that was never cloned (git init on a laptop): Push shows git's raw
    "fatal: 'origin' does not appear to be a git repository" paragraph."""
    root = committed_library(tmp_path, monkeypatch)
    session = make_session(root)
    _plain(said(run_git(qtbot, session.git.sync, "push", "ff-only")))




def test_push_in_the_middle_of_a_rebase_is_said_plainly(qtbot, tmp_path, make_session):
    """After a rebase stopped on a conflict HEAD is detached; Push shows git's 14-line
    'The destination you provided is not a full refname ... hint: ...' text."""
    writer, other = team(tmp_path)
    diverge(writer, other)
    session = make_session(writer)
    assert run_git(qtbot, session.git.sync, "pull", "rebase").kind == "conflicts"
    _plain(said(run_git(qtbot, session.git.sync, "push", "ff-only")))




@pytest.fixture
def no_identity(tmp_path, monkeypatch):
    home = tmp_path / "home-no-identity"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("step", ["request", "changes"])
def test_review_step_without_identity_is_plain_and_changes_nothing(qtbot, tmp_path, make_session, no_identity,
                                                                   monkeypatch, step):
    """Review > Request Review with no git identity: the status is written to the file and staged,
    then git's 12-line 'Author identity unknown *** Please tell me who you are' text is shown
    (with "stderr: '"), and the file stays changed and staged though nothing was committed
    (ReviewError: 'The review step was refused; nothing changed')."""
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    root = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Setup", "-c", "user.email=setup@example.org", "commit", "-q", "-m", "Library")
    before = (root / ENTRY).read_bytes()
    session = make_session(root)
    result = run_git(qtbot, session.git.review, step, ENTRY, "Soften the second paragraph")
    try:
        _plain(said(result))
    finally:
        assert (root / ENTRY).read_bytes() == before
        assert git(root, "status", "--porcelain") == ""


# ---------------------------------------------------------------------------------------- quick fixes


def test_quick_fix_right_after_typing_replaces_the_right_word(qtbot, tmp_path, monkeypatch):
    """Ctrl+. applies the finding under the cursor. The finding's span is kept as fixed positions
    from the last check (EditorPanel._ranges), so a writer who types a few letters earlier on the
    line and presses Ctrl+. before the next check (350 ms + the check) gets the suggestion written
    over the wrong characters: "> " typed first turns module=slep into "modulsleepep", a link
    that is now broken differently. (Typing more than the word's length makes Ctrl+. do nothing.)"""
    root = committed_library(tmp_path, monkeypatch)
    path = "entries/sleep/worry-at-bedtime.md"
    window = make_window(qtbot, root)
    assert window.open_entry(path)
    editor = window.editor
    qtbot.waitUntil(lambda: any(f.rule == "unknown-module" and f.line == 26 for f in editor.findings), timeout=10000)
    block = editor.document().findBlockByNumber(25)
    cursor = editor.textCursor()
    cursor.setPosition(block.position())
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "> ")  # the writer makes the line a quote
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + block.text().index("slep") + 1)  # on the misspelt slug
    editor.setTextCursor(cursor)
    editor.fix_action.trigger()  # Ctrl+.
    try:
        line = editor.document().findBlockByNumber(25).text()
        assert line == "> [Tap here](?tab=modules&module=sleep) to learn more about sleep.", line
    finally:
        close(window)


# ---------------------------------------------------------------------------------------- 2. disk and other writers


def test_reload_theirs_after_the_file_was_deleted_keeps_the_unsaved_words(qtbot, tmp_path, monkeypatch):
    """The open entry is deleted on disk (a pull, a colleague, a sync client) while it has unsaved
    words. The banner offered "Reload Theirs"; there was nothing to reload, the open failed, and the
    words were in the widget with nothing counting them as unsaved. Now the banner says the file
    was deleted and offers no reload; the words stay unsaved, with their draft (issue 14)."""
    root = committed_library(tmp_path, monkeypatch)
    window = make_window(qtbot, root)
    assert window.open_entry(ENTRY)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "Words I must not lose.")
    window.session.autosave()
    window.session.tasks.wait(10000)
    assert window.session.drafts()
    (root / ENTRY).unlink()
    window.documents._file_changed(str(root / ENTRY))  # what the file watcher reports
    # a deleted file has nothing to reload: the banner says it is deleted and offers to save it again
    assert "Reload Theirs" not in window.banner.buttons and "deleted" in window.banner.label.text()
    window.reload_from_disk()  # File > Reload from Disk does not drop the words either
    try:
        assert "Words I must not lose." in window.editor.text()
        assert window.is_modified() and window.session.drafts(), "the words are nowhere but on screen, unguarded"
    finally:
        close(window)




def test_an_entry_with_a_long_file_name_can_be_saved(make_session, tmp_path, monkeypatch):
    """A file name of 240 bytes is a valid name (ext4 allows 255), and it opens; but the temporary
    file's name adds '.' + '.~malone-PID-XXXXXXXX.tmp' (about 27 bytes) and goes over the limit,
    so every save fails with 'File name too long'."""
    root = committed_library(tmp_path, monkeypatch)
    relative = "entries/sleep/" + "a" * 237 + ".md"
    (root / relative).write_bytes(HEAD + b"A: Take turns.\n")
    session = make_session(root)
    document = session.open(relative)
    session.edit(document.text + "More.\n")
    failure = session.save()
    assert failure is None, failure.message


# ---------------------------------------------------------------------------------------- 4. the command line


def test_cli_review_request_without_identity_says_one_plain_line(tmp_path, monkeypatch, no_identity):
    """`malone-editor review request ENTRY` with no git identity prints git's 12-line
    "Author identity unknown *** Please tell me who you are" text, wrapped in GitPython's
    "stderr: '...'", on stderr (and leaves the entry changed and staged: see the Session test)."""
    root = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Setup", "-c", "user.email=setup@example.org", "commit", "-q", "-m", "Library")
    result = subprocess.run([sys.executable, "-m", "editor", "review", "request", ENTRY], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "stderr:" not in result.stderr


@pytest.mark.parametrize("display", ["0", ":O", "/tmp/no-such-socket:0"])
def test_a_malformed_display_is_one_line_and_exit_2(tmp_path, display):
    """DISPLAY=0 (the colon forgotten) or another name display_problem() does not parse is let
    through as "cannot tell", and Qt then aborts the process (SIGABRT, exit 134, a core dump) after
    seven lines of qt.qpa messages, instead of the promised one line and exit 2."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(DISPLAY=display, MALONE_EDITOR_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-m", "editor"], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert (result.returncode, len(result.stderr.strip().splitlines())) == (2, 1), result.stderr
    assert result.stderr.startswith("malone-editor: no display found")




def test_add_to_dictionary_keeps_the_dictionarys_line_endings(qtbot, tmp_path, make_session, monkeypatch):
    """"Add to Dictionary" rewrites dictionary.txt from read_text(), which turns CRLF into LF: a
    team's CRLF dictionary has every line changed by adding one word."""
    root = committed_library(tmp_path, monkeypatch)
    (root / "dictionary.txt").write_bytes(b"doula\r\nlactation\r\n")
    session = make_session(root)
    with qtbot.waitSignal(session.repositoryChanged, timeout=10000):
        session.add_word("Swaddle")
    assert (root / "dictionary.txt").read_bytes().startswith(b"doula\r\nlactation\r\n")


def test_a_metadata_edit_keeps_words_typed_just_before(qtbot, tmp_path, monkeypatch):
    """The form builds its edit from its own copy of the text (MetadataForm._text), refreshed only
    when a check comes back and only while the form has no focus. A writer who types a sentence
    and then clicks into Tags within the check delay (350 ms) edits tags from the old copy:
    replace_text() then "restores" the old text and the sentence just typed is deleted."""
    root = committed_library(tmp_path, monkeypatch)
    window = make_window(qtbot, root)
    assert window.open_entry(ENTRY)
    qtbot.waitUntil(lambda: window.session.live is not None, timeout=10000)
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "A sentence typed a moment ago.")
    window.metadata.tags.setFocus()  # clicked into Tags right away
    qtbot.waitUntil(lambda: window.metadata.tags.hasFocus(), timeout=5000)
    with qtbot.waitSignal(window.session.findingsChanged, timeout=10000):
        pass  # the check of the new text comes back while Tags has the focus
    window.metadata.tags.setText("sleep, partners")
    window.metadata.tags.editingFinished.emit()
    try:
        assert "A sentence typed a moment ago." in window.editor.text()
    finally:
        close(window)




def test_a_library_owned_by_someone_else_is_said_plainly(qtbot, tmp_path, make_session, monkeypatch):
    """A library on a shared or mounted drive owned by another user: git refuses with its
    four-line "detected dubious ownership ... git config --global --add safe.directory" text, which
    the Changes panel shows as it is (cut at 200 characters)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give the folder to another user")
    root = committed_library(tmp_path, monkeypatch)
    subprocess.run(["chown", "-R", "65534:65534", str(root)], check=True)
    session = make_session(root)
    _plain(said(run_git(qtbot, session.git.status)))


def test_demo_into_a_folder_that_cannot_be_made_is_one_plain_line(tmp_path):
    """`malone-editor demo FILE/sub` (or a folder the user may not write): an OSError from making
    the folder is reported as "internal error ... Please report this" on two lines, without the
    folder it could not make, as if it were a bug of the tool."""
    (tmp_path / "a-file").write_text("x")
    result = subprocess.run([sys.executable, "-m", "editor", "demo", str(tmp_path / "a-file" / "sub")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "internal error" not in result.stderr and "a-file" in result.stderr
