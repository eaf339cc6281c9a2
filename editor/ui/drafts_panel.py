"""The list of unsaved changes kept by windows that are gone (a crash, a kill): each with its entry,
when it was kept and whether the file changed since, to restore or discard one by one, or later."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from editor.content import recovery

DISK_NOTES = {recovery.SAME: "The file has not changed since.",
              recovery.CHANGED: "The file has changed on disk since: compare before you save.",
              recovery.DELETED: "The file has been deleted since: saving makes it again."}


def when(saved_at: float, now: dt.datetime | None = None) -> str:
    """When a draft was kept, as a writer says it: "today at 14:03", "on 3 May 2026 at 09:12"."""
    moment = dt.datetime.fromtimestamp(saved_at)
    now = now or dt.datetime.now()
    clock = f"{moment:%H:%M}"
    if moment.date() == now.date():
        return f"today at {clock}"
    if moment.date() == now.date() - dt.timedelta(days=1):
        return f"yesterday at {clock}"
    return f"on {moment.day} {moment:%B %Y} at {clock}"


class DraftRow(QWidget):
    def __init__(self, item, parent=None):
        super().__init__(parent)
        self.item = item
        draft = item.draft
        title = item.question if item.question == draft.path else f"{item.question} ({draft.path})"
        self.label = QLabel(f"<b>{_escape(title)}</b><br/>Kept {when(draft.saved_at)}. {DISK_NOTES[item.disk]}")
        self.label.setToolTip(f"{title}\nKept {when(draft.saved_at)}. {DISK_NOTES[item.disk]}")
        # two lines, never wrapped (a wrapped label in a row is given too little height); a long
        # question is cut at the right, whole in the tooltip
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setAccessibleName(f"Unsaved changes to {draft.path}")
        self.restore = QPushButton("Restore")
        self.restore.setAccessibleName(f"Restore {draft.path}")
        self.discard = QPushButton("Discard")
        self.discard.setAccessibleName(f"Discard {draft.path}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore)
        layout.addWidget(self.discard)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class DraftsPanel(QFrame):
    restoreRequested = Signal(object)  # a Recoverable
    discardRequested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("drafts")
        self.setAccessibleName("Recovered drafts")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#drafts { background: #eef4ff; border: 1px solid #9db5dd; } #drafts QLabel { color: #102a4c; }")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.later = QPushButton("Later")
        self.later.setToolTip("Keep them: they are offered again when you open their entry, and at the next start")
        self.later.clicked.connect(self.hide)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.later)
        self._rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(head)
        layout.addLayout(self._rows)
        self.rows: list[DraftRow] = []
        self.hide()

    def set_items(self, items: list, show: bool = True) -> None:
        """List ``items`` (Recoverable, newest first); hidden when there are none. ``show``: also
        when the writer chose Later before."""
        for row in self.rows:
            self._rows.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for item in items:
            row = DraftRow(item)
            row.restore.clicked.connect(lambda _=False, i=item: self.restoreRequested.emit(i))
            row.discard.clicked.connect(lambda _=False, i=item: self.discardRequested.emit(i))
            self._rows.addWidget(row)
            self.rows.append(row)
        count = len(items)
        self.title.setText("Unsaved changes were kept from a window that did not close properly:" if count == 1 else
                           f"{count} sets of unsaved changes were kept from windows that did not close properly:")
        if not items:
            self.hide()
        elif show:
            self.show()
