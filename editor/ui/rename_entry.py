"""File > Rename Entry…: a new file name and/or a new id for an entry, checked as they are typed
(a valid, unused id; a file name not taken in the entry's folder)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from editor.session.entry_ops import file_name_for, id_problem, name_problem


class RenameDialog(QDialog):
    def __init__(self, path: str, entry_id: str | None, used_ids: dict[str, tuple[str, ...]],
                 name_taken: Callable[[str], bool], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Rename Entry")
        self.path, self.old_id, self.used_ids, self.name_taken = path, entry_id, used_ids, name_taken
        self.old_name = path.rsplit("/", 1)[-1]
        self.file_name = QLineEdit(self.old_name.removesuffix(".md"))
        self.file_name.setAccessibleName("File name")
        self.entry_id = QLineEdit(entry_id or "")
        self.entry_id.setAccessibleName("Id")
        if entry_id is None:
            self.entry_id.setPlaceholderText("no id in this file: give it one in the form")
            self.entry_id.setEnabled(False)
        # while the file is named after the id, it follows the id as it is typed
        self._follow = entry_id is not None and self.file_name.text() == entry_id
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Rename problem")
        form = QFormLayout()
        form.addRow("&Id:", self.entry_id)
        form.addRow("&File name:", self.file_name)
        note = QLabel("The entry stays in its folder. In a git repository the file is moved with git mv, so its "
                      "history follows it. No link needs updating: in-app links point to modules and sections, "
                      "never to one entry.")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Rename")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.entry_id.textEdited.connect(self._id_edited)
        self.file_name.textEdited.connect(self._name_edited)
        self.entry_id.setFocus()
        self.entry_id.selectAll()
        self._validate()

    def _id_edited(self, text: str) -> None:
        if self._follow:
            self.file_name.setText(text.strip())
        self._validate()

    def _name_edited(self, _text: str) -> None:
        self._follow = False
        self._validate()

    def values(self) -> tuple[str, str | None]:
        """The new file name (with .md) and the new id (None: no id to change)."""
        entry_id = self.entry_id.text().strip() if self.old_id is not None else None
        return file_name_for(self.file_name.text()), entry_id

    def problem_text(self) -> str | None:
        name, entry_id = self.values()
        if entry_id is not None:
            problem = id_problem(entry_id, self.used_ids, self.path)
            if problem:
                return problem
        problem = name_problem(name)
        if problem:
            return problem
        if name != self.old_name and self.name_taken(name):
            return f"{name} already exists in this folder."
        if name == self.old_name and entry_id == self.old_id:
            return "Type a new id or file name."
        return None

    def _validate(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)

    def accept(self) -> None:
        if self.problem_text() is None:
            super().accept()
