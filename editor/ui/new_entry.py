"""The new-entry dialog: a question and a module; the id is proposed from the question."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from editor.lazy import lazy

if TYPE_CHECKING:
    from editor.content.config import Registry

schemas = lazy("editor.content.schemas")

ID_MAX_LENGTH = 40  # a proposed id ends at a whole word under this
ID_MAX_WORDS = 6
FILLER = {"a", "an", "the", "i", "im", "my", "is", "it", "to", "do", "does", "can", "what", "how", "why", "should",
          "if", "of", "am", "are", "will", "so", "really", "just"}  # left out wherever they are
DANGLING = {"from", "to", "of", "and", "or", "but", "the", "a", "an", "with", "without", "for", "in", "on", "at", "by",
            "my", "your", "our", "their", "his", "her", "its", "about", "after", "before", "when", "while", "if",
            "so", "that", "than", "because", "as", "into", "onto", "over", "is", "are", "be"}  # never last


def propose_id(question: str, taken: set[str] = frozenset()) -> str:
    """An id from the question: its telling words, cut at a word under ``ID_MAX_LENGTH`` and never
    ending on a word that leaves the phrase hanging ("...disconnected-from"); ``-2``, ``-3``... when
    taken."""
    words = schemas.slugify(question.replace("'", "").replace("\u2019", "")).split("-")  # "I'm": "im"
    kept = [w for w in words if w and w not in FILLER] or [w for w in words if w]
    chosen: list[str] = []
    for word in kept[:ID_MAX_WORDS]:
        if len("-".join(chosen + [word])) > ID_MAX_LENGTH:
            break
        chosen.append(word)
    while len(chosen) > 1 and chosen[-1] in DANGLING:
        chosen.pop()
    proposal = "-".join(chosen) or (kept[0][:ID_MAX_LENGTH] if kept else "")
    candidate, number = proposal, 2
    while candidate in taken:
        candidate, number = f"{proposal}-{number}", number + 1
    return candidate


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
            self.entry_id.setText(propose_id(text, self.taken))
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
