"""One small task runner: work runs on a thread pool, results come back to the UI thread through
queued signals, and a result whose key has been asked for again since is dropped as stale."""
from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives in the UI thread; signals emitted from workers are delivered there (queued)."""

    finished = Signal(str, int, object)
    failed = Signal(str, int, str)
    progressed = Signal(str, int, int, int)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, key: str, token: int, fn: Callable, args: tuple, wants_progress: bool):
        super().__init__()
        self.relay, self.key, self.token, self.fn, self.args = relay, key, token, fn, args
        self.wants_progress = wants_progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            if self.wants_progress:
                result = self.fn(*self.args, progress=lambda done, total: self._emit(
                    self.relay.progressed, self.key, self.token, done, total))
            else:
                result = self.fn(*self.args)
        except Exception as exc:  # reported to the UI, never raised in a worker
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self._emit(self.relay.failed, self.key, self.token, detail)
            return
        self._emit(self.relay.finished, self.key, self.token, result)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window closed while this ran: nobody is waiting for the result
            pass


class TaskRunner(QObject):
    """``submit(key, fn, *args, on_done=..., on_error=..., on_progress=...)``.

    Submitting a key again makes every earlier job of that key stale: its result is dropped."""

    def __init__(self, parent: QObject | None = None, threads: int = 2):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, threads))
        self.serial_pool = QThreadPool(self)  # one at a time, in order: git writes
        self.serial_pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._relay.progressed.connect(self._progressed)
        self._tokens = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._callbacks: dict[tuple[str, int], tuple[Callable | None, Callable | None, Callable | None]] = {}

    def submit(self, key: str, fn: Callable, *args: Any, on_done: Callable | None = None,
               on_error: Callable | None = None, on_progress: Callable | None = None, serial: bool = False) -> int:
        """Run ``fn(*args)`` off the UI thread. ``serial`` jobs run one at a time in the order
        submitted (git writes), and every serial result is delivered, never dropped as stale."""
        token = next(self._tokens)
        if serial:
            key = f"{key}#{token}"
        self._latest[key] = token
        self._callbacks[(key, token)] = (on_done, on_error, on_progress)
        pool = self.serial_pool if serial else self.pool
        pool.start(_Job(self._relay, key, token, fn, args, on_progress is not None))
        return token

    def is_current(self, key: str, token: int) -> bool:
        return self._latest.get(key) == token

    def wait(self, msecs: int = 30000) -> bool:
        return self.serial_pool.waitForDone(msecs) and self.pool.waitForDone(msecs)

    @Slot(str, int, object)
    def _finished(self, key: str, token: int, result: object) -> None:
        on_done, _, _ = self._callbacks.pop((key, token), (None, None, None))
        if on_done is not None and self.is_current(key, token):
            on_done(result)

    @Slot(str, int, str)
    def _failed(self, key: str, token: int, detail: str) -> None:
        _, on_error, _ = self._callbacks.pop((key, token), (None, None, None))
        if on_error is not None and self.is_current(key, token):
            on_error(detail)

    @Slot(str, int, int, int)
    def _progressed(self, key: str, token: int, done: int, total: int) -> None:
        _, _, on_progress = self._callbacks.get((key, token), (None, None, None))
        if on_progress is not None and self.is_current(key, token):
            on_progress(done, total)
