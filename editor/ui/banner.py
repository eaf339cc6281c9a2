"""A calm, non-modal message bar with actions (file changed on disk, drafts to restore)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

SHORT = 280  # characters the banner shows; the rest is on hover (a long git error once filled ten lines)


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
        outer = QVBoxLayout(self)  # the text over the whole width, the buttons in a row below it
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(2)
        outer.addWidget(self.label)
        self._layout = QHBoxLayout()
        self._layout.addStretch(1)
        outer.addLayout(self._layout)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, Callable[[], None]]], sticky: bool = False) -> None:
        """Show ``text`` with a button for each action. A button closes the banner before its action
        runs, unless ``sticky``: then the banner stays until ``hide`` (a state that lasts, not news)."""
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.full_text = text
        self.label.setText(text if len(text) <= SHORT else text[:SHORT].rsplit(" ", 1)[0] + " \u2026")
        self.label.setToolTip(text if len(text) > SHORT else "")
        for label, callback in actions:
            button = QPushButton(label)
            if sticky:
                button.clicked.connect(lambda _=False, cb=callback: cb())
            else:
                button.clicked.connect(lambda _=False, cb=callback: (self.hide(), cb()))
            self._layout.addWidget(button)
            self.buttons[label] = button
        self.show()
