"""The documents the client has open: their text as the client holds it, their version, and the
entry each one is (its repository and its path there), or that it is none.

The text is kept here rather than in pygls's workspace, whose lines break also at form feeds,
U+2028 and other characters the protocol does not count as line breaks. A ``Document`` is
replaced whole on each change, so a reader on another thread always has one version entire."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from editor.lsp.positions import apply_change


@dataclass(frozen=True)
class Document:
    uri: str
    version: int | None
    text: str
    root: Path | None = None  # the content repository around it
    path: str | None = None  # its entry path in that repository; None when it is not an entry

    @property
    def is_entry(self) -> bool:
        return self.root is not None and self.path is not None


def locate(uri: str) -> tuple[Path | None, str | None]:
    """The content repository around a ``file:`` URI and the document's entry path there."""
    from pygls.uris import to_fs_path

    from editor.content.repository import find_root
    from editor.lsp.library import entry_path

    if not uri.startswith("file:"):
        return None, None
    try:
        file = Path(to_fs_path(uri) or "")
        if not file.is_absolute():
            return None, None
        root = find_root(file)
    except (OSError, ValueError):
        return None, None
    if root is None:
        return None, None
    return root, entry_path(root, file)


class Documents:
    def __init__(self):
        self._lock = threading.Lock()
        self._open: dict[str, Document] = {}

    def open(self, uri: str, version: int | None, text: str) -> Document:
        root, path = locate(uri)
        document = Document(uri, version, text, root, path)
        with self._lock:
            self._open[uri] = document
        return document

    def change(self, uri: str, version: int | None, changes, encoding: str) -> Document | None:
        """Apply ``changes`` (each ``(start, end, text)``, positions None for the whole text)."""
        with self._lock:
            document = self._open.get(uri)
        if document is None:
            return None
        text = document.text
        for start, end, new in changes:
            text = apply_change(text, encoding, start, end, new)
        document = Document(uri, version, text, document.root, document.path)
        with self._lock:
            self._open[uri] = document
        return document

    def close(self, uri: str) -> Document | None:
        with self._lock:
            return self._open.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        with self._lock:
            return self._open.get(uri)

    def in_repository(self, root: Path) -> list[Document]:
        with self._lock:
            return [d for d in self._open.values() if d.is_entry and d.root == root]
