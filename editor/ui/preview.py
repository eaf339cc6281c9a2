"""The live preview: the entry as the app shows it, in a phone at a chosen device width (or on
all of the panel), with the app's type scale, large text or dark if the reader has set them, updated
as you type.

Renders run on the task runner and are coalesced, never queued: while one is in flight, further
edits only mark the preview dirty, and one more render of the latest text follows. Nothing
remote is ever loaded and no local file read, and no script can run (QTextBrowser runs none, and
loadResource answers a blank for any URL)."""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from editor.lazy import lazy
from editor.render.style import PreviewLook, preview_css
from editor.ui.device_frame import DEFAULT_DEVICE, FIT, DeviceFrame

if TYPE_CHECKING:
    from editor.content.config import Registry

entries = lazy("editor.content.entry")
render = lazy("editor.render.html")

DEBOUNCE_MS = 40  # typing pauses this long before the preview renders
PREVIEW_LIMIT = 40_000  # characters of body shown (Qt lays out 100,000 in over 100 ms); app entries have a few thousand
_ANCHOR = re.compile(r'<a name="L(\d+)"></a>')
_HEADING = re.compile(r'<(/?)h([1-6])((?: class="([^"]*)")?)>')
_LONG_TEXT = re.compile(r">([^<]{80,})")  # a text between tags long enough to hold a long word
_WORD_PIECE = re.compile(r"[^\s&;<>\u200b]{60}")  # 60 characters of one word (never inside an entity)


def breakable(page: str) -> str:
    """The page with a zero-width space after every 60 characters of a word, in text only (never in
    a tag or an entity): Qt lays out one long word in time growing with the square of its length
    (4 s for 150,000 characters), words of 60 in a moment. Nothing shows of the spaces."""
    return _LONG_TEXT.sub(lambda m: ">" + _WORD_PIECE.sub(lambda w: w.group(0) + "\u200b", m.group(1)), page)


def _headings_as_paragraphs(body: str) -> str:
    """Qt's rich text sizes headings itself, whatever the stylesheet says; the app's heading sizes
    come through on paragraphs of class ``h1``...``h6`` (``<p class="h3 question">``)."""
    def swap(m: re.Match) -> str:
        if m.group(1):
            return "</p>"
        return f'<p class="h{m.group(2)}{" " + m.group(4) if m.group(4) else ""}">'
    return _HEADING.sub(swap, body)


def shown_part(body: str, limit: int) -> tuple[str, bool]:
    """The part of a body the preview shows: all of it, or, past ``limit`` characters, whole blocks up
    to the last blank line before it (QTextBrowser lays out a few megabytes of HTML for a minute, on the
    UI thread)."""
    if len(body) <= limit:
        return body, False
    cut = body.rfind("\n\n", 0, limit)
    if cut <= 0:
        cut = body.rfind("\n", 0, limit)
    return body[:cut if cut > 0 else limit], True


def render_for_preview(text: str, path: str, registry: Registry | None, app_name: str,
                       look: PreviewLook | bool = PreviewLook()) -> tuple[str, list[int]]:
    """Runs on a worker: the preview page for an entry's full text, and the lines it can scroll to.
    The page fills the screen it is shown on (the device frame gives it the phone's width)."""
    if not isinstance(look, PreviewLook):
        look = PreviewLook()
    entry = entries.Entry.from_text(path, text)
    shown, cut = shown_part(entry.body, PREVIEW_LIMIT)
    body = render.render_body(shown, render.RenderOptions(registry, app_name, entry.body_first_line, anchors=True))
    if cut:
        body += (f'<p class="preview-cut"><b>The preview shows the first {len(shown):,} of {len(entry.body):,} '
                 "characters of this very long entry.</b> The app shows all of it; the editor has all of it.</p>")
    lines = sorted(int(m.group(1)) for m in _ANCHOR.finditer(body))
    colours = look.colours
    page = (f"<html><head><style>{preview_css(look)}</style></head>"
            f'<body bgcolor="{colours["page"]}">'
            f'<table width="100%" cellpadding="0" cellspacing="0" bgcolor="{colours["bar"]}">'
            f'<tr><td class="app-bar" style="padding: 10px 16px;">{html.escape(app_name)}</td></tr></table>'
            f'<table width="100%" cellpadding="16" cellspacing="0" bgcolor="{colours["page"]}"><tr><td class="page">'
            f"{breakable(_headings_as_paragraphs(body))}</td></tr></table></body></html>")
    return page, lines


_BLANK_IMAGE = QImage(1, 1, QImage.Format.Format_ARGB32)
_BLANK_IMAGE.fill(0)


class PreviewBrowser(QTextBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.refused: list[str] = []  # every resource the page asked for, none of them loaded

    def loadResource(self, kind, url):  # noqa: N802 - Qt's name; nothing is ever fetched or read
        """A blank answer for every resource. It must not be *null*: for a null answer QTextDocument
        falls back to reading ``file:`` URLs itself."""
        self.refused.append(url.toString())
        if kind == QTextDocument.ResourceType.ImageResource:
            return _BLANK_IMAGE
        return QByteArray(b" ")


class PreviewPanel(QWidget):
    inAppLinkClicked = Signal(str)
    webLinkClicked = Signal(str)

    def __init__(self, submit: Callable, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Preview")
        self._submit = submit
        self.browser = PreviewBrowser()
        self.browser.setAccessibleName("Preview")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(0)
        self.frame = DeviceFrame(self.browser)
        self.browser.anchorClicked.connect(self._clicked)
        self.destination = QLabel()
        self.destination.setWordWrap(True)
        self.destination.setAccessibleName("Link destination")
        self.destination.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame, 1)
        layout.addWidget(self.destination)
        self.look = PreviewLook()
        self.registry: Registry | None = None
        self.app_name = "Malone"
        self._text = ""
        self._path = ""
        self._in_flight = False
        self._dirty = False
        self._lines: list[int] = []
        self._follow_line: int | None = None
        self.renders = 0  # how many renders ran, for tests and the benchmark
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS, timeout=self._start)

    def set_source(self, path: str, text: str, immediately: bool = False) -> None:
        self._path, self._text = path, text
        if immediately:
            self._debounce.stop()
            self._start()
        else:
            self._debounce.start()

    @property
    def device_width(self) -> int:
        """The screen width shown, in CSS px; ``FIT`` (0) when the page fills the panel."""
        return self.frame.device_width

    @property
    def phone(self) -> bool:
        return self.frame.framed()

    def set_device(self, width: int) -> None:
        self.frame.set_device(width)  # only the frame changes: the page reflows, nothing renders again

    def set_phone_width(self, phone: bool) -> None:
        self.set_device(DEFAULT_DEVICE if phone else FIT)

    def set_look(self, large: bool | None = None, dark: bool | None = None) -> None:
        """Large text and dark, as the reader may have set them in the app."""
        look = PreviewLook(self.look.large if large is None else large, self.look.dark if dark is None else dark)
        if look != self.look:
            self.look = look
            self.frame.set_look(look)
            self.set_source(self._path, self._text, immediately=True)

    def _start(self) -> None:
        if self._in_flight:
            self._dirty = True  # coalesce: one more render of the latest text when this one ends
            return
        self._in_flight = True
        self._dirty = False
        self._rendering = self._path
        self.renders += 1
        self._submit("preview", render_for_preview, self._text, self._path, self.registry, self.app_name, self.look,
                     on_done=self._show, on_error=self._failed, pause_gc=True)

    def _show(self, result: tuple[str, list[int]]) -> None:
        self._in_flight = False
        if self._dirty:
            self._start()
            return
        page, self._lines = result
        bar = self.browser.verticalScrollBar()
        another = getattr(self, "_shown", None) != self._rendering
        keep = 0 if another else bar.value()  # another entry opens at its question
        if another:
            self._shown, self._follow_line = self._rendering, None
            self.destination.hide()  # the last entry's link, no longer under the pointer
        self.browser.setHtml(page)
        if self._follow_line is not None:
            self.scroll_to_line(self._follow_line)
        else:
            bar.setValue(keep)

    def _failed(self, detail: str) -> None:
        self._in_flight = False
        self.browser.setPlainText(f"The preview could not be drawn: {detail}")
        if self._dirty:
            self._start()

    def scroll_to_line(self, line: int) -> None:
        """Show the block that holds source ``line`` (the nearest block starting at or before it)."""
        self._follow_line = line
        at = bisect.bisect_right(self._lines, line)  # the lines are in order: no look at each of them
        if at:
            self.browser.scrollToAnchor(f"L{self._lines[at - 1]}")

    def _clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("app:"):
            self.inAppLinkClicked.emit(target[4:])
        elif url.scheme() in ("http", "https", "mailto", "tel"):
            self.webLinkClicked.emit(target)

    def show_destination(self, text: str) -> None:
        self.destination.setText(text)
        self.destination.show()
