"""Check All Entries in a process of its own, as ``malone-editor check`` is one (issue 20).

Run in the editor's process (on a worker thread), the check's own Python work (reading and writing
its cache as JSON, pickling the settings to its worker processes and their results back) held the
interpreter lock 150 to 200 ms at a time at 10,000 entries, and the UI thread waited for it. In a
process of its own it is the command line's check exactly: it opens the library, reads the cache
and forks its workers from a process with one thread (started by the fork server, since forking
the editor, whose Qt threads may hold a lock, is not safe). It sends back its progress, then its
findings; a cancel is an event it asks as ``cancelled()``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.05


class CheckFailed(Exception):
    """The check process failed: its own message, or how it ended."""


def check_all_in_process(root: Path, progress: Callable[[int, int], None] | None = None,
                         cancelled: Callable[[], bool] | None = None) -> list:
    """On a worker thread: every entry of the library at ``root`` checked, with the check cache."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    receive, send = context.Pipe(duplex=False)
    stop = context.Event()
    process = context.Process(target=_check, args=(str(root), dt.date.today(), send, stop), daemon=False)
    process.start()
    send.close()  # ours: the child holds its own end, so its exit ends the pipe
    try:
        while True:
            if cancelled is not None and cancelled():
                stop.set()
            if not receive.poll(POLL_S):
                if not process.is_alive() and not receive.poll(0):
                    raise CheckFailed(f"the check stopped unexpectedly (exit status {process.exitcode})")
                continue
            try:
                kind, *payload = receive.recv()
            except EOFError:
                raise CheckFailed("the check stopped unexpectedly") from None
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "done":
                return payload[0]
            elif kind == "cancelled":
                from editor.checks.runner import CheckCancelled

                raise CheckCancelled()
            else:
                from editor.session.failures import FailureError

                raise FailureError(payload[0])  # its kind and its plain words, as if raised here
    finally:
        stop.set()
        process.join(30)
        if process.is_alive():
            process.kill()
            process.join()
        receive.close()


def _check(root: str, today: dt.date, send, stop) -> None:
    """In the check process: ``malone-editor check`` with its cache and worker processes."""
    from editor.checks.cache import CheckCache
    from editor.checks.runner import CheckCancelled, check_repository
    from editor.content.repository import Repository
    from editor.short_process import short_process

    try:
        with short_process():  # as the command line's check runs
            repo = Repository.open(Path(root))
            report = check_repository(repo, cache=CheckCache(repo.root, today, True),
                                      progress=lambda done, total: send.send(("progress", done, total)),
                                      cancelled=stop.is_set, start_method="fork", comment_listing=repo.listing)
        send.send(("done", report.findings))
    except CheckCancelled:
        send.send(("cancelled",))
    except Exception as exc:  # said to the editor in plain words, never as a traceback
        from editor.session.failures import failure_of

        send.send(("error", failure_of(exc)))
    finally:
        send.close()
