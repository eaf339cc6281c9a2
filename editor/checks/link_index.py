"""The link index: every link of every entry (in-app, web and other targets, in the body and in
``sources``), with the line and column it stands on, read once per file and kept.

Reading the links of an entry means parsing its body with markdown-it (about 2 ms an entry), far
too slow to do for ten thousand entries on every save. So each file's links are kept under the
digest of its bytes, in memory and in the user's cache folder: a refresh reads again only the files
whose size or time changed (and whose bytes then differ), and a new window starts from the cache.
A file's links depend on nothing but its bytes and the tool's code (the cache's fingerprint), never
on modules.yaml: statuses are worked out afresh from the index (``editor.checks.link_health``).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from editor.checks.budget import MAX_LINK_BODY, links_of
from editor.checks.link_scan import scan
from editor.checks.link_sources import fast_sources, yaml_sources
from editor.content import frontmatter as fmlib
from editor.content.atomic import write_atomically
from editor.content.entry import Entry
from editor.content.file_stamp import stamp as _stamp
from editor.content.paths import link_outside
from editor.content.source import DecodeFailure, SourceText
from editor.resources import user_cache_dir

FORMAT = 2  # 2: the change time is part of a file's stamp
IN_APP, WEB, OTHER = "in-app", "web", "other"  # WEB: an http(s) address that can be fetched
BODY, SOURCES = "body", "sources"
PARALLEL_THRESHOLD = 400  # files to parse before worker processes are worth starting


class LinkUse(NamedTuple):  # a tuple: ten thousand entries' worth are made from the cache at once
    """One link in one entry: its target (stripped, as the app reads it), what kind it is, and
    where it stands in the file (1-based line and column of the target, ``where`` body or sources)."""

    target: str
    kind: str
    line: int
    column: int
    where: str = BODY


@dataclass(frozen=True)
class FileLinks:
    digest: str  # of the file's bytes; "" when the file could not be read
    stamp: tuple[int, int, int, int] | None  # (size, mtime_ns, inode, ctime_ns) when read; None: look at the bytes
    uses: tuple[LinkUse, ...]


def extract(entry: Entry, fast: bool = True) -> tuple[LinkUse, ...]:
    """Every link of ``entry`` as the link report counts them: in-app and other targets of the
    body's links (a reference used twice counts twice), and each web address of the body (once per
    target as typed) and of ``sources``. A malformed http(s) address is an OTHER target: the report
    says why it is broken. A body in the shapes the team writes is read by a plain scan
    (``editor.checks.link_scan``, the same links, ten times sooner); any other (or with ``fast``
    off) is parsed with markdown-it."""
    from editor.checks.online import web_uses
    from editor.content.links import check_web_target, is_in_app

    if not entry.readable:
        return ()
    scanned = scan(entry.body) if fast and entry.body_length <= MAX_LINK_BODY else None
    if scanned is not None:
        sources = fast_sources(entry.frontmatter)
        return _from_scan(entry.body, entry.body_first_line,
                          sources if sources is not None else yaml_sources(entry), scanned)
    found: list[LinkUse] = []
    for link in links_of(entry).links:  # (none for an entry too large to check)
        target = link.target.strip()
        web = target.lower().startswith(("http://", "https://"))
        if is_in_app(target):
            found.append(LinkUse(target, IN_APP, *entry.body_position(link.start)))
        elif not web or (link.kind != "html" and any(p.severity == "error" for p in check_web_target(target))):
            found.append(LinkUse(target, OTHER, *entry.body_position(link.start)))
    sources = entry.meta.get("sources")
    if isinstance(sources, list) and entry.frontmatter is not None:
        for index, url in enumerate(sources):
            if isinstance(url, str) and url.lower().startswith(("http://", "https://")) and \
                    any(p.severity == "error" for p in check_web_target(url)):
                span = entry.frontmatter.span_for(("sources", index))
                found.append(LinkUse(url, OTHER, span.line, span.column, SOURCES))
    body_end = entry.body_first_line
    for use in web_uses(entry):
        where = SOURCES if use.line < body_end else BODY
        found.append(LinkUse(use.url, WEB, use.line, use.column, where))
    return tuple(sorted(found, key=lambda u: (u.line, u.column)))


def _from_scan(body: str, first: int, sources: list[tuple[str, int, int]],
               scanned: list[tuple[str, int]]) -> tuple[LinkUse, ...]:
    """``extract`` for a body whose links ``scan`` found (the same steps, in the same order, as
    ``extract`` and ``web_uses`` take over the document model's links); ``first``: the body's first
    line in the file, ``sources``: each http(s) address of ``sources`` with its line and column."""
    import bisect

    from editor.content.links import is_in_app
    from editor.content.source import line_starts

    starts = line_starts(body) if scanned else [0]

    def position(offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(starts, offset) - 1
        return first + index, offset - starts[index] + 1

    found: list[LinkUse] = []
    web: list[LinkUse] = []
    for raw, start in scanned:
        target = raw.strip()
        if is_in_app(target):
            found.append(LinkUse(target, IN_APP, *position(start)))
        elif not target.lower().startswith(("http://", "https://")) or _malformed(target):
            found.append(LinkUse(target, OTHER, *position(start)))
        else:
            web.append(LinkUse(target, WEB, *position(start), BODY))
    listed = []
    for url, line, column in sources:
        bad = _malformed(url)
        (found if bad else listed).append(LinkUse(url, OTHER if bad else WEB, line, column,
                                                  SOURCES if bad or line < first else BODY))
    web += listed
    return tuple(sorted(found + web, key=lambda u: (u.line, u.column)))


@lru_cache(maxsize=8192)
def _malformed(url: str) -> bool:
    """An http(s) address the offline rules call broken (the same few thousand recur in a library)."""
    from editor.content.links import check_web_target

    return any(p.severity == "error" for p in check_web_target(url))


def digest_of(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class ExtractCache:
    """Each file's links by the digest of its bytes, in the user's cache folder (one file per
    repository), valid for one build of the tool. Damaged or foreign files are ignored."""

    def __init__(self, root: Path, folder: Path | None = None):
        from editor.checks.cache import _tool_digest
        from editor.resources import schemas_dir

        name = hashlib.blake2b(str(Path(root).resolve()).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self.file = (folder or user_cache_dir()) / "links" / f"{name}.json"
        self.fingerprint = f"{FORMAT}:{_tool_digest(schemas_dir())}"
        self.stored: dict[str, list] = {}
        self.stamps: dict[str, list] = {}  # path -> [size, mtime_ns, inode, ctime_ns, digest] when last read
        self.changed = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("fingerprint") == self.fingerprint and \
                    isinstance(data.get("files"), dict) and isinstance(data.get("stamps"), dict):
                self.stored, self.stamps = data["files"], data["stamps"]
        except (OSError, ValueError, RecursionError):  # unreadable, not JSON, or nested past reading
            self.stored, self.stamps = {}, {}

    def digest_for(self, path: str, stamp: tuple[int, int, int, int] | None) -> str | None:
        """The digest the file had when it was read with this very size, time and inode, if it was."""
        known = self.stamps.get(path)
        if stamp is None or not isinstance(known, list) or len(known) != 5 or tuple(known[:4]) != stamp:
            return None
        return known[3] if isinstance(known[3], str) else None

    def keep_stamps(self, files: dict[str, FileLinks], every: bool) -> None:
        """Remember the files' stamps (``every``: these are all the repository's files)."""
        stamps = {} if every else dict(self.stamps)
        for path, record in files.items():
            if record.stamp is not None and record.digest and not record.digest.startswith("text:"):
                stamps[path] = [*record.stamp, record.digest]
            else:
                stamps.pop(path, None)
        if stamps != self.stamps:
            self.stamps, self.changed = stamps, True

    def get(self, digest: str) -> tuple[LinkUse, ...] | None:
        stored = self.stored.get(digest)
        if not isinstance(stored, list):
            return None
        make = tuple.__new__  # LinkUse(*fields) costs three times as much, for 50,000 links at a start
        try:
            uses = tuple([make(LinkUse, fields) for fields in stored])
        except TypeError:
            return None
        for use in uses:
            if len(use) != 5 or type(use[0]) is not str or type(use[2]) is not int or type(use[3]) is not int:
                return None  # a damaged file: read the entry again
        return uses

    def put(self, digest: str, uses: tuple[LinkUse, ...]) -> None:
        self.stored[digest] = [list(u) for u in uses]
        self.changed = True

    def save(self, keep: Iterable[str] | None = None) -> None:
        """Write the cache; with ``keep``, only those digests stay (the files of the repository now)."""
        if keep is not None:
            keep = set(keep)
            if keep != self.stored.keys():
                self.stored = {d: v for d, v in self.stored.items() if d in keep}
                self.changed = True
        if not self.changed:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps({"fingerprint": self.fingerprint, "files": self.stored, "stamps": self.stamps},
                              ensure_ascii=False,
                              separators=(",", ":"))
            write_atomically(self.file, data.encode("utf-8"), durable=False)
            self.changed = False
        except OSError:
            pass  # only slower next time


class LinkIndex:
    """Path -> FileLinks for every entry of a repository. Never changed in place once handed out:
    ``refresh`` returns a new index, so the UI thread may read the old one while a worker builds."""

    def __init__(self, files: dict[str, FileLinks] | None = None):
        self.files: dict[str, FileLinks] = dict(files or {})
        self.parsed = 0  # files whose links the last refresh read with markdown-it
        self.from_cache = 0  # files whose links came from the cache on disk

    def uses(self, path: str) -> tuple[LinkUse, ...]:
        record = self.files.get(path)
        return record.uses if record is not None else ()


def refresh(old: LinkIndex | None, root: Path, paths: list[str], cache: ExtractCache | None = None,
            only: Iterable[str] | None = None, texts: dict[str, str] | None = None,
            progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
            jobs: int | None = None) -> LinkIndex:
    """The index of ``paths`` now. Files whose size, time and inode are as ``old`` saw them are not
    read; with ``only``, no other file is even looked at (a save: the one file). ``texts`` gives
    the text of some paths as they are in the editor (unsaved), which is used instead of the file."""
    root = Path(root)
    base = str(root)
    old_files = old.files if old is not None else {}
    texts = texts or {}
    wanted = set(paths)
    looked_at = set(only) if only is not None else wanted
    files: dict[str, FileLinks] = {p: r for p, r in old_files.items() if p in wanted and p not in looked_at}
    index = LinkIndex()
    now = time.time()
    todo: list[tuple[str, str, bytes | None, tuple | None]] = []  # (path, digest, raw or None, stamp)
    for number, path in enumerate(p for p in paths if p in looked_at):
        if cancelled is not None and number % 500 == 0 and cancelled():
            raise LinkIndexCancelled()
        record = old_files.get(path)
        if path in texts:
            raw = texts[path].encode("utf-8", "surrogatepass")
            digest = "text:" + digest_of(raw)
            if record is not None and record.digest == digest:
                files[path] = record
            else:
                files[path] = FileLinks(digest, None, extract(Entry.from_text(path, texts[path])))
                index.parsed += 1
            continue
        try:
            stat = os.stat(os.path.join(base, path))
        except OSError:
            stat = None
        stamp = _stamp(stat, now) if stat is not None else None
        if record is not None and stamp is not None and record.stamp == stamp:
            files[path] = record
            continue
        known = cache.digest_for(path, stamp) if cache is not None and record is None else None
        hit = cache.get(known) if known is not None else None
        if hit is not None:  # a new window: as the last one left it, by size, time and inode
            files[path] = FileLinks(known, stamp, hit)
            index.from_cache += 1
            continue
        raw = None
        if link_outside(base, path) is None:  # never read through a link that leaves the repository
            try:
                with open(os.path.join(base, path), "rb") as file:
                    raw = file.read()
            except OSError:
                pass
        digest = digest_of(raw) if raw is not None else ""
        if record is not None and record.digest == digest and raw is not None:
            files[path] = FileLinks(digest, stamp, record.uses)
            continue
        hit = cache.get(digest) if cache is not None and raw is not None else None
        if hit is not None:
            files[path] = FileLinks(digest, stamp, hit)
            index.from_cache += 1
            continue
        todo.append((path, digest, raw, stamp))
    if progress is not None:
        progress(0, len(todo))
    for path, digest, uses, stamp in _parse_all(root, todo, progress, cancelled, jobs):
        files[path] = FileLinks(digest, stamp, uses)
        if cache is not None and digest:
            cache.put(digest, uses)
    index.parsed += len(todo)
    index.files = {p: files[p] for p in paths if p in files}
    if cache is not None:
        cache.keep_stamps(index.files if only is None else {p: index.files[p] for p in looked_at if p in index.files},
                          only is None)
        cache.save(keep={r.digest for r in index.files.values()} if only is None else None)
    return index


def _parse_all(root: Path, todo: list, progress, cancelled, jobs: int | None):
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs > 1 and len(todo) >= PARALLEL_THRESHOLD:
        done: set[str] = set()
        try:
            for item in _parse_parallel(root, todo, progress, cancelled, jobs):
                done.add(item[0])
                yield item
            return
        except (OSError, RuntimeError, BrokenProcessPool):  # no worker processes here: one thread, then
            todo = [item for item in todo if item[0] not in done]
    for number, (path, digest, raw, stamp) in enumerate(todo, 1):
        if cancelled is not None and number % 50 == 0 and cancelled():
            raise LinkIndexCancelled()
        yield path, digest, _uses_of(path, raw), stamp
        if progress is not None and number % 100 == 0:
            progress(number, len(todo))


def _uses_of(path: str, raw: bytes | None) -> tuple[LinkUse, ...]:
    """``extract(Entry.from_bytes(path, raw))``, without parsing the frontmatter's YAML (most of the
    time it would take) when the body's links and the ``sources`` can be read by plain scans."""
    if raw is None:
        return ()
    try:
        source = SourceText.from_bytes(raw)
    except DecodeFailure:
        return ()  # an unreadable entry has no links
    fm = fmlib.split(source.text)  # Entry.from_source does the same, then parses a closed block
    body = source.text[fm.body_offset:] if fm is not None else source.text
    sources = fast_sources(fm)
    scanned = scan(body) if sources is not None else None
    if scanned is not None:
        first = 1 if fm is None else fm.close_line + 1 if fm.closed else len(source.line_starts) + 1
        return _from_scan(body, first, sources, scanned)
    return extract(Entry(path, source, fmlib.parse(fm) if fm is not None and fm.closed else fm))


CHUNK = 100


def _chunk(items: list[tuple[str, bytes | None]]) -> list[tuple[LinkUse, ...]]:
    return [_uses_of(path, raw) for path, raw in items]


def _parse_parallel(root: Path, todo: list, progress, cancelled, jobs: int):
    """Many files (a first start): parsed in worker processes, started by a fork server (this
    process has threads of its own), a chunk at a time, so progress moves and a cancel stops soon."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    forkserver = "forkserver" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if forkserver else "spawn")
    if forkserver:  # a server started with the readers imported forks workers that start at once
        context.set_forkserver_preload(["editor.checks.link_index", "editor.checks.link_scan", "editor.content.links"])
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    done = 0
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    finished = False
    try:
        futures = {pool.submit(_chunk, [(path, raw) for path, _, raw, _ in chunk]): chunk for chunk in chunks}
        pending = set(futures)
        while pending:
            if cancelled is not None and cancelled():
                raise LinkIndexCancelled()
            ready, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in ready:
                chunk = futures[future]
                for (path, digest, _, stamp), uses in zip(chunk, future.result()):
                    yield path, digest, uses, stamp
                done += len(chunk)
                if progress is not None:
                    progress(done, len(todo))
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=not finished)


class LinkIndexCancelled(Exception):
    """Reading the links was stopped: a newer refresh replaces it."""
