"""Edit > Insert Link (Ctrl+K): a dialog that offers only the places modules.yaml lists, so the
link it inserts is always valid; and completion of in-app targets after ``](?`` in the editor
(``editor.ui.link_completer``). ``install_link_tools(window)`` adds both to a main window."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QVBoxLayout)

from editor.content.link_choices import MODULES_TAB, LinkChoice, LinkChoices, build_link, humanise, link_text

SHORTCUT = "Ctrl+K"
ROLE = Qt.ItemDataRole.UserRole


class InsertLinkDialog(QDialog):
    """Tab, then module (by title, searchable), then section; the link text defaults to the
    selection or the module's title. OK is enabled only when the choice is a valid link."""

    def __init__(self, choices: LinkChoices, selection: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("insertLinkDialog")
        self.setWindowTitle("Insert Link")
        self.choices = choices
        self.given_text = link_text(selection)
        self._text_edited = bool(self.given_text)
        self.tab = QComboBox()
        self.tab.setAccessibleName("Tab")
        for tab in choices.tabs:
            self.tab.addItem(f"{humanise(tab)} ({tab})", tab)
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a module")
        self.search.setPlaceholderText("Type part of a module's title")
        self.search.setClearButtonEnabled(True)
        self.modules = QListWidget()
        self.modules.setAccessibleName("Modules")
        self.section = QComboBox()
        self.section.setAccessibleName("Section")
        self.text = QLineEdit(self.given_text)
        self.text.setAccessibleName("Link text")
        self.link_label = QLabel()
        self.link_label.setObjectName("linkPreview")
        self.link_label.setWordWrap(True)
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Insert")
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Tab:", self.tab)
        form.addRow("&Module:", self.search)
        form.addRow("", self.modules)
        form.addRow("&Section:", self.section)
        form.addRow("Link te&xt:", self.text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.link_label)
        layout.addWidget(self.buttons)
        for first, second in ((self.tab, self.search), (self.search, self.modules), (self.modules, self.section),
                              (self.section, self.text), (self.text, self.buttons)):
            self.setTabOrder(first, second)
        self.search.installEventFilter(self)
        self.tab.currentIndexChanged.connect(self._tab_changed)
        self.search.textChanged.connect(self._fill_modules)
        self.modules.currentItemChanged.connect(self._module_changed)
        self.section.currentIndexChanged.connect(self._update)
        self.text.textEdited.connect(self._edited)
        self.text.textChanged.connect(self._update)
        if MODULES_TAB in choices.tabs:
            self.tab.setCurrentIndex(self.tab.findData(MODULES_TAB))
        self._tab_changed()
        (self.search if self.search.isEnabled() else self.tab).setFocus()
        self.resize(440, 420)

    # ------------------------------------------------------------------ the choice

    def choice(self) -> LinkChoice | None:
        """What the dialog would link to now, or None when nothing valid is chosen."""
        tab = self.tab.currentData()
        if tab is None:
            return None
        if tab != MODULES_TAB:
            choice = LinkChoice(tab)
        else:
            item = self.modules.currentItem()
            if item is None or item.isHidden():
                return None
            slug = item.data(ROLE)
            choice = LinkChoice(tab, slug, self.section.currentData() if slug is not None else None)
        return choice if self.choices.is_valid(choice) else None

    def link(self) -> str | None:
        """The Markdown the dialog inserts, or None when OK is disabled."""
        choice = self.choice()
        text = self.text.text().strip()
        if choice is None or not text:
            return None
        return build_link(text, choice.target)

    # ------------------------------------------------------------------ keeping the parts in step

    def _tab_changed(self) -> None:
        on_modules = self.tab.currentData() == MODULES_TAB
        for widget in (self.search, self.modules):
            widget.setEnabled(on_modules)
        self._fill_modules()

    def _fill_modules(self) -> None:
        previous = self.modules.currentItem().data(ROLE) if self.modules.currentItem() is not None else None
        self.modules.blockSignals(True)
        self.modules.clear()
        query = self.search.text()
        if self.tab.currentData() == MODULES_TAB:
            if not query.strip():
                item = QListWidgetItem("All modules (the Modules tab itself)")
                item.setData(ROLE, None)
                self.modules.addItem(item)
            for module in self.choices.search(query):
                item = QListWidgetItem(module.title)
                item.setData(ROLE, module.slug)
                item.setToolTip(module.slug)
                self.modules.addItem(item)
        rows = [self.modules.item(n).data(ROLE) for n in range(self.modules.count())]
        if rows:
            self.modules.setCurrentRow(rows.index(previous) if previous in rows else 0)
        self.modules.blockSignals(False)
        self._module_changed()

    def _module_changed(self, *_args) -> None:
        item = self.modules.currentItem()
        module = self.choices.module(item.data(ROLE)) if item is not None else None
        previous = self.section.currentData()
        self.section.blockSignals(True)
        self.section.clear()
        self.section.addItem("Whole module" if module is not None else "\u2014", None)
        for section in module.sections if module is not None else ():
            self.section.addItem(f"{humanise(section)} ({section})", section)
        index = self.section.findData(previous) if previous is not None else -1
        self.section.setCurrentIndex(max(index, 0))
        self.section.setEnabled(module is not None and bool(module.sections))
        self.section.blockSignals(False)
        self._update()

    def _edited(self, _text: str) -> None:
        self._text_edited = True

    def _update(self, *_args) -> None:
        choice = self.choice()
        if choice is not None and not self._text_edited:
            self.text.blockSignals(True)
            self.text.setText(self.choices.default_text(choice))
            self.text.blockSignals(False)
        link = self.link()
        self.ok.setEnabled(link is not None)
        if link is not None:
            self.link_label.setText(link)
        elif not self.choices.tabs:
            self.link_label.setText("modules.yaml lists no tabs: there is nothing an in-app link can open.")
        elif choice is None and self.search.text().strip():
            self.link_label.setText(f"No module\u2019s title matches \u201c{self.search.text().strip()}\u201d.")
        elif choice is None:
            self.link_label.setText("Choose a module.")
        else:
            self.link_label.setText("Give the link some text.")

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        """Up and Down in the search field move through the modules it finds."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            row = self.modules.currentRow()
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5, Qt.Key.Key_PageDown: 5}[event.key()]
            if self.modules.count():
                self.modules.setCurrentRow(min(max(row + step, 0), self.modules.count() - 1))
            return True
        return super().eventFilter(watched, event)


def insert_link(editor: QPlainTextEdit, link: str) -> None:
    """Put ``link`` at the cursor, replacing the selection, as one undoable edit. After a backslash
    or a ``!`` a space comes first, so the link stays a link (not escaped, not an image)."""
    cursor = editor.textCursor()
    start = cursor.selectionStart()
    before = editor.document().characterAt(start - 1) if start > 0 else ""
    cursor.beginEditBlock()  # its own undo step, never merged with the typing before it
    cursor.insertText((" " if before in ("\\", "!") else "") + link)
    cursor.endEditBlock()
    editor.setTextCursor(cursor)


class LinkTools(QObject):
    """The Insert Link action and the editor's link completion of one main window."""

    def __init__(self, window):
        super().__init__(window)
        from editor.ui.link_completer import LinkCompleter

        self.window = window
        self.dialog: InsertLinkDialog | None = None
        self._choices: tuple[object, LinkChoices] | None = None
        self.action = QAction("Insert &Link\u2026", window)
        self.action.setObjectName("insertLinkAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("Insert a link to a tab, module or section of the app, chosen from modules.yaml")
        self.action.triggered.connect(self.open_dialog)
        edit = _edit_menu(window)
        if edit is not None:
            edit.addSeparator()
            edit.addAction(self.action)
        else:
            window.addAction(self.action)
        self.completer = LinkCompleter(window.editor, self.choices)
        window.editor.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        """Ctrl+K is Insert Link in the editor too: on X11, KDE and GNOME Qt's text editors take it
        for "delete to the end of the line" before any shortcut sees it."""
        if event.type() == QEvent.Type.ShortcutOverride and self.action.isEnabled() and \
                QKeySequence(event.keyCombination()) == self.action.shortcut():
            event.ignore()
            return True
        return False

    def choices(self) -> LinkChoices | None:
        """The valid targets of the library's registry as it is now (rebuilt when it is reloaded)."""
        registry = getattr(self.window.session, "registry", None)
        if registry is None:
            return None
        if self._choices is None or self._choices[0] is not registry:
            self._choices = (registry, LinkChoices(registry))
        return self._choices[1]

    def open_dialog(self) -> InsertLinkDialog | None:
        editor = self.window.editor
        if not editor.isEnabled() or editor.isReadOnly():
            self.window.say("Open an entry to insert a link in it.", 5000)
            return None
        choices = self.choices()
        if choices is None:
            self.window.say("modules.yaml could not be read: there is nothing to link to.", 8000)
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = InsertLinkDialog(choices, editor.textCursor().selectedText(), self.window)
        self.dialog.accepted.connect(lambda dialog=self.dialog: self._accepted(dialog))
        self.dialog.finished.connect(lambda _result: editor.setFocus())
        self.dialog.open()
        return self.dialog

    def _accepted(self, dialog: InsertLinkDialog) -> None:
        link = dialog.link()
        if link is not None:
            insert_link(self.window.editor, link)


def _edit_menu(window):
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text().replace("&", "").strip().lower() == "edit":
            return menu
    return None


def install_link_tools(window) -> LinkTools | None:
    """Add Edit > Insert Link (Ctrl+K) and in-app link completion to ``window``, a main window
    whose panels and menus are built (``window.editor``, ``window.session``, the menu bar's Edit
    menu): call it at the end of ``MainWindow.build()``. Called on a progressive window before its
    panels exist, it installs them as soon as they are built, and returns None. Once per window;
    the tools are kept as ``window.link_tools``."""
    existing = getattr(window, "link_tools", None)
    if isinstance(existing, LinkTools):
        return existing
    if not hasattr(window, "editor"):
        build = window.build

        def build_then_install() -> None:
            build()
            install_link_tools(window)

        window.build = build_then_install
        return None
    window.link_tools = LinkTools(window)
    return window.link_tools


__all__ = ["InsertLinkDialog", "LinkTools", "insert_link", "install_link_tools"]
