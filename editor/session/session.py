"""The editing session: one object that owns the library, the open entry, the checks and the work
running in the background, offers every operation as a method, and says what changed by signals.

It holds no widget. Panels show its state and call its methods; tests drive it directly. Work runs
on the one task runner; whatever fails comes back as a ``Failure`` (a kind and a plain message)."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from editor.content.atomic import remove_leftovers
from editor.content.recovery import Draft, RecoveryStore
from editor.findings import Finding
from editor.lazy import lazy
from editor.session import failures
from editor.session.document import Document, DocumentError
from editor.session.drafts import DraftKeeper
from editor.session.failures import Failure
from editor.session.entry_facts import EntryFacts, read_facts
from editor.session.library import (LibraryIndex, Loaded, LiveResult, add_word, check_all, check_text,
                                    freeze_long_lived, load_repository)
from editor.session.tasks import TaskRunner

if TYPE_CHECKING:
    from editor.content.index import IndexRow

# the parsing core loads on the first task's worker thread, after the window shows
index = lazy("editor.content.index")
paths = lazy("editor.content.paths")
entries = lazy("editor.content.entry")
registry = lazy("editor.checks.registry")

AUTOSAVE_MS = 3000
LIVE_LANGUAGE_LIMIT = 300_000  # characters; app entries are a few thousand
CHECK_DELAY_MS = 350
ENTRY = "entry"  # findingsChanged scopes: the open entry as typed ...
REPOSITORY = "repository"  # ... or the last check of every entry


class Session(QObject):
    libraryLoading = Signal(int, int)  # entries indexed, of
    libraryChanged = Signal()  # the library (re)loaded: rows, modules, settings problems
    rowChanged = Signal(object, object)  # an entry's index row, and the row it replaced (None: a new entry)
    documentOpened = Signal(str)  # path; its text is session.document.text
    documentSaved = Signal(str)
    findingsChanged = Signal(str)  # ENTRY or REPOSITORY
    checkStarted = Signal()  # the open entry's text is being checked: its findings are not known yet
    factsChanged = Signal()  # the open entry's form fields and body offset were read (``facts``)
    checkProgress = Signal(int, int)  # Check All: done, of
    repositoryChanged = Signal()  # files or git state changed: what depends on them should be read again
    repoStateChanged = Signal(object)  # the repository's state (git.state, a RepoState) changed
    failed = Signal(object)  # a Failure of work nobody is waiting on (loading, Check All); autosave's: keeper
    notice = Signal(str)  # a passing message

    def __init__(self, root: Path, recovery: RecoveryStore, parent: QObject | None = None):
        super().__init__(parent)
        self.root = Path(root).resolve()
        self.recovery = recovery
        self.tasks = TaskRunner(self)
        self.loaded: Loaded | None = None
        self.library = LibraryIndex()
        self.document: Document | None = None
        self.live: LiveResult | None = None
        self.live_text: str | None = None  # the text ``live`` is of
        self.check_failure: Failure | None = None  # the last check of the open entry failed
        self.facts: EntryFacts | None = None  # read on a worker from the open entry's text
        self.repo_findings: list[Finding] | None = None
        self.checking_all = False
        self.keeper = DraftKeeper(self)  # this window's drafts, and those of windows that are gone
        # a view that hands over typing when it pauses sets this: it is called before the session
        # reads the open entry's text, so nothing typed is ever missed
        self.pull_text: Callable[[], None] | None = None
        self.check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS, timeout=self.check_now)
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS, timeout=self.keeper.autosave)
        from editor.session.collaboration import Collaboration
        from editor.session.entry_list import EntryList
        from editor.session.library_files import LibraryFiles
        from editor.session.link_health import LinkHealthState
        from editor.session.web_links import WebLinkCheck

        self.git = Collaboration(self)
        self.web = WebLinkCheck(self)  # Check Web Links (online)
        self.files = LibraryFiles(self)  # full-text search; rename, duplicate and delete an entry
        self.links = LinkHealthState(self)  # Link Health: every link target, its status and its uses
        self.entry_list = EntryList(self)  # the entry list as the window shows it, kept current row by row

    # ------------------------------------------------------------------ the library

    def load(self) -> None:
        """Index the library on a worker thread; ``libraryChanged`` follows. Temporary files left by
        a write that was killed are removed first."""
        self.autosave_timer.start()
        self.tasks.submit("load", self._load, on_done=self._loaded, on_progress=self.libraryLoading.emit,
                          on_error=self.failed.emit, pause_gc=True)  # 50,000 rows made: no full collection meanwhile
        self.git.refresh_state()
        self.git.fetch_timer.start()

    def reload_library(self) -> None:
        """Read the library again (a pull, a checkout); ``libraryChanged`` follows; the open entry stays."""
        self.tasks.submit("load", self._load, on_done=self._loaded, on_error=self.failed.emit, pause_gc=True)

    def _load(self, progress=None) -> Loaded:
        remove_leftovers(self.root)
        for folder in self.recovery.folders:
            remove_leftovers(folder)
        self.recovery.prune(self.root, mine=self.keeper.owner)  # drafts that hold nothing the files do not
        loaded = load_repository(self.root, progress)
        freeze_long_lived()  # before the collector wakes: its first pass would walk the 50,000 rows made here
        return loaded

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.library = loaded.index if loaded.index is not None else LibraryIndex(loaded.rows)
        freeze_long_lived()
        self.libraryChanged.emit()
        if self.document is not None:
            self.check_now()

    registry = property(lambda self: self.loaded.repo.registry if self.loaded else None)  # a Registry or None
    config_findings = property(lambda self: self.loaded.config_findings if self.loaded else [])
    rows = property(lambda self: self.library.rows)

    @property
    def app_name(self) -> str:
        settings = self.loaded.repo.settings if self.loaded else None
        return settings.app_name if settings else "Malone"

    def _update_row(self, row: IndexRow) -> None:
        self.rowChanged.emit(row, self.library.update(row))

    # ------------------------------------------------------------------ the open entry

    def _pull(self) -> None:
        if self.pull_text is not None:
            self.pull_text()

    @property
    def is_modified(self) -> bool:
        self._pull()
        return self.document is not None and self.document.modified

    def open(self, relative_path: str) -> Document:
        """Open an entry (relative to the root); raises DocumentError with a message for the writer.
        The caller has dealt with unsaved changes of the entry open before."""
        return self._install(Document.load(self.root, Path(relative_path).as_posix()))

    def restore(self, draft: Draft) -> Document:
        """Open the entry of a draft kept by a window that is gone, with the draft's text, unsaved
        (of an entry whose file is gone, too: saving makes it again). The draft is deleted once this
        window keeps the text in a draft of its own. Raises DocumentError as ``open`` does."""
        try:
            document = Document.load(self.root, draft.path)
        except DocumentError:
            if (self.root / draft.path).exists():
                raise
            document = Document.missing(self.root, draft.path)
        self._install(document)
        document.text = draft.text
        self.keeper.adopt(draft)
        return document

    def _install(self, document: Document) -> Document:
        self.document = document
        self.keeper.opened()
        self.live = self.live_text = self.facts = self.check_failure = None
        self.documentOpened.emit(document.path)
        self.read_facts()
        self.check_now()
        return document

    def edit(self, text: str) -> None:
        """The editor's text changed; checks follow when typing pauses."""
        if self.document is None:
            return
        self.document.text = text
        self.check_timer.start()
        self.read_facts()
        self.checkStarted.emit()

    def read_facts(self) -> None:
        """Read the open entry's form fields and body offset on a worker; ``factsChanged`` follows."""
        document = self.document
        if document is None:
            return
        path, text = document.path, document.text
        self.tasks.submit("facts", read_facts, path, text, priority=1, pause_gc=True, on_done=self._facts_read,
                          on_error=lambda failure: None)  # the check of the same text says what is wrong

    def _facts_read(self, facts: EntryFacts) -> None:
        document = self.document
        if document is not None and facts.path == document.path and facts.text == document.text:
            self.facts = facts
            self.factsChanged.emit()

    @property
    def checking(self) -> bool:
        """The open entry's text has no check result yet (it is being checked, or will be)."""
        document = self.document
        return document is not None and self.check_failure is None and self.live_text != document.text

    def save(self, overwrite: bool = False) -> Failure | None:
        """Save the open entry. Unless ``overwrite``, a file changed on disk since it was read is not
        overwritten: a CHANGED_ON_DISK failure says so. None when saved."""
        self._pull()
        document = self.document
        if document is None:
            return Failure(failures.DISK, "No entry is open")
        if not overwrite and document.deleted:
            return Failure(failures.DELETED_ON_DISK,
                           f"{document.path} was deleted on disk since you opened it. Saving makes it again "
                           "with your text.")
        if not overwrite and document.changed_on_disk():
            return Failure(failures.CHANGED_ON_DISK,
                           f"{document.path} was changed on disk by someone else since you opened it. "
                           "Saving would overwrite their change.")
        return self._write(document)

    def save_as(self, relative_path: str, overwrite: bool = False) -> Failure | None:
        """Save the open entry's text as another file of the repository, which the window then
        edits; the old file is left as it is (or as gone). None when saved."""
        self._pull()
        document = self.document
        if document is None:
            return Failure(failures.DISK, "No entry is open")
        try:
            target = paths.relative_inside(self.root, relative_path)
        except paths.UnsafePath as exc:
            return Failure(failures.UNSAFE_PATH, f"Cannot save as {relative_path}: {exc}")
        if not overwrite and target != document.path and (self.root / target).exists():
            return Failure(failures.DISK, f"{target} already exists; it is left as it is.")
        old = document.path
        failure = self._write(document, target)
        if failure is None and target != old:
            self.keeper.drop(old)
            self.documentOpened.emit(target)
            self.check_now()
        return failure

    def _write(self, document: Document, path: str | None = None) -> Failure | None:
        try:
            document.save(path)
        except DocumentError as exc:
            return Failure(failures.DISK, str(exc))
        self.keeper.drop(document.path)
        self.documentSaved.emit(document.path)
        self.repositoryChanged.emit()
        return None

    def discard_changes(self) -> None:
        """Forget the unsaved text of the open entry (and this window's draft of it); the file
        stays as it is."""
        self._pull()
        if self.document is not None:
            self.keeper.drop(self.document.path)
            self.document.text = self.document.saved_text

    def reload(self) -> Document:
        """Drop the unsaved text of the open entry and read it again from disk. When the file
        cannot be read (deleted, unreadable), DocumentError, and nothing is dropped."""
        if self.document is None:
            raise DocumentError("No entry is open")
        document = Document.load(self.root, self.document.path)
        self.discard_changes()
        return self._install(document)

    def disk_change(self) -> str:
        """What a change of the open file on disk means: "none" (our own save), "deleted" (the file
        is gone: the text stays, unsaved if edited), "reload" (no local edits: reload it) or
        "conflict" (local edits: ask)."""
        if self.document is None or self.document.path in self.files.moving:
            return "none"  # nothing open, or our own rename or deletion: the window follows it
        if self.document.deleted:
            return "deleted"
        if not self.document.changed_on_disk():
            return "none"
        return "conflict" if self.is_modified else "reload"

    def autosave(self) -> None:
        """Keep the unsaved text in this window's draft (every few seconds while there is some)."""
        self.keeper.autosave()

    def drafts(self) -> list[Draft]:
        """Every draft of this repository in the recovery folder, of any window."""
        return self.recovery.drafts(self.root)

    def discard_drafts(self) -> None:
        """Forget every draft of a window that is gone."""
        for item in self.keeper.recoverable():
            self.keeper.discard(item.draft)

    # ------------------------------------------------------------------ checks

    def check_now(self) -> None:
        """Check the open entry's text now (on a worker); ``findingsChanged(ENTRY)`` follows."""
        self._pull()
        self.check_timer.stop()
        if self.document is None or self.loaded is None:
            return
        text = self.document.text
        ctx = self.loaded.ctx
        if len(text) > LIVE_LANGUAGE_LIMIT:  # seconds per check: language checks come with Check All Entries
            ctx = dataclasses.replace(ctx, ruleset=None)
            named = registry.listed(registry.language_categories())
            self.notice.emit(f"This entry is very long: {named} are checked by Check All Entries, not as you type")
        path = self.document.path  # its comment threads are checked with it: open ones are findings
        self.check_failure = None
        self.tasks.submit("live-check", check_text, ctx, path, text, self.library.ids, self.git.comments.threads_for(path),
                          on_done=lambda result: self._checked(result, text), lane="check", pause_gc=True,
                          on_error=lambda failure: self._check_failed(failure, path, text))
        self.checkStarted.emit()

    def _checked(self, result: LiveResult, text: str) -> None:
        if self.document is None or result.row.path != self.document.path or self.document.text != text:
            return  # the text changed while it was checked: the check of the newer text follows
        self.live, self.live_text = result, text
        self._update_row(result.row)
        self.findingsChanged.emit(ENTRY)

    def _check_failed(self, failure: Failure, path: str, text: str) -> None:
        if self.document is not None and self.document.path == path and self.document.text == text:
            self.check_failure = failure
            self.findingsChanged.emit(ENTRY)
        self.failed.emit(failure)

    @property
    def live_findings(self) -> list[Finding]:
        """The open entry's findings as typed, as the window lists them (at most ``SHOWN_LIMIT``)."""
        return self.live.shown if self.live else []

    def check_all(self) -> None:
        """Check every entry with the command line's runner (cache and worker processes included);
        ``checkProgress`` while it runs, then ``findingsChanged(REPOSITORY)``. ``cancel_check_all``
        stops it."""
        if self.loaded is None or self.checking_all:
            return
        self.checking_all = True
        self.checkProgress.emit(0, len(self.loaded.repo.paths))
        self.tasks.submit("check-all", check_all, self.loaded.repo, on_done=self._all_checked,
                          on_progress=self.checkProgress.emit, on_error=self._check_all_failed, cancellable=True)

    def cancel_check_all(self) -> None:
        self.tasks.cancel("check-all")

    def _all_checked(self, findings: list[Finding]) -> None:
        self.checking_all = False
        self.repo_findings = list(findings)
        self.findingsChanged.emit(REPOSITORY)

    def _check_all_failed(self, failure: Failure) -> None:
        self.checking_all = False
        self.checkProgress.emit(1, 1)
        if failure.kind == failures.CANCELLED:
            self.notice.emit("Check All Entries was cancelled")
        else:
            self.failed.emit(Failure(failure.kind, f"Check All Entries failed: {failure.message}"))

    # ------------------------------------------------------------------ creating and the dictionary

    def create_entry(self, entry_id: str, module: str, question: str) -> str:
        """Write a new draft entry and return its path; raises DocumentError when it cannot be."""
        try:
            relative = entries.write_new_entry(self.root, entry_id, module, question)
        except FileExistsError as exc:
            raise DocumentError(str(exc)) from None
        except (paths.UnsafePath, paths.WriteError, OSError) as exc:
            raise DocumentError(f"Cannot create entries/{module}/{entry_id}.md: "
                                f"{getattr(exc, 'strerror', None) or exc}") from None
        self._update_row(index.IndexRow(relative, entry_id, module, "draft", entries.new_entry_question(question)))
        if self.loaded is not None:
            self.loaded.repo.paths.append(relative)
        self.repositoryChanged.emit()
        return relative

    def add_word(self, word: str) -> None:
        """Add a word to the library's dictionary.txt (on the serial queue), then check again."""
        self.tasks.submit("dictionary", add_word, self.root, word.lower(), serial=True,
                          on_done=self._word_added, on_error=self.failed.emit)

    def _word_added(self, word: str) -> None:
        if self.loaded is not None:
            self.loaded.ctx.dictionary = frozenset(self.loaded.ctx.dictionary | {word})
        self.repositoryChanged.emit()
        self.check_now()

    def close(self, wait_ms: int = 5000) -> None:
        """A clean close: background work finishes, and drafts that hold nothing unsaved go."""
        self.autosave_timer.stop()
        self.git.fetch_timer.stop()
        self.check_timer.stop()
        self.web.cancel()
        self.links.cancel()
        self.tasks.wait(wait_ms)
        self.keeper.close()

