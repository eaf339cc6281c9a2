"""Run the registry's checks over an entry, and over a repository (or some of its entries) into a
report.

Large repositories are checked in worker processes, a small chunk of files at a time (so that
progress moves and a cancel stops them soon); every file is read and parsed once, and the parse is
shared by all the checks of that file.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from editor.checks import CheckContext, budget, schema
from editor.checks.cache import CheckCache, entry_key
from editor.checks.entry_reader import EntryReader
from editor.checks.exempt import unexempted
from editor.checks.registry import CHECKS, Check
from editor.checks.rules import load_ruleset
from editor.checks.spelling import load_dictionary
from editor.checks.view import EntryView
from editor.content import valid_memo
from editor.content.config import CONTENT_FILE, MODULES_FILE
from editor.content.entry import Entry
from editor.content.repository import FolderListing, Repository
from editor.findings import SEVERITIES, Finding

PARALLEL_THRESHOLD = 400  # below this many entries, worker start-up costs more than it saves


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    def counts(self) -> dict[str, int]:
        counts = {severity: 0 for severity in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def exit_code(self) -> int:
        return 1 if any(f.severity == "error" for f in self.findings) else 0

    def to_json(self) -> dict:
        counts = self.counts()
        return {"version": 1, "findings": [f.to_json() for f in self.findings],
                "summary": {"files": self.files, "errors": counts["error"], "warnings": counts["warning"],
                            "infos": counts["info"]}}


def check_entry(entry: Entry, ctx: CheckContext) -> list[Finding]:
    """Every check of one entry (``registry.CHECKS``, in order), less what exemption comments and
    tone.yaml's ``allow`` exempt, sorted in the order a writer would fix them. An entry over the
    budget (``editor.checks.budget``) gets one ``too-large`` finding instead of its body's findings."""
    reason = budget.oversize(entry) if entry.readable else None
    if reason is None:
        try:
            return _checked(EntryView(entry), ctx)[0]
        except budget.TooLarge as exc:
            reason = exc.reason
    findings, stopped = _checked(EntryView(entry, whole=False), ctx)
    if not stopped:
        findings = sorted(findings + [budget.finding(entry, reason)], key=lambda f: f.sort_key)
    return findings


def _checked(view: EntryView, ctx: CheckContext) -> tuple[list[Finding], bool]:
    """The findings of ``view``'s checks, and whether a check that ``stops`` found something."""
    produced: list[tuple[Check, list[Finding]]] = []
    language = ctx.ruleset is not None
    stopped = False
    for check in CHECKS:
        if (check.language and not language) or (check.body and not view.whole):
            continue
        found = check.run(view, ctx)
        if found:
            if check.body:  # (the others are bounded by the frontmatter's limits and by the parse)
                budget.within(len(found), check.name)
            produced.append((check, found))
            if check.stops:
                stopped = True
                break
    findings: list[Finding] = []
    for check, found in unexempted(view, ctx, produced):
        findings += check.complete(view, ctx, found) if check.complete is not None and found else found
    return sorted(findings, key=lambda f: f.sort_key), stopped


def context_for(repo: Repository, today: _dt.date | None = None, language: bool = True) -> tuple[CheckContext, list[Finding]]:
    """Everything entry checks need from ``repo``, and the problems found loading it."""
    ctx = CheckContext(repo.settings, repo.registry, today or _dt.date.today(), files=dict(repo.config.files))
    findings = list(repo.config.findings)
    if language:
        ctx.ruleset, rule_findings = load_ruleset(repo.root, ctx.files)
        ctx.dictionary = load_dictionary(repo.root, ctx.files)
        findings += rule_findings
    return ctx, findings


@dataclass
class _Batch:
    """What checking some entries found: their findings, ids and (for the cache) each entry's own
    results by its cache key."""

    findings: list[Finding] = field(default_factory=list)
    ids: list[schema.IdRecord] = field(default_factory=list)
    results: dict[str, tuple[list[Finding], schema.IdRecord | None]] = field(default_factory=dict)

    def add(self, other: _Batch) -> None:
        self.findings += other.findings
        self.ids += other.ids
        self.results.update(other.results)


def _check_chunk(root: str, paths: list[str], ctx: CheckContext, keep: bool = False, batch: _Batch | None = None,
                 step: Callable[[int], None] | None = None) -> _Batch:
    """Check ``paths`` into ``batch``; with ``keep``, also each entry's own results (for the cache).
    ``step(1)`` after each entry (it may raise CheckCancelled: what was checked stays in ``batch``)."""
    batch = batch if batch is not None else _Batch()
    base = Path(root)
    read = EntryReader(base)
    for path in paths:
        raw = read(path)
        key = entry_key(path, raw) if keep and raw is not None else None
        # (a body over the budget is measured, not decoded: all the check says of it is that it is too large)
        entry = Entry.load(base, path) if raw is None else Entry.from_bytes(path, raw, budget.MAX_BODY)
        raw = None  # a large file's bytes are not kept beside its text while it is checked
        try:
            own = check_entry(entry, ctx)
        except Exception:  # a fault of the checker's on one entry costs that entry, never the run
            own, key = [checker_fault(path)], None  # (and is not cached: the next run tries again)
        record = schema.id_record(entry)
        batch.findings.extend(own)
        if record:
            batch.ids.append(record)
        if key is not None:
            batch.results[key] = (own, record)
        if step is not None:
            step(1)
    return batch


def checker_fault(path: str) -> Finding:
    """What an entry gets when a check failed on it (a fault in the tool, or memory running out)."""
    return Finding(path, 1, 1, 1, 1, "format", "check-failed", "error",
                   "The checks stopped on this entry because of a fault in the checker, so it was not checked; "
                   "the other entries were. Please report it, with this file", None)


def _ids_only(root: str, paths: list[str], step: Callable[[int], None] | None = None) -> _Batch:
    """The ids of entries that are not checked (ids are compared across all entries)."""
    batch = _Batch()
    base = Path(root)
    read = EntryReader(base)
    for path in paths:
        raw = read(path)  # (a body past the budget is measured, not decoded: only the frontmatter is wanted)
        record = schema.id_record(Entry.load(base, path) if raw is None else Entry.from_bytes(path, raw, budget.MAX_BODY))
        raw = None
        if record:
            batch.ids.append(record)
        if step is not None:
            step(1)
    return batch


class CheckCancelled(Exception):
    """``check_repository`` stopped because its ``cancelled()`` said so."""


class _Progress:
    """Entries done of all (read from the cache, checked, or read for their id): ``progress(done,
    total)`` every ``EVERY`` entries (or each chunk, when told so) and at the end, then
    ``cancelled()`` asked."""

    EVERY = 25

    def __init__(self, total: int, progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None):
        self.total, self.done = total, 0
        self._told: int | None = None  # what progress was last told
        self.progress, self.cancelled = progress, cancelled

    def __call__(self, count: int, chunk: bool = False) -> None:
        self.done += count
        if self.progress is not None and (chunk or self.done - (self._told or 0) >= self.EVERY or self.done == self.total):
            self._told = self.done
            self.progress(self.done, self.total)
        self.check()

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise CheckCancelled(f"cancelled after {self.done} of {self.total} entries")

    def finish(self) -> None:
        if self.progress is not None and self._told != self.total:
            self._told = self.total
            self.progress(self.total, self.total)


def check_repository(repo: Repository, paths: list[str] | None = None, today: _dt.date | None = None,
                     jobs: int | None = None, language: bool = True, online=None,
                     cache: CheckCache | None = None, progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None, start_method: str | None = None,
                     comment_listing: FolderListing | None = None) -> Report:
    """Check ``paths`` (default: every entry) of ``repo``; ids are compared across all entries.

    ``cache``: entries whose bytes, and everything else their findings depend on, are unchanged
    since a cached run are not checked again. ``progress(done, total)``: entries of the repository
    done (at least every 25, or each chunk when checked in worker processes, and (total, total) at
    the end), called in the calling thread; ``cancelled()``: asked as often, and when it says
    so, workers are stopped and CheckCancelled is raised (what was checked by then is cached).
    ``start_method``: how worker processes start (default: fork where there is one; a program with
    threads of its own, such as the editor, asks for "forkserver"). ``comment_listing``: what the
    walk that listed ``repo.paths`` saw of comment folders, when that walk was just now
    (``Repository.listing``, as the command line opens it)."""
    if cache is not None:
        today = today or cache.today
        cache = cache if cache.today == today else None  # a cache made for another day does not apply
    today = today or _dt.date.today()
    tally = _Progress(len(repo.paths), progress, cancelled)
    tally.check()
    ctx, config_findings = context_for(repo, today, language)
    if cache is not None:
        cache.bind(ctx.files, language)  # the fingerprint of exactly what this check read
    wanted = None if paths is None else set(paths)  # once: a set made for every path was quadratic
    selected = repo.paths if wanted is None else [p for p in repo.paths if p in wanted]
    chosen = set(selected)
    others = [p for p in repo.paths if p not in chosen]
    findings: list[Finding] = config_findings
    ids: list[schema.IdRecord] = []
    todo, todo_others = selected, others
    if cache:  # only a cache with something in it is worth reading every file for
        todo, todo_others = [], []
        read = EntryReader(repo.root)
        known = cache.keys_by_stamp(repo.paths, read.stamps(repo.paths))  # unchanged since read: not read again
        get, every, done = cache.get, tally.EVERY, 0
        for path, key in zip(repo.paths, known):
            if key is None:
                raw = read(path)
                key = entry_key(path, raw) if raw is not None else None
                if key is not None:
                    cache.keep_stamp(path, read.last_stamp, key)
            hit = get(key) if key is not None else None
            if hit is None:
                (todo if path in chosen else todo_others).append(path)
                continue
            own, record = hit
            if own and path in chosen:
                findings += own
            if record:
                ids.append(record)
            done += 1
            if done == every:  # progress told as often as one at a time would tell it, at less cost
                tally(done)
                done = 0
        tally(done)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    keep = cache is not None
    batch = _Batch()
    try:
        if jobs > 1 and len(todo) + len(todo_others) >= PARALLEL_THRESHOLD:
            _check_parallel(repo.root, todo, todo_others, ctx, jobs, keep, batch, tally, start_method)
        else:
            _check_chunk(str(repo.root), todo, ctx, keep, batch, tally)
            batch.add(_ids_only(str(repo.root), todo_others, tally))
    finally:
        if cache is not None:  # each entry's results are whole, so even a cancelled run's are kept
            for key, (own, record) in batch.results.items():
                cache.put(key, own, record)
            cache.save(prune=paths is None and tally.done == tally.total)
    tally.finish()
    findings += batch.findings
    ids += batch.ids
    if online is not None:  # (LinkChecker, progress callback or None): web links fetched once each
        from editor.checks.online import check_online

        checker, online_progress = online
        entries = [Entry.load(repo.root, path) for path in selected]
        findings += check_online(entries, ctx, checker, online_progress)[0]
    findings += [f for f in schema.duplicate_ids(ids) if f.path in chosen]
    findings += _comment_findings(repo.root, selected, orphans=paths is None, listing=comment_listing)
    findings.sort(key=lambda f: f.sort_key)
    valid_memo.save()
    config_files = sum(1 for name in (CONTENT_FILE, MODULES_FILE) if (repo.root / name).is_file())
    return Report(findings, len(selected) + config_files)


def _comment_findings(root: Path, paths: list[str], orphans: bool = False,
                      listing: FolderListing | None = None) -> list[Finding]:
    """Open comments of the entries that have any (from the files beside them, never cached); with
    ``orphans``, also open comments whose entry is not there (moved or deleted outside the editor)."""
    from editor.checks import comments as comment_check
    from editor.content.comments import load_all

    found: list[Finding] = []
    wanted = set(paths)
    for path, threads in load_all(root, listing=listing).items():
        if path in wanted:
            found += comment_check.findings(Entry.load(root, path), threads)
        elif orphans and not (root / path).exists():
            found += comment_check.orphaned(path, threads)
    return found


CHUNK = 25  # entries a worker checks at a time, at most: progress moves, and a cancel stops soon
_WORKER: tuple[str, CheckContext, bool] | None = None  # (root, context, keep) in a worker process


def _check_parallel(root: Path, selected: list[str], others: list[str], ctx: CheckContext, jobs: int, keep: bool,
                    batch: _Batch, step: _Progress, start_method: str | None = None) -> None:
    """Check ``selected`` and read the ids of ``others`` in ``jobs`` worker processes, a small
    chunk at a time, into ``batch`` (in path order, as one process would); ``step`` after each
    chunk, and every 50 ms while none finishes. On a cancel (or a failure) the chunks not started
    are dropped and the workers stop when their current chunk is done."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    methods = multiprocessing.get_all_start_methods()
    method = start_method if start_method in methods else "fork" if "fork" in methods else "spawn"
    size = max(10, min(CHUNK, -(-(len(selected) + len(others)) // (jobs * 8))))
    tasks = [(True, selected[i:i + size]) for i in range(0, len(selected), size)]
    tasks += [(False, others[i:i + size]) for i in range(0, len(others), size)]
    done: dict[int, _Batch] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                             initializer=_start_worker, initargs=(str(root), ctx, keep)) as pool:
        try:
            waiting = iter(enumerate(tasks))
            running: dict = {}
            while True:
                for index, task in itertools.islice(waiting, 2 * jobs - len(running)):  # a few ahead, not all:
                    running[pool.submit(_run_task, task)] = index  # wait() costs as many as are running
                if not running:
                    break
                finished, _ = wait(running, timeout=0.05, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = running.pop(future)
                    done[index] = future.result()
                    step(len(tasks[index][1]), chunk=True)
                if not finished:
                    step.check()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            for index in sorted(done):
                batch.add(done[index])


def _start_worker(root: str, ctx: CheckContext, keep: bool) -> None:
    global _WORKER
    _WORKER = (root, ctx, keep)


def _run_task(task: tuple[bool, list[str]]) -> _Batch:
    check, paths = task
    root, ctx, keep = _WORKER
    if not check:
        return _ids_only(root, paths)
    try:
        return _check_chunk(root, paths, ctx, keep)
    finally:
        valid_memo.save()  # what this worker found valid, for the next run
