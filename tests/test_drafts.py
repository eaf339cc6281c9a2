"""Recovery drafts without widgets: the store (one draft per window and entry, windows that are gone
told from windows still running, old drafts still read) and the session (autosave, save, discard,
restore, a failing autosave, a deleted entry)."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import ROOT  # noqa: E402

CLEAN = "entries/sleep/sharing-night-feeds.md"
OTHER = "entries/sleep/worry-at-bedtime.md"
THIRD = "entries/sleep/coping-with-sleep-deprivation.md"


# ---------------------------------------------------------------------------------------- the store


def test_two_windows_keep_two_drafts_and_each_discards_only_its_own(tmp_path):
    from editor.content.recovery import RecoveryStore

    store = RecoveryStore(tmp_path / "recovery")
    store.save(tmp_path, CLEAN, "A's words", "base", owner="window-a")
    store.save(tmp_path, CLEAN, "B's words", "base", owner="window-b")
    store.save(tmp_path, CLEAN, "A's newer words", "base", owner="window-a")  # replaces only A's
    assert sorted((d.owner, d.text) for d in store.drafts(tmp_path)) == [("window-a", "A's newer words"),
                                                                         ("window-b", "B's words")]
    store.discard(tmp_path, CLEAN, owner="window-a")
    assert [(d.owner, d.text) for d in store.drafts(tmp_path)] == [("window-b", "B's words")]
    assert [d.path for d in store.drafts(tmp_path, CLEAN)] == [CLEAN] and store.drafts(tmp_path, OTHER) == []


def test_a_draft_of_the_older_version_is_read_and_offered(tmp_path):
    """Before issue 14 a draft was keyed by (repository, entry) only, with no window id in it."""
    import hashlib

    from editor.content.recovery import RecoveryStore

    folder = tmp_path / "recovery"
    folder.mkdir()
    key = hashlib.sha256(f"{tmp_path.resolve()}\n{CLEAN}".encode()).hexdigest()[:32]
    (folder / f"{key}.json").write_text(json.dumps({"repository": str(tmp_path.resolve()), "path": CLEAN,
                                                    "text": "Old words", "base_sha256": None, "saved_at": 1.0}))
    store = RecoveryStore(folder)
    [draft] = store.orphans(tmp_path, mine="this-window")
    assert (draft.path, draft.text, draft.owner, draft.file.name) == (CLEAN, "Old words", None, f"{key}.json")
    store.save(tmp_path, CLEAN, "New words", None, owner="this-window")  # never written over
    assert sorted(d.text for d in store.drafts(tmp_path)) == ["New words", "Old words"]


def test_a_window_still_running_is_told_from_one_that_is_gone(tmp_path):
    """Another store in this process (another window) sees the lock; a process killed with SIGKILL
    lets go of its lock, so its draft becomes one to offer."""
    from editor.content.recovery import RecoveryStore

    folder = tmp_path / "recovery"
    mine, other = RecoveryStore(folder), RecoveryStore(folder)
    mine.claim("here")
    mine.save(tmp_path, CLEAN, "Still typing", None, owner="here")
    assert other.is_live("here") and other.orphans(tmp_path) == []
    script = ("import sys; from pathlib import Path; from editor.content.recovery import RecoveryStore;"
              "s = RecoveryStore(Path(sys.argv[1])); s.claim('there');"
              "s.save(Path(sys.argv[2]), sys.argv[3], 'Words of a process', None, owner='there');"
              "print('ready', flush=True); sys.stdin.read()")  # alive until killed (or its input closes)
    child = subprocess.Popen([sys.executable, "-c", script, str(folder), str(tmp_path), OTHER],
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        assert other.is_live("there") and other.orphans(tmp_path) == []
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdin.close()
        child.stdout.close()
    assert not other.is_live("there")
    assert [d.text for d in other.orphans(tmp_path)] == ["Words of a process"]
    mine.release("here")  # a clean close: its draft, if left, is offered too
    assert sorted(d.text for d in other.orphans(tmp_path)) == ["Still typing", "Words of a process"]
    other.prune(tmp_path)
    assert sorted(f.name for f in (folder / "windows").iterdir()) == []  # the dead windows' locks are gone


def test_prune_drops_drafts_the_file_already_holds_but_not_a_running_windows(tmp_path):
    from editor.content.recovery import RecoveryStore

    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.md").write_bytes(b"Same text\r\n")
    store, running = RecoveryStore(tmp_path / "recovery"), RecoveryStore(tmp_path / "recovery")
    store.save(tmp_path, "entries/a.md", "Same text\n", None, owner="gone")  # the editor's text of those bytes
    store.save(tmp_path, "entries/a.md", "Other text\n", None, owner="gone-too")
    running.claim("running")
    running.save(tmp_path, "entries/a.md", "Same text\n", None, owner="running")
    store.prune(tmp_path)
    assert sorted(d.owner for d in store.drafts(tmp_path)) == ["gone-too", "running"]


def test_plain_reasons_and_disk_states(tmp_path):
    from editor.content.recovery import CHANGED, DELETED, SAME, Draft, disk_state, plain_reason, sha256_of

    assert plain_reason(OSError(errno.ENOSPC, "No space left on device"), tmp_path) == "the disk is full"
    denied = plain_reason(PermissionError(errno.EACCES, "Permission denied"), tmp_path)
    assert str(tmp_path) in denied and "Errno" not in denied and "Error" not in denied
    (tmp_path / "a.md").write_text("one")
    draft = Draft(str(tmp_path), "a.md", "x", sha256_of(tmp_path / "a.md"), 0.0, tmp_path / "d.json")
    assert disk_state(tmp_path, draft) == SAME
    (tmp_path / "a.md").write_text("two")
    assert disk_state(tmp_path, draft) == CHANGED
    (tmp_path / "a.md").unlink()
    assert disk_state(tmp_path, draft) == DELETED


# ---------------------------------------------------------------------------------------- the session


@pytest.fixture
def sessions(qtbot, library):
    """``make()`` a loaded session on ``library``, as a window makes one; each shares the recovery folder."""
    from editor.content.recovery import RecoveryStore
    from editor.session.session import Session

    made = []

    def make():
        session = Session(library, RecoveryStore(library.parent / "recovery"))
        with qtbot.waitSignal(session.libraryChanged, timeout=20000):
            session.load()
        made.append(session)
        return session

    yield make
    for session in made:
        try:
            session.close(10000)
        except RuntimeError:  # killed by the test
            pass


def keep(qtbot, session):
    """Autosave now and wait until the write is done."""
    session.autosave()
    session.tasks.wait(10000)
    qtbot.waitUntil(lambda: not session.tasks._callbacks, timeout=10000)  # its result is back on this thread


def kill(session):
    """The session's window is gone as a crash takes it: nothing closed or cleaned."""
    import shiboken6

    session.autosave_timer.stop()
    session.tasks.wait(10000)
    store, owner = session.recovery, session.keeper.owner
    shiboken6.delete(session)
    store.release(owner)  # what the system does for a process that dies: its locks are let go


def own_drafts(session):
    return [d for d in session.drafts() if d.owner == session.keeper.owner]


def test_two_windows_on_one_entry_keep_their_own_words(qtbot, sessions, library):
    """A autosaves, B autosaves, A saves, B is killed: B's words are offered on the next start, as
    differing from the file A saved, and restore into a window of their own."""
    from editor.content.recovery import CHANGED

    a, b = sessions(), sessions()
    base = a.open(CLEAN).text
    b.open(CLEAN)
    a.edit(base + "A's words.\n")
    keep(qtbot, a)
    b.edit(base + "B's words.\n")
    keep(qtbot, b)
    assert sorted(d.text[len(base):] for d in a.drafts()) == ["A's words.\n", "B's words.\n"]
    assert a.save() is None
    assert own_drafts(a) == [] and [d.text for d in own_drafts(b)] == [base + "B's words.\n"]
    assert a.keeper.recoverable() == [] and [d.owner for d in a.keeper.elsewhere(CLEAN)] == [b.keeper.owner]
    kill(b)
    c = sessions()
    [item] = c.keeper.recoverable()
    assert item.draft.text == base + "B's words.\n" and item.disk == CHANGED and "night feeds" in item.question.lower()
    document = c.restore(item.draft)
    assert document.text == base + "B's words.\n" and c.is_modified
    assert document.saved_text == base + "A's words.\n"  # the file as A saved it, for the writer to compare
    keep(qtbot, c)
    assert c.keeper.recoverable() == [] and [d.text for d in c.drafts()] == [base + "B's words.\n"]
    assert [d.owner for d in c.drafts()] == [c.keeper.owner]  # the restoring window keeps them now


def test_several_drafts_of_several_entries_are_all_offered_and_each_restorable(qtbot, sessions, library):
    words = {CLEAN: "First.", OTHER: "Second.", THIRD: "Third."}
    for path, text in words.items():
        session = sessions()
        document = session.open(path)
        session.edit(document.text + text)
        keep(qtbot, session)
        kill(session)
    later = sessions()
    items = later.keeper.recoverable()
    assert sorted(i.draft.path for i in items) == sorted(words)
    for path in (OTHER, THIRD, CLEAN):  # in any order, one after the other
        item = next(i for i in later.keeper.recoverable() if i.draft.path == path)
        assert later.restore(item.draft).text.endswith(words[path])
        assert later.save() is None
        assert (library / path).read_text(encoding="utf-8").endswith(words[path])
    assert later.keeper.recoverable() == [] and later.drafts() == []


def test_undone_to_the_saved_text_then_a_clean_quit_leaves_no_draft(qtbot, sessions, library):
    first = sessions()
    saved = first.open(CLEAN).text
    first.edit(saved + "Typed, then undone.")
    keep(qtbot, first)
    assert own_drafts(first)
    first.edit(saved)  # undo to the saved text, and quit before the next autosave
    first.close(10000)
    assert first.drafts() == [] and sessions().keeper.recoverable() == []


def test_undone_to_the_saved_text_the_next_autosave_drops_the_draft(qtbot, sessions):
    session = sessions()
    saved = session.open(CLEAN).text
    session.edit(saved + "x")
    keep(qtbot, session)
    session.edit(saved)
    keep(qtbot, session)
    assert session.drafts() == []


def test_a_draft_the_file_already_holds_is_not_written(qtbot, sessions, library):
    """A colleague wrote the very same words: there is nothing to keep."""
    session = sessions()
    document = session.open(CLEAN)
    text = document.text + "The same words.\n"
    session.edit(text)
    (library / CLEAN).write_bytes(document.encode(text))
    keep(qtbot, session)
    assert session.drafts() == []


def test_a_failing_autosave_is_a_state_in_plain_words_until_a_write_works(qtbot, sessions, monkeypatch):
    from editor.content.recovery import RecoveryStore

    session = sessions()
    session.edit(session.open(CLEAN).text + "Not kept yet.")
    real = RecoveryStore.save

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(RecoveryStore, "save", full)
    seen = []
    session.keeper.problemChanged.connect(seen.append)
    keep(qtbot, session)
    assert session.keeper.problem == "the disk is full" and seen == ["the disk is full"]
    keep(qtbot, session)  # still failing: tried again, said once
    assert seen == ["the disk is full"]
    monkeypatch.setattr(RecoveryStore, "save", real)
    keep(qtbot, session)  # the same text, tried again once the disk has room
    assert session.keeper.problem is None and seen == ["the disk is full", None]
    assert [d.text for d in own_drafts(session)] == [session.document.text]


def test_a_deleted_entry_keeps_its_text_and_is_saved_again(qtbot, sessions, library):
    from editor.session import failures
    from editor.session.document import DocumentError

    raw = b"\xef\xbb\xbf" + (library / CLEAN).read_bytes().replace(b"\n", b"\r\n")  # BOM and CRLF
    (library / CLEAN).write_bytes(raw)
    session = sessions()
    document = session.open(CLEAN)
    session.edit(document.text + "Kept words.")
    keep(qtbot, session)
    (library / CLEAN).unlink()
    assert session.disk_change() == "deleted"
    failure = session.save()
    assert failure.kind == failures.DELETED_ON_DISK and "deleted" in failure.message
    with pytest.raises(DocumentError):
        session.reload()  # nothing to reload, and nothing dropped
    assert session.is_modified and [d.text for d in own_drafts(session)] == [document.text]
    assert session.save(overwrite=True) is None
    assert (library / CLEAN).read_bytes() == raw + b"Kept words."
    assert session.drafts() == [] and not session.is_modified


def test_a_deleted_folder_is_made_again_and_save_as_moves_the_draft(qtbot, sessions, library):
    import shutil

    session = sessions()
    document = session.open(CLEAN)
    original = (library / CLEAN).read_bytes()
    session.edit(document.text + "Moved.")
    keep(qtbot, session)
    shutil.rmtree(library / "entries" / "sleep")
    assert session.save(overwrite=True) is None and (library / CLEAN).read_bytes() == original + b"Moved."
    session.edit(session.document.text + " Again.")
    keep(qtbot, session)
    assert session.save_as("entries/sleep/moved.md") is None
    assert session.document.path == "entries/sleep/moved.md" and session.drafts() == []
    assert (library / "entries/sleep/moved.md").read_bytes() == original + b"Moved. Again."
    assert session.save_as(CLEAN).kind == "disk"  # an existing file is not replaced unless asked
    assert session.save_as("../outside.md").kind == "unsafe-path"


def test_a_draft_of_an_entry_deleted_since_restores_and_saving_makes_it_again(qtbot, sessions, library):
    first = sessions()
    first.edit(first.open(CLEAN).text + "Words.")
    keep(qtbot, first)
    kill(first)
    (library / CLEAN).unlink()
    later = sessions()
    [item] = later.keeper.recoverable()
    assert item.disk == "deleted"
    document = later.restore(item.draft)
    assert document.text.endswith("Words.") and later.is_modified
    assert later.save() is None and (library / CLEAN).read_text(encoding="utf-8").endswith("Words.")


def test_a_discarded_draft_is_gone_and_a_running_windows_is_never_discarded(qtbot, sessions):
    running = sessions()
    running.edit(running.open(CLEAN).text + "Mine.")
    keep(qtbot, running)
    gone = sessions()
    gone.edit(gone.open(OTHER).text + "Theirs.")
    keep(qtbot, gone)
    kill(gone)
    later = sessions()
    [item] = later.keeper.recoverable()
    assert item.draft.path == OTHER
    later.keeper.discard(item.draft)
    [live] = later.keeper.elsewhere(CLEAN)
    later.keeper.discard(live)  # another window still running: its draft stays
    assert later.keeper.recoverable() == [] and [d.path for d in later.drafts()] == [CLEAN]


def test_autosaves_never_write_an_older_text_last(qtbot, sessions):
    session = sessions()
    base = session.open(CLEAN).text
    for number in range(30):
        session.edit(base + "x" * number)
        session.autosave()
    # the writes are queued one after another; the last one written must be the newest text (an
    # older text written last would never come to this)
    qtbot.waitUntil(lambda: [d.text for d in own_drafts(session)] == [base + "x" * 29], timeout=10000)
    session.tasks.wait(10000)
    qtbot.waitUntil(lambda: not session.tasks._callbacks, timeout=10000)
    assert [d.text for d in own_drafts(session)] == [base + "x" * 29]


def test_editing_an_entry_without_restoring_its_draft_never_writes_over_that_draft(qtbot, sessions, library):
    """The draft of a window that is gone stays, whatever this window types and saves, and is then
    offered as differing from the file."""
    first = sessions()
    base = first.open(CLEAN).text
    first.edit(base + "Words of the crashed window.")
    keep(qtbot, first)
    kill(first)
    later = sessions()
    later.open(CLEAN)
    later.edit(base + "Other words.")
    keep(qtbot, later)
    assert later.save() is None
    [item] = later.keeper.recoverable(CLEAN)
    assert item.draft.text == base + "Words of the crashed window." and item.disk == "changed"
