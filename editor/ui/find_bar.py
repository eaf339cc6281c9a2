"""Find and replace inside the open entry: a find row, and under it a replace row that Find and
Replace (Ctrl+H) opens; both fields keep a usable width."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QWidget

FIELD_MIN_WIDTH = 200  # "Find" never shrinks to "Fi..."


class FindBar(QWidget):
    def __init__(self, editor: QPlainTextEdit, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.setAccessibleName("Find and replace")
        self.find_field = QLineEdit(placeholderText="Find")
        self.find_field.setAccessibleName("Find")
        self.replace_field = QLineEdit(placeholderText="Replace with")
        self.replace_field.setAccessibleName("Replace with")
        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(FIELD_MIN_WIDTH)
            field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.case = QCheckBox("Match case")
        self.status = QLabel()
        previous = QPushButton("Previous")
        following = QPushButton("Next")
        replace = QPushButton("Replace")
        replace_all = QPushButton("Replace All")
        close = QPushButton("Close")
        for button in (previous, following, replace, replace_all, close):
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)  # the fields get the room
        self.replace_row = (self.replace_field, replace, replace_all)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setVerticalSpacing(2)
        for column, widget in enumerate((self.find_field, previous, following, self.case, close)):
            layout.addWidget(widget, 0, column)
        layout.addWidget(self.replace_field, 1, 0)
        layout.addWidget(replace, 1, 1)
        layout.addWidget(replace_all, 1, 2)
        layout.addWidget(self.status, 1, 3, 1, 2)
        layout.setColumnStretch(0, 1)
        self.find_field.returnPressed.connect(self.find_next)
        following.clicked.connect(self.find_next)
        previous.clicked.connect(self.find_previous)
        replace.clicked.connect(self.replace_one)
        replace_all.clicked.connect(self.replace_all)
        close.clicked.connect(self.hide)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close_bar)
        self.hide()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus()

    def show_replace(self, shown: bool) -> None:
        for widget in self.replace_row:
            widget.setVisible(shown)

    def open(self, replace: bool = False) -> None:
        """Show the bar: the find row, and the replace row too for Find and Replace (Find alone
        keeps a replace row that is already open)."""
        if replace or not self.isVisible():
            self.show_replace(replace)
        self.show()
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        (self.replace_field if replace and self.find_field.text() else self.find_field).setFocus()
        self.find_field.selectAll()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, backward: bool) -> bool:
        text = self.find_field.text()
        if not text:
            return False
        if self.editor.find(text, self._flags(backward)):
            self.status.setText("")
            return True
        cursor = self.editor.textCursor()  # wrap around
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        found = self.editor.find(text, self._flags(backward))
        self.status.setText("" if found else "Not found")
        return found

    def find_next(self) -> bool:
        return self._find(False)

    def find_previous(self) -> bool:
        return self._find(True)

    def _matches(self, selected: str) -> bool:
        wanted = self.find_field.text()
        return selected == wanted if self.case.isChecked() else selected.lower() == wanted.lower()

    def replace_one(self) -> None:
        cursor = self.editor.textCursor()
        if cursor.hasSelection() and self._matches(cursor.selectedText()):
            cursor.insertText(self.replace_field.text())
        self.find_next()

    def replace_all(self) -> int:
        text = self.find_field.text()
        if not text:
            return 0
        count = 0
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()  # one undo step
        search = QTextCursor(self.editor.document())
        while True:
            search = self.editor.document().find(text, search, self._flags())
            if search.isNull():
                break
            search.insertText(self.replace_field.text())
            count += 1
        cursor.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count
