"""The menus and shortcuts of the main window: every action reachable from the keyboard, with the
platform's standard keys where there are some."""
from __future__ import annotations

import sys

from PySide6.QtGui import QAction, QKeySequence

from editor.ui.preview_menu import add_preview_items
from editor.ui.review_export import add_export_item

# Qt's Replace key exists only on some platforms (none on generic X11 and KDE): Ctrl+H everywhere,
# and on macOS, where Cmd+H hides the application, Cmd+Option+F as Apple's editors have it.
REPLACE_KEYS = ("Ctrl+H",) + (("Ctrl+Alt+F",) if sys.platform == "darwin" else ())


def _keys(shortcuts: tuple) -> list[QKeySequence]:
    """Every key of ``shortcuts`` once: a standard key's bindings on this platform (there may be
    none), a string's one sequence."""
    found: list[QKeySequence] = []
    for shortcut in shortcuts:
        keys = QKeySequence.keyBindings(shortcut) if isinstance(shortcut, QKeySequence.StandardKey) \
            else [QKeySequence(shortcut)]
        found += [k for k in keys if not k.isEmpty() and k not in found]
    return found


def _action(window, menu, text: str, slot, shortcut=None) -> QAction:
    """A menu item; ``shortcut`` a key, or a tuple of keys that all work (the first is shown)."""
    action = QAction(text, window)
    if isinstance(shortcut, tuple):
        action.setShortcuts(_keys(shortcut))
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def _focus(dock, target) -> None:
    if dock is not None:
        dock.show()
        dock.raise_()
    target.setFocus()


def build_menus(window) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    _action(window, file_menu, "&New Entry\u2026", window.new_entry, QKeySequence.StandardKey.New)
    _action(window, file_menu, "&Open Library\u2026", window.choose_repository, QKeySequence.StandardKey.Open)
    _action(window, file_menu, "&Save", window.save, QKeySequence.StandardKey.Save)
    _action(window, file_menu, "Save &As\u2026", window.save_as, QKeySequence.StandardKey.SaveAs)
    _action(window, file_menu, "&Reload from Disk", window.reload_from_disk, "Ctrl+Shift+R")
    file_menu.addSeparator()
    # the library's view is made after the menus: it is looked up when the item is chosen
    _action(window, file_menu, "Rena&me Entry\u2026", lambda: window.library.rename_entry(), "F2")
    _action(window, file_menu, "&Duplicate Entry", lambda: window.library.duplicate_entry())
    _action(window, file_menu, "De&lete Entry\u2026", lambda: window.library.delete_entry())
    file_menu.addSeparator()
    add_export_item(window, file_menu)  # Export for Review…
    file_menu.addSeparator()
    _action(window, file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    edit = bar.addMenu("&Edit")
    editor, find_bar = window.editor, window.find_bar
    _action(window, edit, "&Undo", editor.undo, QKeySequence.StandardKey.Undo)
    _action(window, edit, "&Redo", editor.redo, QKeySequence.StandardKey.Redo)
    edit.addSeparator()
    _action(window, edit, "&Find\u2026", lambda: find_bar.open(False), QKeySequence.StandardKey.Find)
    _action(window, edit, "Find and &Replace\u2026", lambda: find_bar.open(True),
            (QKeySequence.StandardKey.Replace, *REPLACE_KEYS))
    _action(window, edit, "Find &Next", find_bar.find_next, QKeySequence.StandardKey.FindNext)
    edit.addAction(editor.fix_action)
    edit.addSeparator()
    format_menu = edit.addMenu("F&ormat")
    for action in editor.format_actions:
        format_menu.addAction(action)
    view = bar.addMenu("&View")
    window.focus_action = _action(window, view, "&Focus Mode", lambda on: window.toggle_focus_mode(on), "F11")
    window.focus_action.setCheckable(True)
    window.frontmatter_action = _action(window, view, "Show &Frontmatter in the Text",
                                        lambda on: window.documents.show_frontmatter(on), "Ctrl+Shift+M")
    window.frontmatter_action.setCheckable(True)
    add_preview_items(window, view)  # Preview Device, Preview Large Text, Preview Dark
    view.addSeparator()
    targets = ((window.entries_dock, window.browser.filter), (None, editor),
               (window.preview_dock, window.preview.browser), (window.problems_dock, window.problems.tree))
    for number, (dock, target) in enumerate(targets, 1):
        name = "Editor" if dock is None else dock.windowTitle()
        _action(window, view, f"Go to {name}", lambda _=False, d=dock, t=target: _focus(d, t), f"Ctrl+{number}")
    for dock in (window.entries_dock, window.preview_dock, window.problems_dock):
        view.addAction(dock.toggleViewAction())
    check = bar.addMenu("&Check")
    _action(window, check, "Check &All Entries", window.check_all, "Ctrl+Shift+K")
    window.web_links_action = _action(window, check, "Check &Web Links (Online)", window.session.web.start)
