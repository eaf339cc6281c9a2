"""Export for Review (issue 17, part 5): the review pack as a PDF, read back the way a person would
see it — pages rendered to images by poppler (the colours of the marks counted), its text extracted
(the question, the reviewer, the comments, an outdated one said to be rewritten) — from the command
line over a real git history, and from File > Export for Review in the window."""
from __future__ import annotations

import datetime as dt
import errno
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, git
from editor.cli import main
from editor.content.repository import Repository
from editor.vcs import comment_steps, review

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"  # approved, then edited and commented
OTHER = "entries/pregnancy/prenatal-appointments.md"  # in review, never approved
QUESTION = "People say to sleep when the baby sleeps"
GREEN, RED = (0xDF, 0xF5, 0xE1), (0xFD, 0xE2, 0xE2)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftoppm, pdftotext, pdfinfo) is not installed: "
                                       "scripts/setup.sh test installs it")


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def reviewed(tmp_path) -> Path:
    """The sample library under git; ENTRY approved by Ana Ruiz, then a comment on words that are
    then rewritten (outdated), a comment on words that stay (with a reply), an edit that adds and
    takes out words, and a request for review again."""
    root = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Ana Ruiz")
    git(root, "config", "user.email", "ana.ruiz@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Library")
    review.approve(Repository.open(root), ENTRY)
    comment_steps.add_on_words(root, ENTRY, "Knowing why it happens", "Could we say what helps, not only why?")
    edit(root, ENTRY, "It can feel unfair and frustrating.", "It can feel unfair and very tiring.")
    edit(root, ENTRY, "Knowing why it happens can help", "Understanding this can help")
    edit(root, ENTRY, "status: approved", "status: in-review\nreview_request:\n  reviewer: ana.ruiz@example.org\n"
                                          "  by: wendy@example.org\n  date: 2026-11-30\n  note: Softer wording")
    git(root, "commit", "-qam", "Softer wording")
    kept = comment_steps.add_on_words(root, ENTRY, "very tiring", "Is tiring the right word here?")
    comment_steps.reply(root, ENTRY, kept.id, "Open to exhausting instead.")
    return root


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_text(pdf: Path, page: int, layout: bool = False) -> str:
    """The page's text; in reading order with white space squashed, or (``layout``) as laid out."""
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout
    return text if layout else " ".join(text.split())


def page_images(pdf: Path, folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def colour_pixels(png: Path, colour: tuple[int, int, int], slack: int = 3) -> int:
    """Pixels of the page image within ``slack`` of ``colour`` in each channel."""
    from PySide6.QtGui import QImage

    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())[: image.sizeInBytes()]
    line = image.bytesPerLine()
    near = [bytes(range(max(0, c - slack), min(255, c + slack) + 1)) for c in colour]
    pattern = re.compile(b"".join(b"[" + re.escape(n) + b"]" for n in near))
    count = 0
    for y in range(image.height()):
        row = data[y * line: y * line + image.width() * 3]
        count += sum(1 for m in pattern.finditer(row) if m.start() % 3 == 0)
    return count


@pytest.fixture(autouse=True)
def application(qapp):
    """The command makes a QGuiApplication when there is none; in one process with widget tests,
    pytest-qt's QApplication must come first (Qt allows one application object)."""
    return qapp


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal question would wait forever offscreen (closing a window with unsaved text): Discard."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def export(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["review", "export", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_command_writes_the_pack_with_the_marks_and_the_comments(reviewed, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    status, said, errors = export(capsys, str(reviewed), ENTRY, OTHER, "-o", str(out))
    assert status == 0, errors
    pages = pdf_pages(out)
    assert said == f"Wrote {out}: 2 entries on {pages} pages\n"
    assert pages >= 3  # a cover and at least a page for each entry
    texts = [page_text(out, n) for n in range(1, pages + 1)]
    other_start = next(n for n, text in enumerate(texts) if "prenatal-appointments" in text and n > 0)
    entry_pages, other_pages = range(1, other_start), range(other_start, pages)
    assert texts[0].startswith("Malone Clinical review pack") and "2 entries" in texts[0]
    assert texts[1].startswith(f"Entry 1 \u00b7 In review \u00b7 Changed since approval {QUESTION}")  # a page of its own
    assert texts[other_start].startswith("Entry 2 \u00b7 In review \u00b7 Never approved How can I bring up my mood")
    rows = [line.split() for line in page_text(out, 1, layout=True).splitlines()
            if re.match(r"\s*[12]\s+(People|How)", line)]
    assert [row[-1] for row in rows] == ["2", str(other_start + 1)]  # the page each starts on, from the layout
    assert "Changed" in rows[0] and "Never" in rows[1]
    squashed = " ".join(texts[n] for n in entry_pages)
    for expected in (QUESTION, "Ana Ruiz, Perinatal psychologist", "The approval is void", "passage rewritten",
                     "Could we say what helps, not only why?", "Is tiring the right word here?",
                     "Open to exhausting instead.", "requested by wendy@example.org", "Softer wording",
                     "status: approved \u2192 in-review"):
        assert expected in squashed, expected
    assert "Never approved" in texts[other_start]
    assert all(f"Page {n} of {pages}" in texts[n - 1] for n in range(1, pages + 1))

    images = page_images(out, tmp_path / "png")
    assert len(images) == pages
    assert sum(colour_pixels(images[n], GREEN) for n in entry_pages) > 40  # words added
    assert sum(colour_pixels(images[n], RED) for n in entry_pages) > 40  # words taken out
    # never approved: its text as the reader sees it, not a page of marks
    assert sum(colour_pixels(images[n], GREEN) + colour_pixels(images[n], RED) for n in other_pages) == 0


def test_without_entries_it_exports_the_in_review_column(reviewed, tmp_path, capsys, monkeypatch):
    in_review = [e.path for e in Repository.open(reviewed).entries() if e.status == "in-review"]
    assert ENTRY in in_review and len(in_review) >= 2
    monkeypatch.chdir(reviewed)
    status, said, errors = export(capsys, "-o", "pack.pdf")
    assert status == 0, errors
    assert said.startswith(f"Wrote {reviewed / 'pack.pdf'}: {len(in_review)} entries on ")
    cover = page_text(reviewed / "pack.pdf", 1)
    assert all(Repository.open(reviewed).entry(p).question[:20] in cover for p in in_review)
    assert pdf_pages(reviewed / "pack.pdf") >= 1 + len(in_review)


def test_plain_errors_and_nothing_half_written(reviewed, tmp_path, capsys, monkeypatch):
    status, said, errors = export(capsys, str(reviewed), ENTRY, "-o", str(tmp_path / "missing" / "pack.pdf"))
    assert (status, said) == (2, "")
    assert errors == f"malone-editor: The folder {tmp_path / 'missing'} does not exist: choose another place for " \
                     "pack.pdf.\n"
    status, _, errors = export(capsys, str(reviewed), ENTRY, "-o", str(tmp_path))
    assert status == 2 and "is a folder" in errors
    status, _, errors = export(capsys, str(reviewed), "entries/nowhere.md", "-o", str(tmp_path / "x.pdf"))
    assert status == 2 and "no entry there" in errors

    out = tmp_path / "pack.pdf"
    out.write_bytes(b"the old pack")
    from editor.ui import pdf_export

    def full(target, data, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf_export, "write_atomically", full)
    status, said, errors = export(capsys, str(reviewed), ENTRY, "-o", str(out))
    assert status == 2 and said == ""
    assert errors == f"malone-editor: The disk is full: pack.pdf could not be written to {tmp_path}. Free some " \
                     "space and export again.\n"
    assert "Traceback" not in errors and out.read_bytes() == b"the old pack"


def test_nothing_in_review_says_so(tmp_path, capsys, repo):
    from conftest import entry_text

    repo.entry("sleep/rest.md", entry_text())
    status, said, errors = export(capsys, str(repo.root), "-o", str(tmp_path / "x.pdf"))
    assert (status, said) == (2, "")
    assert errors == "malone-editor: No entry is in review (status: in-review): name the entries to export\n"
    status, said, _ = export(capsys, str(repo.root), "entries/sleep/rest.md", "-o", str(tmp_path / "x.pdf"))
    assert status == 0 and said.endswith(": 1 entry on 2 pages\n")  # a draft, named, is exported


def test_commented_passages_are_numbered_in_the_text():
    from editor.render.diff import DELETED
    from editor.vcs.review_pack import mark_passages

    body = f'<p>It can feel <span class="inserted">very</span> tiring. {DELETED}Knowing</span> It can feel fine.</p>'
    marked, placed = mark_passages(body, [(1, "very tiring", 0.1), (2, "Knowing why", 0.5), (3, "It can feel", 0.9)])
    assert placed == {1, 3}  # 2: its words are only in what was taken out
    assert marked.count("text-decoration: underline") == 5
    assert marked.startswith('<p>It can feel <span class="inserted">')  # "It can feel" nearest 0.9 is the second
    assert marked.index(">1</span></sup>") < marked.index(">3</span></sup>") < marked.index(" fine.</p>")
    assert mark_passages(body, [(1, "not there", 0.0)]) == (body, set())


def test_export_for_review_from_the_window(qtbot, window, library, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "chosen" / "meeting"
    out.parent.mkdir()
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or (str(out), "PDF files (*.pdf)")))
    in_review = sorted(e.path for e in Repository.open(library).entries() if e.status == "in-review")
    window.export_review_action.trigger()
    dialog = window.review_export.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert sorted(dialog.chosen()) == in_review
    assert dialog.count.text() == f"{len(in_review)} of {len(dialog.items)} chosen"
    qtbot.mouseClick(dialog.none, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == [] and not dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.all_in_review, Qt.MouseButton.LeftButton)
    assert sorted(dialog.chosen()) == in_review
    qtbot.keyClicks(dialog.filter, "isolated")
    shown = [p for p, item in dialog.items.items() if not item.isHidden()]
    assert shown == ["entries/social-support/feeling-isolated-after-birth.md"]
    dialog.list.setCurrentItem(dialog.items[shown[0]])
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)  # ticks it
    assert set(dialog.chosen()) == set(in_review) | set(shown)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    target = out.with_name("meeting.pdf")
    assert asked == [str(Path.home() / f"review-{dt.date.today().isoformat()}.pdf")]  # the default offered
    qtbot.waitUntil(lambda: target.exists() and "Exported" in window.statusBar().currentMessage(), timeout=30000)
    pages = pdf_pages(target)
    assert window.statusBar().currentMessage() == \
        f"Exported {len(in_review) + 1} entries for review to {target} ({pages} pages)"
    assert pages >= 2 + len(in_review)
    assert window.review_export.dialog is None and not window.review_export.running
    assert window.settings.value("export/folder") == str(target.parent)  # offered first next time
    assert window.review_export.default_target().parent == target.parent


def test_the_window_says_what_it_cannot_do(qtbot, window, library, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from test_ui import open_and_wait, type_at_end

    open_and_wait(qtbot, window, ENTRY)
    type_at_end(qtbot, window, "More words")
    window.export_review_action.trigger()
    dialog = window.review_export.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.note.isHidden() and "not saved" in dialog.note.text()
    window.export_review_action.trigger()  # one dialog at a time
    assert window.review_export.dialog is dialog
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(1) or ("", "")))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked and dialog.isVisible()  # no place chosen: the dialog stays, with its choice
    missing = tmp_path / "gone" / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(missing), "")))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20000)
    assert window.banner.label.text() == f"The review pack could not be exported: The folder {missing.parent} does " \
                                         "not exist: choose another place for pack.pdf."
    assert window.statusBar().currentMessage() == "The export for review did not finish"
    assert not window.review_export.running and not missing.parent.exists()


def test_the_command_needs_no_display(reviewed, tmp_path):
    """Its own process, no display and no Qt platform set, as on a server: a PDF, and nothing from Qt."""
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    out = tmp_path / "pack.pdf"
    done = subprocess.run([sys.executable, "-m", "editor", "review", "export", str(reviewed / ENTRY), "-o", str(out)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"Wrote {out}: 1 entry on {pdf_pages(out)} pages\n"
