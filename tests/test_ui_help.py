"""Tab through every panel, and the Help menu: shortcuts read from the menus, the rule reference,
About."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from test_ui import make_window

ENTRY = "entries/birth-recovery/difficult-birth-experience.md"


def test_tab_goes_from_the_filter_through_the_form_to_the_text(qtbot, library):
    window = make_window(qtbot, library)
    assert window.open_entry(ENTRY)
    qtbot.waitUntil(lambda: window.metadata.id_field.isEnabled() and window.metadata.id_field.text() != "",
                    timeout=5000)  # the form is filled from the fields read on a worker
    window.activateWindow()
    window.browser.filter.setFocus()
    qtbot.waitUntil(lambda: window.browser.filter.hasFocus(), timeout=5000)
    reached = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is window.editor:
            break
    form = window.metadata
    assert [w for w in reached if w in (form.id_field, form.module, form.status, form.tags, form.sources)] == \
        [form.id_field, form.module, form.status, form.tags, form.sources]
    assert reached[-1] is window.editor
    window.session.discard_changes()


def test_a_commit_description_passes_tab_on(qtbot, library):
    window = make_window(qtbot, library)
    assert window.git.changes.description.tabChangesFocus()
    assert window.metadata.sources.tabChangesFocus()


def test_help_lists_the_shortcuts_from_the_menus(qtbot, library):
    from editor.ui.help import shortcuts, show_shortcuts

    window = make_window(qtbot, library)
    listed = {(name, keys) for _, name, keys in shortcuts(window)}
    assert ("Find and Replace", "Ctrl+H") in {(n, k.split(", ")[-1]) for n, k in listed if n == "Find and Replace"}
    assert ("Focus Mode", "F11") in listed
    assert any(name == "Keyboard Shortcuts" for name, _ in listed)
    dialog = show_shortcuts(window)
    from PySide6.QtWidgets import QTextBrowser

    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "Focus Mode" in text and "F11" in text
    dialog.close()


def test_help_shows_the_rule_reference(qtbot, library):
    from editor.ui.help import show_rules

    window = make_window(qtbot, library)
    dialog = show_rules(window)
    from PySide6.QtWidgets import QTextBrowser

    browser = dialog.findChild(QTextBrowser)
    qtbot.waitUntil(lambda: "suicide-commit" in browser.toPlainText(), timeout=30000)
    assert "Coverage of the published guidance" in browser.toPlainText()
    dialog.close()
