"""The application layer without widgets: the session driven as the panels drive it, its failures
as typed values, and the one text codec and writer behind every save."""
from __future__ import annotations

import os
import subprocess

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import git  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

CLEAN = "entries/sleep/sharing-night-feeds.md"


@pytest.fixture
def session(qtbot, library):
    from editor.content.recovery import RecoveryStore
    from editor.session.session import Session

    session = Session(library, RecoveryStore(library.parent / "recovery"))
    with qtbot.waitSignal(session.libraryChanged, timeout=20000):
        session.load()
    yield session
    session.close(10000)


def test_a_session_opens_edits_checks_and_saves_without_any_widget(qtbot, session, library):
    from editor.session import failures
    from editor.session.session import ENTRY

    with qtbot.waitSignal(session.findingsChanged, timeout=10000, check_params_cb=lambda scope: scope == ENTRY):
        document = session.open(CLEAN)
    assert not session.is_modified and not [f for f in session.live_findings if f.severity == "error"]
    with qtbot.waitSignal(session.findingsChanged, timeout=10000):
        session.edit(document.text + "\nYou should just cheer up.\n")
    assert session.is_modified
    assert "dismissive-phrases" in {f.rule for f in session.live_findings}
    with qtbot.waitSignal(session.documentSaved, timeout=1000):
        assert session.save() is None
    assert (library / CLEAN).read_text(encoding="utf-8").endswith("You should just cheer up.\n")
    assert not session.is_modified
    # someone else changes the file: saving again is refused as a typed failure, not by its words
    (library / CLEAN).write_text("Theirs.\n", encoding="utf-8")
    session.edit(document.text + "Mine.\n")
    failure = session.save()
    assert failure is not None and failure.kind == failures.CHANGED_ON_DISK
    assert (library / CLEAN).read_text(encoding="utf-8") == "Theirs.\n"
    assert session.save(overwrite=True) is None and (library / CLEAN).read_text(encoding="utf-8").endswith("Mine.\n")


def test_typing_back_to_the_saved_text_is_not_a_change(session):
    saved = session.open(CLEAN).text
    session.edit(saved + "x")
    assert session.is_modified
    session.edit(saved)
    assert not session.is_modified
    session.edit(saved + "unsaved")
    assert session.reload().text == saved and not session.is_modified


def test_git_failures_reach_the_caller_as_a_kind_and_plain_words(qtbot, session, library):
    """The library is not a git repository: the status read fails, and says so without raw git text
    or a Python class name."""
    from editor.session import failures

    got = []
    session.git.status(on_done=got.append, on_error=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    failure = got[0]
    assert isinstance(failure, failures.Failure) and failure.kind == failures.GIT
    assert "Error" not in failure.message and "Traceback" not in failure.message and "\n" not in failure.message


def test_failures_never_name_a_python_class():
    from editor.content.paths import WriteError
    from editor.session.failures import DISK, INTERNAL, failure_of
    from editor.vcs.git import VcsError

    assert failure_of(VcsError("The remote cannot be reached")).message == "The remote cannot be reached"
    assert failure_of(WriteError("Cannot save x.md: disk full")).kind == DISK
    odd = failure_of(KeyError("review"))
    assert odd.kind == INTERNAL and "KeyError" not in odd.message and "review" in odd.message
    assert "OSError" not in failure_of(OSError(28, "No space left on device")).message


def test_a_job_that_raises_comes_back_as_a_failure(qtbot):
    from editor.session.failures import INTERNAL, Failure
    from editor.session.tasks import TaskRunner

    runner = TaskRunner()
    got = []

    def broken():
        raise ValueError("the value was odd")

    runner.submit("job", broken, on_error=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert isinstance(got[0], Failure) and got[0].kind == INTERNAL and "ValueError" not in got[0].message


# ---------------------------------------------------------------- the codec: the file's own bytes


def test_mixed_line_endings_come_back_byte_for_byte_from_the_editor(qtbot, window, library):
    """The first break LF, later ones CRLF (and a lone CR): opened, typed into and undone, saved."""
    raw = (library / CLEAN).read_bytes().replace(b"\n", b"\r\n").replace(b"\r\n", b"\n", 1) + b"Last line.\r"
    (library / CLEAN).write_bytes(raw)
    assert window.open_entry(CLEAN)
    assert window.save() and (library / CLEAN).read_bytes() == raw  # no edit: identical bytes
    from test_ui import type_at_end

    window.editor.moveCursor(window.editor.textCursor().MoveOperation.Start)
    qtbot.keyClicks(window.editor, "Z")
    assert window.save()
    assert (library / CLEAN).read_bytes() == b"Z" + raw  # one edit: only its own bytes
    type_at_end(qtbot, window, "\nMore.")
    assert window.save()
    assert (library / CLEAN).read_bytes() == b"Z" + raw + b"\nMore."  # a new line takes the file's first break


def test_a_no_break_space_and_a_line_separator_survive_typing(qtbot, window, library):
    """Qt's toPlainText turns U+00A0 into a space and U+2028 into a line break: the editor must not."""
    text = (library / CLEAN).read_text(encoding="utf-8") + "Call 988\u00a0any time.\u2028Or text.\n"
    (library / CLEAN).write_text(text, encoding="utf-8")
    assert window.open_entry(CLEAN)
    from test_ui import type_at_end

    type_at_end(qtbot, window, "!")
    assert window.save()
    assert (library / CLEAN).read_text(encoding="utf-8") == text + "!"


_line = st.text(st.characters(blacklist_characters="\r\n\u2029\x00", blacklist_categories=("Cs",)), max_size=12)
_break = st.sampled_from(["\n", "\r\n", "\r", "\u2029"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_line, _break), max_size=12), _line, st.booleans(), st.data())
def test_editor_text_round_trips_and_an_edit_keeps_every_other_break(lines, last, bom, data):
    from editor.content.source import EditorText

    stored = "".join(line + brk for line, brk in lines) + last
    pieces = [line + brk for line, brk in lines] + [last]
    assume(not any(a.endswith("\r") and b.startswith("\n") for a, b in zip(pieces, pieces[1:])))  # that is CRLF
    raw = (b"\xef\xbb\xbf" if bom else b"") + stored.encode("utf-8")
    codec = EditorText.from_bytes(raw)
    assert codec.encode(codec.text) == raw
    if not lines:
        return
    number = data.draw(st.integers(0, len(lines) - 1))
    edited = codec.text.split("\n")
    edited[number] = edited[number] + "EDIT"
    out = codec.encode("\n".join(edited))
    expected = "".join((line + ("EDIT" if i == number else "")) + brk for i, (line, brk) in enumerate(lines)) + last
    assert out == (b"\xef\xbb\xbf" if bom else b"") + expected.encode("utf-8")


# ---------------------------------------------------------------- temporary files of a killed write


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_killed_writes_temporary_file_is_cleaned_and_never_listed(qtbot, library):
    from editor.content.recovery import RecoveryStore
    from editor.content.repository import Repository
    from editor.session.session import Session
    from editor.vcs.status import status

    git(library, "init", "-q")
    git(library, "add", "-A")
    git(library, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "Library")
    left = library / "entries" / "sleep" / f".sharing-night-feeds.md.~malone-{_dead_pid()}-x1y2.tmp"
    left.write_bytes(b"---\nid: half\n")
    mine = library / "entries" / "sleep" / f".other.md.~malone-{os.getpid()}-a1b2.tmp"  # a write in flight
    mine.write_bytes(b"in flight")
    assert [c.path for c in status(library).changes] == []  # never shown in Changes
    assert all(".tmp" not in p for p in Repository.open(library).paths)  # never an entry
    session = Session(library, RecoveryStore(library.parent / "recovery"))
    with qtbot.waitSignal(session.libraryChanged, timeout=20000):
        session.load()
    session.close()
    assert not left.exists() and mine.exists()


def test_the_preview_page_escapes_the_app_name():
    from editor.ui.preview import render_for_preview

    page, _ = render_for_preview("### Q: Hello?\n\nA: Hi.\n", "entries/x.md", None, "<img src=x onerror=alert(1)>",
                                 True)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_the_editor_widget_gives_back_exactly_the_text_it_was_given(qapp, text):
    """Whatever an entry holds, the widget's text is the codec's text, so opening an entry and
    typing nothing can never change a character (Qt's own toPlainText would)."""
    from editor.content.source import EditorText

    panel = _panel()
    codec = EditorText(text)
    panel.setPlainText(codec.text)
    assert panel.text() == codec.text


_panels = []


def _panel():
    if not _panels:
        from editor.ui.editor_panel import EditorPanel

        _panels.append(EditorPanel())
    return _panels[0]


# ---------------------------------------------------------------- Check All: the command line's runner


def _many_entries(library, count: int) -> None:
    """``count`` more entries, copies of a sample one with ids of their own (the runner's worker
    processes start at 400 entries)."""
    base = (library / CLEAN).read_text(encoding="utf-8")
    folder = library / "entries" / "many"
    folder.mkdir()
    for number in range(count):
        text = base.replace("id: sharing-night-feeds", f"id: copy-{number}", 1)
        if number % 7 == 0:
            text += "\nYou should just cheer up.\n"  # findings to compare, some of them
        (folder / f"copy-{number}.md").write_text(text, encoding="utf-8")


def test_check_all_is_the_command_lines_check_with_progress_and_cancel(qtbot, library):
    import datetime as dt

    from editor.checks.runner import PARALLEL_THRESHOLD, check_repository
    from editor.content.recovery import RecoveryStore
    from editor.content.repository import Repository
    from editor.session.session import REPOSITORY, Session

    _many_entries(library, PARALLEL_THRESHOLD + 50)
    session = Session(library, RecoveryStore(library.parent / "recovery"))
    with qtbot.waitSignal(session.libraryChanged, timeout=20000):
        session.load()
    total = len(session.loaded.repo.paths)
    # a cancel stops it: nothing is shown as if it were the whole library's findings
    notices = []
    session.notice.connect(notices.append)
    session.checkProgress.connect(lambda done, of: session.cancel_check_all() if 0 < done < of else None)
    session.check_all()
    qtbot.waitUntil(lambda: not session.checking_all, timeout=60000)
    assert session.repo_findings is None and any("cancelled" in n for n in notices)
    session.checkProgress.disconnect()
    # run whole: progress moves up to the total, and the findings are those of `malone-editor check`
    seen = []
    session.checkProgress.connect(lambda done, of: seen.append((done, of)))
    with qtbot.waitSignal(session.findingsChanged, timeout=120000, check_params_cb=lambda s: s == REPOSITORY):
        session.check_all()
    assert seen[-1] == (total, total) and [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 2
    expected = check_repository(Repository.open(library), today=dt.date.today(), jobs=1).findings
    assert session.repo_findings == expected and any(f.rule == "dismissive-phrases" for f in expected)
    session.close(10000)


def test_the_problems_panels_cancel_button_stops_check_all(qtbot, library):
    from test_ui import make_window

    from editor.checks.runner import PARALLEL_THRESHOLD

    _many_entries(library, PARALLEL_THRESHOLD + 50)
    window = make_window(qtbot, library)
    problems = window.problems
    window.session.checkProgress.connect(
        lambda done, of: problems.cancel.click() if 0 < done < of and problems.cancel.isVisible() else None)
    qtbot.mouseClick(problems.check_all, Qt.MouseButton.LeftButton)
    assert problems.cancel.isVisible() and not problems.check_all.isEnabled()
    qtbot.waitUntil(lambda: not window.session.checking_all, timeout=60000)
    assert window.session.repo_findings is None and problems.check_all.isEnabled() and not problems.cancel.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    window.close()
    window.session.tasks.wait(10000)
