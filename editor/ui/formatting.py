"""Markdown formatting from the keyboard: bold and italic wrap the selection (or the word at the
cursor) and toggle off again, a heading sets the line's ``##``/``###``, a list toggles ``- `` at
the start of the selected lines. Each is one undo step. The keys act in the editor only (Ctrl+B in
the filter field formats nothing); the Edit menu's Format submenu offers them too. Ctrl+K (Insert
Link) and Ctrl+1..4 (panels) are taken elsewhere."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from editor.ui.undo_steps import is_word_character

HEADING = re.compile(r"^#{1,6}[ \t]+")
BULLET = "- "


def _stars(text: str, from_end: bool = False) -> int:
    """How many asterisks ``text`` starts (or ends) with, up to three."""
    run = text[::-1] if from_end else text
    return min(len(run) - len(run.lstrip("*")), 3)


def _marked(stars: int, marker: str) -> bool:
    """Whether a run of ``stars`` asterisks holds ``marker``: ``***`` is bold and italic."""
    return stars == len(marker) or stars == 3


def _select_word(cursor: QTextCursor) -> None:
    """Select the word at the cursor, "don't" and "well-being" whole (Qt's own word ends at the
    apostrophe); nothing when the cursor is not at a word."""
    line, offset = cursor.block().text(), cursor.positionInBlock()
    start = end = offset
    while start > 0 and is_word_character(line[start - 1]):
        start -= 1
    while end < len(line) and is_word_character(line[end]):
        end += 1
    while start < end and not line[start].isalnum():
        start += 1
    while end > start and not line[end - 1].isalnum():
        end -= 1
    if start == end:
        start = end = offset
    base = cursor.block().position()
    cursor.setPosition(base + start)
    cursor.setPosition(base + end, QTextCursor.MoveMode.KeepAnchor)


def toggle_emphasis(editor: QPlainTextEdit, marker: str) -> None:
    """Wrap the selection, or the word at the cursor, in ``marker`` (``**`` bold, ``*`` italic);
    when it is wrapped already (inside or just outside the selection), unwrap it."""
    cursor = editor.textCursor()
    if not cursor.hasSelection():
        _select_word(cursor)
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    selected = cursor.selectedText()
    if "\u2029" in selected:
        return  # emphasis does not span paragraphs in Markdown
    block = editor.document().findBlock(start)
    line, offset = block.text(), start - block.position()
    before, after = line[:offset], line[offset + len(selected):]
    size = len(marker)
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    if _marked(_stars(before, from_end=True), marker) and _marked(_stars(after), marker):
        edit.setPosition(end)
        edit.setPosition(end + size, QTextCursor.MoveMode.KeepAnchor)
        edit.removeSelectedText()
        edit.setPosition(start - size)
        edit.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        edit.removeSelectedText()
        start, end = start - size, end - size
    elif len(selected) > 2 * size and _marked(_stars(selected), marker) and _marked(_stars(selected, True), marker):
        edit.setPosition(start)
        edit.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        edit.insertText(selected[size:-size])
        end -= 2 * size
    else:
        edit.setPosition(start)
        edit.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        edit.insertText(f"{marker}{selected}{marker}")
        start, end = start + size, end + size
    edit.endEditBlock()
    shown = editor.textCursor()
    shown.setPosition(start)
    shown.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(shown)


def _lines(editor: QPlainTextEdit):
    """The blocks the selection touches (the cursor's block when nothing is selected)."""
    cursor = editor.textCursor()
    document = editor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
        last = last.previous()  # a selection ending at a line's start leaves that line alone
    block = first
    while block.isValid():
        yield block
        if block == last:
            break
        block = block.next()


def _replace_start(editor: QPlainTextEdit, block, length: int, text: str, edit: QTextCursor) -> None:
    edit.setPosition(block.position())
    edit.setPosition(block.position() + length, QTextCursor.MoveMode.KeepAnchor)
    edit.insertText(text)


def set_heading(editor: QPlainTextEdit, level: int) -> None:
    """Make the cursor's line(s) headings of ``level`` (``## ``); a line already at that level
    becomes plain text again."""
    prefix = "#" * level + " "
    blocks = list(_lines(editor))
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    for block in blocks:
        found = HEADING.match(block.text())
        current = found.group(0) if found else ""
        wanted = "" if current.rstrip() == prefix.rstrip() else prefix
        _replace_start(editor, block, len(current), wanted, edit)
    edit.endEditBlock()


def toggle_bullets(editor: QPlainTextEdit) -> None:
    """Put ``- `` at the start of the selected lines (blank lines left alone); when every one has
    it already, take it away."""
    blocks = [b for b in _lines(editor) if b.text().strip()]
    if not blocks:
        blocks = list(_lines(editor))
    remove = all(b.text().startswith(BULLET) for b in blocks) and any(b.text() for b in blocks)
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    for block in blocks:
        if remove:
            _replace_start(editor, block, len(BULLET), "", edit)
        elif not block.text().startswith(BULLET):
            _replace_start(editor, block, 0, BULLET, edit)
    edit.endEditBlock()


def _keys(*keys) -> list[QKeySequence]:
    """The shortcuts, the platform's standard ones first, each once."""
    sequences: list[QKeySequence] = []
    for key in keys:
        found = QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        sequences += [s for s in found if not s.isEmpty() and s not in sequences]
    return sequences


def format_actions(editor: QPlainTextEdit) -> list[QAction]:
    """The Format actions, with their keys working while the editor has the focus."""
    made = []
    for text, slot, keys in (
            ("&Bold", lambda: toggle_emphasis(editor, "**"), (QKeySequence.StandardKey.Bold, "Ctrl+B")),
            ("&Italic", lambda: toggle_emphasis(editor, "*"), (QKeySequence.StandardKey.Italic, "Ctrl+I")),
            ("Heading &2", lambda: set_heading(editor, 2), ("Ctrl+Alt+2",)),
            ("Heading &3", lambda: set_heading(editor, 3), ("Ctrl+Alt+3",)),
            ("Bulleted &List", lambda: toggle_bullets(editor), ("Ctrl+Shift+8",))):
        action = QAction(text, editor)
        action.setShortcuts(_keys(*keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False, act=slot: act() if editor.isEnabled() and not editor.isReadOnly()
                                 else None)
        editor.addAction(action)
        made.append(action)
    return made
