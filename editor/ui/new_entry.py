"""The new-entry dialog: a question and a module; the id is proposed from the question."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from editor.lazy import lazy

if TYPE_CHECKING:
    from editor.content.config import Registry

schemas = lazy("editor.content.schemas")


class NewEntryDialog(QDialog):
    def __init__(self, registry: Registry | None, taken_ids: set[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("New Entry")
        self.taken = taken_ids
        self.question = QLineEdit(placeholderText="What might a parent ask?")
        self.question.setAccessibleName("Question")
        self.module = QComboBox()
        self.module.setAccessibleName("Module")
        for slug, module in (registry.modules.items() if registry else []):
            self.module.addItem(module.title, slug)
        self.entry_id = QLineEdit()
        self.entry_id.setAccessibleName("Id")
        self.problem = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QFormLayout(self)
        layout.addRow("&Question", self.question)
        layout.addRow("&Module", self.module)
        layout.addRow("&Id", self.entry_id)
        layout.addRow(self.problem)
        layout.addRow(self.buttons)
        self._id_edited = False
        self.question.textChanged.connect(self._propose)
        self.entry_id.textEdited.connect(lambda _: setattr(self, "_id_edited", True))
        self.entry_id.textChanged.connect(self._validate)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._validate()

    def _propose(self, text: str) -> None:
        if not self._id_edited:
            words = schemas.slugify(text).split("-")
            stop = {"a", "an", "the", "i", "my", "is", "it", "to", "do", "can", "what", "how", "should", "if", "of"}
            proposal = "-".join([w for w in words if w not in stop][:6]) or schemas.slugify(text)
            candidate, number = proposal, 2
            while candidate in self.taken:
                candidate, number = f"{proposal}-{number}", number + 1
            self.entry_id.setText(candidate)
        self._validate()

    def _validate(self) -> None:
        entry_id = self.entry_id.text()
        problem = ""
        if not self.question.text().strip():
            problem = "Type the question as a parent would ask it."
        elif schemas.slugify(entry_id) != entry_id or not entry_id:
            problem = "The id must be lowercase words joined by single hyphens."
        elif entry_id in self.taken:
            problem = f"The id '{entry_id}' is already used."
        elif self.module.count() == 0:
            problem = "modules.yaml lists no modules."
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def values(self) -> tuple[str, str, str]:
        return self.entry_id.text(), self.module.currentData(), self.question.text()
