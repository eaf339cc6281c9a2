"""Starting the desktop editor: the application, its settings and data folder, and start-up
(reopen the last library, or create the demo library on first start)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.content.recovery import RecoveryStore
from editor.content.repository import find_root, is_repository

_windows: list = []  # keep open windows alive


def data_dir() -> Path:
    """The editor's own folder: settings, crash-recovery drafts, the demo library.
    ``MALONE_EDITOR_HOME`` overrides it (tests use a temporary one)."""
    from editor.session.library_files import editor_data_folder

    folder = editor_data_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings() -> QSettings:
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def recovery_store(store: QSettings) -> RecoveryStore:
    """Drafts go to the editor's recovery folder, or to the one the writer chose when that one
    could not be written; the editor's own is read either way."""
    default = data_dir() / "recovery"
    chosen = store.value("recovery/folder")
    return RecoveryStore(Path(chosen), also=[default]) if chosen else RecoveryStore(default)


def application() -> QApplication:
    app = QApplication.instance()
    # Background work (a render, a check) is Python on worker threads: the UI thread waits for the
    # interpreter lock each time a keystroke passes from Qt to Python, up to one switch interval
    # each time. 0.2 ms instead of Python's 5 keeps typing within a frame while a long entry
    # renders (keystroke p95 with a 100 KB entry: 24 ms before, 7 ms after; benchmarks.ui).
    sys.setswitchinterval(0.0002)
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("malone-editor")
        app.setOrganizationName("Malone")
        app.setApplicationDisplayName("Malone Editor")
    return app


def create_main_window(repo_path, progressive: bool = False):
    """The main window on ``repo_path``, for embedding and tests; ``open_entry(path)`` opens an entry.
    ``progressive``: paint the window's frame first and build its panels just after (the editor's
    own start does this, so the window shows at once)."""
    from editor.session.session import Session
    from editor.ui.main_window import MainWindow

    application()
    store = settings()
    session = Session(Path(repo_path), recovery_store(store))
    window = MainWindow(session, store, progressive)
    window.openLibraryRequested.connect(lambda folder: open_window(Path(folder)))
    return window


def open_window(path: Path, entry: str | None = None):
    window = create_main_window(path, progressive=True)
    if entry:
        window.pending_open = (entry, 0, 1)
    _windows.append(window)
    if os.environ.get("MALONE_EDITOR_TEST_HOOK"):  # end-to-end tests only; not even loaded otherwise
        from editor.ui import e2e_hook

        e2e_hook.install(window)
    window.show()
    store = settings()
    store.setValue("last_repository", str(Path(path).resolve()))
    store.sync()
    return window


def resolve_start(path: str | None) -> tuple[Path, str | None]:
    """Which library (and entry) to open: the one named, the last one, or the demo library."""
    if path:
        target = Path(path).expanduser().resolve()
        root = target if is_repository(target) else find_root(target)
        if root is None:
            raise ValueError(f"{path} is not a content library or an entry inside one")
        entry = target.relative_to(root).as_posix() if target.is_file() else None
        return root, entry
    last = settings().value("last_repository")
    if last and is_repository(Path(last)):
        return Path(last), None
    demo = data_dir() / "demo-library"
    if not is_repository(demo):
        from editor.vcs.demo import create_demo

        create_demo(demo)
    return demo, None


def run(path: str | None = None) -> int:
    app = application()
    try:
        root, entry = resolve_start(path)
    except Exception as exc:  # a clear message, never a traceback
        QMessageBox.critical(None, "Malone Editor", f"Cannot open the editor: {exc}")
        return 2
    open_window(root, entry)
    return app.exec()
