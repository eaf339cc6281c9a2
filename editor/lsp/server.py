"""The server: pygls's JSON-RPC over standard input and output, wired to the documents, the checker,
code actions, hover and completion. pygls (and lsprotocol, its typed messages) is imported here
and nowhere the other commands load.

pygls's own handling is kept for framing, dispatch, ``shutdown`` and ``exit``; three things are
the server's own: the position encoding (UTF-32 when offered, else UTF-16; pygls would take the
client's first choice, UTF-8 included), the documents' text (``editor.lsp.documents``), and what
a failure says (a line in plain words through ``window/logMessage``, never a traceback, to the
writer or in an error response)."""
from __future__ import annotations

import asyncio
import functools
import logging

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

import editor
from editor.lsp import actions, completion
from editor.lsp.checker import Checker
from editor.lsp.diagnostics import Result
from editor.lsp.documents import Documents
from editor.lsp.library import SETTINGS_FILES, Library, entry_path
from editor.lsp.positions import UTF16, Places, choose_encoding

NAME = "malone-editor"
_UNREADABLE = object()  # a message that could not be read, already answered


class Protocol(LanguageServerProtocol):
    """pygls's protocol, less its own copy of each document's text, with our choice of encoding,
    and an error response (not silence) to a request whose parameters cannot be read."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        result = yield from super().lsp_initialize(params)
        general = params.capabilities.general
        self._server.encoding = choose_encoding(general.position_encodings if general else None)
        result.capabilities.position_encoding = self._server.encoding
        result.capabilities.workspace = None  # (pygls offers workspace folders and commands; nothing
        result.capabilities.execute_command_provider = None  # here uses them)
        return result

    def _user_only(self, method: str, params):
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        yield from self._user_only(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        yield from self._user_only(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        yield from self._user_only(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except Exception as exc:
            if isinstance(data, dict) and "method" in data and isinstance(data.get("id"), (int, str)):
                error = getattr(exc, "to_response_error", None)
                self._send_response(data["id"], None, error() if error else None)
                self._server.log("A request from the editor could not be read, so it was answered with an error.")
                return _UNREADABLE
            raise

    def handle_message(self, message):
        if self._server.loop is None:  # (the checker's results come back to this thread through it)
            self._server.loop = asyncio.get_running_loop()
        if message is _UNREADABLE:
            return
        if not hasattr(message, "jsonrpc"):  # JSON, but not a JSON-RPC message
            self._server.log("A message from the editor was not a request or a notification, so it was ignored.")
            return
        super().handle_message(message)


class Server(LanguageServer):
    def __init__(self):
        super().__init__(NAME, editor.__version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=Protocol)
        self.encoding = UTF16
        self.documents = Documents()
        self.library = Library()
        self.results: dict[str, Result] = {}
        self.loop = None
        self.checker = Checker(self.documents, self.library, self.deliver, self.log, lambda: self.encoding)

    # ---- sending, from any thread ---------------------------------------------------------------

    def _on_loop(self, call, *args) -> None:
        if self.loop is None:
            call(*args)
        else:
            self.loop.call_soon_threadsafe(call, *args)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self._on_loop(self._log_now, message, kind)

    def _log_now(self, message: str, kind: types.MessageType) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source) -> None:
        self.log("A message from the editor could not be read or handled, so it was ignored.")

    def deliver(self, result: Result, settings: bool) -> None:
        self._on_loop(self._publish, result, settings)

    def _publish(self, result: Result, settings: bool) -> None:
        """Publish ``result`` unless its document moved on (a newer version, or closed) since it was
        checked; a settings file's findings are of the file as stored, whatever the client holds."""
        if not settings:
            document = self.documents.get(result.uri)
            if document is None or document.version != result.version:
                return
            self.results[result.uri] = result
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=result.uri, diagnostics=list(result.diagnostics), version=None if settings else result.version))

    def current(self, uri: str) -> Result | None:
        """The findings of the document's version as it is now, if they are known."""
        result, document = self.results.get(uri), self.documents.get(uri)
        return result if result is not None and document is not None and result.version == document.version else None

    # ---- the files on disk ----------------------------------------------------------------------

    def files_changed(self, uris: list[str]) -> None:
        """Settings files changed: their repository's open entries are checked again (which
        rebuilds the context); entries changed, made or deleted: their ids are read again, unless
        open here, and the open entries sharing an id are checked again."""
        from pathlib import Path

        from editor.content.repository import find_root

        for uri in uris:
            path = to_fs_path(uri) if uri.startswith("file:") else None
            root = find_root(Path(path)) if path else None
            state = self.library.known(root) if root is not None else None
            if state is None:
                continue
            if Path(path).name in SETTINGS_FILES and Path(path).parent.resolve() == root:
                self.checker.request_settings(root)  # (which checks its open entries again if they changed)
                continue
            relative = entry_path(root, Path(path))
            if relative is not None and not any(d.path == relative for d in self.documents.in_repository(root)):
                self.checker.recheck_holders(state, state.reread(relative))


def guarded(server: Server):
    """A handler whose failure is a line in the log and an empty answer, never a traceback."""

    def decorate(function):
        @functools.wraps(function)
        def run(params):
            try:
                return function(params)
            except Exception as exc:
                from editor.session.failures import failure_of

                server.log(f"Something went wrong answering the editor: {failure_of(exc).message}")
                return None

        return run

    return decorate


def _changes(params: types.DidChangeTextDocumentParams):
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            yield (change.range.start.line, change.range.start.character), \
                (change.range.end.line, change.range.end.character), change.text
        else:
            yield None, None, change.text


def _register(server: Server) -> None:
    guard = guarded(server)

    @server.feature(types.INITIALIZED)
    @guard
    def initialized(params):
        watched = server.client_capabilities.workspace
        watched = watched.did_change_watched_files if watched else None
        if watched is not None and watched.dynamic_registration:
            globs = ["**/entries/**/*.md", *(f"**/{name}" for name in SETTINGS_FILES)]
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in globs])
            server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="malone-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guard
    def did_open(params: types.DidOpenTextDocumentParams):
        document = server.documents.open(params.text_document.uri, params.text_document.version, params.text_document.text)
        if document.is_entry:
            server.checker.request(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guard
    def did_change(params: types.DidChangeTextDocumentParams):
        document = server.documents.change(params.text_document.uri, params.text_document.version,
                                           list(_changes(params)), server.encoding)
        if document is not None and document.is_entry:
            server.checker.request(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guard
    def did_save(params: types.DidSaveTextDocumentParams):
        server.files_changed([params.text_document.uri])

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guard
    def did_close(params: types.DidCloseTextDocumentParams):
        document = server.documents.close(params.text_document.uri)
        if server.results.pop(params.text_document.uri, None) is not None:  # only open documents are checked:
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(  # nothing stays underlined
                uri=params.text_document.uri, diagnostics=[]))  # that no check keeps current
        if document is not None and document.is_entry:
            state = server.library.known(document.root)
            if state is not None:  # the index goes back to the entry as stored
                server.checker.recheck_holders(state, state.reread(document.path))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guard
    def watched_files(params: types.DidChangeWatchedFilesParams):
        server.files_changed([change.uri for change in params.changes])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    @guard
    def code_action(params: types.CodeActionParams):
        result = server.current(params.text_document.uri)
        only = params.context.only if params.context else None
        if result is None or (only and not any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only)):
            return []
        start = result.places.offset(params.range.start.line, params.range.start.character)
        end = result.places.offset(params.range.end.line, params.range.end.character)
        edits = server.client_capabilities.workspace
        edits = edits.workspace_edit if edits else None
        return actions.code_actions(result, min(start, end), max(start, end), bool(edits and edits.document_changes))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guard
    def hover(params: types.HoverParams):
        result = server.current(params.text_document.uri)
        if result is None:
            return None
        shown = server.client_capabilities.text_document
        shown = shown.hover.content_format if shown and shown.hover else None
        markdown = not shown or types.MarkupKind.Markdown in shown
        return actions.hover(result, result.places.offset(params.position.line, params.position.character), markdown)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=completion.TRIGGERS))
    @guard
    def complete(params: types.CompletionParams):
        document = server.documents.get(params.text_document.uri)
        if document is None or not document.is_entry:
            return []
        places = Places(document.text, server.encoding)
        offset = places.offset(params.position.line, params.position.character)
        choices = server.library.get(document.root).choices
        return completion.completions(choices, places, params.position.line, offset)


def make() -> Server:
    server = Server()
    _register(server)
    return server


def serve(stdin, stdout) -> int:
    """Serve on the given binary streams until ``exit`` or the end of input; the exit status is 0
    after a ``shutdown``, 1 without one (as the protocol says)."""
    for name in ("pygls", "lsprotocol", "asyncio"):  # their messages carry tracebacks; ours are plain
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    server = make()
    try:
        server.start_io(stdin, stdout)
    finally:
        server.checker.stop()
    return 0 if server.protocol._shutdown else 1
