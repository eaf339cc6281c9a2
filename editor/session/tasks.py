"""One small task runner: work runs on a thread pool, results come back to the UI thread through
queued signals, and a result whose key has been asked for again since is dropped as stale.

Whatever a job raises comes back as a ``Failure`` (a kind and a plain message), never as text to
be cut up. A job submitted with ``cancellable`` gets a ``cancelled()`` callable it should ask now
and then; ``cancel(key)`` makes it answer True.

A job whose key was submitted again before it started is never run (its result would be dropped):
a writer who types through a slow check starts one more check, not a queue of them. Checks of
the open entry run in a lane of their own (``lane="check"``), so a slow check never holds up
the work the window waits on (the form's fields, the preview)."""
from __future__ import annotations

import gc
import itertools
import threading
from contextlib import contextmanager
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from editor.session.failures import failure_of


_pause_lock = threading.Lock()
_pausing = 0  # jobs running with the cycle collector paused


@contextmanager
def collector_paused():
    """The cycle collector waits while the job runs. Reading, checking or rendering a long entry
    makes millions of objects, and each full collection walks them all holding the interpreter
    lock: 100 to 250 ms in which the UI thread cannot run a line of Python. Memory freed by
    reference counting goes as usual; cycles wait for the job's end."""
    global _pausing
    with _pause_lock:
        _pausing += 1
        gc.disable()
    try:
        yield
    finally:
        with _pause_lock:
            _pausing -= 1
            if not _pausing:
                gc.enable()


class _Relay(QObject):
    """Lives in the UI thread; signals emitted from workers are delivered there (queued)."""

    finished = Signal(str, int, object)
    failed = Signal(str, int, object)
    progressed = Signal(str, int, int, int)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, key: str, token: int, fn: Callable, args: tuple, kwargs: dict,
                 wanted: Callable[[], bool] | None = None, pause_gc: bool = False):
        super().__init__()
        self.pause_gc = pause_gc
        self.relay, self.key, self.token, self.fn, self.args, self.kwargs = relay, key, token, fn, args, kwargs
        self.wanted = wanted  # None: always run (serial jobs)
        self.setAutoDelete(True)

    def run(self) -> None:
        if self.wanted is not None and not self.wanted():  # stale before it started: its callbacks go
            self._emit(self.relay.finished, self.key, self.token, None)
            return
        try:
            if self.pause_gc:
                with collector_paused():
                    result = self.fn(*self.args, **self.kwargs)
            else:
                result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # reported to the UI as a Failure, never raised in a worker
            self._emit(self.relay.failed, self.key, self.token, failure_of(exc))
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
        self.check_pool = QThreadPool(self)  # the open entry's checks: one at a time, the latest next
        self.check_pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._relay.progressed.connect(self._progressed)
        self._tokens = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._cancelled: set[int] = set()
        self._callbacks: dict[tuple[str, int], tuple[Callable | None, Callable | None, Callable | None]] = {}

    def submit(self, key: str, fn: Callable, *args: Any, on_done: Callable | None = None,
               on_error: Callable | None = None, on_progress: Callable | None = None, serial: bool = False,
               cancellable: bool = False, lane: str = "", priority: int = 0,
               pause_gc: bool = False) -> int:
        """Run ``fn(*args)`` off the UI thread. ``serial`` jobs run one at a time in the order
        submitted (git writes), and every serial result is delivered, never dropped as stale.
        ``on_progress`` passes ``progress(done, total)`` to ``fn``; ``cancellable`` passes ``cancelled()``.
        ``lane="check"`` runs it in the checks' own lane; a higher ``priority`` starts before others queued;
        ``pause_gc``: the cycle collector waits while it runs (work on the open entry: ``collector_paused``)."""
        token = next(self._tokens)
        if serial:
            key = f"{key}#{token}"
        self._latest[key] = token
        self._callbacks[(key, token)] = (on_done, on_error, on_progress)
        kwargs: dict[str, Callable] = {}
        if on_progress is not None:
            relay = self._relay
            kwargs["progress"] = lambda done, total: _Job._emit(relay.progressed, key, token, done, total)
        if cancellable:
            kwargs["cancelled"] = lambda: token in self._cancelled or self._latest.get(key) != token
        pool = self.serial_pool if serial else self.check_pool if lane == "check" else self.pool
        wanted = None if serial else (lambda: self._latest.get(key) == token)
        pool.start(_Job(self._relay, key, token, fn, args, kwargs, wanted, pause_gc), priority)
        return token

    def cancel(self, key: str) -> None:
        """Ask the current job of ``key`` to stop; its result (or failure) is still delivered."""
        token = self._latest.get(key)
        if token is not None:
            self._cancelled.add(token)

    def is_current(self, key: str, token: int) -> bool:
        return self._latest.get(key) == token

    def wait(self, msecs: int = 30000) -> bool:
        return all(pool.waitForDone(msecs) for pool in (self.serial_pool, self.check_pool, self.pool))

    @Slot(str, int, object)
    def _finished(self, key: str, token: int, result: object) -> None:
        on_done, _, _ = self._callbacks.pop((key, token), (None, None, None))
        self._cancelled.discard(token)
        if on_done is not None and self.is_current(key, token):
            on_done(result)

    @Slot(str, int, object)
    def _failed(self, key: str, token: int, failure: object) -> None:
        _, on_error, _ = self._callbacks.pop((key, token), (None, None, None))
        self._cancelled.discard(token)
        if on_error is not None and self.is_current(key, token):
            on_error(failure)

    @Slot(str, int, int, int)
    def _progressed(self, key: str, token: int, done: int, total: int) -> None:
        _, _, on_progress = self._callbacks.get((key, token), (None, None, None))
        if on_progress is not None and self.is_current(key, token):
            on_progress(done, total)
