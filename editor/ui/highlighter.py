"""Markdown highlighting for the editor: frontmatter, headings (the question stands out), links,
emphasis, code and HTML comments. Colours come from the palette, so light and dark both work."""
from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat

IN_FRONTMATTER, AFTER_FRONTMATTER, IN_FENCE = 1, 2, 3
_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
_QUESTION = re.compile(r"^ {0,3}#{1,6}\s+Q:")
_LINK = re.compile(r"(!?\[)([^\]]*)(\]\()([^)\s]*)([^)]*\))")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![*\w])(\*|_)(?=\S)(.+?)(?<=\S)\3(?![*\w])")
_CODE = re.compile(r"(`+)(.+?)\1")
_COMMENT = re.compile(r"<!--.*?-->")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
INLINE_LIMIT = 2_000  # characters of a line given inline formats (links, emphasis): a longer line is plain


def _format(color: QColor | None = None, bold: bool = False, italic: bool = False, size: float = 0) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if color is not None:
        fmt.setForeground(color)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if size:
        fmt.setFontPointSize(size)
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(self, document, palette: QPalette):
        super().__init__(document)
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        accent = QColor("#8ab4d8") if dark else QColor("#2f5d7c")
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        self.formats = {
            "frontmatter": _format(muted),
            "heading": _format(accent, bold=True),
            "question": _format(QColor("#d9a86c") if dark else QColor("#8a4b12"), bold=True),
            "link_text": _format(accent),
            "link_target": _format(muted),
            "emphasis": _format(italic=True),
            "strong": _format(bold=True),
            "code": _format(QColor("#b5cea8") if dark else QColor("#5b6b2f")),
            "comment": _format(muted, italic=True),
            "marker": _format(muted),
        }

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        previous = self.previousBlockState()
        block_number = self.currentBlock().blockNumber()
        if block_number == 0 and text.rstrip() == "---":
            self.setFormat(0, len(text), self.formats["frontmatter"])
            self.setCurrentBlockState(IN_FRONTMATTER)
            return
        if previous == IN_FRONTMATTER:
            self.setFormat(0, len(text), self.formats["frontmatter"])
            self.setCurrentBlockState(AFTER_FRONTMATTER if text.rstrip() == "---" else IN_FRONTMATTER)
            return
        if text.lstrip().startswith(("```", "~~~")):
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(AFTER_FRONTMATTER if previous == IN_FENCE else IN_FENCE)
            return
        if previous == IN_FENCE:
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(IN_FENCE)
            return
        self.setCurrentBlockState(AFTER_FRONTMATTER)
        if _QUESTION.match(text):
            self.setFormat(0, len(text), self.formats["question"])
        elif _HEADING.match(text):
            self.setFormat(0, len(text), self.formats["heading"])
        if len(text) > INLINE_LIMIT:  # a 2 MB line: the emphasis pattern would cost seconds a keystroke
            return
        list_marker = _LIST.match(text)
        if list_marker:
            self.setFormat(0, list_marker.end(), self.formats["marker"])
        for match in _EMPHASIS.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(),
                           self.formats["strong" if match.group(1) else "emphasis"])
        for match in _LINK.finditer(text):
            self.setFormat(match.start(2), len(match.group(2)), self.formats["link_text"])
            self.setFormat(match.start(3), match.end() - match.start(3), self.formats["link_target"])
        for match in _CODE.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.formats["code"])
        for match in _COMMENT.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.formats["comment"])
