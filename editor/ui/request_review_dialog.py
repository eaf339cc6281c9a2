"""Request Review: whom to ask (a clinical reviewer of content.yaml, by name and credentials, or
any of them) and an optional note for them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QVBoxLayout)

ANYONE = "Any listed reviewer"


class RequestReviewDialog(QDialog):
    def __init__(self, parent, question: str, reviewers: list, preferred: str = ""):
        """``reviewers``: content.yaml's (name, email, credentials); ``preferred``: the email to
        select first (the reviewer who asked for changes, say)."""
        super().__init__(parent)
        self.setWindowTitle("Request Review")
        self.setAccessibleName("Request review")
        intro = QLabel(f"Ask for a clinical review of \u201c{question}\u201d. Who should review it?")
        intro.setWordWrap(True)
        self.reviewers = QListWidget()
        self.reviewers.setAccessibleName("Reviewers")
        anyone = QListWidgetItem(ANYONE)
        anyone.setData(Qt.ItemDataRole.UserRole, "")
        self.reviewers.addItem(anyone)
        for person in reviewers:
            label = person.name + (f" \u2014 {person.credentials}" if person.credentials else "") + f"\n{person.email}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, person.email)
            item.setToolTip(f"{person.name} <{person.email}>")
            self.reviewers.addItem(item)
        chosen = next((n for n in range(self.reviewers.count())
                       if preferred and self.reviewers.item(n).data(Qt.ItemDataRole.UserRole).lower() == preferred.lower()),
                      0)
        self.reviewers.setCurrentRow(chosen)
        self.reviewers.itemDoubleClicked.connect(lambda _item: self.accept())
        if not reviewers:
            intro.setText(intro.text() + " content.yaml lists no clinical reviewers yet, so any reviewer may take it.")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note for the reviewer")
        self.note.setPlaceholderText("A note for the reviewer (optional): what changed, what to look at")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.request_button = buttons.addButton("Request Review", QDialogButtonBox.ButtonRole.AcceptRole)
        self.request_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reviewers, 1)
        layout.addWidget(QLabel("Note (optional):"))
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(460, 360)

    def reviewer(self) -> str | None:
        """The chosen reviewer's email, or None for any of them."""
        item = self.reviewers.currentItem()
        email = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
        return email or None

    def note_text(self) -> str:
        return self.note.toPlainText().strip()
