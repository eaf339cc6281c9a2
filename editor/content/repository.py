"""A content repository on disk: configuration, entries and the indexes over them."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from editor.content import CONTENT_FILE, ENTRIES_DIR, MODULES_FILE
from editor.content.paths import link_outside

if TYPE_CHECKING:  # YAML and Markdown load with the first repository opened, not at start-up
    from editor.content.config import Config
    from editor.content.entry import Entry


class NotARepository(Exception):
    """The folder is not a content repository (no content.yaml, modules.yaml or entries/)."""


def is_repository(path: Path) -> bool:
    return path.is_dir() and any((path / name).exists() for name in (CONTENT_FILE, MODULES_FILE, ENTRIES_DIR))


def find_root(start: Path) -> Path | None:
    """The content repository containing ``start`` (a folder or file), searching upwards like git."""
    current = start.resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    for candidate in (current, *current.parents):
        if (candidate / CONTENT_FILE).is_file() or (candidate / MODULES_FILE).is_file():
            return candidate
    return None


def list_entry_paths(root: Path) -> list[str]:
    """Every ``entries/**/*.md`` path, relative with '/', sorted; hidden folders are skipped.

    Symbolic links: a linked folder is not walked into (what it holds inside the repository is listed
    where it really is); one that leads outside the repository is listed itself, so that loading it
    reports ``symlink-outside``. A linked file is listed like any file; loading one that leads outside
    reports ``symlink-outside`` and reads nothing."""
    return walk_entries(root)[0]


@dataclass(frozen=True)
class FolderListing:
    """What the walk of ``entries/`` saw of comment folders (``comments.comment_folders``): the
    folders named ``*.comments`` in every folder it walked, and the folders it did not walk into
    (hidden ones, comment folders, folders named like an entry), where a walk of every folder would
    find more. Relative paths with '/'."""

    comment_folders: tuple[str, ...]
    not_walked: tuple[str, ...]


def walk_entries(root: Path) -> tuple[list[str], FolderListing]:
    """``list_entry_paths`` and, from the same walk, its ``FolderListing``."""
    base = root / ENTRIES_DIR
    found: list[str] = []
    comment_folders: list[str] = []
    not_walked: list[str] = []
    for folder, dirs, files in os.walk(base):
        rel_folder = Path(folder).relative_to(root).as_posix()
        found.extend(f"{rel_folder}/{name}" for name in files if name.endswith(".md") and not name.startswith("."))
        # a folder named like an entry is reported as unreadable rather than silently skipped
        found.extend(f"{rel_folder}/{name}" for name in dirs if name.endswith(".md"))
        found.extend(f"{rel_folder}/{name}" for name in dirs if not name.startswith(".")
                     and not name.endswith((".md", ".comments"))
                     and os.path.islink(os.path.join(folder, name)) and link_outside(root, f"{rel_folder}/{name}"))
        comment_folders.extend(f"{rel_folder}/{name}" for name in dirs if name.endswith(".comments"))
        # an entry's comment threads (NAME.comments, beside NAME.md) are not entries, whatever they hold
        walked = sorted(d for d in dirs if not d.startswith(".") and not d.endswith((".md", ".comments")))
        if len(walked) != len(dirs):
            kept = set(walked)
            not_walked.extend(f"{rel_folder}/{name}" for name in dirs if name not in kept)
        dirs[:] = walked
    return sorted(found), FolderListing(tuple(comment_folders), tuple(not_walked))


@dataclass
class Repository:
    root: Path
    config: Config
    paths: list[str]
    _entries: dict[str, Entry] = field(default_factory=dict, repr=False)
    # what the walk that listed ``paths`` saw of comment folders: for a check that runs at once
    # (the command line's), never for one that runs later (the editor's)
    listing: FolderListing | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, root: Path | str) -> "Repository":
        root = Path(root)
        if not is_repository(root):
            raise NotARepository(f"{root} is not a content repository: it has no {CONTENT_FILE}, "
                                 f"{MODULES_FILE} or {ENTRIES_DIR}/ folder")
        from editor.content.config import load_config

        paths, listing = walk_entries(root)
        return cls(root.resolve(), load_config(root), paths, listing=listing)

    @property
    def settings(self):
        return self.config.settings

    @property
    def registry(self):
        return self.config.registry

    def entry(self, relative: str) -> Entry:
        if relative not in self._entries:
            from editor.content.entry import Entry

            self._entries[relative] = Entry.load(self.root, relative)
        return self._entries[relative]

    def entries(self) -> list[Entry]:
        return [self.entry(path) for path in self.paths]
