"""The repository's state in the Changes panel: what it is, in plain words, and a button for each
action that fits it (Continue and Abort during a rebase or merge, Publish This Branch ...). It
only shows what it is given (an Advice from the core) and says which action was pressed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

if TYPE_CHECKING:
    from editor.vcs.advice import Advice

STYLES = {"attention": "#repostate { background: #fff4d6; border: 1px solid #e2c275; } #repostate QLabel { color: #3d3000; }",
          "info": "#repostate { background: #eef5ff; border: 1px solid #b9d3f2; }", "calm": ""}


class StateBar(QFrame):
    actionRequested = Signal(str)  # an action id of editor.vcs.advice: "continue", "abort", "publish" ...

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("repostate")
        self.setAccessibleName("Repository state")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Repository state explained")
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addLayout(self._buttons)
        self.buttons: dict[str, QPushButton] = {}
        self.level = "calm"

    def show_advice(self, advice: Advice, labels: dict[str, str]) -> None:
        self.label.setText(advice.text)
        self.level = advice.level
        self.setStyleSheet(STYLES.get(advice.level, ""))
        if tuple(self.buttons) != advice.actions:
            for button in self.buttons.values():
                self._buttons.removeWidget(button)
                button.deleteLater()
            self.buttons = {}
            for action in advice.actions:
                button = QPushButton(labels.get(action, action))
                button.clicked.connect(lambda _=False, a=action: self.actionRequested.emit(a))
                self._buttons.addWidget(button)
                button.show()
                self.buttons[action] = button
