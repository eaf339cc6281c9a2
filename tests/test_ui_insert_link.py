"""Insert Link (Ctrl+K) and in-app link completion, driven through a real window (pytest-qt)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from editor.content.links import parse_in_app  # noqa: E402
from test_ui import CLEAN, no_modal_dialogs, open_and_wait, type_at_end  # noqa: E402, F401 - the fixture answers closing questions

CTRL = Qt.KeyboardModifier.ControlModifier


def tools_on(qtbot, window):
    from editor.ui.insert_link import install_link_tools

    tools = install_link_tools(window)
    assert install_link_tools(window) is tools  # once per window
    open_and_wait(qtbot, window, CLEAN)
    window.activateWindow()  # under Xvfb with no window manager, nothing is active until asked
    qtbot.waitUntil(window.isActiveWindow)
    window.editor.setFocus()
    return tools


def module_link_findings(qtbot, window, line_text):
    """The module-link findings of the open entry, checked as it is now, on the line holding ``line_text``."""
    with qtbot.waitSignal(window.session.findingsChanged, timeout=10000):
        window.session.check_now()
    lines = window.editor.text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if line_text in text)
    return [f for f in window.session.live_findings if f.category == "module-link" and f.line <= line <= f.end_line]


def test_insert_link_from_the_keyboard(qtbot, window):
    tools = tools_on(qtbot, window)
    edit = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    assert tools.action in edit.actions() and tools.action.shortcut().toString() == "Ctrl+K"
    type_at_end(qtbot, window, "\nMore on rest: ")
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: tools.dialog is not None and tools.dialog.isVisible())
    dialog = tools.dialog
    qtbot.waitUntil(lambda: dialog.search.hasFocus())
    assert dialog.tab.currentData() == "modules"
    qtbot.keyClicks(dialog.search, "slep")  # a typo: nothing matches, nothing can be inserted
    assert dialog.modules.count() == 0 and not dialog.ok.isEnabled()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.search, "ee")
    assert dialog.modules.currentItem().text() == "Sleep" and dialog.text.text() == "Sleep"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.modules, Qt.Key.Key_Tab)
    assert dialog.section.hasFocus()
    qtbot.keyClick(dialog.section, Qt.Key.Key_Down)  # the first section: night feeds
    assert dialog.section.currentData() == "night-feeds"
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.keyClick(dialog.section, Qt.Key.Key_Return)
    link = "[Sleep](?tab=modules&module=sleep&section=night-feeds)"
    assert window.editor.text().endswith("More on rest: " + link)
    assert module_link_findings(qtbot, window, link) == []
    window.editor.undo()  # one step
    assert window.editor.text().endswith("More on rest: ")


def test_selection_becomes_the_link_text(qtbot, window):
    tools = tools_on(qtbot, window)
    type_at_end(qtbot, window, "\nTalk to someone today.")
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.StartOfBlock, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: tools.dialog is not None and tools.dialog.isVisible())
    dialog = tools.dialog
    qtbot.keyClicks(dialog.search, "crisis")
    assert dialog.text.text() == "Talk to someone today."  # the selection, not the title
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    link = "[Talk to someone today.](?tab=modules&module=crisis-support)"
    assert window.editor.text().endswith("\n" + link)
    assert module_link_findings(qtbot, window, link) == []


def test_the_dialog_only_produces_valid_links(qtbot, window):
    """Every tab, module row and section the dialog can be set to: OK is enabled exactly when the
    link it would insert is valid."""
    tools = tools_on(qtbot, window)
    dialog = tools.open_dialog()
    registry = window.session.registry
    produced = set()
    for tab in range(dialog.tab.count()):
        dialog.tab.setCurrentIndex(tab)
        for row in range(max(dialog.modules.count(), 1)):
            if dialog.modules.count():
                dialog.modules.setCurrentRow(row)
            for section in range(dialog.section.count()):
                dialog.section.setCurrentIndex(section)
                link = dialog.link()
                assert dialog.ok.isEnabled() == (link is not None)
                assert link is not None, (dialog.tab.currentData(), row, section)
                target = link[link.index("](") + 2:-1]
                assert parse_in_app(target, registry).ok, link
                produced.add(target)
    assert len(produced) == 5 + 1 + 9 + sum(len(m.sections) for m in registry.modules.values()) - 1
    dialog.text.selectAll()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.text, "   ")
    assert dialog.link() is None and not dialog.ok.isEnabled()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert "   " not in window.editor.text()


def test_ctrl_k_needs_an_open_entry(qtbot, window):
    from editor.ui.insert_link import install_link_tools

    tools = install_link_tools(window)
    assert tools.open_dialog() is None and tools.dialog is None


def test_completion_after_an_in_app_link_start(qtbot, window):
    tools = tools_on(qtbot, window)
    popup = tools.completer.popup
    type_at_end(qtbot, window, "\n[Rest](?")
    qtbot.waitUntil(popup.isVisible)
    assert tools.completer.completer.completionCount() > 9  # modules, their sections and the tabs
    qtbot.keyClicks(popup, "sle")  # keys go to the open list, which hands them to the editor
    qtbot.waitUntil(lambda: tools.completer.completer.completionPrefix() == "sle")
    assert window.editor.text().endswith("\n[Rest](?sle")
    assert popup.currentIndex().data().startswith("Sleep")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    link = "[Rest](?tab=modules&module=sleep)"
    assert window.editor.text().endswith("\n" + link)
    assert window.editor.textCursor().atBlockEnd()
    assert module_link_findings(qtbot, window, link) == []


def test_completion_narrows_to_a_section_and_replaces_a_broken_target(qtbot, window):
    tools = tools_on(qtbot, window)
    popup = tools.completer.popup
    type_at_end(qtbot, window, "\n[Tips](?tab=modules&module=slep) for tonight")
    cursor = window.editor.textCursor()
    line = cursor.block().text()
    cursor.setPosition(cursor.block().position() + line.index("?") + 1)
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_Space, CTRL)  # open the list inside a target
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClicks(window.editor, "rest-t")
    qtbot.waitUntil(lambda: tools.completer.completer.completionCount() == 1)
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    link = "[Tips](?tab=modules&module=sleep&section=rest-tips) for tonight"
    assert window.editor.text().endswith("\n" + link)
    assert module_link_findings(qtbot, window, link) == []


def test_escape_closes_the_list_and_typing_goes_on(qtbot, window):
    tools = tools_on(qtbot, window)
    popup = tools.completer.popup
    type_at_end(qtbot, window, "\n[Home](?")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    qtbot.keyClicks(window.editor, "tab=home)")
    assert not popup.isVisible() and window.editor.text().endswith("\n[Home](?tab=home)")
