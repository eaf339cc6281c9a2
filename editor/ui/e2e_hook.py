"""A small hook for end-to-end tests that run the editor as a process of its own (crash recovery).

Inert unless the environment variable ``MALONE_EDITOR_TEST_HOOK`` names a JSON file, such as::

    {"type": "Words typed at the end of the open entry", "restore": true, "report": "/tmp/report.json"}

Once the library has loaded, ``restore`` presses the first Restore button of the list of recovered
drafts (or the banner's) and ``type`` types the
text into the editor as key presses; every 200 ms the hook writes ``report``: the open entry, the
editor's text, whether it is modified, and the banner's text.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from editor.content.atomic import write_atomically

VARIABLE = "MALONE_EDITOR_TEST_HOOK"


class EndToEndHook(QObject):
    def __init__(self, window, spec: dict):
        super().__init__(window)
        self.window = window
        self.spec = spec
        self.typed = False
        self.timer = QTimer(self, interval=200, timeout=self._tick)
        self.timer.start()

    def _tick(self) -> None:
        window = self.window
        session = window.session
        if session.loaded is None:
            return
        if self.spec.get("restore"):
            rows = window.drafts_panel.rows if window.drafts_panel.isVisible() else []
            if rows:
                rows[0].restore.click()
            elif "Restore" in window.banner.buttons and window.banner.isVisible():
                window.banner.buttons["Restore"].click()
        if self.spec.get("type") and not self.typed and session.document is not None:
            self.typed = True
            window.editor.moveCursor(QTextCursor.MoveOperation.End)
            for char in self.spec["type"]:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(window.editor, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                                    Qt.KeyboardModifier.NoModifier, char))
        if self.spec.get("report"):
            report = {"path": session.document.path if session.document else None,
                      "text": window.editor.text(), "modified": window.is_modified(),
                      "banner": window.banner.label.text() if window.banner.isVisible() else ""}
            write_atomically(Path(self.spec["report"]), json.dumps(report).encode("utf-8"))


def install(window) -> EndToEndHook | None:
    spec_file = os.environ.get(VARIABLE)
    if not spec_file:
        return None
    return EndToEndHook(window, json.loads(Path(spec_file).read_text(encoding="utf-8")))
