"""The open entry: its text as the editor holds it, the file as it was read, and saving it.

Qt-free. The text is the editor's (LF line breaks only); the file's own bytes, BOM and line breaks,
whatever their mix, are kept by the core's ``EditorText``, and the save goes through the one atomic
writer (``paths.atomic_write``), like every other write of an entry."""
from __future__ import annotations

import hashlib
from pathlib import Path

from editor.content.paths import UnsafePath, WriteError, atomic_write, relative_inside
from editor.content.source import DecodeFailure, EditorText


class DocumentError(Exception):
    """The entry cannot be opened or saved; the message is for the writer."""


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


class Document:
    def __init__(self, root: Path, path: str, codec: EditorText, disk_sha256: str | None):
        self.root = Path(root)
        self.path = path  # relative to root, with "/"
        self.codec = codec
        self.disk_sha256 = disk_sha256  # of the bytes last read or written
        self.saved_text = codec.text  # the editor's text of what is on disk
        self.text = codec.text  # the editor's text now

    @property
    def file(self) -> Path:
        return self.root / self.path

    @classmethod
    def load(cls, root: Path, path: str) -> "Document":
        """Raises DocumentError when the file cannot be opened as text, or leads outside the repository."""
        try:
            path = relative_inside(root, path)
        except UnsafePath as exc:
            raise DocumentError(f"Cannot open {path}: {exc}") from None
        try:
            raw = (Path(root) / path).read_bytes()
        except OSError as exc:
            raise DocumentError(f"Cannot open {path}: {exc.strerror or 'the file cannot be read'}") from None
        try:
            codec = EditorText.from_bytes(raw)
        except DecodeFailure as exc:
            raise DocumentError(f"Cannot open {path}: Cannot read this file: {exc.reason}. It is left untouched.") \
                from None
        return cls(root, path, codec, _sha256(raw))

    @classmethod
    def missing(cls, root: Path, path: str) -> "Document":
        """An entry whose file is not there (a restored draft of a deleted entry): saving creates it."""
        try:
            path = relative_inside(root, path)
        except UnsafePath as exc:
            raise DocumentError(f"Cannot open {path}: {exc}") from None
        return cls(root, path, EditorText(""), None)

    @property
    def modified(self) -> bool:
        return self.text != self.saved_text

    @property
    def deleted(self) -> bool:
        """The file this text was read from (or saved to) is no longer on disk."""
        return self.disk_sha256 is not None and not self.file.exists()

    def encode(self, text: str | None = None) -> bytes:
        return self.codec.encode(self.text if text is None else text)

    def disk_bytes(self) -> bytes | None:
        try:
            return self.file.read_bytes()
        except OSError:
            return None

    def changed_on_disk(self) -> bool:
        return _sha256(self.disk_bytes()) != self.disk_sha256

    def save(self, path: str | None = None) -> None:
        """Write the text atomically (to ``path`` instead, for Save As; the document is then that
        file's); a failure leaves the file as it was and the text unsaved. A file that was deleted,
        and its folder, are made again."""
        data = self.encode()
        text = self.text
        target = self.path if path is None else path
        try:
            target = relative_inside(self.root, target)
            (self.root / target).parent.mkdir(parents=True, exist_ok=True)
        except UnsafePath as exc:
            raise DocumentError(f"Cannot save {target}: {exc}") from None
        except OSError as exc:
            raise DocumentError(f"Cannot save {target}: its folder cannot be made "
                                f"({exc.strerror or 'the disk refused'}). Your text is still here, unsaved.") from None
        try:
            atomic_write(self.root, target, data)
        except WriteError as exc:
            raise DocumentError(f"{exc} Your text is still here, unsaved.") from None
        self.path = target
        self.codec = EditorText.from_bytes(data)
        self.disk_sha256 = _sha256(data)
        self.saved_text = text
