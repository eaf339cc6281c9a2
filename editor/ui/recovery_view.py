"""Recovery in the window: the drafts kept by windows that are gone, listed on start (each to
restore, discard or leave for later) and offered again when their entry is opened; and a lasting
banner while this window's unsaved text cannot be kept for recovery.

Restoring opens the entry in this window with the draft's text, unsaved (asking first about unsaved
changes here, as switching entries does). The entry may be open in another window too: each window
then keeps a draft of its own, and saving is guarded in each by the changed-on-disk check."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from editor.content import recovery
from editor.session.document import DocumentError
from editor.ui.drafts_panel import DISK_NOTES, when

if TYPE_CHECKING:
    from editor.content.recovery import Draft
    from editor.ui.main_window import MainWindow

FOLDER_SETTING = "recovery/folder"


def _ok() -> None:
    """A banner button that only closes the banner."""


class RecoveryView(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.keeper = window.session.keeper
        self.panel, self.banner, self.lasting = window.drafts_panel, window.banner, window.recovery_banner
        self._offered: Path | None = None  # the draft file the banner offers for the open entry
        self.keeper.problemChanged.connect(self._problem)
        self.keeper.draftsChanged.connect(self._refresh)
        self.panel.restoreRequested.connect(lambda item: self.restore(item.draft))
        self.panel.discardRequested.connect(lambda item: self.keeper.discard(item.draft))

    # ------------------------------------------------------------------ drafts of windows that are gone

    def offer_recovery(self) -> None:
        """On start: every draft of this library whose window is gone, in the list."""
        self.panel.set_items(self.keeper.recoverable())

    def _refresh(self) -> None:
        self.panel.set_items(self.keeper.recoverable(), show=False)
        if self._offered is not None and not self._offered.exists():
            self._offered = None
            if self.banner.isVisible() and "Restore" in self.banner.buttons:
                self.banner.hide()

    def offer_for_entry(self, path: str) -> None:
        """The entry was opened from disk: its drafts are offered (the newest first), or, when
        another window is editing it, that is said."""
        items = self.keeper.recoverable(path)
        if items:
            item = items[0]
            more = f" ({len(items) - 1} older ones are kept too)" if len(items) > 1 else ""
            self._offered = item.draft.file
            self.banner.show_message(
                f"Unsaved changes to this entry were kept {when(item.draft.saved_at)} by a window that did not "
                f"close properly{more}. {DISK_NOTES[item.disk]} This shows the file as it is on disk.",
                [("Restore", lambda: self.restore(item.draft)), ("Discard", lambda: self._discard_offered(item.draft))])
        elif self.keeper.elsewhere(path):
            self.banner.show_message("This entry has unsaved changes in another window of the editor. Saving here "
                                     "and there would conflict.", [("OK", _ok)])

    def _discard_offered(self, draft: Draft) -> None:
        self.keeper.discard(draft)
        document = self.session.document
        if document is not None and document.path == draft.path:
            self.offer_for_entry(draft.path)  # the next one, if there is one

    def restore(self, draft: Draft) -> bool:
        """Open the draft's entry here with the draft's text, unsaved; False when it could not be."""
        self._offered = None
        if not draft.file.exists():
            self.window.say("Those changes were already restored or discarded.", 6000)
            self._refresh()
            return False
        documents = self.window.documents
        if self.session.is_modified and not documents.confirm_leave():
            return False
        state = recovery.disk_state(self.session.root, draft)
        try:
            document = self.session.restore(draft)
        except DocumentError as exc:
            self.banner.show_message(str(exc), [("OK", _ok)])
            return False
        documents.show_restored(document, draft.text)
        self.window.say(f"Restored unsaved changes to {draft.path}; save to keep them.", 8000)
        if state == recovery.CHANGED:
            self.banner.show_message("The file also changed on disk since these changes were made. "
                                     "Compare before you save.", [("OK", _ok)])
        elif state == recovery.DELETED:
            self.banner.show_message(f"{draft.path} no longer exists on disk: saving makes it again with these "
                                     "changes.", [("OK", _ok)])
        return True

    # ------------------------------------------------------------------ autosave that fails

    def _problem(self, reason: str | None) -> None:
        if reason is None:
            self.lasting.hide()
            return
        self.lasting.show_message(
            f"Your changes are not being kept for recovery: {reason}. If the editor stopped now, your unsaved "
            "changes would be lost: save them, or choose another folder for recovery.",
            [("Retry", self.keeper.autosave), ("Choose Another Folder\u2026", self.choose_folder),
             ("Save Now", self.window.save)], sticky=True)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "A folder for recovery drafts",
                                                  str(self.session.recovery.folder))
        if not folder:
            return
        self.window.settings.setValue(FOLDER_SETTING, folder)
        self.window.settings.sync()
        self.keeper.use_folder(Path(folder))
