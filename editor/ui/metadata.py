"""The metadata form: id, module, status, tags and sources of the open entry. Each change goes
through the lossless frontmatter writer, so only that field's lines change in the file. The form
never reads the entry itself: it shows the fields the session read on a worker (``EntryFacts``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from editor.content import STATUSES
from editor.lazy import lazy

if TYPE_CHECKING:
    from editor.content.config import Registry
    from editor.session.entry_facts import EntryFacts

facts_of = lazy("editor.session.entry_facts")


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
        self._facts: EntryFacts | None = None
        self.text_source = None  # the editor's text as it is now; a field edit builds on it
        self.submit = None  # the task runner's submit: a field edit of a very long frontmatter runs on it
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

    def load(self, facts: EntryFacts | None) -> None:
        """Show the fields read (on a worker) from the editor's text; None while they are being read."""
        self._facts = facts
        self._loading = True
        try:
            if facts is None:
                self.setEnabled(False)
                self.note.setText("Reading the entry\u2026")
                return
            self.setEnabled(facts.usable)
            self.note.setText(facts.note)
            fields = facts.fields
            if self.id_field.text() != fields.get("id", ""):
                self.id_field.setText(fields.get("id", ""))
            module = fields.get("module", "")
            index = self.module.findData(module)
            if index < 0 and module:
                self.module.addItem(f"{module} (not in modules.yaml)", module)
                index = self.module.count() - 1
            self.module.setCurrentIndex(index)
            status = fields.get("status", "")
            self.status.setCurrentIndex(STATUSES.index(status) if status in STATUSES else -1)
            tag_text = fields.get("tags", "")
            if self.tags.text() != tag_text and not self.tags.hasFocus():
                self.tags.setText(tag_text)
            source_text = fields.get("sources", "")
            if self.sources.toPlainText().strip() != source_text and not self.sources.hasFocus():
                self.sources.setPlainText(source_text)
        finally:
            self._loading = False

    def _sources_changed(self) -> None:
        if self._loading or not self.sources.hasFocus():
            return
        self._set("sources", [line.strip() for line in self.sources.toPlainText().splitlines() if line.strip()])

    def _set(self, key: str, value) -> None:
        """One field changed: the new text through the lossless writer, at once for a frontmatter of
        a usual size, on a worker (``submit``) for a very long one; an edit made from a text that was
        typed over meanwhile is dropped, never applied over the newer words."""
        if self._loading or value in (None, ""):
            return
        text = self.text_source() if self.text_source is not None else (self._facts.text if self._facts else "")
        long = self._facts is not None and self._facts.frontmatter_length > facts_of.SYNC_EDIT_LIMIT
        if long and self.submit is not None:
            self.note.setText(f"Changing {key}\u2026")
            self.submit("metadata-edit", facts_of.edit_field, "entry.md", text, key, value, pause_gc=True,
                        on_done=lambda result: self._edited(text, result),
                        on_error=lambda failure: self.note.setText(f"Cannot change {key}: {failure.message}"))
        else:
            self._edited(text, facts_of.edit_field("entry.md", text, key, value), at_once=True)

    def _edited(self, text: str, result: tuple[str | None, str], at_once: bool = False) -> None:
        updated, why = result
        if not at_once:
            if self.text_source is not None and self.text_source() != text:
                self.note.setText("The text changed while the field was being changed: change it again.")
                return
            self.note.setText(why)
        if updated is None:
            self.note.setText(why)
            return
        if updated != text:
            self.edited.emit(updated)
