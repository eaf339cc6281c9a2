"""Completion of in-app link targets in the editor: typing ``](?`` offers the modules by title
(``tab=modules&module=…``), their sections and the tabs, from modules.yaml. Typing on narrows the
list (by title, slug or target); Enter, Tab or a click puts the chosen target in, closing the link
with ``)`` when it is not closed yet; Escape closes the list. Ctrl+Space opens it inside a target.

The popup is a ``QCompleter``'s; the editor is not changed: an event filter on the editor notices
the ``?`` being typed, and one on the popup takes the keys that accept a completion."""
from __future__ import annotations

import re
from typing import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel, QTextCursor
from PySide6.QtWidgets import QCompleter, QPlainTextEdit

from editor.content.link_choices import LinkChoices

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
KEYWORDS_ROLE = Qt.ItemDataRole.UserRole + 2
# the cursor is in the target of an inline link that starts with "?": what was typed after the "?"
LOOK_BACK = 400  # characters before the cursor looked at for an in-app link target being typed
_IN_TARGET = re.compile(r"\]\(\?([^\s()\[\]<>]*)$")
_REST_OF_TARGET = re.compile(r"^[^\s()\[\]<>]*\)")
_ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


class LinkCompleter(QObject):
    def __init__(self, editor: QPlainTextEdit, choices: Callable[[], LinkChoices | None]):
        super().__init__(editor)
        self.editor = editor
        self._choices = choices
        self._shown: LinkChoices | None = None
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(editor)
        self.completer.setCompletionRole(KEYWORDS_ROLE)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(10)
        self.completer.activated[QModelIndex].connect(self.accept)
        self.popup = self.completer.popup()
        self.popup.setObjectName("linkCompletions")
        self.popup.setAccessibleName("Link completions")
        self.popup.installEventFilter(self)  # after the completer's own filter, so it is asked first
        editor.installEventFilter(self)
        editor.cursorPositionChanged.connect(self._follow)
        self.open_action = QAction("Complete Link Target", editor)
        self.open_action.setShortcut(QKeySequence("Ctrl+Space"))
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(lambda: self.update(open_list=True))
        editor.addAction(self.open_action)

    # ------------------------------------------------------------------ where the cursor is

    def context(self) -> tuple[int, str] | None:
        """(document position just after the ``?``, what was typed since) when the cursor is in
        an in-app link target with nothing selected, else None."""
        cursor = self.editor.textCursor()
        if cursor.hasSelection() or self.editor.isReadOnly() or not self.editor.isEnabled():
            return None
        back = min(cursor.positionInBlock(), LOOK_BACK)  # never the whole of a 2 MB line at each keystroke
        before = QTextCursor(cursor)
        before.setPosition(cursor.position() - back, QTextCursor.MoveMode.KeepAnchor)
        match = _IN_TARGET.search(before.selectedText())
        if match is None:
            return None
        return cursor.position() - back + match.start(1), match.group(1)

    def _fill(self, choices: LinkChoices) -> None:
        if choices is self._shown:
            return
        self._shown = choices
        self.model.clear()
        for offer in choices.offers():
            item = QStandardItem(offer.label)
            item.setData(offer.target, TARGET_ROLE)
            item.setData(offer.keywords, KEYWORDS_ROLE)
            item.setToolTip(offer.target)
            item.setEditable(False)
            self.model.appendRow(item)

    def update(self, open_list: bool = False) -> bool:
        """Show, narrow or hide the list for where the cursor is; True when it is shown."""
        context = self.context()
        visible = self.popup.isVisible()
        if context is None or not (visible or open_list):
            if visible:
                self.popup.hide()
            return False
        choices = self._choices()
        if choices is None:
            return False
        self._fill(choices)
        self.completer.setCompletionPrefix(context[1])
        if self.completer.completionCount() == 0:
            self.popup.hide()
            return False
        rect = self.editor.cursorRect()
        rect.setWidth(max(self.popup.sizeHintForColumn(0) + self.popup.verticalScrollBar().sizeHint().width(), 320))
        self.completer.complete(rect)
        self.popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        return True

    def _follow(self) -> None:
        if self.popup.isVisible():
            self.update()

    # ------------------------------------------------------------------ accepting

    def accept(self, index: QModelIndex | None = None) -> bool:
        """Put the chosen target in place of what was typed after ``?`` (and the rest of the target
        up to its ``)``), as one undoable edit."""
        index = index if index is not None and index.isValid() else self.popup.currentIndex()
        target = index.data(TARGET_ROLE) if index.isValid() else None
        context = self.context()
        self.popup.hide()
        if not target or context is None:
            return False
        start, _typed = context
        cursor = self.editor.textCursor()
        after = cursor.block().text()[cursor.positionInBlock():]
        rest = _REST_OF_TARGET.match(after)
        end = cursor.position() + (len(rest.group(0)) if rest else 0)
        edit = QTextCursor(self.editor.document())
        edit.setPosition(start)
        edit.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        edit.beginEditBlock()
        edit.insertText(target[1:] + ")")
        edit.endEditBlock()
        self.editor.setTextCursor(edit)
        return True

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress:
            return False
        if watched is self.popup:
            if event.key() in _ACCEPT_KEYS and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                                    Qt.KeyboardModifier.KeypadModifier):
                return self.accept() or True
            if event.key() == Qt.Key.Key_Escape:
                self.popup.hide()
                return True
            return False  # the completer moves through the list or hands the key to the editor
        if watched is self.editor and event.text() == "?":
            QTimer.singleShot(0, lambda: self.update(open_list=True))  # once the "?" is in the text
        return False
