"""The window's layout: words first. The text area gets the widest column and most of the height;
the side panels take what is left within limits; the bottom panels are a slim strip. A layout
saved by an earlier run is checked when it comes back, and one that would leave a panel (or the
text) unusably small is replaced by the default. Focus mode hides everything but the text and
the preview."""
from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtWidgets import QApplication, QMainWindow

DEFAULT_SIZE = (1440, 900)
ENTRIES_SHARE, ENTRIES_LIMITS = 0.22, (220, 360)
PREVIEW_SHARE, PREVIEW_LIMITS = 0.30, (300, 520)
BOTTOM_SHARE, BOTTOM_LIMITS = 0.16, (90, 220)
MIN_TEXT_WIDTH, MIN_TEXT_SHARE = 360, 0.55  # the text area: at least this wide, and this share of the height
MIN_PANEL = 150  # a side panel narrower than this shows nothing useful ("rom" in the Id field)


def default_size(window: QMainWindow) -> tuple[int, int]:
    """The window's first size: most of the screen it opens on (never more than all of it)."""
    screen = window.screen() or QApplication.primaryScreen()
    width, height = DEFAULT_SIZE
    if screen is not None:
        area = screen.availableGeometry()
        width = min(max(width, int(area.width() * 0.85)), area.width())
        height = min(max(height, int(area.height() * 0.85)), area.height())
    return width, height


WRITING_COLUMN = 88  # characters: past this, a line is hard to follow back to its start


class WritingColumn(QtCore.QObject):
    """Keeps the text in a centred column of at most WRITING_COLUMN characters, however wide the
    text area grows (at 2560 px a line would otherwise run to 190 characters)."""

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor
        editor.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if watched is self.editor and event.type() in (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange):
            self.update()
        return False

    def update(self) -> None:
        editor = self.editor
        column = editor.fontMetrics().horizontalAdvance("x" * WRITING_COLUMN) + 2 * editor.document().documentMargin()
        room = editor.width() - editor.verticalScrollBar().sizeHint().width() - 2 * editor.frameWidth()
        side = max(0, int(room - column) // 2)
        if editor.viewportMargins().left() != side:
            editor.setViewportMargins(side, 0, side, 0)


def restore_geometry(window: QMainWindow, saved) -> None:
    """The saved size and place, or the default; either way inside the screen it opens on (a
    window saved on a larger screen would otherwise hang over its edges)."""
    if saved is None or not window.restoreGeometry(saved):
        window.resize(*default_size(window))
    screen = window.screen()
    if screen is not None:
        area = screen.availableGeometry()
        if window.width() > area.width() or window.height() > area.height():
            window.resize(min(window.width(), area.width()), min(window.height(), area.height()))


def check(window, restored: bool) -> list[str]:
    """Once the window is shown: the default proportions for a first start, and for a restored
    layout that would leave a panel or the text too small to use, with the writer told why."""
    if not restored:
        apply_default(window)
        return []
    wrong = problems(window)
    if wrong:
        apply_default(window)
        window.say(f"The saved layout was reset: {'; '.join(wrong)}.", 8000)
    return wrong


def _clamp(value: float, limits: tuple[int, int]) -> int:
    return int(max(limits[0], min(limits[1], value)))


def apply_default(window) -> None:
    """The default proportions for the window's current size."""
    width, height = window.width(), window.height()
    horizontal, vertical = QtCore.Qt.Orientation.Horizontal, QtCore.Qt.Orientation.Vertical
    window.resizeDocks([window.entries_dock, window.preview_dock],
                       [_clamp(width * ENTRIES_SHARE, ENTRIES_LIMITS), _clamp(width * PREVIEW_SHARE, PREVIEW_LIMITS)],
                       horizontal)
    window.resizeDocks([window.problems_dock], [_clamp(height * BOTTOM_SHARE, BOTTOM_LIMITS)], vertical)


def problems(window) -> list[str]:
    """What makes the current layout unusable, in words (empty when it is fine)."""
    found = []
    editor = window.editor
    if editor.isVisible():
        if editor.width() < min(MIN_TEXT_WIDTH, window.width() // 3):
            found.append(f"the text is {editor.width()} px wide")
        if editor.height() < window.height() * 0.35:
            found.append(f"the text is {editor.height()} px tall")
    for dock in (window.entries_dock, window.preview_dock):
        if dock.isVisible() and not dock.isFloating() and dock.width() < MIN_PANEL:
            found.append(f"{dock.windowTitle()} is {dock.width()} px wide")
    bottom = [d for d in window.findChildren(type(window.problems_dock))
              if d.isVisible() and not d.isFloating()
              and window.dockWidgetArea(d) == QtCore.Qt.DockWidgetArea.BottomDockWidgetArea]
    if any(d.height() > window.height() * 0.45 for d in bottom):
        found.append("the bottom panels take most of the height")
    return found


def scrolling(widget):
    """``widget`` in a frameless scroll area: a panel in the bottom strip may need more height than
    the strip has (Changes: files, diff, commit message), and it scrolls instead of pushing the
    strip up over the text."""
    from PySide6.QtWidgets import QFrame, QScrollArea

    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setAccessibleName(widget.accessibleName() or "")
    return area


class FocusMode:
    """Hides every panel but the text and the preview, and brings them back as they were."""

    def __init__(self, window):
        self.window = window
        self.hidden: list = []

    @property
    def on(self) -> bool:
        return bool(self.hidden)

    def toggle(self, on: bool | None = None) -> None:
        on = (not self.on) if on is None else on
        window = self.window
        if on and not self.on:
            docks = [d for d in window.findChildren(type(window.preview_dock))
                     if d is not window.preview_dock and d.isVisible()]
            self.hidden = docks + ([window.metadata] if window.metadata.isVisible() else [])
            for widget in self.hidden:
                widget.hide()
            if window.menuBar().isVisible():
                window.say("Focus mode: press F11 (View > Focus Mode) to bring the panels back.", 6000)
        elif not on and self.on:
            for widget in self.hidden:
                widget.show()
            self.hidden = []


def set_tab_order(window) -> None:
    """Tab goes through every panel in reading order: the entry filter, the entries, the form's
    fields, the text, the preview, Problems. Boxes where Tab means nothing to type (a commit's
    description, the sources list) pass it on instead of swallowing it."""
    from PySide6.QtWidgets import QWidget

    form = window.metadata
    chain = [window.browser.filter, window.browser.tree, form.id_field, form.module, form.status, form.tags,
             form.sources, window.editor, window.preview.browser, window.problems.tree]
    for first, second in zip(chain, chain[1:]):
        QWidget.setTabOrder(first, second)
    form.sources.setTabChangesFocus(True)
    changes = getattr(getattr(window, "git", None), "changes", None)
    if changes is not None:
        changes.description.setTabChangesFocus(True)


def open_strip_for(window, findings) -> None:
    """The bottom strip opens when there is something to show: a warning or an error in the open
    entry brings a closed Problems panel back (not in focus mode, and never over another tab)."""
    dock = window.problems_dock
    if dock.isVisible() or getattr(getattr(window, "focus_mode", None), "on", False):
        return
    if any(f.severity in ("error", "warning") for f in findings):
        dock.show()
