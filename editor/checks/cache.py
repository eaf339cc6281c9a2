"""The check cache: each entry's findings, kept under the hash of its path and bytes, so a second
run checks only what changed.

Everything else that decides an entry's findings is folded into one fingerprint: the tool's
version and the bytes of its code, rules and schemas; the versions of the libraries whose
behaviour shapes findings (Markdown, YAML, schemas, word lists, word forms); the bytes of the
repository's content.yaml, modules.yaml, tone.yaml and dictionary.txt exactly as the check read
them (never read again: a file changed between the check and the fingerprint would store findings
under the wrong key); whether the language checks run; and today's date (a review falls due on a
date). Any change there starts the cache afresh, so a stale cache can never hide a finding. The
cache lives in the user's cache folder, never in the content repository. The file written whole is
Python's marshal format (``whole_file``: read in half the time of JSON, which a fresh re-check of
10,000 entries spent a tenth of its time on); the journal of runs since is JSON lines. A damaged,
foreign or other Python's file is ignored, never trusted.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import struct
from functools import lru_cache
from pathlib import Path

from editor.checks.rules import TONE_FILE
from editor.content import whole_file
from editor.checks.schema import IdRecord
from editor.checks.spelling import DICTIONARY_FILE
from editor.checks.tool_digest import tool_digest as _tool_digest
from editor.content.atomic import write_atomically
from editor.content.file_stamp import PACKED
from editor.content import schemas
from editor.content.config import CONTENT_FILE, MODULES_FILE
from editor.findings import Finding
from editor.resources import user_cache_dir

FORMAT = 3  # 2: the whole file in marshal, stamps kept as (stamp, key); 3: stamps packed


def entry_key(path: str, raw: bytes) -> str:
    """What an entry's own findings depend on: where it is and what it holds."""
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=20)
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()




# the distributions whose behaviour shapes findings: a new version may parse, validate, spell or
# inflect differently, so cached findings made with another one are not reused
LIBRARIES = ("markdown-it-py", "PyYAML", "jsonschema", "pyspellchecker", "lemminflect")
JOURNAL_SMALL = 200  # entries a journal may hold whatever the size of the cache
SETTINGS_FILES = (CONTENT_FILE, MODULES_FILE, TONE_FILE, DICTIONARY_FILE)


@lru_cache(maxsize=1)
def library_versions() -> tuple[str, ...]:
    import yaml

    from editor.dist_versions import version

    versions = [f"{name}={version(name) or '(none)'}" for name in LIBRARIES]
    versions.append(f"libyaml={bool(getattr(yaml, '__with_libyaml__', False))}")
    return tuple(versions)


def fingerprint(files: dict[str, bytes], today: _dt.date, language: bool) -> str:
    """The key of everything but the entry itself; ``files``: the settings files' bytes as the
    check read them (``CheckContext.files``); a file it did not read counts as not read."""
    digest = hashlib.blake2b(_tool_digest(schemas.schemas_dir()).encode(), digest_size=20)
    digest.update(f"{FORMAT}|{today.isoformat()}|{int(language)}".encode())
    digest.update("|".join(library_versions()).encode())
    for name in SETTINGS_FILES:
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update(files.get(name, b"\0(not read)"))
    return digest.hexdigest()


class CheckCache:
    """Findings and id of each entry, by ``entry_key``, valid under one fingerprint."""

    def __init__(self, root: Path, today: _dt.date, language: bool, folder: Path | None = None):
        self.today, self.language = today, language
        self.fingerprint: str | None = None  # set by ``bind``, once the check has read its settings
        name = hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self.file = (folder or user_cache_dir()) / "checks" / f"{name}.{whole_file.SUFFIX}"
        self._old: dict[str, list] = {}
        self._new: dict[str, list] = {}
        # path -> (stamp, entry key) when last read (``file_stamp.packed``: size, mtime_ns, inode,
        # ctime_ns in 32 bytes): a file whose stamp is unchanged is not read again to find its key
        self._stamps_old: dict[str, tuple[bytes, str]] = {}
        self._stamps_new: dict[str, tuple[bytes, str]] = {}

    def bind(self, files: dict[str, bytes], language: bool | None = None) -> None:
        """Key the cache by the settings bytes the check read (``CheckContext.files``) and whether
        the language checks run, and read what earlier runs stored under that key: the cache file,
        then the journal of the runs since it was last written whole."""
        self.language = self.language if language is None else language
        self.fingerprint = fingerprint(files, self.today, self.language)
        self._old, self._new, self._journalled = {}, {}, 0
        self._stamps_old, self._stamps_new = {}, {}
        data = whole_file.read(self.file)  # None: none yet, damaged or another Python's: check everything
        if type(data) is tuple and len(data) == 3 and data[0] == self.fingerprint:
            entries, stamps = data[1], data[2]
            self._old = entries if type(entries) is dict else {}
            self._stamps_old = stamps if type(stamps) is dict else {}
        try:
            lines = self.journal.read_bytes().split(b"\n")
        except OSError:
            return
        try:
            if json.loads(lines[0]) != {"fingerprint": self.fingerprint}:
                return  # a journal of other settings, or none: the file alone
        except ValueError:
            return
        for line in lines[1:]:
            try:
                item = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash, or damaged: that entry is checked again
            if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str):
                self._old[item[0]] = item[1]
            elif isinstance(item, list) and len(item) == 3 and item[0] == "stamp" and isinstance(item[1], str):
                record = item[2]
                try:
                    if isinstance(record, list) and len(record) == 5 and isinstance(record[4], str):
                        self._stamps_old[item[1]] = (PACKED.pack(*record[:4]), record[4])
                except (struct.error, TypeError):
                    pass
            else:
                continue
            self._journalled += 1

    def __len__(self) -> int:
        return len(self._old)

    def get(self, key: str) -> tuple[list[Finding], IdRecord | None] | None:
        stored = self._old.get(key)
        if stored is None:
            return None
        try:
            findings = [Finding(*fields) for fields in stored[0]] if stored[0] else []
            where = stored[1]
            record = IdRecord(where[0], where[1], tuple(where[2])) if where else None
        except (TypeError, IndexError, ValueError, KeyError):
            return None
        self._new[key] = stored
        return findings, record

    def keys_by_stamp(self, paths: list[str], stamps: list[bytes | None]) -> list[str | None]:
        """For each path and its stamp now, the key it had when last read if its stamp is the same
        and findings are kept under that key; None: read the file."""
        known, entries, kept = self._stamps_old, self._old, self._stamps_new
        out: list[str | None] = []
        add = out.append
        for path, stamp in zip(paths, stamps):
            record = known.get(path)
            if stamp is None or type(record) is not tuple or record[0] != stamp:  # (stamp, key): see bind
                add(None)
                continue
            key = record[1]
            if type(key) is str and key in entries:
                kept[path] = record
                add(key)
            else:
                add(None)
        return out

    def keep_stamp(self, path: str, stamp: bytes | None, key: str) -> None:
        """``path`` was read under ``stamp`` (None: too recently changed to be known by it) and held ``key``."""
        if stamp is not None:
            self._stamps_new[path] = (stamp, key)

    def put(self, key: str, findings: list[Finding], record: IdRecord | None) -> None:
        self._new[key] = [[[f.path, f.line, f.column, f.end_line, f.end_column, f.category, f.rule, f.severity,
                            f.message, f.suggestion] for f in findings],
                          [record.path, record.id, list(record.span)] if record else None]

    def save(self, prune: bool = True) -> None:
        """Keep what this run used or found; with ``prune`` (the run saw every entry), entries gone
        from the repository drop out. A run that found little that is new (one edit) adds it to the
        journal, a line each, rather than writing the whole file again: that took a fresh process a
        fifth of a second at 50,000 entries. The file is written whole (the journal folded in, entries
        gone dropped) when the journal has grown past a tenth of it. A cache that cannot be written is
        only slower next time."""
        if self.fingerprint is None:
            return
        added = {key: value for key, value in self._new.items() if key not in self._old}
        stamped = {path: value for path, value in self._stamps_new.items() if self._stamps_old.get(path) != value}
        if not prune:
            self._new = {**self._old, **self._new}
            self._stamps_new = {**self._stamps_old, **self._stamps_new}
        if not added and not stamped and (not prune or (self._new.keys() == self._old.keys() and
                                                        self._stamps_new.keys() == self._stamps_old.keys())):
            return
        if self._journalled + len(added) + len(stamped) <= max(JOURNAL_SMALL, len(self._old) // 10):
            if self._append(added, stamped):
                return
        stamps = {path: value for path, value in self._stamps_new.items() if value[1] in self._new}
        if whole_file.write(self.file, (self.fingerprint, self._new, stamps)):
            for stale in (self.journal, self.file.with_suffix(".json")):  # and the file of the JSON format before
                try:
                    stale.unlink(missing_ok=True)
                except OSError:
                    pass

    @property
    def journal(self) -> Path:
        return self.file.with_suffix(".journal")

    def _append(self, added: dict[str, list], stamped: dict[str, list]) -> bool:
        """Add ``added`` and the new stamps to the journal (begun with this fingerprint when it has
        another, or none). Nothing added (entries only gone): nothing written; the next whole write
        drops them."""
        if not added and not stamped:
            return True
        lines = [json.dumps([key, value], ensure_ascii=False, separators=(",", ":")) for key, value in added.items()]
        lines += [json.dumps(["stamp", path, [*PACKED.unpack(value[0]), value[1]]], ensure_ascii=False)
                  for path, value in stamped.items()]
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            if not self._journalled:  # none of ours yet: a journal of our own, from its first line
                lines.insert(0, json.dumps({"fingerprint": self.fingerprint}))
                write_atomically(self.journal, ("\n".join(lines) + "\n").encode("utf-8"), durable=False)
            else:
                with open(self.journal, "ab") as stream:  # one write: lines whole, or a last one cut short
                    stream.write(("\n".join(lines) + "\n").encode("utf-8"))
        except OSError:
            return False
        self._journalled += len(added) + len(stamped)
        return True
