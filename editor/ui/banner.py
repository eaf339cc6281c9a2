"""A calm, non-modal message bar with actions (file changed on disk, drafts to restore)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class Banner(QFrame):
    def __init__(self, parent=None, name: str = "Notice", colours: tuple[str, str, str] = ("#fff4d6", "#e2c275",
                                                                                           "#3d3000")):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        background, border, text = colours
        self.setStyleSheet(f"#banner {{ background: {background}; border: 1px solid {border}; }} "
                           f"#banner QLabel {{ color: {text}; }}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, Callable[[], None]]], sticky: bool = False) -> None:
        """Show ``text`` with a button for each action. A button closes the banner before its action
        runs, unless ``sticky``: then the banner stays until ``hide`` (a state that lasts, not news)."""
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.label.setText(text)
        for label, callback in actions:
            button = QPushButton(label)
            if sticky:
                button.clicked.connect(lambda _=False, cb=callback: cb())
            else:
                button.clicked.connect(lambda _=False, cb=callback: (self.hide(), cb()))
            self._layout.addWidget(button)
            self.buttons[label] = button
        self.show()
