"""What the subcommands share: exit statuses, the usage error, finding the repository a command
is about, writing output (a reader that stops early keeps the status), and the web-link options."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the core loads when a command runs, not when the parser is built
    from editor.content.repository import Repository

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2
EXIT_PIPE_CLOSED = 141  # as a shell reports a process ended by SIGPIPE: 128 + 13


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit status 2."""


class PipeClosed(Exception):
    """The reader closed standard output (``| head``) after the command knew its exit status."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


# ---- the repository a command is about ----------------------------------------------------------

def open_repository(targets: list[str | None], select: bool = False) -> tuple[Repository, list[str] | None]:
    """The repository named by ``[REPO] [PATH ...]`` (``None`` items are left out; without REPO, the
    repository containing the first PATH or else the current folder), and, when ``select``, the
    repository-relative entries the PATHs name (``None``: no PATH, so every entry)."""
    from editor.content.repository import NotARepository, Repository

    root, items = resolve_targets([t for t in targets if t is not None])
    try:
        repo = Repository.open(root)
    except NotARepository as exc:
        raise UsageError(str(exc)) from None
    return repo, (select_entries(repo.root, repo.paths, items) if select and items else None)


def resolve_targets(targets: list[str]) -> tuple[Path, list[str] | None]:
    """Split ``[REPO] [PATH ...]`` into the repository root and the PATHs as given (``None``: none)."""
    from editor.content.repository import find_root, is_repository

    items = list(targets)
    if items and is_repository(Path(items[0])):
        root = Path(items.pop(0)).resolve()
    else:
        start = Path(items[0]) if items else Path.cwd()
        if not start.exists():
            raise UsageError(f"{start}: no such file or folder")
        found = find_root(start)
        if found is None:
            where = "the current folder" if not items else str(start)
            raise UsageError(f"{where} is not inside a content repository (no content.yaml or modules.yaml found)")
        root = found
    return root, (items or None)


def select_entries(root: Path, all_paths: list[str], items: list[str]) -> list[str]:
    """The entries (repository-relative) that the files or folders ``items`` name, in order, once each.
    Linear in the entries and the items: a file is a set lookup, and the library's folders are
    grouped once, so naming a folder costs what it holds."""
    known = set(all_paths)
    under: dict[str, list[str]] | None = None  # folder -> the entries below it, made when a folder is named
    chosen: dict[str, None] = {}
    for item in items:
        path = Path(item)
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if not absolute.exists():
            absolute = (root / item).resolve()
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{item} is outside the content repository {root}") from None
        if relative in known:
            matches = [relative]
        elif relative in ("", "."):
            matches = all_paths
        else:
            if under is None:
                under = _by_folder(all_paths)
            matches = under.get(relative, [])
        if not matches:
            raise UsageError(f"{item}: no entry there (entries are Markdown files under entries/)")
        chosen.update(dict.fromkeys(matches))
    return list(chosen)


def _by_folder(paths: list[str]) -> dict[str, list[str]]:
    """Each folder that holds entries -> the entries anywhere below it, in the library's order."""
    found: dict[str, list[str]] = {}
    for path in paths:
        folder = path
        while "/" in folder:
            folder = folder.rpartition("/")[0]
            found.setdefault(folder, []).append(path)
    return found


SETTINGS_FILES = ("content.yaml", "modules.yaml", "tone.yaml", "dictionary.txt")  # what every entry's check reads


def open_changed(targets: list[str]) -> tuple[Repository, list[str] | None]:
    """The repository and the entries that changed files touch (a git hook's file names): an entry
    itself, or a file in its comment folder (``NAME.comments/``); ``None`` (every entry) when a
    settings file changed; ``[]`` when none of them is an entry's. A deleted file is left out."""
    from editor.content import ENTRIES_DIR
    from editor.content.comments import FOLDER_SUFFIX
    from editor.content.repository import find_root, is_repository

    if not targets:
        raise UsageError("--changed needs the changed files (a git hook passes them)")
    items = list(targets)
    if is_repository(Path(items[0])):
        root: Path | None = Path(items.pop(0)).resolve()
    else:  # the repository that holds the first file still there (the others may have been deleted)
        root = find_root(next((Path(item) for item in items if Path(item).exists()), Path.cwd()))
        if root is None:
            raise UsageError("the changed files are not inside a content repository (no content.yaml or modules.yaml found)")
    repo, _ = open_repository([str(root)])
    wanted: dict[str, None] = {}
    known = set(repo.paths)
    for item in items:
        path = Path(item)
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        try:
            relative = absolute.relative_to(repo.root).as_posix()
        except ValueError:
            continue  # outside the content repository (a git repository may hold more than content)
        if relative in SETTINGS_FILES:
            return repo, None
        parts = relative.split("/")
        if parts[0] != ENTRIES_DIR:
            continue
        owner = next((i for i, part in enumerate(parts) if part.endswith(FOLDER_SUFFIX)), None)
        if owner is not None:
            relative = "/".join(parts[:owner] + [parts[owner][:-len(FOLDER_SUFFIX)] + ".md"])
        if relative in known:
            wanted[relative] = None
    return repo, list(wanted)


# ---- output -------------------------------------------------------------------------------------

@contextmanager
def output(status: int) -> Iterator[None]:
    """Write a command's output inside this, once its exit status is known: when the reader
    closes the pipe early (``malone-editor check | head -1``), the command still exits ``status``."""
    try:
        yield
    except BrokenPipeError:
        raise PipeClosed(status) from None


def write_json(data, ensure_ascii: bool = False) -> None:
    json.dump(data, sys.stdout, ensure_ascii=ensure_ascii, indent=1)
    sys.stdout.write("\n")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def silence_stdout() -> None:
    """Point standard output at the null device, so that writing or flushing what is left after the
    reader went away raises nothing (and Python prints no 'Exception ignored' at exit)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (as under a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def progress_bar():
    """A progress line on a terminal; nothing at all when stderr is not one."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\rChecking links [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


# ---- web links ----------------------------------------------------------------------------------

def add_online_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--online", action="store_true", help="also fetch every web link (default: offline)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="how long to wait for each web server (default 5)")
    parser.add_argument("--cache-ttl", type=float, default=24.0, metavar="HOURS",
                        help="reuse healthy answers this long (default 24)")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every entry and fetch every link, ignoring the caches")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="where the check and link caches live (default ~/.cache/malone-editor)")


def link_checker(args: argparse.Namespace):
    """The link checker the web-link options ask for (with its on-disk cache unless --no-cache)."""
    from editor.web.cache import LinkCache
    from editor.web.checker import LinkChecker
    from editor.web.fetch import Options

    cache = None if args.no_cache else LinkCache(args.cache_dir, args.cache_ttl * 3600)
    return LinkChecker(Options(timeout=args.timeout), cache)
