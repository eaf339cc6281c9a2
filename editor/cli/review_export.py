"""``malone-editor review export [REPO] [ENTRIES...] -o FILE.pdf``: the review pack as a PDF — a cover,
then each entry on pages of its own with its review facts, its changes since approval marked and
its open comments. Without ENTRIES, every entry in review (status: in-review). Needs no display:
Qt prints on its offscreen platform (unless QT_QPA_PLATFORM names another)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from editor.cli.common import EXIT_OK, UsageError, open_repository, output, plural

EXPORT = "the review pack as a PDF: changes since approval and open comments (default: the entries in review)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entries", nargs="*", metavar="ENTRY",
                        help="entry files or folders (default: every entry whose status is in-review); "
                             "the library may come first")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf",
                        help="where to write the PDF (replaced if it exists)")


def gui_application():
    """Qt's application object for printing (QtGui only), made once. Printing needs no screen, so the
    offscreen platform, display or not: a stale DISPLAY (an ssh session's) cannot stop an export."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        qInstallMessageHandler(lambda *_: None)  # Qt's own notes (fonts, runtime folders) are not the user's business
        app = QGuiApplication(["malone-editor"])
    return app


def run(args: argparse.Namespace) -> int:
    from editor.ui.pdf_export import PdfError, check_target, export_review
    from editor.vcs.review_export import in_review_paths

    repo, chosen = open_repository(args.entries, select=True)
    if chosen is None:
        chosen = in_review_paths(repo)
        if not chosen:
            raise UsageError("No entry is in review (status: in-review): name the entries to export")
    target = args.output if args.output.is_absolute() else Path.cwd() / args.output
    try:
        check_target(target)  # before any work
        gui_application()
        done = export_review(repo, chosen, target)
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    with output(EXIT_OK):
        entries = "1 entry" if done.entries == 1 else f"{done.entries} entries"
        print(f"Wrote {done.written.path}: {entries} on {plural(done.written.pages, 'page')}")
    return EXIT_OK
