"""The metadata form: id, module, status, tags and sources of the open entry. Each change goes
through the lossless frontmatter writer, so only that field's lines change in the file."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from editor.content import STATUSES
from editor.lazy import lazy

if TYPE_CHECKING:
    from editor.content.config import Registry

entries = lazy("editor.content.entry")
frontmatter = lazy("editor.content.frontmatter")


class MetadataForm(QWidget):
    """Emits ``edited(new_text)`` with the whole file text after one field changed."""

    edited = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Metadata")
        self.id_field = QLineEdit()
        self.id_field.setAccessibleName("Id")
        self.module = QComboBox()
        self.module.setAccessibleName("Module")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.addItems(list(STATUSES))
        self.tags = QLineEdit(placeholderText="comma-separated")
        self.tags.setAccessibleName("Tags")
        self.sources = QPlainTextEdit()
        self.sources.setAccessibleName("Sources")
        self.sources.setPlaceholderText("one https:// address per line")
        self.sources.setFixedHeight(self.tags.sizeHint().height())  # one line; it grows while it has the focus
        self.sources.installEventFilter(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setVerticalSpacing(3)
        for column, (text, widget) in enumerate((("&Id", self.id_field), ("&Module", self.module),
                                                 ("S&tatus", self.status))):
            label = QLabel(text)
            label.setBuddy(widget)
            layout.addWidget(label, 0, column * 2)
            layout.addWidget(widget, 0, column * 2 + 1)
        for column, (text, widget, span) in enumerate((("T&ags", self.tags, 1), ("So&urces", self.sources, 3))):
            label = QLabel(text)
            label.setBuddy(widget)
            layout.addWidget(label, 1, column * 2)
            layout.addWidget(widget, 1, column * 2 + 1, 1, span)
        layout.addWidget(self.note, 2, 0, 1, 6)
        layout.setColumnStretch(1, 2)
        layout.setColumnStretch(3, 2)
        layout.setColumnStretch(5, 1)
        self._text = ""
        self.text_source = None  # the editor's text as it is now; a field edit builds on it
        self._loading = False
        self.id_field.editingFinished.connect(lambda: self._set("id", self.id_field.text().strip()))
        self.module.activated.connect(lambda _: self._set("module", self.module.currentData()))
        self.status.activated.connect(lambda _: self._set("status", self.status.currentText()))
        self.tags.editingFinished.connect(
            lambda: self._set("tags", [t.strip() for t in self.tags.text().split(",") if t.strip()]))
        self.sources.textChanged.connect(self._sources_changed)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        """Sources is one line tall until it has the focus, then three."""
        if watched is self.sources and event.type() in (event.Type.FocusIn, event.Type.FocusOut):
            line = self.tags.sizeHint().height()
            self.sources.setFixedHeight(line * 3 if event.type() == event.Type.FocusIn else line)
        return super().eventFilter(watched, event)

    def set_registry(self, registry: Registry | None) -> None:
        self.module.clear()
        for slug, module in (registry.modules.items() if registry else []):
            self.module.addItem(f"{module.title} ({slug})", slug)

    def clear(self) -> None:
        """No entry open: empty fields rather than values that belong to nothing."""
        self.module.setCurrentIndex(-1)
        self.status.setCurrentIndex(-1)
        self.id_field.clear()
        self.tags.clear()
        self.sources.clear()

    def load(self, text: str) -> None:
        """Show the fields of ``text`` (the editor's current file text)."""
        self._text = text
        self._loading = True
        try:
            entry = entries.Entry.from_text("entry.md", text)
            fm = entry.frontmatter
            usable = fm is None or (fm.closed and fm.error is None)
            self.setEnabled(usable)
            self.note.setText("" if usable else "Fix the frontmatter in the editor to use this form.")
            meta = entry.meta
            if self.id_field.text() != str(meta.get("id") or ""):
                self.id_field.setText(str(meta.get("id") or ""))
            module = meta.get("module")
            index = self.module.findData(module)
            if index < 0 and module:
                self.module.addItem(f"{module} (not in modules.yaml)", module)
                index = self.module.count() - 1
            self.module.setCurrentIndex(index)
            self.status.setCurrentIndex(STATUSES.index(meta["status"]) if meta.get("status") in STATUSES else -1)
            tags = meta.get("tags")
            tag_text = ", ".join(str(t) for t in tags) if isinstance(tags, list) else ""
            if self.tags.text() != tag_text and not self.tags.hasFocus():
                self.tags.setText(tag_text)
            sources = meta.get("sources")
            source_text = "\n".join(str(s) for s in sources) if isinstance(sources, list) else ""
            if self.sources.toPlainText().strip() != source_text and not self.sources.hasFocus():
                self.sources.setPlainText(source_text)
        finally:
            self._loading = False

    def _sources_changed(self) -> None:
        if self._loading or not self.sources.hasFocus():
            return
        self._set("sources", [line.strip() for line in self.sources.toPlainText().splitlines() if line.strip()])

    def _set(self, key: str, value) -> None:
        if self._loading or value in (None, ""):
            return
        if self.text_source is not None:
            self._text = self.text_source()
        entry = entries.Entry.from_text("entry.md", self._text)
        if entry.meta.get(key) == value:
            return
        try:
            updated = entry.with_field(key, value).text
        except frontmatter.FrontmatterEditError as exc:
            self.note.setText(f"Cannot change {key}: {exc}")
            return
        self._text = updated
        self.edited.emit(updated)
