"""The Markdown editor: findings underlined in their severity's colour, the message on hover,
suggestions as one-click fixes, and "add to dictionary" for spelling."""
from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QTextCharFormat, QTextCursor, QTextFormat, QTextOption
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip

from editor.findings import Finding
from editor.ui.formatting import format_actions
from editor.ui.highlighter import MarkdownHighlighter
from editor.ui.undo_steps import TypingUndo

HIGHLIGHT_LINES = 3_000  # an entry of more lines is shown without highlighting (Python for every line)
# a run of this many characters without a space: lines break anywhere, since Qt's breaking at word
# boundaries costs time growing with the square of a word's length (25 s for a 400 KB word)
_LONG_RUN = re.compile(r"(?<!\S)\S{1000}")
UNDERLINE_LIMIT = 2_000  # characters of one finding underlined (Qt lays out again all it underlines)
SEVERITY_COLORS = {"error": QColor("#d93025"), "warning": QColor("#e8a100"), "info": QColor("#4a90d9")}
COMMENT_RULE = "open-comment"
COMMENT_COLOR = QColor("#fff1b8")


def utf16_column(line_text: str, column: int) -> int:
    """Qt counts UTF-16 units; findings count characters."""
    return len(line_text[:max(column - 1, 0)].encode("utf-16-le")) // 2


NO_FIX = "No suggested fix here: put the cursor on underlined words that have a suggestion."


def no_fix_message(here: list[Finding]) -> str:
    """What Ctrl+. says when it has nothing to apply, in plain words."""
    if here:
        return f"No automatic fix for this; change the words yourself: {here[0].message}"
    return NO_FIX


def as_qt_keeps(text: str) -> str:
    """``text`` as Qt must be given it to keep every character: Qt drops one U+FEFF at the start of
    a text it is given (``setPlainText``, a cursor's ``insertText``), as if it were a byte-order
    mark, so a text that begins with one (a file with two of them) gets one more for Qt to drop."""
    return "\ufeff" + text if text.startswith("\ufeff") else text


class EditorPanel(QPlainTextEdit):
    addToDictionary = Signal(str)
    notice = Signal(str)  # something to tell the writer (the window's status bar shows it)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("editor")
        self.setAccessibleName("Editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(11)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.highlighter = MarkdownHighlighter(self.document(), self.palette())
        self.findings: list[Finding] = []
        self._ranges: list[tuple[QTextCursor, str, Finding]] = []
        self.fix_action = QAction("Apply Suggested Fix", self)
        self.fix_action.setShortcut(QKeySequence("Ctrl+."))
        self.fix_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.fix_action.triggered.connect(self.apply_fix_at_cursor)
        self.addAction(self.fix_action)
        self.context_actions: list[QAction] = []  # added to the context menu by other views (Comment on Selection)
        self.typing_undo = TypingUndo(self)
        self.format_actions = format_actions(self)  # Bold, Italic, headings, list: Edit > Format

    def load_text(self, text: str) -> None:
        """Show a newly opened entry's text: highlighted unless it has very many lines, and lines
        broken anywhere when it holds a very long word."""
        many = text.count("\n") > HIGHLIGHT_LINES
        if many and self.highlighter.document() is not None:
            self.highlighter.setDocument(None)
        elif not many and self.highlighter.document() is None:
            self.highlighter.setDocument(self.document())
        self.follow_words(text)
        self.setPlainText(text)

    def setPlainText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setPlainText(as_qt_keeps(text))

    def follow_words(self, text: str) -> None:
        """Break lines anywhere while ``text`` holds a very long word, at word boundaries otherwise."""
        mode = (QTextOption.WrapMode.WrapAnywhere if _LONG_RUN.search(text)
                else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if self.wordWrapMode() != mode:
            self.setWordWrapMode(mode)

    def text(self) -> str:
        """The entry's text: the blocks joined by LF, every other character as typed (``toPlainText``
        would turn a no-break space into a space and a U+2028 into a line break)."""
        return self.document().toRawText().replace("\u2029", "\n")

    # ------------------------------------------------------------------ findings

    def position_of(self, line: int, column: int) -> int:
        block = self.document().findBlockByNumber(max(line - 1, 0))
        if not block.isValid():
            return max(self.document().characterCount() - 1, 0)
        return block.position() + min(utf16_column(block.text(), column), block.length() - 1)

    def set_findings(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        self._ranges = []
        selections = []
        for finding in self.findings:
            start = self.position_of(finding.line, finding.column)
            end = self.position_of(finding.end_line, finding.end_column)
            if end <= start:
                end = start + 1
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            if finding.rule == COMMENT_RULE:  # a reviewer's comment: the passage highlighted, its note on hover
                fmt.setBackground(COMMENT_COLOR)
            else:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                fmt.setUnderlineColor(SEVERITY_COLORS.get(finding.severity, SEVERITY_COLORS["info"]))
            fmt.setProperty(QTextFormat.Property.UserProperty, finding.rule)
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self._ranges.append((QTextCursor(cursor), cursor.selectedText(), finding))
            cursor.setPosition(min(end, start + UNDERLINE_LIMIT), QTextCursor.MoveMode.KeepAnchor)  # what shows
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)

    def _spans(self):
        """(start, end, finding) of each finding as the text is now. Each finding keeps a cursor
        over its words, which Qt moves with every edit (no Python runs per keystroke); one whose
        words were edited since the check is void until the next check, so a quick fix never
        lands on other words than the finding's."""
        for cursor, words, finding in self._ranges:
            if cursor.selectedText() == words:
                yield cursor.selectionStart(), cursor.selectionEnd(), finding

    def findings_at(self, position: int) -> list[Finding]:
        return [f for start, end, f in self._spans() if start <= position <= end]

    def span_of(self, finding: Finding) -> tuple[int, int] | None:
        """Where the finding is now, or None when typing has touched it since it was found."""
        for start, end, candidate in self._spans():
            if candidate is finding:
                return start, end
        return None

    def apply_fix(self, finding: Finding) -> bool:
        span = self.span_of(finding) if finding.suggestion is not None else None
        if span is None:
            return False
        start, end = span
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(finding.suggestion)  # one undoable edit
        self.setTextCursor(cursor)
        return True

    def apply_fix_at_cursor(self) -> bool:
        """Apply the suggestion of the finding at the cursor; when there is none, say so (Ctrl+.
        never does nothing in silence)."""
        here = self.findings_at(self.textCursor().position())
        for finding in here:
            if finding.suggestion is not None:
                return self.apply_fix(finding)
        message = no_fix_message(here)
        QToolTip.showText(self.mapToGlobal(self.cursorRect().bottomLeft()), message, self)
        self.notice.emit(message)
        return False

    def go_to(self, line: int, column: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.position_of(line, column))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    # ------------------------------------------------------------------ Qt events

    def keyPressEvent(self, event):  # noqa: N802 - Qt's name
        self.typing_undo.key_press(event, super().keyPressEvent)

    def event(self, event):  # noqa: D401 - Qt override
        if event.type() == QEvent.Type.ToolTip:
            position = self.cursorForPosition(event.pos()).position()
            here = self.findings_at(position)
            if here:
                QToolTip.showText(event.globalPos(), "\n".join(
                    f"{f.severity.capitalize()}: {f.message}" + (f" \u2192 {f.suggestion}" if f.suggestion else "")
                    for f in here), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def contextMenuEvent(self, event):  # noqa: N802 - Qt's name
        menu = self.build_context_menu(self.cursorForPosition(event.pos()).position())
        menu.exec(event.globalPos())

    def build_context_menu(self, position: int) -> QMenu:
        menu = self.createStandardContextMenu()
        first = menu.actions()[0] if menu.actions() else None
        added = False
        for finding in self.findings_at(position):
            if finding.suggestion is not None:
                action = QAction(f"Replace with \u201c{finding.suggestion}\u201d", menu)
                action.triggered.connect(lambda _=False, f=finding: self.apply_fix(f))
                menu.insertAction(first, action)
                added = True
            if finding.rule == "misspelling":
                start, end = self.span_of(finding)
                cursor = QTextCursor(self.document())  # positions count UTF-16 units, not characters
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                word = cursor.selectedText()
                action = QAction(f"Add \u201c{word}\u201d to Dictionary", menu)
                action.triggered.connect(lambda _=False, w=word: self.addToDictionary.emit(w))
                menu.insertAction(first, action)
                added = True
        if added and first is not None:
            menu.insertSeparator(first)
        if self.context_actions:
            menu.addSeparator()
            for action in self.context_actions:
                menu.addAction(action)
        return menu
