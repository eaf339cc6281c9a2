"""The checks, on a thread of their own: the protocol's thread only asks for a document to be
checked, and keeps answering hover and completion while a check runs.

Requests for the same document wait as one: the check takes the document's newest text when it
starts, and what it finds is delivered with the version it checked, which the server drops when
the document has moved on since. Documents are checked in the order they were first asked for."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from editor.findings import Finding
from editor.lsp.diagnostics import Result
from editor.lsp.documents import Document, Documents
from editor.lsp.library import Library, RepositoryState
from editor.lsp.positions import Places

if TYPE_CHECKING:
    from editor.content.entry import Entry


def settings_results(state: RepositoryState, encoding: str, before: set[str]) -> list[Result]:
    """The settings files' findings (broken modules.yaml and the like), as ``check`` lists them, each
    file's findings at its place in the file as stored; an empty list for a file that had some
    ``before`` and has none now."""
    from editor.content.source import DecodeFailure, SourceText

    by_path: dict[str, list[Finding]] = {}
    for finding in state.config_findings:
        by_path.setdefault(finding.path, []).append(finding)
    results = []
    for path in sorted(set(by_path) | before):
        try:
            text = SourceText.from_bytes((state.root / path).read_bytes()).text
        except (OSError, DecodeFailure):
            text = ""
        uri = (state.root / path).as_uri()
        results.append(Result.of(uri, None, by_path.get(path, []), Places(text, encoding), state.guidance))
    return results


class Checker:
    def __init__(self, documents: Documents, library: Library, deliver: Callable[[Result, bool], None],
                 log: Callable[[str], None], encoding: Callable[[], str]):
        self.documents, self.library = documents, library
        self._deliver, self._log, self._encoding = deliver, log, encoding
        self._queue: OrderedDict[str | Path, None] = OrderedDict()  # document URIs, and roots to read again
        self._wake = threading.Condition()
        self._stopped = False
        self._settings: dict[Path, tuple[int, set[str]]] = {}  # root -> (settings seen, files with findings)
        self._thread = threading.Thread(target=self._run, name="malone-lsp-checks", daemon=True)
        self._thread.start()

    def request(self, uri: str) -> None:
        """Check the document at ``uri`` (its text when the check starts)."""
        self._put(uri)

    def request_settings(self, root: Path) -> None:
        """Read the settings of the repository at ``root`` again, even with none of its entries open."""
        self._put(root)

    def _put(self, key: str | Path) -> None:
        with self._wake:
            self._queue.setdefault(key, None)
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                key, _ = self._queue.popitem(last=False)
            try:
                if isinstance(key, Path):
                    self._settings_of(key)
                else:
                    self._check(key)
            except Exception as exc:  # the server carries on; the writer learns why in plain words
                self._log(f"A document could not be checked: {_plain(exc)}")

    def _check(self, uri: str) -> None:
        document = self.documents.get(uri)
        if document is None or not document.is_entry:
            return
        state = self.library.get(document.root)
        try:
            state.refresh()
        except Exception as exc:
            self._log(f"The settings of {document.root} could not be read again: {_plain(exc)}")
        self._settings_seen(state, document)
        entry = None
        try:
            findings, entry = self._findings(state, document)
        except Exception as exc:
            from editor.checks.runner import checker_fault

            self._log(f"The checks stopped on {document.path} because of a fault in the checker: {_plain(exc)}")
            findings = [checker_fault(document.path)]
        self._deliver(Result.of(uri, document.version, findings, Places(document.text, self._encoding()),
                                state.guidance, _safe(state, entry, findings)), False)

    def _settings_of(self, root: Path) -> None:
        state = self.library.known(root)
        if state is not None:
            state.refresh()
            self._settings_seen(state, None)

    def _settings_seen(self, state: RepositoryState, document: Document | None) -> None:
        """The settings' findings once per context built; a rebuilt context checks every other open
        entry of the repository again (a module renamed in modules.yaml changes their findings)."""
        seen, before = self._settings.get(state.root, (None, set()))
        if seen == state.generation:
            return
        results = settings_results(state, self._encoding(), before)
        self._settings[state.root] = (state.generation, {f.path for f in state.config_findings})
        for result in results:
            self._deliver(result, True)
        if seen is not None:
            for other in self.documents.in_repository(state.root):
                if document is None or other.uri != document.uri:
                    self.request(other.uri)

    def _findings(self, state: RepositoryState, document: Document) -> tuple[list[Finding], Entry | None]:
        """The document's findings as ``check`` gives them, and the entry they were found in."""
        from editor.content.comments import load_threads
        from editor.content.entry import Entry
        from editor.session.library import check_text

        ids = state.ids()
        entry = Entry.from_text(document.path, document.text)  # its parse serves the quick fixes too
        live = check_text(state.ctx, document.path, document.text, ids, load_threads(state.root, document.path), entry)
        if self.documents.get(document.uri) is not None:  # (closed meanwhile: the index has the file's own row)
            self.recheck_holders(state, state.update_row(live.row), document.uri)
        return as_check_says(live.findings, document.path, live.row.id, ids), entry

    def recheck_holders(self, state: RepositoryState, ids: set[str], besides: str | None = None) -> None:
        """Check again the open entries that use one of ``ids`` (their duplicate-id findings changed)."""
        if not ids:
            return
        for other in self.documents.in_repository(state.root):
            if other.uri != besides and state.id_of(other.path) in ids:
                self.request(other.uri)


def as_check_says(findings: list[Finding], path: str, entry_id: str | None,
                  ids: dict[str, tuple[str, ...]]) -> list[Finding]:
    """The live check's findings as ``check`` gives them. The desktop editor tells the writer of an
    entry whose id another uses, whichever file comes first; ``check`` says it only of the later
    file in path order, naming the first: so does this server."""
    earlier = sorted(p for p in ids.get(entry_id, ()) if p < path) if entry_id else []
    kept = []
    for finding in findings:
        if finding.rule == "duplicate-id":
            if not earlier:
                continue
            finding = replace(finding, message=f"Id '{entry_id}' is already used by {earlier[0]}")
        kept.append(finding)
    return kept


def _safe(state: RepositoryState, entry: Entry | None, findings: list[Finding]) -> dict[Finding, str]:
    """The findings whose suggestion ``malone-editor fix`` would make (a quick fix the client may
    prefer), each with the text it would put in; ``entry``: the one the check read (its body parsed
    once, for both)."""
    from editor.checks.fixes import safe_fixes
    from editor.checks.view import EntryView

    ctx = state.ctx
    if entry is None or ctx.ruleset is None or not any(f.suggestion for f in findings):
        return {}
    try:
        view = EntryView(entry)
        return {fix.finding: fix.new for fix in safe_fixes(findings, view, ctx.ruleset, ctx.registry)}
    except Exception:  # only no fix is marked preferred
        return {}


def _plain(exc: BaseException) -> str:
    from editor.session.failures import failure_of

    return failure_of(exc).message
