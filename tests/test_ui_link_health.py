"""The Link Health panel (issue 17, part 4) in a real window on a copy of the sample content, with
web links served by a local server on 127.0.0.1: it fills broken first, filters by module and text,
opens an entry at a link, shows what links here (from the menu and from a link clicked in the
preview), follows saves, and Check Web Links fills its web rows, with progress and Cancel."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from linkserver import LinkServer  # noqa: E402
from test_ui import CLEAN, open_and_wait, type_at_end  # noqa: E402

pytestmark = pytest.mark.ui
ROLE = Qt.ItemDataRole.UserRole
BROKEN_LINK = "?tab=modules&module=feeding&section=nappies"


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def server():
    with LinkServer(slow_seconds=30) as running:
        yield running


@pytest.fixture
def links(library, server):
    """CLEAN gets a broken in-app link, a web page that is gone (404) and one that is fine."""
    target = library / CLEAN
    target.write_text(target.read_text(encoding="utf-8") + f"\nSee [nappies]({BROKEN_LINK}), "
                      f"[an old page]({server.base}/missing) and [a good one]({server.base}/ok).\n", encoding="utf-8")
    return server


def panel_of(qtbot, window):
    view = window.link_health
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Check")
    action = next(a for a in menu.actions() if a.text() == "Link &Health")
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    action.trigger()
    qtbot.waitUntil(lambda: window.session.links.model is not None and view.panel.tree.topLevelItemCount() > 0,
                    timeout=20000)
    assert view.dock.isVisible() and window.tabifiedDockWidgets(view.dock)  # a tab of the bottom strip
    return view.panel


def tops(panel):
    return [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]


def target_item(panel, target):
    return next(item for item in tops(panel) if item.text(1) == target)


def line_of(library, path, needle):
    lines = (library / path).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if needle in text)


def test_the_panel_lists_every_target_broken_first_with_its_uses(qtbot, window, library, links):
    panel = panel_of(qtbot, window)
    statuses = [item.text(0) for item in tops(panel)]
    order = ["Broken", "Warning", "Not checked", "OK"]
    assert statuses == sorted(statuses, key=order.index) and statuses[0] == "Broken"
    broken = {item.text(1) for item in tops(panel) if item.text(0) == "Broken"}
    assert {BROKEN_LINK, "?tab=modules&module=slep"} <= broken
    ok = target_item(panel, "?tab=modules&module=sleep&section=night-feeds")
    assert ok.text(0) == "OK" and "Sleep" in ok.text(3)
    web = target_item(panel, f"{links.base}/missing")
    assert web.text(0) == "Warning" and "http://" in web.text(3)  # an insecure address: said offline
    assert "answers" not in web.text(3)  # nothing is fetched until Check Web Links is asked for
    assert links.requests == []
    item = target_item(panel, BROKEN_LINK)
    assert "no section 'nappies'" in item.text(3)
    panel.tree.setCurrentItem(item)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Right)  # opens the target: its uses are made now
    assert item.isExpanded() and item.childCount() == 1
    use = item.child(0)
    assert use.text(1) == window.session.library.question(CLEAN)
    assert use.text(2) == f"line {line_of(library, CLEAN, 'nappies')}" and use.text(3) == CLEAN


def test_filter_by_module_and_by_text(qtbot, window, links):
    panel = panel_of(qtbot, window)
    everything = {item.text(1) for item in tops(panel)}
    panel.module.setFocus()
    panel.module.setCurrentIndex(panel.module.findText("Sleep"))
    shown = {item.text(1) for item in tops(panel)}
    assert "?tab=modules&module=sleep&section=night-feeds" in shown
    assert f"{links.base}/missing" in shown  # the web links of the module's own entries
    assert BROKEN_LINK not in shown  # it opens Feeding, though a Sleep entry holds it
    assert "?tab=modules&module=slep" not in shown and shown < everything
    assert "Sleep" in panel.summary.text()
    panel.module.setCurrentIndex(panel.module.findText("Feeding"))
    assert BROKEN_LINK in {item.text(1) for item in tops(panel)}
    panel.module.setCurrentIndex(0)
    qtbot.keyClicks(panel.filter, "SLEP")
    assert [item.text(1) for item in tops(panel)] == ["?tab=modules&module=slep"]
    panel.filter.clear()
    qtbot.keyClicks(panel.filter, "no link is called this")
    assert tops(panel) == [] and "No links match" in panel.summary.text()


def test_activating_a_use_opens_the_entry_at_the_link(qtbot, window, library, links):
    panel = panel_of(qtbot, window)
    item = target_item(panel, BROKEN_LINK)
    item.setExpanded(True)
    panel.tree.setCurrentItem(item.child(0))
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.document is not None and window.session.document.path == CLEAN,
                    timeout=10000)
    cursor = window.editor.textCursor()
    text = cursor.block().text()
    assert BROKEN_LINK in text
    assert text[cursor.positionInBlock():].startswith(BROKEN_LINK)  # at the link's target itself
    # a click, then Enter, on another use opens that one
    qtbot.waitUntil(lambda: window.session.links.settled, timeout=10000)
    other = target_item(panel, "?tab=modules&module=slep")
    other.setExpanded(True)
    panel.tree.scrollToItem(other.child(0))
    panel.tree.doItemsLayout()  # the view lays out the opened target when it next paints; now
    rect = panel.tree.visualItemRect(other.child(0))
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.tree.currentItem() is other.child(0)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.document.path == "entries/sleep/worry-at-bedtime.md", timeout=10000)
    assert "module=slep" in window.editor.textCursor().block().text()


def click_preview_link(qtbot, window, href: str) -> None:
    """Click the link in the preview as the writer does: at its place on the screen."""
    browser = window.preview.browser
    document = browser.document()
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position() + 1)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 2, rect.center().y()))
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href} in the preview")


def test_an_in_app_link_in_the_preview_shows_what_links_here(qtbot, window, library):
    open_and_wait(qtbot, window, CLEAN)
    assert not window.link_health.dock.isVisible() or window.session.links.model is None
    click_preview_link(qtbot, window, "app:?tab=modules&module=sleep&section=night-feeds")
    panel = window.link_health.panel
    qtbot.waitUntil(lambda: panel.mode == "backlinks" and panel.tree.topLevelItemCount() > 0, timeout=20000)
    assert window.link_health.dock.isVisible() and panel.chosen_module == "sleep"
    destination = window.preview.destination.text()
    assert "Sleep" in destination and "Night feeds" in destination  # where the link leads, still
    qtbot.waitUntil(lambda: "link to Sleep" in window.preview.destination.text(), timeout=10000)
    linking = {item.data(0, ROLE)[1]: item.text(1) for item in tops(panel)}
    # every entry that links to the module (any section), not the entries that belong to it
    assert linking == {CLEAN: "1", "entries/sleep/coping-with-sleep-deprivation.md": "1",
                       "entries/sleep/worry-at-bedtime.md": "1"}
    assert "3 links from 3 entries" in panel.summary.text() and "1 of them is broken" in panel.summary.text()
    first = tops(panel)[0]
    first.setExpanded(True)
    assert first.child(0).text(0).startswith("?tab=modules&module=sleep")


def test_what_links_here_for_the_open_entrys_module(qtbot, window):
    open_and_wait(qtbot, window, "entries/crisis-support/calling-a-crisis-line.md")
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Check")
    action = next(a for a in menu.actions() if a.text() == "What Links &Here")
    assert action.shortcut().toString() == "Ctrl+Shift+H"
    action.trigger()
    panel = window.link_health.panel
    qtbot.waitUntil(lambda: panel.mode == "backlinks" and panel.tree.topLevelItemCount() > 0, timeout=20000)
    assert panel.chosen_module == "crisis-support" and panel.backlinks.isChecked()
    counts = [int(item.text(1)) for item in tops(panel)]
    assert counts == sorted(counts, reverse=True) and sum(counts) >= 6
    assert "What links to Crisis Support" in panel.summary.text()
    qtbot.mouseClick(panel.backlinks, Qt.MouseButton.LeftButton)  # back to the module's link targets
    assert panel.mode == "links" and tops(panel)[0].text(0) in ("Broken", "Warning", "Not checked", "OK")
    # with all modules chosen, the button asks for the open entry's module
    panel.module.setCurrentIndex(0)
    open_and_wait(qtbot, window, CLEAN)
    qtbot.mouseClick(panel.backlinks, Qt.MouseButton.LeftButton)
    assert panel.mode == "backlinks" and panel.chosen_module == "sleep" and panel.backlinks.isChecked()
    assert "What links to Sleep" in panel.summary.text()


def test_the_panel_follows_typing_and_saving(qtbot, window, library):
    panel = panel_of(qtbot, window)
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "\nSee [help](?tab=modules&module=sleepy).\n")
    qtbot.waitUntil(lambda: any(item.text(1) == "?tab=modules&module=sleepy" for item in tops(panel)), timeout=10000)
    assert target_item(panel, "?tab=modules&module=sleepy").text(0) == "Broken"
    assert window.save()
    # a file changed outside the editor (a pull, say) is read again when the library is
    other = library / "entries/sleep/worry-at-bedtime.md"
    other.write_text(other.read_text(encoding="utf-8").replace("module=slep", "module=sleep"), encoding="utf-8")
    window.session.reload_library()
    qtbot.waitUntil(lambda: not any(item.text(1) == "?tab=modules&module=slep" for item in tops(panel)),
                    timeout=10000)
    assert any(item.text(1) == "?tab=modules&module=sleepy" for item in tops(panel))


def test_check_web_links_fills_the_web_rows(qtbot, window, links):
    panel = panel_of(qtbot, window)
    window.session.web.make_checker = lambda: __import__("editor.web.checker", fromlist=["x"]).LinkChecker(
        __import__("editor.web.fetch", fromlist=["x"]).Options(timeout=2.0, backoff=0.01), None)
    with qtbot.waitSignal(window.session.web.finished, timeout=60000):
        qtbot.mouseClick(panel.check_web, Qt.MouseButton.LeftButton)
        assert panel.progress.isVisible() and panel.cancel.isVisible() and not panel.check_web.isEnabled()
    assert window.link_health.dock.isVisible()
    missing, good = f"{links.base}/missing", f"{links.base}/ok"
    qtbot.waitUntil(lambda: target_item(panel, missing).text(0) == "Broken", timeout=10000)
    assert "404" in target_item(panel, missing).text(3)
    assert target_item(panel, good).text(0) == "Warning" and "the page answers (200)" in target_item(panel, good).text(3)
    assert tops(panel)[0].text(0) == "Broken"
    assert not panel.progress.isVisible() and not panel.cancel.isVisible() and panel.check_web.isEnabled()
    assert {path for _, path, _ in links.requests} >= {"/missing", "/ok"}


def test_check_web_links_can_be_cancelled_from_the_panel(qtbot, window, library, server):
    target = library / CLEAN
    target.write_text(target.read_text(encoding="utf-8") + f"\nSee [slow]({server.base}/slow).\n", encoding="utf-8")
    panel = panel_of(qtbot, window)
    notices = []
    window.session.notice.connect(notices.append)
    qtbot.mouseClick(panel.check_web, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(path == "/slow" for _, path, _ in server.requests), timeout=20000)
    assert panel.cancel.isVisible()
    with qtbot.waitSignal(window.session.web.finished, timeout=5000):
        qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    assert "Check Web Links was cancelled" in notices and not window.session.web.running
    assert not panel.cancel.isVisible() and panel.check_web.isEnabled()
    assert "answers" not in target_item(panel, f"{server.base}/slow").text(3)


def test_web_rows_take_fresh_answers_from_the_link_cache(qtbot, window, library, links):
    from editor.web.cache import LinkCache
    from editor.web.fetch import LinkStatus

    import time

    cache = LinkCache(None)
    cache.put(LinkStatus(f"{links.base}/ok", "ok", 200, checked_at=time.time()))
    cache.save()
    panel = panel_of(qtbot, window)
    assert "the page answers (200)" in target_item(panel, f"{links.base}/ok").text(3)
    assert links.requests == []  # from the cache on disk: nothing was fetched


def test_in_a_big_library_the_text_filter_waits_for_a_pause(qtbot):
    from editor.checks.link_health import LinkHealth, TargetRow, Use
    from editor.ui.link_health import LinkHealthPanel

    uses = [Use(f"entries/sleep/e{n}.md", 9, 2, "body", f"Question {n}?", "sleep") for n in range(6000)]
    model = LinkHealth([TargetRow("?tab=modules&module=sleep", "in-app", "ok", "Opens Sleep", "sleep", uses=uses),
                        TargetRow("?tab=chat", "in-app", "ok", "Opens Chat tab", uses=uses[:1])], {"sleep": "Sleep"},
                       {"sleep": 6000})
    panel = LinkHealthPanel()
    qtbot.addWidget(panel)
    panel.set_model(model)
    assert panel.tree.topLevelItemCount() == 2
    qtbot.keyClicks(panel.filter, "chat")
    assert panel.tree.topLevelItemCount() == 2 and panel.filter_timer.isActive()  # not on every key
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=2000)
    assert panel.tree.topLevelItem(0).text(1) == "?tab=chat"
    qtbot.keyClick(panel.filter, Qt.Key.Key_Backspace)
    qtbot.keyClicks(panel.filter, "t")
    qtbot.waitUntil(lambda: not panel.filter_timer.isActive(), timeout=2000)


def test_a_link_to_a_tab_in_the_preview_lists_that_target(qtbot, window):
    open_and_wait(qtbot, window, "entries/self-care/journaling-for-your-mood.md")
    click_preview_link(qtbot, window, "app:?tab=journal")
    panel = window.link_health.panel
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0, timeout=20000)
    assert "Journal tab" in window.preview.destination.text()
    assert panel.mode == "links" and panel.filter.text() == "?tab=journal"
    assert [item.text(1) for item in tops(panel)] == ["?tab=journal"]
    assert int(tops(panel)[0].text(2)) >= 2
