"""Check Web Links (online): every web address in the bodies and ``sources`` of every entry,
fetched on a worker, as ``malone-editor check --online`` fetches them (with the link cache);
``progress`` while it runs, ``finished`` with the findings, cancellable. Nothing else in the
editor ever touches the network."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from editor.findings import Finding
from editor.lazy import lazy
from editor.session import failures
from editor.session.failures import Failure

if TYPE_CHECKING:
    from editor.session.session import Session

online = lazy("editor.checks.online")
entries = lazy("editor.content.entry")
checkers = lazy("editor.web.checker")
link_cache = lazy("editor.web.cache")
fetch = lazy("editor.web.fetch")

KEY = "web-links"


def default_checker():
    """As the command line's defaults have it: 5 s per server, healthy answers kept 24 hours."""
    return checkers.LinkChecker(fetch.Options(), link_cache.LinkCache(None, 24 * 3600))


class WebLinkCheck(QObject):
    progress = Signal(int, int)  # web addresses done, of (0, 0 while the entries are read)
    finished = Signal()  # ``findings`` holds the result (also after a cancel or a failure: unchanged)

    def __init__(self, session: Session):
        super().__init__(session)
        self.session = session
        self.running = False
        self.findings: list[Finding] | None = None  # None: never checked in this window
        self.statuses: dict | None = None  # web address -> LinkStatus of the last run that finished
        self.make_checker = default_checker

    def start(self) -> None:
        session = self.session
        if session.loaded is None or self.running:
            return
        self.running = True
        self.progress.emit(0, 0)
        loaded = session.loaded
        session.tasks.submit(KEY, _check, loaded.repo, loaded.ctx, self.make_checker(), on_done=self._done,
                             on_progress=self.progress.emit, on_error=self._failed, cancellable=True)

    def cancel(self) -> None:
        self.session.tasks.cancel(KEY)

    def _done(self, result) -> None:
        findings, self.statuses = result
        self.running = False
        self.findings = findings
        self.finished.emit()
        count = len(findings)
        self.session.notice.emit("Check Web Links found no problems" if not count else
                                 f"Check Web Links found {count} problem{'' if count == 1 else 's'} (see Problems)")

    def _failed(self, failure: Failure) -> None:
        self.running = False
        self.finished.emit()
        if failure.kind == failures.CANCELLED:
            self.session.notice.emit("Check Web Links was cancelled")
        else:
            self.session.failed.emit(Failure(failure.kind, f"Check Web Links failed: {failure.message}"))


def _check(repo, ctx, checker, progress=None, cancelled=None) -> tuple[list[Finding], dict]:
    """On a worker: read every entry, then fetch each distinct web address once; the findings,
    and the status of each address."""
    read = [entries.Entry.load(repo.root, path) for path in repo.paths]
    uses = [use for entry in read for use in online.web_uses(entry)]
    if cancelled is not None and cancelled():
        raise checkers.LinkCheckCancelled("cancelled before any web address was fetched")

    class Cancellable:  # check_online asks the checker; this one passes the cancel on
        def check(self, urls, report=None):
            return checker.check(urls, report, cancelled)

    findings, statuses = online.check_online(read, ctx, Cancellable(), progress) if uses else ([], {})
    findings.sort(key=lambda f: f.sort_key)
    return findings, statuses
