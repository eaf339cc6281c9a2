"""Body first: the frontmatter is edited in the form above the text, so in the text area its lines
are hidden (a view only: the text, the undo history and the saved bytes are untouched), and an
entry opens with the cursor after its "A: ". View > Show Frontmatter brings the lines back."""
from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QTextCursor, QTextDocument

FOLD_LIMIT = 500  # lines of frontmatter folded away; a longer one (hostile, or broken) stays in sight
_ANSWER, _QUESTION = QRegularExpression("^A:"), QRegularExpression("^### Q:")


def frontmatter_blocks(editor) -> range:
    """The block numbers of the frontmatter, both fences included (empty when there is none, or when
    it is longer than ``FOLD_LIMIT`` lines: nothing here looks at more lines than that)."""
    document = editor.document()
    first = document.firstBlock()
    if not first.isValid() or first.text().rstrip() != "---":
        return range(0)
    block = first.next()
    while block.isValid() and block.blockNumber() <= FOLD_LIMIT:
        if block.text().rstrip() in ("---", "..."):
            return range(0, block.blockNumber() + 1)
        block = block.next()
    return range(0)  # not closed: a broken header stays in sight, where its finding points


def set_folded(editor, folded: bool) -> bool:
    """Hide (or show) the frontmatter's lines; True when there was a frontmatter to fold. Only the
    first lines are looked at: those of the frontmatter, and those hidden before (a frontmatter
    that got shorter), up to the first shown line after them, never every line of a long body."""
    document = editor.document()
    blocks = frontmatter_blocks(editor)
    block = document.firstBlock()
    changed_end = -1  # only the lines whose visibility changed are laid out again (not a 100 KB body)
    while block.isValid() and (block.blockNumber() in blocks or not block.isVisible()):
        visible = not (folded and block.blockNumber() in blocks)
        if block.isVisible() != visible:
            block.setVisible(visible)
            changed_end = block.position() + block.length()
        block = block.next()
    if changed_end >= 0:
        document.markContentsDirty(0, changed_end)
        editor.viewport().update()
    if folded and blocks:
        cursor = editor.textCursor()
        if cursor.blockNumber() in blocks:  # the cursor never waits inside hidden lines
            cursor.setPosition(document.findBlockByNumber(blocks.stop).position()
                               if blocks.stop < document.blockCount() else document.characterCount() - 1)
            editor.setTextCursor(cursor)
    return bool(blocks)


def answer_position(editor) -> int | None:
    """Just after the answer's "A: " (or after the heading, when there is no "A:" yet). Qt looks
    for them, without a line of Python for each line of a long entry."""
    document = editor.document()
    start = document.findBlockByNumber(frontmatter_blocks(editor).stop)
    if not start.isValid():
        return None
    found = document.find(_ANSWER, start.position(), QTextDocument.FindFlag.FindCaseSensitively)
    if not found.isNull():
        block = found.block()
        return block.position() + (3 if block.text().startswith("A: ") else 2)
    found = document.find(_QUESTION, start.position(), QTextDocument.FindFlag.FindCaseSensitively)
    return None if found.isNull() else found.block().position() + found.block().length() - 1


def open_at_answer(editor) -> None:
    """Put the cursor after "A: " and the question at the top of the view."""
    position = answer_position(editor)
    if position is None:
        return
    cursor = QTextCursor(editor.document())
    cursor.setPosition(position)
    editor.setTextCursor(cursor)
    top = editor.document().findBlockByNumber(frontmatter_blocks(editor).stop)
    if top.isValid():
        editor.verticalScrollBar().setValue(0)
        editor.ensureCursorVisible()
