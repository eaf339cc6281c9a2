"""Undo by word and pause. QTextDocument merges every run of typing into one undo command, so one
Ctrl+Z would take back a whole answer. Here each typed key is its own edit block, joined to the
previous one only while the same word goes on: a new word (a letter after a space or punctuation),
a pause, a move of the cursor or any other edit starts a new undo step."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit

PAUSE_S = 1.0  # typing after a pause this long is a new undo step
JOINERS = "'\u2019-_"  # inside a word: don't, well-being
COMMANDS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


def is_word_character(char: str) -> bool:
    return char.isalnum() or char in JOINERS


def _is_typing(event: QKeyEvent) -> bool:
    text = event.text()
    return bool(text) and not (event.modifiers() & COMMANDS) and all(c.isprintable() or c == "\t" for c in text)


class TypingUndo:
    """Groups the editor's typing into undo steps of a word (with the spaces and punctuation after
    it) or of what was typed since the last pause."""

    def __init__(self, editor: QPlainTextEdit, clock=time.monotonic):
        self.editor = editor
        self.clock = clock  # tests pass a clock of their own: no test waits a second
        self._last: tuple[int, int, int] | None = None  # (position, undo steps, characters) after the last key
        self._last_time = 0.0
        self._last_char = ""

    def key_press(self, event: QKeyEvent, handle) -> None:
        """Let ``handle`` (Qt's own key handling) type the key inside an edit block of its own, or
        joined to the previous key's when the same word goes on."""
        if not _is_typing(event):
            self._last = None
            handle(event)
            return
        document = self.editor.document()
        cursor = self.editor.textCursor()
        now = self.clock()
        text = event.text()
        if self._continues(cursor, text, now):
            cursor.joinPreviousEditBlock()
        else:
            cursor.beginEditBlock()
        try:
            handle(event)
        finally:
            cursor.endEditBlock()
        after = self.editor.textCursor()
        self._last = (after.position(), document.availableUndoSteps(), document.characterCount())
        self._last_time, self._last_char = now, text[-1]

    def _continues(self, cursor, text: str, now: float) -> bool:
        document = self.editor.document()
        if self._last is None or cursor.hasSelection() or now - self._last_time >= PAUSE_S:
            return False
        if self._last != (cursor.position(), document.availableUndoSteps(), document.characterCount()):
            return False  # the cursor moved, or something else edited the text (or undid) since
        return not (is_word_character(text[0]) and not is_word_character(self._last_char))
