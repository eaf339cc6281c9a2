"""The open entry in the window: the editor, the metadata form and the preview follow the session's
document, and the questions a writer must answer are asked here: unsaved changes, a file changed
or deleted on disk, a failed save. (Drafts kept from a crash are ``recovery_view``'s.)"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox

from editor.session import failures
from editor.session.document import DocumentError
from editor.session.session import ENTRY
from editor.ui import fold, layout
from editor.ui.editor_panel import as_qt_keeps

if TYPE_CHECKING:
    from editor.session.document import Document
    from editor.ui.main_window import MainWindow


SYNC_MS = 40  # typing pauses this long before the session and the preview get the text


def _ok() -> None:
    """A banner button that only closes the banner."""


def _utf16_length(text: str, end: int) -> int:
    """Where character ``end`` of ``text`` is, in the UTF-16 units Qt's positions count."""
    return len(text[:end].encode("utf-16-le")) // 2


def _common_prefix(a: str, b: str) -> int:
    """How many first characters ``a`` and ``b`` share: by halving, each step one comparison of
    slices (C speed), never a Python step per character of a 2 MB text."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    """How many last characters ``a`` and ``b`` share, not reaching into their first ``prefix``."""
    low, high = 0, min(len(a), len(b)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:len(a) - low] == b[len(b) - middle:len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


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
        self.watcher.directoryChanged.connect(self._folder_changed)  # watched while the file is gone
        self.editor.textChanged.connect(self._text_changed)
        self.editor.cursorPositionChanged.connect(
            lambda: self.preview.scroll_to_line(self.editor.textCursor().blockNumber() + 1))
        self.frontmatter_shown = False
        self.editor.notice.connect(lambda text: self.window.say(text, 6000))
        self.metadata.edited.connect(self.replace_text)
        self.metadata.text_source = self.editor.text  # a field edit builds on what is typed now
        self.metadata.submit = self.session.tasks.submit
        self.session.factsChanged.connect(self._facts_changed)
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
        self.window.recovery.offer_for_entry(document.path)  # a draft of it is never passed over in silence
        return True

    def show_restored(self, document: Document, text: str) -> None:
        """Show a document the session restored from a draft: the file's text, then the draft's as
        one undoable change (so undo leads back to the file)."""
        self._show(document, shown=document.saved_text)
        self.replace_text(text)

    def _show(self, document: Document, line: int = 0, column: int = 1, shown: str | None = None) -> None:
        """Put the session's newly opened document into the editor, the form and the preview."""
        text = document.text if shown is None else shown
        self._watch(document)
        self.editor.setEnabled(True)
        self.editor.blockSignals(True)
        self.editor.load_text(text)
        self.editor.blockSignals(False)
        self._pending = False
        self._sync.stop()
        self.editor.document().setModified(False)
        self.metadata.load(self.session.facts)  # None until they are read on a worker: the form waits
        self.preview.set_source(document.path, text, immediately=True)
        self._update_state()
        fold.set_folded(self.editor, not self.frontmatter_shown)
        if line:
            self.editor.go_to(line, column)
        else:
            fold.open_at_answer(self.editor)
        self._title(document)

    def show_frontmatter(self, shown: bool) -> None:
        """View > Show Frontmatter: its lines in the text area too (they are folded away by default,
        since the form above edits them)."""
        self.frontmatter_shown = shown
        fold.set_folded(self.editor, not shown)

    def focus_answer(self) -> None:
        """The keyboard in the editor, the cursor right after the answer's "A: " (at the end of the
        text when there is no answer line): where a writer starts a new entry."""
        fold.open_at_answer(self.editor)
        if fold.answer_position(self.editor) is None:
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.ensureCursorVisible()
        self.window.activateWindow()  # back from the New Entry dialog
        self.editor.setFocus()

    def _title(self, document: Document) -> None:
        self.window.setWindowTitle(f"{document.path} \u2014 {self.session.root.name} \u2014 Malone Editor")

    def _watch(self, document: Document) -> None:
        """Watch the open file; while it is gone, its folder, to see it come back."""
        for paths in (self.watcher.files(), self.watcher.directories()):
            if paths:
                self.watcher.removePaths(paths)
        if document.file.exists():
            self.watcher.addPath(str(document.file))
        elif document.file.parent.is_dir():
            self.watcher.addPath(str(document.file.parent))

    def confirm_leave(self) -> bool:
        """Ask what to do with unsaved changes; False when the writer cancels."""
        document = self.session.document
        deleted = document.deleted
        question = (f"{document.path} was deleted on disk. Save your text to make the file again?" if deleted
                    else f"Save your changes to {document.path} first?")
        answer = QMessageBox.question(
            self.window, "Unsaved changes", question,
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save(overwrite=deleted)
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
                self._watch(document)
            self.window.say(f"Saved {document.path}", 4000)
            return True
        if failure.kind == failures.DELETED_ON_DISK:
            self._show_deleted()
        elif failure.kind == failures.CHANGED_ON_DISK:
            self.banner.show_message(failure.message, [("Overwrite with Mine", lambda: self.save(overwrite=True)),
                                                       ("Reload Theirs", self.reload_from_disk)])
        else:
            self.banner.show_message(failure.message, [("OK", _ok)])
        self._update_state()
        return False

    def save_as(self) -> bool:
        """Save the text as another entry file (chosen in a dialog), which the window then edits."""
        document = self.session.document
        if document is None:
            return False
        chosen, _ = QFileDialog.getSaveFileName(self.window, "Save As", str(document.file), "Markdown entries (*.md)")
        if not chosen:
            return False
        failure = self.session.save_as(chosen, overwrite=True)  # the dialog asked before replacing a file
        if failure is not None:
            self.banner.show_message(failure.message, [("OK", _ok)])
            return False
        self._watch(document)
        self._title(document)
        self._update_state()
        self.window.say(f"Saved as {document.path}", 4000)
        return True

    def _show_deleted(self) -> None:
        """The open file is gone: say so, keep the text, offer to write it again (never to reload)."""
        document = self.session.document
        kept = (" Your text is still here, unsaved, and kept for recovery." if self.session.is_modified
                else " The editor still shows its text.")
        self.banner.show_message(f"{document.path} was deleted on disk.{kept} Save makes the file again with it.",
                                 [("Save", lambda: self.save(overwrite=True)), ("Save As\u2026", self.save_as)])

    def reload_from_disk(self) -> bool:
        """Their version from disk in place of the unsaved text; when the file cannot be read, the
        unsaved text stays, unsaved. A deleted file has nothing to reload: that is said instead."""
        if self.session.document is None:
            return False
        if self.session.document.deleted:
            self._show_deleted()
            return False
        try:
            document = self.session.reload()
        except DocumentError as exc:
            self.banner.show_message(f"{exc} Your text is still here, unsaved.", [("OK", _ok)])
            return False
        self._show(document)
        return True

    def _folder_changed(self, folder: str) -> None:
        document = self.session.document
        if document is not None and document.file.exists() and Path(folder) == document.file.parent:
            self._watch(document)  # the file is back: watch it again, and see what it holds now
            self._file_changed(str(document.file))

    def _file_changed(self, file: str) -> None:
        document = self.session.document
        if document is None or Path(file) != document.file:
            return
        if Path(file).exists() and file not in self.watcher.files():
            self.watcher.addPath(file)  # an atomic replace ends the watch; keep watching
        change = self.session.disk_change()
        if change == "deleted":
            self._watch(document)
            self._show_deleted()
        elif change == "reload":
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
        self.editor.follow_words(text)
        self.session.edit(text)
        self.preview.set_source(document.path, text, immediately=render_now)
        self._update_state()

    def replace_text(self, text: str) -> None:
        """Apply a whole new text (a metadata edit, a restored version) as one undoable change of
        only the part that differs."""
        current = self.editor.text()
        start = _common_prefix(current, text)
        end = _common_suffix(current, text, start)
        end_current, end_new = len(current) - end, len(text) - end
        cursor = QTextCursor(self.editor.document())  # Qt counts UTF-16 units, Python characters
        cursor.setPosition(_utf16_length(current, start))
        cursor.setPosition(_utf16_length(current, end_current), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(as_qt_keeps(text[start:end_new]))
        if not self.frontmatter_shown:
            fold.set_folded(self.editor, True)  # a field edit may add lines to the frontmatter

    def _facts_changed(self) -> None:
        if not self.metadata.hasFocus() and not self.metadata.isAncestorOf(self.window.focusWidget()):
            self.metadata.load(self.session.facts)

    def _findings_changed(self, scope: str) -> None:
        live = self.session.live
        if scope != ENTRY or live is None:
            return
        self.editor.set_findings(live.shown)  # at most SHOWN_LIMIT underlines
        layout.open_strip_for(self.window, live.shown)
        self.window.words_label.setText(f"{live.words} words")
        self.window.grade_label.setText(f"Reading grade {live.grade:.1f}" if live.words else "")

    def _update_state(self) -> None:
        label = self.window.state_label
        text = "Unsaved changes" if self.session.is_modified else ("Saved" if self.session.document else "")
        if label.text() != text:
            label.setText(text)
