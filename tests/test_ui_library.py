"""The library work in the window, driven through its real widgets: full-text search in the Entries
filter, its Down and Enter keys, and File > Rename, Duplicate and Delete Entry."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from test_ui import make_window, no_modal_dialogs, open_and_wait  # noqa: E402, F401

WORRY = "entries/sleep/worry-at-bedtime.md"  # "notepad" is in its answer's body, and nowhere else


def filter_for(qtbot, window, text):
    window.browser.filter.clear()
    qtbot.keyClicks(window.browser.filter, text)
    qtbot.waitUntil(lambda: not window.browser._typing.isActive(), timeout=5000)


def listed(window):
    return {row.path for row in window.browser.visible_rows()}


def menu_action(window, text):
    file_menu = window.menuBar().actions()[0].menu()
    return next(a for a in file_menu.actions() if a.text().replace("&", "") == text)


@pytest.fixture
def searchable(qtbot, window):
    qtbot.waitUntil(lambda: window.session.files.search.ready, timeout=10000)
    return window


def test_a_word_only_in_an_answer_finds_the_entry(qtbot, searchable):
    window = searchable
    row = window.session.library.row(WORRY)
    assert "notepad" not in (row.question + row.id + row.path).lower()
    filter_for(qtbot, window, "notepad")
    assert listed(window) == {WORRY}
    assert window.browser.item_for(WORRY) is not None
    assert window.browser.count.text().startswith("1 of ")
    filter_for(qtbot, window, "Notepad MORNING")  # every word, any case
    assert listed(window) == {WORRY}


def test_the_search_follows_what_is_typed(qtbot, searchable):
    window = searchable
    open_and_wait(qtbot, window, WORRY)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " Marmalade helps.")
    qtbot.waitUntil(lambda: "marmalade" in window.session.files.search.texts.get(WORRY, ""), timeout=10000)
    filter_for(qtbot, window, "marmalade")
    assert listed(window) == {WORRY}


def test_down_goes_to_the_first_result_and_enter_opens_the_only_match(qtbot, searchable):
    window = searchable
    browser = window.browser
    browser.filter.setFocus()
    qtbot.keyClicks(browser.filter, "notepad")  # no wait: Enter uses the filter as typed
    qtbot.keyClick(browser.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.document is not None, timeout=10000)
    assert window.session.document.path == WORRY
    filter_for(qtbot, window, "sleep")
    browser.filter.setFocus()
    qtbot.keyClick(browser.filter, Qt.Key.Key_Down)
    assert browser.tree.hasFocus()
    first = browser.first_entry_item()
    assert browser.tree.currentIndex() == first and first.data(Qt.ItemDataRole.UserRole)
    first_path = first.data(Qt.ItemDataRole.UserRole)
    browser.filter.setFocus()
    qtbot.keyClick(browser.filter, Qt.Key.Key_Return)  # several matches: the first one listed opens
    qtbot.waitUntil(lambda: window.session.document.path == first_path, timeout=10000)


def test_rename_entry_follows_the_open_entry(qtbot, searchable, library, monkeypatch):
    from editor.ui.rename_entry import RenameDialog

    window = searchable
    open_and_wait(qtbot, window, WORRY)
    raw = (library / WORRY).read_bytes()
    seen = {}

    def run_dialog(dialog):
        seen["dialog"] = dialog
        dialog.entry_id.selectAll()
        qtbot.keyClicks(dialog.entry_id, "night-worries")
        assert dialog.file_name.text() == "night-worries"  # the file name follows the id
        return dialog.DialogCode.Accepted

    monkeypatch.setattr(RenameDialog, "exec", run_dialog)
    menu_action(window, "Rename Entry\u2026").trigger()
    new = "entries/sleep/night-worries.md"
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == new,
                    timeout=10000)
    assert not (library / WORRY).exists()
    assert (library / new).read_bytes() == raw.replace(b"id: worry-at-bedtime", b"id: night-worries")
    assert "id: night-worries" in window.editor.toPlainText()
    qtbot.waitUntil(lambda: window.metadata.id_field.text() == "night-worries", timeout=5000)  # read on a worker
    assert window.browser.item_for(new) is not None and window.browser.item_for(WORRY) is None
    assert window.session.library.row(WORRY) is None and window.session.library.ids["night-worries"] == (new,)
    filter_for(qtbot, window, "notepad")
    assert listed(window) == {new}
    assert "deleted" not in window.banner.label.text()  # its own rename is not a file gone missing


def test_rename_dialog_refuses_a_used_id_or_a_taken_name(qtbot, window, library):
    from editor.ui.rename_entry import RenameDialog

    ids = window.session.library.ids
    folder = (library / WORRY).parent
    dialog = RenameDialog(WORRY, "worry-at-bedtime", ids, lambda name: (folder / name).exists())
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # nothing changed yet
    other = next(i for i in ids if i != "worry-at-bedtime")
    dialog.entry_id.selectAll()
    qtbot.keyClicks(dialog.entry_id, other)
    assert "already used" in dialog.problem.text() and not ok.isEnabled()
    dialog.entry_id.selectAll()
    qtbot.keyClicks(dialog.entry_id, "worry-at-bedtime")
    dialog.file_name.selectAll()
    qtbot.keyClicks(dialog.file_name, "sharing-night-feeds")
    assert "already exists" in dialog.problem.text() and not ok.isEnabled()


def test_rename_with_unsaved_changes_asks_first(qtbot, searchable, library, monkeypatch):
    from editor.ui.rename_entry import RenameDialog

    window = searchable
    open_and_wait(qtbot, window, WORRY)
    qtbot.keyClicks(window.editor, "x")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    opened = []
    monkeypatch.setattr(RenameDialog, "exec", lambda d: opened.append(d) or d.DialogCode.Rejected)
    window.library.rename_entry()
    assert asked and not opened and (library / WORRY).exists() and window.session.is_modified


def test_duplicate_entry_opens_a_draft_copy_without_review(qtbot, searchable, library):
    window = searchable
    source = "entries/self-care/self-care-in-small-moments.md"
    raw = (library / source).read_bytes()
    open_and_wait(qtbot, window, source)
    menu_action(window, "Duplicate Entry").trigger()
    copy = "entries/self-care/self-care-in-small-moments-copy.md"
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == copy,
                    timeout=10000)
    text = (library / copy).read_text(encoding="utf-8")
    assert "id: self-care-in-small-moments-copy\n" in text and "status: draft\n" in text
    assert "review:" not in text and "body_sha256" not in text
    assert text.split("\n---\n", 1)[1] == raw.decode("utf-8").split("\n---\n", 1)[1]  # the same body
    assert (library / source).read_bytes() == raw
    assert window.browser.item_for(copy) is not None
    assert window.session.library.ids["self-care-in-small-moments-copy"] == (copy,)


def test_delete_entry_asks_keeps_a_backup_and_closes_the_entry(qtbot, searchable, library, monkeypatch, tmp_path):
    window = searchable
    open_and_wait(qtbot, window, WORRY)
    raw = (library / WORRY).read_bytes()
    trashed = tmp_path / "trash"
    trashed.mkdir()

    def trash(path):
        target = trashed / path.name
        path.rename(target)
        return str(target)

    window.session.files.trash = trash
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    menu_action(window, "Delete Entry\u2026").trigger()
    assert asked and "Why do my worries get louder at night?" in asked[0]
    assert (library / WORRY).read_bytes() == raw  # No: nothing happens
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    menu_action(window, "Delete Entry\u2026").trigger()
    qtbot.waitUntil(lambda: window.session.document is None, timeout=10000)
    assert not (library / WORRY).exists()
    assert (trashed / "worry-at-bedtime.md").read_bytes() == raw
    backups = list((tmp_path / "home" / "deleted-entries").rglob("worry-at-bedtime.md"))
    assert len(backups) == 1 and backups[0].read_bytes() == raw
    assert str(backups[0]) in window.statusBar().currentMessage() and "trash" in window.statusBar().currentMessage()
    assert window.editor.toPlainText() == "" and not window.editor.isEnabled()
    assert window.browser.item_for(WORRY) is None and window.session.library.row(WORRY) is None
    filter_for(qtbot, window, "notepad")
    assert listed(window) == set()


def test_delete_entry_from_the_list_without_a_trash(qtbot, searchable, library, monkeypatch, tmp_path):
    window = searchable
    target = "entries/sleep/sharing-night-feeds.md"
    raw = (library / target).read_bytes()
    window.session.files.trash = None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.browser.tree.setCurrentIndex(window.browser.item_for(target))
    window.browser.tree.setFocus()
    window.library.delete_entry()
    qtbot.waitUntil(lambda: window.session.library.row(target) is None, timeout=10000)
    backups = list((tmp_path / "home" / "deleted-entries").rglob("sharing-night-feeds.md"))
    assert len(backups) == 1 and backups[0].read_bytes() == raw and not (library / target).exists()
    assert "kept in" in window.statusBar().currentMessage()
