"""The desktop editor, driven through its real widgets (pytest-qt, offscreen)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QUrl  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402


SLEEPY = "entries/sleep/worry-at-bedtime.md"
CLEAN = "entries/sleep/sharing-night-feeds.md"


def make_window(qtbot, root, register=True):
    """A main window on ``root``, shown and loaded. ``register=False``: qtbot does not close it at
    the end (a window the test ``crash``-es)."""
    from editor.app import create_main_window

    window = create_main_window(root)
    if register:
        qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.session.loaded is not None, timeout=20000)
    return window


def crash(window):
    """The window is dropped as a crash drops it: never closed, nothing asked, saved or cleaned up;
    its drafts stay on disk, and other windows can tell it is gone."""
    import shiboken6

    window.session.autosave_timer.stop()
    window.session.tasks.wait(10000)  # a draft being written is on disk or not, as in a real crash
    store, owner = window.session.recovery, window.session.keeper.owner
    shiboken6.delete(window)
    store.release(owner)  # what the system does for a process that dies: its locks are let go


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would wait forever offscreen: unless a test says otherwise, answer Discard."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def open_and_wait(qtbot, window, path):
    assert window.open_entry(path)
    qtbot.waitUntil(lambda: bool(window.editor.toPlainText() and window.preview.browser.toPlainText()), timeout=10000)


def type_at_end(qtbot, window, text):
    """Type as a writer would: QTest types printable ASCII; Return starts a new line."""
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(window.editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(window.editor, line)


def test_panels_have_accessible_names(window):
    from PySide6.QtWidgets import QWidget

    names = {w.accessibleName() for w in window.findChildren(QWidget)}
    assert {"Entries", "Editor", "Preview", "Problems"} <= names


def test_browser_lists_questions_and_filters(qtbot, window):
    browser = window.browser
    assert len(browser.visible_rows()) == 29
    qtbot.waitUntil(lambda: window.session.files.search.ready)  # the filter searches the bodies too
    qtbot.keyClicks(browser.filter, "night")
    shown = len(browser.visible_rows())
    assert 0 < shown < 29
    qtbot.waitUntil(lambda: browser.count.text() == f"{shown} of 29 entries")  # the list follows when typing pauses
    texts = window.session.files.search.texts
    assert all("night" in (r.question + r.path).lower() or "night" in texts[r.path] for r in browser.visible_rows())
    browser.filter.clear()
    browser.status.setCurrentIndex(browser.status.findData("approved"))
    assert {r.status for r in browser.visible_rows()} == {"approved"}
    browser.module.setCurrentIndex(browser.module.findData("sleep"))
    rows = browser.visible_rows()
    assert rows and {r.module for r in rows} == {"sleep"}
    item = browser.item_for(rows[0].path)
    assert item is not None and item.data().startswith(rows[0].question)
    browser.tree.activated.emit(item)
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == rows[0].path)


def test_typing_updates_preview_and_problems(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    qtbot.waitUntil(lambda: window.problems.summary.text() == "No problems in this entry", timeout=10000)
    type_at_end(qtbot, window, "\n[Rest tips](?tab=modules&module=slep)\n")
    qtbot.waitUntil(lambda: any(f.rule == "unknown-module" for f in window.problems.findings), timeout=10000)
    qtbot.waitUntil(lambda: "broken link" in window.preview.browser.toPlainText(), timeout=10000)
    assert window.state_label.text() == "Unsaved changes"
    finding = next(f for f in window.editor.findings if f.rule == "unknown-module")
    assert finding.suggestion == "sleep"


def test_quick_fix_from_the_keyboard(qtbot, window):
    open_and_wait(qtbot, window, SLEEPY)
    qtbot.waitUntil(lambda: any(f.rule == "unknown-module" for f in window.editor.findings), timeout=10000)
    finding = next(f for f in window.editor.findings if f.rule == "unknown-module")
    window.editor.go_to(finding.line, finding.column + 1)
    qtbot.keyClick(window.editor, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    line = window.editor.toPlainText().splitlines()[finding.line - 1]
    assert "?tab=modules&module=sleep)" in line
    qtbot.waitUntil(lambda: not any(f.rule == "unknown-module" for f in window.editor.findings), timeout=10000)
    window.editor.undo()
    assert "module=slep" in window.editor.toPlainText()


def test_context_menu_offers_fix(qtbot, window):
    open_and_wait(qtbot, window, SLEEPY)
    qtbot.waitUntil(lambda: bool(window.editor.findings), timeout=10000)
    finding = next(f for f in window.editor.findings if f.rule == "unknown-module")
    start, _ = window.editor.span_of(finding)
    menu = window.editor.build_context_menu(start + 1)
    fix = next(a for a in menu.actions() if a.text() == "Replace with \u201csleep\u201d")
    fix.trigger()
    assert "module=sleep)" in window.editor.toPlainText().splitlines()[finding.line - 1]


def test_save_is_lossless_and_atomic(qtbot, window, library):
    path = library / CLEAN
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "One more line.")
    qtbot.keyClick(window.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.state_label.text() == "Saved")
    saved = path.read_bytes()
    assert saved.endswith(b"One more line.") and b"\r\n" in saved and b"\n" not in saved.replace(b"\r\n", b"")


def test_metadata_form_changes_only_that_line(qtbot, window, library):
    open_and_wait(qtbot, window, CLEAN)
    before = window.editor.toPlainText()
    window.metadata.status.setCurrentText("in-review")
    window.metadata.status.activated.emit(window.metadata.status.currentIndex())
    after = window.editor.toPlainText()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [("status: approved", "status: in-review")]
    window.editor.undo()
    assert window.editor.toPlainText() == before


def test_external_change_reloads_without_local_edits(qtbot, window, library):
    open_and_wait(qtbot, window, CLEAN)
    path = library / CLEAN
    path.write_text(path.read_text(encoding="utf-8") + "\nAdded elsewhere.\n", encoding="utf-8")
    qtbot.waitUntil(lambda: "Added elsewhere." in window.editor.toPlainText(), timeout=10000)
    assert not window.is_modified()


def test_external_change_with_local_edits_asks(qtbot, window, library):
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "Mine.")
    path = library / CLEAN
    path.write_text(path.read_text(encoding="utf-8") + "\nTheirs.\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.banner.isVisible() and "changed on disk" in window.banner.label.text(),
                    timeout=10000)
    assert "Mine." in window.editor.toPlainText()
    window.save()  # refuses to overwrite silently
    assert "Theirs." in path.read_text(encoding="utf-8")
    assert "Overwrite with Mine" in window.banner.buttons
    window.banner.buttons["Overwrite with Mine"].click()
    assert path.read_text(encoding="utf-8").endswith("Mine.")


def test_recovery_after_a_crash(qtbot, library, monkeypatch):
    first = make_window(qtbot, library, register=False)
    open_and_wait(qtbot, first, CLEAN)
    type_at_end(qtbot, first, "Words that must not be lost.")
    first.session.autosave()
    first.session.tasks.wait(10000)
    drafts = first.session.recovery.drafts(library)
    assert [d.path for d in drafts] == [CLEAN]
    crash(first)  # the process "crashes": the window is never closed properly; a new one starts
    second = make_window(qtbot, library)
    qtbot.waitUntil(lambda: second.drafts_panel.isVisible() and len(second.drafts_panel.rows) == 1, timeout=10000)
    second.drafts_panel.rows[0].restore.click()
    qtbot.waitUntil(lambda: second.editor.toPlainText().endswith("Words that must not be lost."))
    assert second.is_modified()
    assert second.save()
    assert (library / CLEAN).read_text(encoding="utf-8").endswith("Words that must not be lost.")
    assert second.session.recovery.drafts(library) == []


def test_quitting_with_unsaved_changes_asks(qtbot, window, monkeypatch):
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "Unsaved.")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    window.close()
    assert asked and window.isVisible()


def test_new_entry_is_created_and_opened(qtbot, window, library):
    from editor.ui.new_entry import NewEntryDialog

    dialog = NewEntryDialog(window.session.loaded.repo.registry, {"taken-id"})
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.question, "How can I rest when my baby naps")
    assert dialog.entry_id.text() == "rest-when-baby-naps"
    relative = window.create_entry(*dialog.values())
    assert (library / relative).read_text(encoding="utf-8").startswith("---\nid: rest-when-baby-naps\n")
    assert window.session.document.path == relative
    assert window.browser.item_for(relative) is not None


def test_in_app_link_shows_where_it_leads(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    window.preview.browser.anchorClicked.emit(QUrl("app:?tab=modules&module=sleep&section=night-feeds"))
    text = window.preview.destination.text()
    assert "Sleep" in text and "Night feeds" in text
    # and how many entries link to the module (the Link Health panel lists them)
    qtbot.waitUntil(lambda: "3 entries link to Sleep" in window.preview.destination.text(), timeout=20000)


def test_web_link_asks_before_opening(qtbot, window, monkeypatch):
    opened, asked = [], []
    monkeypatch.setattr("editor.ui.library_view.QDesktopServices.openUrl", lambda url: opened.append(url))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    window.preview.browser.anchorClicked.emit(QUrl("https://www.nih.gov/x"))
    assert asked and opened == []


def test_check_all_in_background_then_open_a_problem(qtbot, window):
    window.check_all()
    qtbot.waitUntil(lambda: window.problems.scope == "repository" and window.session.repo_findings is not None, timeout=30000)
    rules = sorted(f.rule for f in window.problems.findings)
    assert rules == sorted(["unknown-module", "insecure-http", "answer-prefix", "malformed-url", "unknown-module",
                            "unknown-section"])
    window.problems.tree.itemActivated.emit(window.problems.tree.topLevelItem(0), 0)
    first = window.problems.findings[0]
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == first.path)
    assert window.editor.textCursor().blockNumber() + 1 == first.line
    window.browser.problems_only.setChecked(True)
    assert {r.path for r in window.browser.visible_rows()} == {f.path for f in window.session.repo_findings}


def test_add_to_dictionary(qtbot, window, library):
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "\nThe Zorbleflax routine helps.\n")
    qtbot.waitUntil(lambda: any(f.rule == "misspelling" for f in window.editor.findings), timeout=10000)
    window.session.add_word("Zorbleflax")
    qtbot.waitUntil(lambda: "zorbleflax" in (library / "dictionary.txt").read_text(encoding="utf-8").splitlines())
    qtbot.waitUntil(lambda: not any(f.rule == "misspelling" for f in window.editor.findings), timeout=10000)


def test_find_and_replace(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    window.find_bar.open(True)
    window.find_bar.find_field.setText("night")
    window.find_bar.replace_field.setText("NIGHT")
    count = window.find_bar.replace_all()
    assert count > 0 and "night" not in window.editor.toPlainText().replace("NIGHT", "")
    window.editor.undo()
    assert "night" in window.editor.toPlainText()


def test_preview_renders_are_coalesced(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    qtbot.waitUntil(lambda: not window.preview._in_flight)
    before = window.preview.renders
    type_at_end(qtbot, window, "Typing quickly, many keys in a row.")
    qtbot.waitUntil(lambda: "many keys in a row" in window.preview.browser.toPlainText(), timeout=10000)
    assert window.preview.renders - before < len("Typing quickly, many keys in a row.") / 3


def test_layout_is_remembered(qtbot, library, monkeypatch):
    first = make_window(qtbot, library)
    first.problems_dock.hide()
    first.close()
    second = make_window(qtbot, library)
    assert not second.problems_dock.isVisible()


def test_typing_does_not_leak_references_to_none(qtbot, window):
    """PySide6 6.12.0 lost a reference to None on most calls until Python aborted mid-session;
    pyproject excludes it, and this guards against such a binding coming back."""
    import sys

    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    import gc

    open_and_wait(qtbot, window, CLEAN)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(2000):  # a broken binding loses about three references a round

        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(window.editor, QKeyEvent(kind, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
        window.editor.moveCursor(window.editor.textCursor().MoveOperation.Left)
        window.editor.moveCursor(window.editor.textCursor().MoveOperation.Right)
    gc.collect()
    assert sys.getrefcount(None) - before > -1000


def test_start_up_opens_named_path_last_library_or_demo(library, tmp_path):
    from editor.app import resolve_start, settings

    assert resolve_start(str(library)) == (library.resolve(), None)
    assert resolve_start(str(library / CLEAN)) == (library.resolve(), CLEAN)
    with pytest.raises(ValueError):
        resolve_start(str(tmp_path))
    demo, entry = resolve_start(None)  # first start: the demo library in the data folder
    assert entry is None and (demo / "content.yaml").is_file() and (demo / ".git").is_dir()
    store = settings()
    store.setValue("last_repository", str(library))
    store.sync()
    assert resolve_start(None) == (library, None)


def test_the_editor_start_paints_its_frame_then_builds_panels_then_loads(qtbot, library):
    from PySide6.QtCore import QEvent, QObject

    from editor.app import open_window

    class FirstPaint(QObject):
        built_then = None

        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and self.built_then is None:
                self.built_then = watched._built
            return False

    window = open_window(library, CLEAN)  # as `malone-editor` starts it
    qtbot.addWidget(window)
    spy = FirstPaint()
    window.installEventFilter(spy)
    assert not window._built and window.statusBar().currentMessage() == "Opening the library\u2026"
    qtbot.waitUntil(lambda: spy.built_then is not None, timeout=10000)
    assert spy.built_then is False  # the first paint did not wait for the panels
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == CLEAN, timeout=20000)
    assert window.browser.model.rowCount() > 0 and window.editor.isEnabled()
    type_at_end(qtbot, window, "A new line.")
    assert window.is_modified()
    window.session.discard_changes()


def test_checks_while_typing_update_the_entry_list_in_place_and_find_duplicate_ids(qtbot, window):
    open_and_wait(qtbot, window, SLEEPY)
    qtbot.waitUntil(lambda: window.words_label.text() != "", timeout=10000)
    arranged, words = window.session.entry_list.arrangements, window.words_label.text()
    resets = window.browser.model.resets
    type_at_end(qtbot, window, "\nOne more calm sentence.")  # checked when typing pauses
    qtbot.waitUntil(lambda: window.words_label.text() != words, timeout=10000)
    assert window.browser.item_for(SLEEPY) is not None
    assert (window.session.entry_list.arrangements, window.browser.model.resets) == (arranged, resets)  # not rebuilt

    other_id = next(r.id for r in window.session.rows if r.path == CLEAN)
    text = window.editor.toPlainText()
    own_id = next(r.id for r in window.session.rows if r.path == SLEEPY)
    window.editor.setPlainText(text.replace(f"id: {own_id}", f"id: {other_id}", 1))
    qtbot.waitUntil(lambda: any(f.rule == "duplicate-id" for f in window.session.live_findings + window.editor.findings),
                    timeout=10000)
    assert any(CLEAN in f.message for f in window.editor.findings if f.rule == "duplicate-id")


def test_library_index_updates_in_place_and_replaces_the_id_map_only_when_an_id_changes():
    from editor.content.index import IndexRow
    from editor.session.library import LibraryIndex

    rows = [IndexRow(f"entries/sleep/e{n}.md", f"e{n}", "sleep", "draft", f"Question {n}?") for n in range(3)]
    library = LibraryIndex(rows)
    ids = library.ids
    library.update(IndexRow("entries/sleep/e1.md", "e1", "sleep", "draft", "A new question?"))
    assert library.ids is ids and library.rows[1].question == "A new question?" and len(library.rows) == 3
    library.update(IndexRow("entries/sleep/e1.md", "e0", "sleep", "draft", "A new question?"))
    assert library.ids is not ids and library.ids["e0"] == ("entries/sleep/e0.md", "entries/sleep/e1.md")
    assert ids["e1"] == ("entries/sleep/e1.md",)  # a check still reading the old map sees it whole
    library.update(IndexRow("entries/feeding/new.md", "new", "feeding", "draft", "New?"))
    assert [r.path for r in library.rows][-1] == "entries/feeding/new.md" and "new" in library.ids
