"""Renaming, duplicating and deleting an entry file: plain functions the session runs on its serial
worker (a rename in a git repository is a git write).

Qt-free, and safe for the writer's work: nothing is ever overwritten (a name already taken is
refused), every write is atomic, a rename in a git repository is ``git mv`` (history follows the
file), and a deleted entry is first copied to a backup folder, byte for byte and read back, before
it goes to the system trash or, when there is none, is removed."""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from editor.content.atomic import write_atomically
from editor.content.paths import UnsafePath, relative_inside

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class EntryOpError(Exception):
    """The operation cannot be done; the message is for the writer, and nothing was changed
    unless it says so."""


@dataclass(frozen=True)
class Renamed:
    old: str
    new: str
    old_id: str | None
    new_id: str | None
    text: str  # the entry's text now
    with_git: bool


@dataclass(frozen=True)
class Duplicated:
    source: str
    path: str
    entry_id: str
    text: str


@dataclass(frozen=True)
class Deleted:
    path: str
    backup: Path  # the copy kept in the editor's data folder
    trash: str | None  # where the system trash put the file (None: there was no trash)


# ------------------------------------------------------------------ names and ids


def file_name_for(name: str) -> str:
    """A file name as the writer typed it: trimmed, with ``.md`` added when missing."""
    name = name.strip()
    return name if name.lower().endswith(".md") else name + ".md"


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an entry's file name, or None."""
    name = file_name_for(name)
    stem = name[:-3]
    if not stem:
        return "Give the file a name."
    if "/" in name or "\\" in name or stem in (".", ".."):
        return "A file name cannot contain / or \\; the entry stays in its folder."
    if stem.startswith("."):
        return "A file name cannot start with a dot (such files are hidden)."
    if len(name.encode("utf-8")) > 200:
        return "That file name is too long."
    return None


def id_problem(entry_id: str, used: dict[str, tuple[str, ...]] | set[str], own_path: str | None = None) -> str | None:
    """Why ``entry_id`` cannot be an entry's id (the format's slug, unique in the library), or None."""
    if not SLUG.match(entry_id):
        return "An id is lowercase letters, digits and single hyphens, such as rest-when-baby-naps."
    holders = used.get(entry_id, ()) if isinstance(used, dict) else ((entry_id,) if entry_id in used else ())
    if isinstance(used, dict):
        holders = tuple(path for path in holders if path != own_path)
    if holders:
        where = f" by {holders[0]}" if isinstance(used, dict) else ""
        return f"The id '{entry_id}' is already used{where}."
    return None


def fresh_id(entry_id: str, used: set[str] | dict, taken: Callable[[str], bool] = lambda _: False) -> str:
    """``ID-copy``, then ``ID-copy-2``, ``ID-copy-3``...: the first not used by an entry (nor
    ``taken`` by a file)."""
    base = re.sub(r"-copy(?:-\d+)?$", "", entry_id) + "-copy"
    candidate, number = base, 1
    while candidate in used or taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _inside(root: Path, relative: str) -> str:
    try:
        return relative_inside(root, relative)
    except UnsafePath as exc:
        raise EntryOpError(f"Cannot use {relative}: {exc}") from None


def _read(root: Path, relative: str) -> bytes:
    try:
        return (root / relative).read_bytes()
    except OSError as exc:
        raise EntryOpError(f"Cannot read {relative}: {exc.strerror or exc}. Nothing was changed.") from None


def _edited(relative: str, raw: bytes, fields: dict, remove: tuple[str, ...] = ()) -> bytes:
    """The file's bytes with frontmatter fields set (and removed); every other byte kept as it is."""
    from editor.content.entry import Entry
    from editor.content.frontmatter import FrontmatterEditError

    entry = Entry.from_bytes(relative, raw)
    if not entry.readable:
        raise EntryOpError(f"{relative} cannot be read as text, so its frontmatter cannot be changed. "
                           "Nothing was changed.")
    try:
        for key, value in fields.items():
            entry = entry.with_field(key, value)
        for key in remove:
            entry = entry.without_field(key)
    except FrontmatterEditError as exc:
        raise EntryOpError(f"The frontmatter of {relative} cannot be changed safely: {exc}. Nothing was "
                           "changed.") from None
    return entry.to_bytes()


def _place_new(target: Path, data: bytes) -> None:
    """Write a new file all at once, never over one that exists (even one made a moment ago): the
    data goes to a temporary file, which is then linked to the name (a link fails when the name is
    taken) or, where links are not supported, renamed after a last look."""
    temp = target.with_name(f".{target.name}.~malone-{os.getpid()}-new.tmp")
    write_atomically(temp, data)
    try:
        try:
            os.link(temp, target)
        except FileExistsError:
            raise EntryOpError(f"{target.name} already exists; it is left as it is.") from None
        except OSError:  # no hard links on this file system
            if target.exists() or target.is_symlink():
                raise EntryOpError(f"{target.name} already exists; it is left as it is.") from None
            os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def _move(source: Path, target: Path) -> None:
    """Rename a file without ever replacing another (same folder, so the rename itself is atomic)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise EntryOpError(f"{target.name} already exists; nothing was renamed.") from None
    except OSError:
        if target.exists() or target.is_symlink():
            raise EntryOpError(f"{target.name} already exists; nothing was renamed.") from None
        os.rename(source, target)
        return
    os.unlink(source)


# ------------------------------------------------------------------ git


def _tracked(root: Path, relative: str) -> bool:
    """Whether ``relative`` is a file git tracks in a repository whose top is ``root``."""
    if not (root / ".git").exists():
        return False
    from editor.vcs.process import VcsError, run

    try:
        top = run(root, "rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
            return False
        return run(root, "ls-files", "--error-unmatch", "--", relative, check=False).returncode == 0
    except VcsError:
        return False


# ------------------------------------------------------------------ the operations


def rename_entry(root: Path, relative: str, new_name: str, new_id: str | None = None) -> Renamed:
    """Give the entry at ``relative`` the file name ``new_name`` (in the same folder) and/or the id
    ``new_id``. The file moves with ``git mv`` when git tracks it, otherwise by an atomic rename;
    the id is changed in the frontmatter alone, by an atomic write. A name that is taken is refused."""
    from editor.content.entry import Entry

    root = Path(root)
    relative = _inside(root, relative)
    problem = name_problem(new_name)
    if problem:
        raise EntryOpError(problem)
    target = _inside(root, str(PurePosixPath(relative).parent / file_name_for(new_name)))
    raw = _read(root, relative)
    entry = Entry.from_bytes(relative, raw)
    old_id = entry.id if entry.readable else None
    new_id = new_id or None
    if new_id is not None and not SLUG.match(new_id):
        raise EntryOpError(id_problem(new_id, set()) or "That id is not valid.")
    changes_id = new_id is not None and new_id != old_id
    data = _edited(relative, raw, {"id": new_id}) if changes_id else raw
    moves = target != relative
    if moves and ((root / target).exists() or (root / target).is_symlink()):
        raise EntryOpError(f"{target} already exists; nothing was renamed.")
    with_git = False
    if moves:
        if _tracked(root, relative):
            from editor.vcs.process import VcsError, run

            try:
                run(root, "mv", "--", relative, target)  # git mv refuses a taken name (no -f)
            except VcsError as exc:
                raise EntryOpError(f"git could not rename {relative}: {exc}. Nothing was renamed.") from None
            with_git = True
        else:
            try:
                _move(root / relative, root / target)
            except OSError as exc:
                raise EntryOpError(f"Cannot rename {relative}: {exc.strerror or exc}. Nothing was renamed.") from None
    if moves:
        _move_comments(root, relative, target, with_git)
    if changes_id:
        try:
            write_atomically(root / target, data)
        except OSError as exc:
            done = f"It was renamed to {target}, but its" if moves else "Its"
            raise EntryOpError(f"{done} id could not be changed ({exc.strerror or exc}); the file is as it "
                               "was.") from None
    text = Entry.from_bytes(target, data).text if Entry.from_bytes(target, data).readable else ""
    return Renamed(relative, target, old_id, new_id if changes_id else old_id, text, with_git)


def _move_comments(root: Path, relative: str, target: str, with_git: bool) -> None:
    """The entry's comment threads (a folder beside it) move with it; where they cannot, they stay
    where they were, and nothing of the entry's rename is undone."""
    from editor.content.comments import folder_for

    source, destination = folder_for(relative), folder_for(target)
    if not (root / source).is_dir():
        return
    if (root / destination).exists():  # left by an entry gone outside the editor: each file joins it
        for file in sorted((root / source).iterdir()):
            if not (root / destination / file.name).exists():
                _move_one(root, f"{source}/{file.name}", f"{destination}/{file.name}", with_git)
        try:
            (root / source).rmdir()
        except OSError:
            pass
        return
    _move_one(root, source, destination, with_git, tracked=f"{source}/")


def _move_one(root: Path, source: str, destination: str, with_git: bool, tracked: str | None = None) -> None:
    """With ``git mv`` when git tracks ``tracked`` (default: ``source``), else by a rename; a move
    that fails leaves things where they were."""
    if with_git and _tracked(root, tracked or source):
        from editor.vcs.process import VcsError, run

        try:
            run(root, "mv", "--", source, destination)
            return
        except VcsError:
            pass
    try:
        os.rename(root / source, root / destination)
    except OSError:
        pass


def duplicate_entry(root: Path, relative: str, new_id: str) -> Duplicated:
    """A copy of the entry beside it, as ``NEW_ID.md``: the id ``new_id``, status draft, and no
    review block (an approval is of the entry approved, never of its copy). Never over a file."""
    root = Path(root)
    relative = _inside(root, relative)
    if not SLUG.match(new_id):
        raise EntryOpError(id_problem(new_id, set()) or "That id is not valid.")
    target = _inside(root, str(PurePosixPath(relative).parent / f"{new_id}.md"))
    raw = _read(root, relative)
    data = _edited(relative, raw, {"id": new_id, "status": "draft"}, remove=("review",))
    try:
        _place_new(root / target, data)
    except OSError as exc:
        raise EntryOpError(f"Cannot write {target}: {exc.strerror or exc}. Nothing was written.") from None
    from editor.content.entry import Entry

    return Duplicated(relative, target, new_id, Entry.from_bytes(target, data).text)


def default_trash(path: Path) -> str | None:
    """The system trash, through Qt's QFile.moveToTrash: where the file went, or None when there is
    no trash here (the file is then where it was)."""
    from PySide6.QtCore import QFile

    file = QFile(str(path))
    if not file.moveToTrash():
        return None
    return file.fileName() or "the trash"  # after the move, the file's name is its path in the trash


def _set_comments_aside(root: Path, relative: str, folder: Path) -> None:
    """A deleted entry's comment threads go to its backup, beside the copy of the entry."""
    import shutil

    from editor.content.comments import folder_for

    comments = root / folder_for(relative)
    if comments.is_dir():
        try:
            shutil.copytree(comments, folder / folder_for(relative), dirs_exist_ok=True)
            shutil.rmtree(comments)
        except OSError:
            pass  # they stay beside where the entry was; nothing reads them there


def delete_entry(root: Path, relative: str, backups: Path,
                 trash: Callable[[Path], str | None] | None = default_trash,
                 now: dt.datetime | None = None) -> Deleted:
    """Delete the entry file at ``relative``: first a copy goes to ``backups`` (a folder per
    library and time, keeping the entry's path), written atomically and read back to be sure it
    holds the same bytes; then the file goes to the system trash (``trash``), or, when that does
    not work, is removed: the backup keeps it."""
    root = Path(root)
    relative = _inside(root, relative)
    raw = _read(root, relative)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    folder = Path(backups) / f"{root.name}-{stamp}"
    backup = folder / relative
    try:
        backup.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(backup, raw)
        if backup.read_bytes() != raw:
            raise OSError(0, "the copy read back differs")
    except OSError as exc:
        raise EntryOpError(f"Cannot keep a backup of {relative} in {folder} ({exc.strerror or exc}), so it "
                           "was not deleted.") from None
    where = None
    if trash is not None:
        try:
            where = trash(root / relative)
        except Exception:  # no trash: the backup keeps the file
            where = None
    _set_comments_aside(root, relative, folder)
    if (root / relative).exists():
        where = None
        try:
            os.unlink(root / relative)
        except OSError as exc:
            raise EntryOpError(f"Cannot delete {relative}: {exc.strerror or exc}. It is still there (and a "
                               f"copy is in {backup}).") from None
    return Deleted(relative, backup, where)
