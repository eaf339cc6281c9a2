"""The open entry on disk: how it was read (line endings, BOM, hash) and saving it atomically."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QIODevice, QSaveFile

from editor.content.paths import UnsafePath, relative_inside
from editor.lazy import lazy

entries = lazy("editor.content.entry")


class SaveError(Exception):
    pass


@dataclass
class OpenDocument:
    root: Path
    path: str  # relative to root, with "/"
    newline: str
    bom: bool
    disk_sha256: str | None  # of the bytes last read or written; None for a file not yet on disk

    @property
    def file(self) -> Path:
        return self.root / self.path

    @classmethod
    def load(cls, root: Path, path: str) -> tuple["OpenDocument", str]:
        """The document and its text for the editor (LF line endings). Raises SaveError (with a
        message for the writer) when the file cannot be opened as text, or leads outside the repository."""
        try:
            path = relative_inside(root, path)
        except UnsafePath as exc:
            raise SaveError(f"Cannot open {path}: {exc}") from None
        try:
            raw = (root / path).read_bytes()
        except OSError as exc:
            raise SaveError(f"Cannot open {path}: {exc.strerror}") from None
        entry = entries.Entry.from_bytes(path, raw)
        if entry.problem is not None:
            raise SaveError(f"Cannot open {path}: {entry.problem.message}. It is left untouched.")
        text = entry.text
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(root, path, newline, entry.source.bom, hashlib.sha256(raw).hexdigest()), \
            text.replace("\r\n", "\n")

    def encode(self, editor_text: str) -> bytes:
        text = editor_text.replace("\r\n", "\n")
        if self.newline == "\r\n":
            text = text.replace("\n", "\r\n")
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")

    def changed_on_disk(self) -> bool:
        try:
            current = hashlib.sha256(self.file.read_bytes()).hexdigest()
        except OSError:
            current = None
        return current != self.disk_sha256

    def is_unchanged(self, editor_text: str) -> bool:
        """True when the editor holds exactly what is on disk (as last read or saved)."""
        return hashlib.sha256(self.encode(editor_text)).hexdigest() == self.disk_sha256

    def save(self, editor_text: str) -> None:
        """Atomic: QSaveFile writes a temporary file and renames it over the original on commit,
        so a failure leaves the original intact. A link inside the repository is kept (QSaveFile
        writes the file it points to); one leading outside is never written through."""
        try:
            relative_inside(self.root, self.path)
        except UnsafePath as exc:
            raise SaveError(f"Cannot save {self.path}: {exc}. The file on disk is unchanged and your text is "
                            "still here, unsaved.") from None
        data = self.encode(editor_text)
        target = QSaveFile(str(self.file))
        if not target.open(QIODevice.OpenModeFlag.WriteOnly):
            raise SaveError(f"Cannot save {self.path}: {target.errorString()}. The file on disk is unchanged and "
                            "your text is still here, unsaved.")
        written = target.write(data)
        if written != len(data):
            message = target.errorString()
            target.cancelWriting()
            target.commit()
            raise SaveError(f"Cannot save {self.path}: {message or 'the disk refused the write'}. "
                            "The file on disk is unchanged and your text is still here.")
        if not target.commit():
            raise SaveError(f"Cannot save {self.path}: {target.errorString()}. The file on disk is unchanged "
                            "and your text is still here.")
        self.disk_sha256 = hashlib.sha256(data).hexdigest()
