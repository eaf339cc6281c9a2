"""An HTML document printed to a PDF file with Qt's own printing (QtGui only: no widget, so the
command line uses it too, and a worker thread may, each call with a QTextDocument of its own).

A4 pages with 18 mm margins; the document is laid out once at 96 dots an inch (its px and pt sizes
mean what they mean on screen), cut into pages there (``page-break-before`` honoured), and each
page is drawn scaled onto the PDF's 300-dpi page, with a footer: the title on the left, "Page N of
M" on the right. ``<!--page:NAME-->`` in the HTML becomes the page on which the anchor ``NAME``
stands (a contents list). The file is written all at once or not at all."""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from editor.content.atomic import write_atomically

LAYOUT_DPI = 96
PDF_DPI = 300
MARGINS_MM = QMarginsF(18, 16, 18, 14)  # left, top, right, bottom
FOOTER_MM = 9  # of the bottom of the printable area kept for the footer
_PAGE_MARK = re.compile(r"<!--page:([\w-]+)-->")


class PdfError(Exception):
    """The PDF could not be written; the message says why in plain words."""


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int  # bytes


def _anchor_pages(doc: QTextDocument, page_height: float) -> dict[str, int]:
    """Anchor name -> 1-based page, for anchors in the document's top-level blocks."""
    found: dict[str, int] = {}
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                for name in fragment.charFormat().anchorNames():
                    top = layout.blockBoundingRect(block).top() + 0.5  # a page's top is a multiple of its height
                    found.setdefault(name, int(top // page_height) + 1)
            it += 1
        block = block.next()
    return found


class _Sealed(QTextDocument):
    """Loads nothing: no image, no style sheet, no file the HTML might name (the pack names none)."""

    def loadResource(self, kind, url):  # noqa: N802 - Qt's name
        return None


def _document(html: str, size: QSizeF, device: QImage) -> QTextDocument:
    doc = _Sealed()
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setPageSize(size)
    doc.setHtml(html)
    return doc


def render_pdf(html: str, title: str = "") -> tuple[bytes, int]:
    """The PDF's bytes and its number of pages."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     MARGINS_MM, QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("Malone Editor")
    scale = writer.resolution() / LAYOUT_DPI
    footer = FOOTER_MM / 25.4 * writer.resolution()
    size = QSizeF(writer.width() / scale, (writer.height() - footer) / scale)
    device = QImage(4, 4, QImage.Format.Format_RGB32)  # a paint device of known resolution to lay out on
    device.setDotsPerMeterX(round(LAYOUT_DPI / 0.0254))
    device.setDotsPerMeterY(round(LAYOUT_DPI / 0.0254))
    doc = _document(html, size, device)
    if _PAGE_MARK.search(html):
        pages = _anchor_pages(doc, size.height())
        doc = _document(_PAGE_MARK.sub(lambda m: str(pages.get(m.group(1), "")), html), size, device)
    count = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise PdfError("The PDF could not be started")
    try:
        small = QFont(doc.defaultFont())
        small.setPointSizeF(8)
        for page in range(count):
            if page:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -page * size.height())
            doc.drawContents(painter, QRectF(0, page * size.height(), size.width(), size.height()))
            painter.restore()
            painter.setFont(small)
            painter.setPen(QColor("#6b7b88"))
            band = QRectF(0, writer.height() - footer * 0.6, writer.width(), footer * 0.6)
            painter.drawText(band, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), title)
            painter.drawText(band, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"Page {page + 1} of {count}")
    finally:
        painter.end()
    buffer.close()
    return bytes(QByteArray(buffer.data())), count


def _plain(exc: OSError, target: Path) -> str:
    folder = target.parent
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk is full: {target.name} could not be written to {folder}. Free some space and export again."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"The folder {folder} cannot be written to: choose another place for {target.name}."
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return f"The folder {folder} does not exist: choose another place for {target.name}."
    if exc.errno == errno.EISDIR or target.is_dir():
        return f"{target} is a folder: give a file name ending in .pdf."
    return f"{target.name} could not be written to {folder} ({exc.strerror or 'the disk refused'})."


def check_target(target: Path) -> None:
    """Refuse at once (before any work) a target that cannot be written: a folder, a missing or
    read-only folder."""
    if target.is_dir():
        raise PdfError(f"{target} is a folder: give a file name ending in .pdf.")
    if not target.parent.is_dir():
        raise PdfError(f"The folder {target.parent} does not exist: choose another place for {target.name}.")
    if not os.access(target.parent, os.W_OK):
        raise PdfError(f"The folder {target.parent} cannot be written to: choose another place for {target.name}.")


def write_pdf(html: str, target: Path | str, title: str = "") -> Written:
    """Print ``html`` to the PDF file ``target`` (replaced all at once, or left as it was)."""
    target = Path(target)
    check_target(target)
    data, pages = render_pdf(html, title)
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise PdfError(_plain(exc, target)) from None
    return Written(target, pages, len(data))


@dataclass(frozen=True)
class Exported:
    written: Written
    entries: int


def export_review(repo, paths: list[str], target: Path | str, progress=None) -> Exported:
    """The review pack of ``paths`` (``Repository`` ``repo``, as saved) written to ``target``: what
    ``malone-editor review export`` and File > Export for Review both do. Runs on any thread."""
    from editor.vcs.review_export import gather
    from editor.vcs.review_pack import pack_html

    target = Path(target)
    check_target(target)
    reviews = gather(repo, paths, progress)
    app_name = repo.settings.app_name if repo.settings else "Malone"
    html = pack_html(reviews, app_name, library=repo.root.name)
    return Exported(write_pdf(html, target, f"{app_name} \u00b7 clinical review pack"), len(reviews))
