"""The preview looks like the app (issue 16, item 7), in a real window: a phone frame at the chosen
device's width, the app's type scale, in-app links as filled buttons, large text and dark, the
choices remembered; scroll still starts at the question when another entry opens."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from test_ui import make_window, no_modal_dialogs, open_and_wait  # noqa: F401 - the autouse fixture

LINKED = "entries/self-care/self-care-in-small-moments.md"  # has [Tap here](?tab=modules&module=self-care...)


def _fragments(browser):
    """(text, pixel size, background, foreground) of every fragment the preview laid out."""
    found, block = [], browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            found.append((fragment.text(), fmt.font().pixelSize(), fmt.background().color().name(),
                          fmt.foreground().color().name(), block.blockFormat()))
            it += 1
        block = block.next()
    return found


def _blocks(browser):
    block = browser.document().begin()
    while block.isValid():
        yield block
        block = block.next()


def _size_of(browser, text):
    return next(size for t, size, *_ in _fragments(browser) if text in t)


def _wait_render(qtbot, preview):
    qtbot.waitUntil(lambda: not preview._in_flight and not preview._debounce.isActive()
                    and preview.browser.document().characterCount() > 1, timeout=10000)


@pytest.fixture
def wide(qtbot, window):
    window.resize(1600, 900)
    window.resizeDocks([window.preview_dock], [840], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: window.preview.width() >= 800, timeout=5000)
    open_and_wait(qtbot, window, LINKED)
    _wait_render(qtbot, window.preview)
    return window


@pytest.mark.parametrize("name, width", [("iPhone SE", 375), ("iPhone 15", 390), ("Pixel 8", 412),
                                          ("iPad mini", 744)])
def test_the_page_is_drawn_at_the_devices_width_in_a_phone_frame(qtbot, wide, name, width):
    window = wide
    action = window.device_actions[width]
    assert name in action.text() and action.isCheckable()
    action.trigger()
    preview, frame = window.preview, window.preview.frame
    qtbot.waitUntil(lambda: preview.browser.viewport().width() == width, timeout=5000)
    assert preview.device_width == width and preview.phone
    phone, status, screen = frame.phone_rect(), frame.status_rect(), frame.screen_rect()
    assert phone.width() == width + 2 * frame.BEZEL  # the bezel around the screen
    assert status.height() == frame.STATUS and status.width() == width and status.bottom() < screen.top()
    assert phone.contains(preview.browser.geometry()) and preview.browser.geometry() == screen
    assert not preview.browser.verticalScrollBar().isVisible()  # a phone shows no scroll bar: the desk's does
    # the page wraps at the phone's width, not the panel's
    assert preview.browser.document().size().width() <= width + 1


def test_fit_the_panel_uses_all_of_it_and_a_narrow_panel_squeezes_the_phone(qtbot, wide):
    window, preview = wide, wide.preview
    window.device_actions[0].trigger()
    assert not preview.phone and preview.frame.phone_rect().isEmpty()
    qtbot.waitUntil(lambda: preview.browser.width() == preview.frame.width(), timeout=5000)
    window.device_actions[412].trigger()
    preview.frame.resize(300, 600)  # a panel narrower than the phone: the phone fits, no panel is forced wider
    assert preview.frame.phone_rect().right() < 300 and preview.browser.viewport().width() < 412
    assert preview.frame.minimumWidth() <= 120


def test_body_and_lead_are_one_type_scale(qtbot, wide):
    browser = wide.preview.browser
    fragments = _fragments(browser)
    question = [b for b in _blocks(browser) if b.text().endswith("?")][0]
    assert question.begin().fragment().charFormat().font().pixelSize() == 20  # the question at 20 px
    lead = [b for b in _blocks(browser) if b.position() > question.position() and b.text()][0]
    assert lead.begin().fragment().charFormat().font().pixelSize() == 18  # the lead at 18 px
    sizes = {size for text, size, *_ in fragments if text.strip() and size > 0}
    assert {16, 18, 20} <= sizes and min(sizes) >= 13  # body 16, lead 18, question 20; nothing near 11 px
    body_text = [f for f in fragments if f[1] == 16 and len(f[0]) > 40]
    assert body_text, "body paragraphs are 16 px"
    assert body_text[0][4].lineHeight() == 145  # line height 1.45


def test_in_app_links_are_filled_buttons_named_after_the_module(qtbot, wide):
    browser = wide.preview.browser
    shown = browser.toPlainText()
    assert "Tap here (Self-Care \u203a Small moments)" in shown
    face = [f for f in _fragments(browser) if "Tap here" in f[0]]
    note = [f for f in _fragments(browser) if "Self-Care \u203a Small moments" in f[0]]
    assert face and note
    assert {f[2] for f in face + note} == {"#2f7d5b"}  # one filled button: the words and the destination
    assert {f[3] for f in face} == {"#ffffff"} and all(not f[0].startswith(" ") for f in face)


def test_broken_links_stay_struck_through_with_their_explanation(qtbot, wide):
    from test_ui import type_at_end

    type_at_end(qtbot, wide, "\n[Go](?tab=modules&module=nope)\n")
    qtbot.waitUntil(lambda: "broken link" in wide.preview.browser.toPlainText(), timeout=10000)
    block = wide.preview.browser.document().begin()
    struck = []
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().text() == "Go":
                struck.append(it.fragment().charFormat().fontStrikeOut())
            it += 1
        block = block.next()
    assert struck == [True]
    assert "Go (broken link: No module 'nope' in modules.yaml)" in wide.preview.browser.toPlainText()


def test_large_text_and_dark_change_the_page_and_are_remembered(qtbot, library):
    window = make_window(qtbot, library)
    open_and_wait(qtbot, window, LINKED)
    preview = window.preview
    _wait_render(qtbot, preview)
    assert _size_of(preview.browser, "Tap here") == 16
    window.large_text_action.trigger()
    qtbot.waitUntil(lambda: _size_of(preview.browser, "Tap here") == 21, timeout=10000)  # 16 x 1.3
    window.dark_action.trigger()
    qtbot.waitUntil(lambda: preview.look.dark and not preview._in_flight, timeout=10000)
    _wait_render(qtbot, preview)
    text = next(f for f in _fragments(preview.browser) if len(f[0]) > 40 and f[1] == 21)
    assert QColor(text[3]).lightness() > 200  # light text on a dark page
    window.device_actions[375].trigger()
    window.settings.sync()
    window.session.discard_changes()
    window.close()
    window.session.tasks.wait(10000)

    again = make_window(qtbot, library)
    assert again.large_text_action.isChecked() and again.dark_action.isChecked()
    assert again.device_actions[375].isChecked() and again.preview.device_width == 375
    assert again.preview.look.large and again.preview.look.dark
    again.session.discard_changes()


def test_a_look_change_keeps_the_scroll_and_another_entry_still_opens_at_the_question(qtbot, library):
    window = make_window(qtbot, library)
    preview = window.preview
    open_and_wait(qtbot, window, "entries/birth-recovery/difficult-birth-experience.md")
    bar = preview.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10000)
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    renders = preview.renders
    window.dark_action.trigger()
    qtbot.waitUntil(lambda: preview.renders > renders and not preview._in_flight, timeout=10000)
    assert abs(bar.value() - kept) <= 2  # the same entry, seen in the dark: where it was
    assert preview.frame.desk_bar.value() == bar.value()  # the desk's scroll bar follows the page
    renders = preview.renders
    assert window.open_entry(LINKED)
    qtbot.waitUntil(lambda: preview.renders > renders and not preview._in_flight, timeout=10000)
    qtbot.waitUntil(lambda: bar.value() == 0, timeout=5000)
    window.session.discard_changes()
