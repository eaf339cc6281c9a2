"""Crash recovery: unsaved editor text kept in a folder of its own until it is saved or dropped.

One JSON file per (repository, entry): the text, and a hash of the file as it was on disk when
editing began, so a restore can tell whether the file changed since.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from editor.content.atomic import write_atomically


@dataclass
class Draft:
    repository: str
    path: str
    text: str
    base_sha256: str | None
    saved_at: float
    file: Path


def _key(repository: Path, path: str) -> str:
    return hashlib.sha256(f"{Path(repository).resolve()}\n{path}".encode()).hexdigest()[:32]


class RecoveryStore:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def save(self, repository: Path, path: str, text: str, base_sha256: str | None) -> Path:
        """Write atomically: a crash while writing leaves the previous draft intact."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{_key(repository, path)}.json"
        data = {"repository": str(Path(repository).resolve()), "path": path, "text": text,
                "base_sha256": base_sha256, "saved_at": time.time()}
        write_atomically(target, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        return target

    def discard(self, repository: Path, path: str) -> None:
        (self.folder / f"{_key(repository, path)}.json").unlink(missing_ok=True)

    def drafts(self, repository: Path) -> list[Draft]:
        """Drafts for ``repository``, oldest first; unreadable draft files are skipped."""
        wanted = str(Path(repository).resolve())
        found = []
        if not self.folder.is_dir():
            return found
        for file in sorted(self.folder.glob("*.json")):
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
                if data.get("repository") == wanted:
                    found.append(Draft(data["repository"], data["path"], data["text"], data.get("base_sha256"),
                                       float(data.get("saved_at", 0)), file))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(found, key=lambda d: d.saved_at)
