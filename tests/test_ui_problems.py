"""Problems that help (issue 16, item 5), in a real window on the sample content: the open entry's
live findings always listed (also after Check All), findings grouped under the entry's question
with a severity icon and word, the line and the message (all of it on hover), counts in singular
and plural, Problems brought forward by Check All, and Check Web Links with progress and Cancel."""
from __future__ import annotations

import os
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from test_ui import CLEAN, open_and_wait, type_at_end  # noqa: E402

pytestmark = pytest.mark.ui
USER = Qt.ItemDataRole.UserRole


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def check_all(qtbot, window):
    window.problems_dock.hide()
    with qtbot.waitSignal(window.session.findingsChanged, timeout=60000,
                          check_params_cb=lambda scope: scope == "repository"):
        action = next(a for a in window.menuBar().actions() if a.text() == "&Check").menu().actions()[0]
        assert action.shortcut().toString() == "Ctrl+Shift+K"
        action.trigger()


def groups(panel):
    return [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]


def test_live_findings_replace_the_open_entrys_row_after_check_all(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    check_all(qtbot, window)
    assert window.problems.scope == "repository"
    assert not any(f.path == CLEAN for f in window.problems.findings)
    others = [f for f in window.problems.findings if f.path != CLEAN]
    assert others  # the sample content's other problems are listed
    type_at_end(qtbot, window, "\nHer uncle committed suicide last year.\n")
    qtbot.waitUntil(lambda: any(f.rule == "suicide-commit" and f.path == CLEAN for f in window.problems.findings),
                    timeout=10000)
    # the other entries' findings of Check All stay, the open entry's are its live ones
    assert [f for f in window.problems.findings if f.path != CLEAN] == others
    assert {f for f in window.problems.findings if f.path == CLEAN} == set(window.session.live_findings)
    question = window.session.library.question(CLEAN)
    group = next(g for g in groups(window.problems) if g.data(0, USER + 1) == CLEAN)
    assert group.text(0).startswith(question)
    assert CLEAN in window.browser.problem_paths  # the entry list marks it, too
    window.editor.setPlainText(window.session.document.saved_text)
    qtbot.waitUntil(lambda: not any(f.path == CLEAN and f.rule == "suicide-commit" for f in window.problems.findings),
                    timeout=10000)
    assert [f for f in window.problems.findings if f.path != CLEAN] == others


def test_findings_are_grouped_under_the_question_with_icon_word_line_and_tooltip(qtbot, window):
    check_all(qtbot, window)
    panel = window.problems
    top = groups(panel)
    assert len(top) == len({f.path for f in panel.findings})
    for group in top:
        path = group.data(0, USER + 1)
        question = window.session.library.question(path)
        assert question and group.text(0).startswith(question)  # the question, not a path cut short
        assert "entries/" not in group.text(0) and group.toolTip(0) == path
        assert group.isExpanded() and group.childCount()
        for number in range(group.childCount()):
            row = group.child(number)
            finding = row.data(0, USER)
            assert finding.path == path
            assert not row.icon(0).isNull()
            assert row.text(0) == {"error": "Error", "warning": "Warning", "info": "Note"}[finding.severity]
            assert row.text(1) == str(finding.line)
            assert row.text(2).startswith(finding.message)
            assert finding.message in row.toolTip(2) and f"line {finding.line}" in row.toolTip(2)
    # the full message on hover, however long
    first_path = top[0].data(0, USER + 1)
    long = "A very long message " * 30
    from editor.findings import at

    panel.show_findings([at(first_path, "language", "x", "warning", long.strip(), line=4)], "entry")
    row = groups(panel)[0].child(0)
    assert long.strip() in row.toolTip(2)
    # a folded group stays folded when the list changes
    panel.tree.collapseItem(groups(panel)[0])
    panel.show_findings([at(first_path, "language", "x", "warning", "again", line=5)], "entry")
    assert not groups(panel)[0].isExpanded()
    # activating a group opens its entry at the first finding
    first = groups(panel)[0].child(0).data(0, USER)
    panel.tree.itemActivated.emit(groups(panel)[0], 0)
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == first.path)
    assert window.editor.textCursor().blockNumber() + 1 == first.line


def test_counts_in_singular_and_plural():
    from editor.findings import at
    from editor.ui.problems import count_text, plural

    def some(*severities):
        return [at("entries/a.md", "c", "r", s, "m") for s in severities]

    assert plural(1, "error") == "1 error" and plural(2, "error") == "2 errors" and plural(0, "note") == "0 notes"
    assert count_text(some("error")) == "1 error"
    assert count_text(some("error", "error", "warning")) == "2 errors and 1 warning"
    assert count_text(some("info", "warning", "error")) == "1 error, 1 warning and 1 note"
    assert count_text(some("info", "info")) == "2 notes"
    assert count_text([]) == ""


def test_counts_in_the_window_are_in_words(qtbot, window):
    open_and_wait(qtbot, window, CLEAN)
    qtbot.waitUntil(lambda: window.problems.summary.text() == "No problems in this entry", timeout=10000)
    type_at_end(qtbot, window, "\nHer uncle committed suicide last year.\n")
    qtbot.waitUntil(lambda: any(f.rule == "suicide-commit" for f in window.problems.findings), timeout=10000)
    from editor.ui.problems import count_text

    summary = window.problems.summary.text()
    assert summary == f"{count_text(window.problems.findings)} in this entry"
    assert "1 errors" not in summary and "1 warnings" not in summary and "1 notes" not in summary
    group = groups(window.problems)[0]
    assert group.text(0).endswith(count_text(window.problems.findings))


def test_check_all_brings_problems_forward(qtbot, window):
    from PySide6.QtWidgets import QDockWidget, QLabel

    other = QDockWidget("Other", window)
    other.setObjectName("dock-other")
    other.setWidget(QLabel("other"))
    window.tabifyDockWidget(window.problems_dock, other)
    other.raise_()
    window.problems_dock.hide()
    assert not window.problems_dock.isVisible()
    check_all(qtbot, window)
    qtbot.waitUntil(lambda: window.problems_dock.isVisible() and not window.problems_dock.visibleRegion().isEmpty())
    assert other.visibleRegion().isEmpty()  # Problems is the tab in front
    assert not window.problems.progress.isVisible() and not window.problems.cancel.isVisible()


class FakeWeb:
    """Stands in for the network: /missing is gone, /slow waits until released, the rest is fine."""

    def __init__(self):
        self.release = threading.Event()
        self.asked: list[str] = []

    def __call__(self, url, options):
        from editor.web.fetch import LinkStatus

        self.asked.append(url)
        if "slow" in url:
            self.release.wait(20)
        if "missing" in url:
            return LinkStatus(url, "broken", 404, message="Page not found (404)")
        return LinkStatus(url, "ok", 200)


@pytest.fixture
def fake_web(monkeypatch):
    import editor.web.checker as checker

    fake = FakeWeb()
    monkeypatch.setattr(checker, "check_url", fake)
    yield fake
    fake.release.set()


def test_check_web_links_online_with_progress(qtbot, window, library, fake_web):
    target = library / CLEAN
    target.write_text(target.read_text(encoding="utf-8") + "\nSee [this page](https://example.org/missing).\n",
                      encoding="utf-8")
    window.problems_dock.hide()
    seen = []
    window.session.web.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(window.session.web.finished, timeout=30000):
        window.web_links_action.trigger()
        assert window.problems_dock.isVisible() and window.problems.links_cancel.isVisible()
    assert seen[0] == (0, 0) and seen[-1][0] == seen[-1][1] > 0
    assert "https://example.org/missing" in fake_web.asked
    broken = [f for f in window.problems.findings if f.rule == "page-gone"]
    assert [f.path for f in broken] == [CLEAN]
    assert window.problems.scope == "repository" and "web links" in window.problems.summary.text()
    assert not window.problems.links_progress.isVisible() and not window.problems.links_cancel.isVisible()
    # the open entry's live findings do not hide its web link findings
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "\nHer uncle committed suicide last year.\n")
    qtbot.waitUntil(lambda: any(f.rule == "suicide-commit" for f in window.problems.findings), timeout=10000)
    assert any(f.rule == "page-gone" for f in window.problems.findings)


def test_check_web_links_can_be_cancelled(qtbot, window, library, fake_web):
    target = library / CLEAN
    target.write_text(target.read_text(encoding="utf-8") + "\nSee [this page](https://example.org/slow).\n",
                      encoding="utf-8")
    notices = []
    window.session.notice.connect(notices.append)
    window.web_links_action.trigger()
    qtbot.waitUntil(lambda: "https://example.org/slow" in fake_web.asked, timeout=20000)
    assert window.problems.links_cancel.isVisible()
    with qtbot.waitSignal(window.session.web.finished, timeout=5000):
        qtbot.mouseClick(window.problems.links_cancel, Qt.MouseButton.LeftButton)
    assert "Check Web Links was cancelled" in notices
    assert window.session.web.findings is None and not window.session.web.running
    assert not window.problems.links_cancel.isVisible()


def _findings(entries: int, each: int = 1):
    from editor.findings import Finding

    severities = ("error", "warning", "info")
    return [Finding(f"entries/sleep/e{n:05d}.md", line + 1, 1, line + 1, 5, "tone", f"rule-{line}",
                    severities[(n + line) % 3], f"Problem {line} of entry {n}")
            for n in range(entries) for line in range(each)]


def test_a_full_check_of_thousands_of_entries_lists_every_group_spanned_and_unfolded_but_the_folded(qtbot):
    """Groups are added to the tree all at once (one at a time, Qt looked at every group before each:
    3,000 groups held the UI thread 2 s): every finding is still listed under its entry, worst
    entries first, each group spanned and unfolded, and a group the writer folded stays folded."""
    from editor.ui.problems import ProblemsPanel

    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    findings = _findings(3000)
    panel.show_findings(findings, "repository")
    shown = groups(panel)
    assert len(shown) == 3000 and all(g.isFirstColumnSpanned() and g.isExpanded() for g in shown)
    worst = [g.data(0, USER + 1) for g in shown]
    assert worst[:1000] == sorted(f.path for f in findings if f.severity == "error")
    assert sorted((p, line, rule) for _, p, line, rule, _ in panel.rows()) == \
        sorted((f.path, f.line, f.rule) for f in findings)
    shown[5].setExpanded(False)
    folded = shown[5].data(0, USER + 1)
    panel.show_findings(findings[::-1], "repository")
    assert [g.data(0, USER + 1) for g in groups(panel) if not g.isExpanded()] == [folded]


def test_past_five_thousand_findings_a_full_check_lists_the_worst_and_counts_them_all(qtbot):
    from editor.ui.problems import REPOSITORY_SHOWN, ProblemsPanel

    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    findings = _findings(3000, each=3)
    panel.show_findings(findings, "repository")
    assert len(panel.rows()) == len(panel.findings) == REPOSITORY_SHOWN
    assert {f.severity for f in panel.findings[:3000]} == {"error", "warning", "info"}
    assert panel.summary.text() == (f"3000 errors, 3000 warnings and 3000 notes in all entries "
                                    f"(the first {REPOSITORY_SHOWN:,} are listed)")
