"""The Help menu: the keyboard shortcuts (read from the menus themselves, so the list is never
out of date), the language rules and where each comes from (docs/rules.md, made on a worker), and
About."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout


def shortcuts(window) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every menu action that has a shortcut, in menu order."""
    found = []

    def walk(menu, path):
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} \u203a {action.menu().title().replace('&', '')}")
            elif not action.isSeparator() and action.shortcuts():
                keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
                found.append((path, action.text().replace("&", "").rstrip("\u2026"), keys))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    return found


def _reader(window, title: str, size=(760, 620)) -> tuple[QDialog, QTextBrowser]:
    dialog = QDialog(window)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    text = QTextBrowser()
    text.setOpenLinks(False)  # nothing is fetched from here either
    layout.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(*size)
    return dialog, text


def show_shortcuts(window) -> QDialog:
    dialog, text = _reader(window, "Keyboard Shortcuts", (620, 640))
    rows = "".join(f"<tr><td>{menu}</td><td><b>{name}</b></td><td>{keys}</td></tr>"
                   for menu, name, keys in shortcuts(window))
    text.setHtml("<table cellspacing=0 cellpadding=4><tr><th align=left>Menu</th><th align=left>Action</th>"
                 f"<th align=left>Keys</th></tr>{rows}</table>")
    dialog.show()
    return dialog


def _rules_text() -> str:
    from editor.checks.rules_doc import rules_markdown

    return rules_markdown()


def show_rules(window) -> QDialog:
    """docs/rules.md as the installed rules make it (it runs the rules on the guidance's terms, a
    second's work, so on a worker)."""
    dialog, text = _reader(window, "Language Rules and Their Sources", (980, 700))
    text.setPlainText("Making the rule reference\u2026")
    window.session.tasks.submit("help-rules", _rules_text, on_done=text.setMarkdown,
                                on_error=lambda detail: text.setPlainText(f"The rule reference could not be made: {detail}"))
    dialog.show()
    return dialog


def show_about(window) -> None:
    from importlib.metadata import PackageNotFoundError, version

    import PySide6

    try:
        own = version("malone-editor")
    except PackageNotFoundError:
        own = "(not installed)"
    QMessageBox.about(window, "About Malone Editor",
                      f"<b>Malone Editor</b> {own}<br>Writing, checking and clinical review of the Malone help "
                      f"library.<br><br>Library: {window.root}<br>Qt {PySide6.QtCore.qVersion()}, "
                      f"PySide6 {PySide6.__version__}")


def build_help_menu(window) -> None:
    menu = window.menuBar().addMenu("&Help")
    for text, slot, keys in (("&Keyboard Shortcuts", lambda: show_shortcuts(window), "Ctrl+/"),
                             ("&Language Rules and Their Sources", lambda: show_rules(window), None),
                             ("&About Malone Editor", lambda: show_about(window), None)):
        action = QAction(text, window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
