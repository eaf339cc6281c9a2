"""The approval confirmation: exactly what the reviewer is about to approve, as the reader will see
it, with what changed since the last approval marked. Approving is a separate click on it."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

from editor.render.style import APP_CSS


class ApproveDialog(QDialog):
    confirmed = Signal()

    def __init__(self, parent, preview):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Approve this text?")
        self.setAccessibleName("Approve this text")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{_escape(preview.question)}</b><br/>{_escape(preview.summary)}")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setAccessibleName("What you are approving")
        self.text.document().setDefaultStyleSheet(APP_CSS)
        self.text.setHtml(preview.html)
        layout.addWidget(self.text, 1)
        note = QLabel("Your approval covers exactly this saved text (body "
                      f"{preview.body_sha256[:12]}); any later edit voids it.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox()
        self.approve_button = self.buttons.addButton("Approve This Text", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.approve_button.setEnabled(not preview.already_approved and not preview.blocked)
        if preview.blocked:
            self.approve_button.setToolTip(preview.blocked)
            blocked = QLabel(f"<b>Not yet:</b> {_escape(preview.blocked)}")
            blocked.setWordWrap(True)
            blocked.setAccessibleName("Why this cannot be approved yet")
            layout.insertWidget(layout.count() - 1, blocked)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 560)

    def _confirm(self) -> None:
        self.accept()
        self.confirmed.emit()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
