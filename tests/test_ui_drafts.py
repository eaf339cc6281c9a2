"""Never losing work, through the real widgets: two windows on one entry, every draft offered on
start and when its entry opens, a failing autosave as a lasting banner, a deleted entry kept."""
from __future__ import annotations

import errno
import os
import stat

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from test_ui import CLEAN, SLEEPY, crash, make_window, no_modal_dialogs, open_and_wait, type_at_end  # noqa: E402, F401

THIRD = "entries/sleep/coping-with-sleep-deprivation.md"


def kept(qtbot, window):
    """Autosave now (as the 3-second timer does) and wait for the write."""
    window.session.autosave()
    window.session.tasks.wait(10000)
    qtbot.waitUntil(lambda: not window.session.tasks._callbacks, timeout=10000)


def own_draft(window):
    return [d.text for d in window.session.drafts() if d.owner == window.session.keeper.owner]


def rows(window):
    return {row.item.draft.path: row for row in window.drafts_panel.rows}


def quit_cleanly(window):
    window.close()
    assert not window.isVisible()


def test_two_windows_on_one_entry_then_one_is_killed(qtbot, library):
    """A autosaves, B autosaves, A saves, B is killed: B's words are restorable on the next start."""
    a = make_window(qtbot, library)
    b = make_window(qtbot, library, register=False)
    open_and_wait(qtbot, a, CLEAN)
    open_and_wait(qtbot, b, CLEAN)
    type_at_end(qtbot, a, "Words of window A.")
    kept(qtbot, a)
    type_at_end(qtbot, b, "Words of window B.")
    kept(qtbot, b)
    a.activateWindow()  # Ctrl+S is the active window's
    qtbot.waitUntil(a.isActiveWindow)
    qtbot.keyClick(a.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: a.state_label.text() == "Saved")
    assert own_draft(a) == [] and own_draft(b)[0].endswith("Words of window B.")  # A deleted only its own
    crash(b)
    quit_cleanly(a)
    c = make_window(qtbot, library)
    qtbot.waitUntil(lambda: c.drafts_panel.isVisible() and CLEAN in rows(c), timeout=10000)
    row = rows(c)[CLEAN]
    assert "changed on disk since" in row.label.text() and "share night feeds" in row.label.text().lower()
    row.restore.click()
    qtbot.waitUntil(lambda: c.editor.text().endswith("Words of window B."))
    assert c.is_modified() and "Words of window A." not in c.editor.text()
    assert c.banner.isVisible() and "changed on disk" in c.banner.label.text()  # compare before saving
    assert c.session.document.saved_text.endswith("Words of window A.")
    c.session.discard_changes()


def test_every_draft_is_offered_on_start_and_each_restores_on_its_own(qtbot, library):
    words = {CLEAN: "First entry's words.", SLEEPY: "Second entry's words.", THIRD: "Third entry's words."}
    for path, text in words.items():
        window = make_window(qtbot, library, register=False)
        open_and_wait(qtbot, window, path)
        type_at_end(qtbot, window, text)
        kept(qtbot, window)
        crash(window)
    later = make_window(qtbot, library)
    qtbot.waitUntil(lambda: later.drafts_panel.isVisible() and len(later.drafts_panel.rows) == 3, timeout=10000)
    assert set(rows(later)) == set(words)
    rows(later)[SLEEPY].restore.click()
    qtbot.waitUntil(lambda: later.editor.text().endswith(words[SLEEPY]))
    assert later.save()
    qtbot.waitUntil(lambda: set(rows(later)) == {CLEAN, THIRD})  # the other two are still offered
    rows(later)[THIRD].restore.click()
    qtbot.waitUntil(lambda: later.editor.text().endswith(words[THIRD]))
    assert later.save()
    qtbot.waitUntil(lambda: set(rows(later)) == {CLEAN})
    rows(later)[CLEAN].discard.click()
    qtbot.waitUntil(lambda: not later.drafts_panel.isVisible())
    for path in (SLEEPY, THIRD):
        assert (library / path).read_text(encoding="utf-8").endswith(words[path])
    assert not (library / CLEAN).read_text(encoding="utf-8").endswith(words[CLEAN])
    assert later.session.drafts() == []


def test_opening_an_entry_with_a_draft_offers_it(qtbot, library):
    first = make_window(qtbot, library, register=False)
    open_and_wait(qtbot, first, CLEAN)
    type_at_end(qtbot, first, "Kept for later.")
    kept(qtbot, first)
    crash(first)
    later = make_window(qtbot, library)
    qtbot.waitUntil(lambda: later.drafts_panel.isVisible(), timeout=10000)
    later.drafts_panel.later.click()  # not now
    assert not later.drafts_panel.isVisible()
    open_and_wait(qtbot, later, CLEAN)
    assert later.banner.isVisible() and "Unsaved changes to this entry were kept" in later.banner.label.text()
    assert {"Restore", "Discard"} <= set(later.banner.buttons) and not later.is_modified()
    later.banner.buttons["Restore"].click()
    qtbot.waitUntil(lambda: later.editor.text().endswith("Kept for later."))
    assert later.is_modified()
    later.editor.undo()  # the restore is one undoable change: undo leads back to the file
    qtbot.waitUntil(lambda: not later.is_modified())
    later.editor.redo()
    qtbot.waitUntil(lambda: later.is_modified())
    later.session.discard_changes()


def test_discarding_the_offer_when_opening_forgets_that_draft(qtbot, library):
    first = make_window(qtbot, library, register=False)
    open_and_wait(qtbot, first, CLEAN)
    type_at_end(qtbot, first, "Not wanted.")
    kept(qtbot, first)
    crash(first)
    later = make_window(qtbot, library)
    qtbot.waitUntil(lambda: later.drafts_panel.isVisible(), timeout=10000)
    open_and_wait(qtbot, later, CLEAN)
    later.banner.buttons["Discard"].click()
    qtbot.waitUntil(lambda: not later.drafts_panel.isVisible())  # the list follows
    assert later.session.drafts() == [] and not later.editor.text().endswith("Not wanted.")


def test_an_entry_another_window_is_editing_is_said_and_not_offered(qtbot, library):
    a = make_window(qtbot, library)
    open_and_wait(qtbot, a, CLEAN)
    type_at_end(qtbot, a, "Still typing here.")
    kept(qtbot, a)
    b = make_window(qtbot, library)
    assert not b.drafts_panel.isVisible()  # a window still running is not a crash
    open_and_wait(qtbot, b, CLEAN)
    assert "another window" in b.banner.label.text() and "Restore" not in b.banner.buttons
    a.session.discard_changes()


def test_undo_to_the_saved_text_then_quitting_leaves_nothing_to_restore(qtbot, library, monkeypatch):
    first = make_window(qtbot, library)
    open_and_wait(qtbot, first, CLEAN)
    type_at_end(qtbot, first, "Soon undone.")
    kept(qtbot, first)
    assert own_draft(first)
    while first.editor.document().isUndoAvailable():
        qtbot.keyClick(first.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not first.is_modified())
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    quit_cleanly(first)  # at once, before the next autosave
    assert asked == [] and first.session.drafts() == []
    second = make_window(qtbot, library)
    open_and_wait(qtbot, second, CLEAN)
    assert not second.drafts_panel.isVisible() and not second.banner.isVisible()


def _permissions_apply(folder) -> bool:
    """Whether a folder made read-only refuses this process's writes (not so for root, unless its
    capabilities were dropped)."""
    probe = folder / "probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return True
    probe.unlink()
    return False


def _failing_recovery_folder(window, monkeypatch, but=None):
    """Make the recovery folder refuse writes: for real (chmod 500), or where permissions do not
    apply (root), the way a full disk answers (every folder but ``but``). Returns the reason the
    banner gives, and what undoes it."""
    from editor.content.recovery import RecoveryStore

    folder = window.session.recovery.folder
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if _permissions_apply(folder):
        return "may not be written to", lambda: folder.chmod(stat.S_IRWXU)
    folder.chmod(stat.S_IRWXU)
    original = RecoveryStore.save

    def no_space(self, *args, **kwargs):
        if self.folder != but:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RecoveryStore, "save", no_space)
    return "the disk is full", lambda: monkeypatch.setattr(RecoveryStore, "save", original)


def test_a_failing_autosave_is_a_banner_that_stays_until_a_retry_works(qtbot, window, monkeypatch):
    open_and_wait(qtbot, window, CLEAN)
    reason, repair = _failing_recovery_folder(window, monkeypatch)
    type_at_end(qtbot, window, "Words at risk.")
    try:
        window.session.autosave()
        lasting = window.recovery_banner
        qtbot.waitUntil(lambda: lasting.isVisible(), timeout=10000)
        text = lasting.label.text()
        assert text.startswith("Your changes are not being kept for recovery: ") and reason in text
        assert "Errno" not in text and "OSError" not in text and "Error" not in text
        assert {"Retry", "Choose Another Folder\u2026", "Save Now"} <= set(lasting.buttons)
        window.banner.show_message("Something else to say.", [("OK", lambda: None)])  # other news comes and goes
        window.banner.buttons["OK"].click()
        lasting.buttons["Retry"].click()  # still failing: it stays
        window.session.tasks.wait(10000)
        qtbot.waitUntil(lambda: not window.session.tasks._callbacks, timeout=10000)
        assert lasting.isVisible() and window.session.keeper.problem is not None
    finally:
        repair()
    lasting.buttons["Retry"].click()
    qtbot.waitUntil(lambda: not lasting.isVisible(), timeout=10000)
    assert own_draft(window)[0].endswith("Words at risk.")


def test_a_failing_autosave_can_use_another_folder_read_at_the_next_start(qtbot, library, tmp_path, monkeypatch):
    first = make_window(qtbot, library, register=False)
    open_and_wait(qtbot, first, CLEAN)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    reason, repair = _failing_recovery_folder(first, monkeypatch, but=elsewhere)
    try:
        type_at_end(qtbot, first, "Kept elsewhere.")
        first.session.autosave()
        qtbot.waitUntil(lambda: first.recovery_banner.isVisible(), timeout=10000)
        assert reason in first.recovery_banner.label.text()
        monkeypatch.setattr("editor.ui.recovery_view.QFileDialog.getExistingDirectory", lambda *a, **k: str(elsewhere))
        first.recovery_banner.buttons["Choose Another Folder\u2026"].click()
        qtbot.waitUntil(lambda: not first.recovery_banner.isVisible(), timeout=10000)
        assert len(list(elsewhere.glob("*.json"))) == 1
        crash(first)
        later = make_window(qtbot, library)  # the chosen folder is remembered, and read
        qtbot.waitUntil(lambda: later.drafts_panel.isVisible() and CLEAN in rows(later), timeout=10000)
    finally:
        repair()
    assert later.session.recovery.folder == elsewhere
    rows(later)[CLEAN].restore.click()
    qtbot.waitUntil(lambda: later.editor.text().endswith("Kept elsewhere."))
    later.session.discard_changes()


def test_a_deleted_entry_with_edits_keeps_them_and_save_makes_it_again(qtbot, window, library, monkeypatch):
    path = library / CLEAN
    raw = path.read_bytes().replace(b"\n", b"\r\n")  # the file's own line endings must come back
    path.write_bytes(raw)
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "Words of a deleted entry.")
    kept(qtbot, window)
    path.unlink()
    qtbot.waitUntil(lambda: window.banner.isVisible() and "deleted" in window.banner.label.text(), timeout=10000)
    text = window.banner.label.text()
    assert "changed" not in text and "Reload Theirs" not in window.banner.buttons
    assert {"Save", "Save As\u2026"} <= set(window.banner.buttons)
    assert window.is_modified() and own_draft(window)  # the draft is kept
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    window.close()  # closing asks
    assert window.isVisible() and asked and "deleted" in asked[0]
    window.reload_from_disk()  # nothing to reload: the words stay
    assert window.editor.text().endswith("Words of a deleted entry.") and window.is_modified()
    window.banner.buttons["Save"].click()
    qtbot.waitUntil(lambda: path.exists() and window.state_label.text() == "Saved")
    assert path.read_bytes() == raw + b"Words of a deleted entry."
    assert window.session.drafts() == []
    type_at_end(qtbot, window, " More.")  # the file is watched again: a save of it is a save, not a conflict
    assert window.save() and path.read_bytes() == raw + b"Words of a deleted entry. More."


def test_a_deleted_entry_can_be_saved_as_another_file(qtbot, window, library, monkeypatch):
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "Somewhere new.")
    (library / CLEAN).unlink()
    qtbot.waitUntil(lambda: "Save As\u2026" in window.banner.buttons and window.banner.isVisible(), timeout=10000)
    target = library / "entries" / "sleep" / "kept-somewhere-new.md"
    monkeypatch.setattr("editor.ui.document_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    window.banner.buttons["Save As\u2026"].click()
    assert target.read_text(encoding="utf-8").endswith("Somewhere new.") and not (library / CLEAN).exists()
    assert window.session.document.path == "entries/sleep/kept-somewhere-new.md" and not window.is_modified()
    assert "kept-somewhere-new.md" in window.windowTitle()


def test_a_deleted_entry_that_comes_back_is_seen(qtbot, window, library):
    """A file deleted then written again (a checkout writing it anew): the editor notices it is back."""
    path = library / CLEAN
    original = path.read_bytes()
    open_and_wait(qtbot, window, CLEAN)
    path.unlink()
    qtbot.waitUntil(lambda: "deleted" in window.banner.label.text() and window.banner.isVisible(), timeout=10000)
    path.write_bytes(original + b"\nWritten again.\n")
    qtbot.waitUntil(lambda: "Written again." in window.editor.text(), timeout=10000)  # no edits: reloaded
    assert not window.is_modified()


@pytest.mark.parametrize("edited", [False, True])
def test_an_unedited_deleted_entry_is_said_without_asking_on_close(qtbot, library, edited, monkeypatch):
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, CLEAN)
    if edited:
        type_at_end(qtbot, window, "x")
    (library / CLEAN).unlink()
    qtbot.waitUntil(lambda: window.banner.isVisible() and "deleted" in window.banner.label.text(), timeout=10000)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Discard)
    window.close()
    assert bool(asked) == edited and not window.isVisible()
    assert window.session.drafts() == []
