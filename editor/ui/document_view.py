"""The open entry in the window: the editor, the metadata form and the preview follow the session's
document, and the questions a writer must answer are asked here: unsaved changes, a file changed
on disk, a failed save, unsaved words kept from a crash."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from editor.session import failures
from editor.session.document import DocumentError
from editor.session.session import ENTRY

if TYPE_CHECKING:
    from editor.content.recovery import Draft
    from editor.ui.main_window import MainWindow


SYNC_MS = 40  # typing pauses this long before the session and the preview get the text


def _ok() -> None:
    """A banner button that only closes the banner."""


def _utf16_length(text: str, end: int) -> int:
    """Where character ``end`` of ``text`` is, in the UTF-16 units Qt's positions count."""
    return len(text[:end].encode("utf-16-le")) // 2


class DocumentView(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.editor, self.metadata, self.preview, self.banner = window.editor, window.metadata, window.preview, \
            window.banner
        self.watcher = QFileSystemWatcher(self)
        self._pending = False  # the editor has text the session has not been given yet
        self._sync = QTimer(self, singleShot=True, interval=SYNC_MS, timeout=lambda: self.flush(render_now=True))
        self.session.pull_text = self.flush
        self.watcher.fileChanged.connect(self._file_changed)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.cursorPositionChanged.connect(
            lambda: self.preview.scroll_to_line(self.editor.textCursor().blockNumber() + 1))
        self.metadata.edited.connect(self.replace_text)
        self.metadata.text_source = self.editor.text  # a field edit builds on what is typed now
        self.session.findingsChanged.connect(self._findings_changed)
        self.session.documentSaved.connect(lambda path: self._update_state())

    # ------------------------------------------------------------------ opening

    def open_entry(self, relative_path: str, line: int = 0, column: int = 1, force: bool = False) -> bool:
        """Open an entry (relative to the repository root); False when it could not be opened."""
        relative_path = Path(relative_path).as_posix()
        document = self.session.document
        if document is not None and document.path == relative_path and not force:
            if line:
                self.editor.go_to(line, column)
            return True
        if self.session.is_modified and not self.confirm_leave():
            return False
        try:
            document = self.session.open(relative_path)
        except DocumentError as exc:
            self.banner.show_message(str(exc), [("OK", _ok)])
            return False
        self._show(document, line, column)
        return True

    def _show(self, document, line: int = 0, column: int = 1) -> None:
        """Put the session's newly opened document into the editor, the form and the preview."""
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.watcher.addPath(str(document.file))
        self.editor.setEnabled(True)
        self.editor.blockSignals(True)
        self.editor.setPlainText(document.text)
        self.editor.blockSignals(False)
        self._pending = False
        self._sync.stop()
        self.editor.document().setModified(False)
        self.metadata.load(document.text)
        self.metadata.setEnabled(True)
        self.preview.set_source(document.path, document.text, immediately=True)
        self._update_state()
        if line:
            self.editor.go_to(line, column)
        self.window.setWindowTitle(f"{document.path} \u2014 {self.session.root.name} \u2014 Malone Editor")

    def confirm_leave(self) -> bool:
        """Ask what to do with unsaved changes; False when the writer cancels."""
        answer = QMessageBox.question(
            self.window, "Unsaved changes", f"Save your changes to {self.session.document.path} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.session.discard_changes()
            return True
        return False

    # ------------------------------------------------------------------ saving

    def save(self, overwrite: bool = False) -> bool:
        failure = self.session.save(overwrite)
        if failure is None:
            document = self.session.document
            if str(document.file) not in self.watcher.files():
                self.watcher.addPath(str(document.file))
            self.window.say(f"Saved {document.path}", 4000)
            return True
        if failure.kind == failures.CHANGED_ON_DISK:
            self.banner.show_message(failure.message, [("Overwrite with Mine", lambda: self.save(overwrite=True)),
                                                       ("Reload Theirs", self.reload_from_disk)])
        else:
            self.banner.show_message(failure.message, [("OK", _ok)])
        self._update_state()
        return False

    def reload_from_disk(self) -> bool:
        """Their version from disk in place of the unsaved text; when the file cannot be read, the
        unsaved text stays, unsaved."""
        if self.session.document is None:
            return False
        try:
            document = self.session.reload()
        except DocumentError as exc:
            self.banner.show_message(f"{exc} Your text is still here, unsaved.", [("OK", _ok)])
            return False
        self._show(document)
        return True

    def _file_changed(self, file: str) -> None:
        document = self.session.document
        if document is None or Path(file) != document.file:
            return
        if Path(file).exists() and file not in self.watcher.files():
            self.watcher.addPath(file)  # an atomic replace ends the watch; keep watching
        change = self.session.disk_change()
        if change == "reload":
            cursor = self.editor.textCursor().position()
            self.reload_from_disk()
            restored = self.editor.textCursor()
            restored.setPosition(min(cursor, len(self.editor.toPlainText())))
            self.editor.setTextCursor(restored)
            self.window.say(f"{document.path} changed on disk and was reloaded", 6000)
        elif change == "conflict":
            self.banner.show_message(f"{document.path} changed on disk, and you have unsaved changes.",
                                     [("Reload Theirs", self.reload_from_disk), ("Keep Mine", _ok)])

    # ------------------------------------------------------------------ editing

    def _text_changed(self) -> None:
        """A keystroke costs no copy of the text: the session and the preview get it when typing
        pauses (``flush``), and at once before anything that reads it (save, leave, git)."""
        if self.session.document is not None:
            self._pending = True
            self._sync.start()

    def flush(self, render_now: bool = False) -> None:
        """Give the session (and the preview) the editor's text now, if it changed. The preview
        renders at once when typing has paused (``render_now``); when the session asks for the text
        (a check, a save), it renders a moment later, so the two never compete."""
        document = self.session.document
        if not self._pending or document is None:
            return
        self._pending = False
        self._sync.stop()
        text = self.editor.text()
        self.session.edit(text)
        self.preview.set_source(document.path, text, immediately=render_now)
        self._update_state()

    def replace_text(self, text: str) -> None:
        """Apply a whole new text (a metadata edit, a restored version) as one undoable change of
        only the part that differs."""
        current = self.editor.text()
        start = 0
        while start < min(len(current), len(text)) and current[start] == text[start]:
            start += 1
        end_current, end_new = len(current), len(text)
        while end_current > start and end_new > start and current[end_current - 1] == text[end_new - 1]:
            end_current -= 1
            end_new -= 1
        cursor = QTextCursor(self.editor.document())  # Qt counts UTF-16 units, Python characters
        cursor.setPosition(_utf16_length(current, start))
        cursor.setPosition(_utf16_length(current, end_current), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text[start:end_new])

    def _findings_changed(self, scope: str) -> None:
        live = self.session.live
        if scope != ENTRY or live is None:
            return
        if not self.metadata.hasFocus() and not self.metadata.isAncestorOf(self.window.focusWidget()):
            self.metadata.load(self.session.document.text)
        self.editor.set_findings(live.findings)
        self.window.words_label.setText(f"{live.words} words")
        self.window.grade_label.setText(f"Reading grade {live.grade:.1f}" if live.words else "")

    def _update_state(self) -> None:
        label = self.window.state_label
        text = "Unsaved changes" if self.session.is_modified else ("Saved" if self.session.document else "")
        if label.text() != text:
            label.setText(text)

    # ------------------------------------------------------------------ recovery

    def offer_recovery(self) -> None:
        drafts = self.session.drafts()
        if not drafts:
            return
        draft = drafts[-1]
        names = ", ".join(d.path for d in drafts)
        self.banner.show_message(
            f"Unsaved changes from an earlier session were kept: {names}. Restore them?",
            [("Restore", lambda: self.restore_draft(draft)), ("Discard", self.session.discard_drafts)])

    def restore_draft(self, draft: Draft) -> None:
        if not self.open_entry(draft.path, force=True):
            return
        self.replace_text(draft.text)  # an undoable edit: the restored text counts as unsaved
        self.window.say(f"Restored unsaved changes to {draft.path}; save to keep them.", 8000)
        document = self.session.document
        if draft.base_sha256 and document and draft.base_sha256 != document.disk_sha256:
            self.banner.show_message("The file also changed on disk since these changes were made. "
                                     "Compare before you save.", [("OK", _ok)])
