"""The review board panel: five columns of cards (Draft, In review, Changes requested, Approved,
Due soon / overdue), each card the question over its writer, how long it has waited and its open
comments; buttons for the selected card. It shows a Board (``editor.vcs.board``) and says what was
asked of it by signals; the steps themselves are the Review menu's (``review_menu``)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QPen
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QListView, QPushButton, QSizePolicy,
                               QStyle, QStyledItemDelegate, QVBoxLayout, QWidget)

from editor.lazy import lazy

updates = lazy("editor.vcs.board_update")

COLUMNS = ("draft", "in-review", "changes-requested", "approved", "due")
TITLES = {"draft": "Draft", "in-review": "In review", "changes-requested": "Changes requested",
          "approved": "Approved", "due": "Due soon / overdue"}
FLAGS = {"void": "Approval void", "overdue": "Overdue", "due": "Due soon"}
FLAG_COLOURS = {"void": "#b3261e", "overdue": "#9a5b00", "due": "#5a5a00"}
PATH_ROLE = Qt.ItemDataRole.UserRole
CARD_ROLE = Qt.ItemDataRole.UserRole + 1
PAD = 6


def card_lines(card) -> tuple[str, str]:
    """The two lines of a card: its question, then who, how long, and what else matters."""
    parts = [card.headline or FLAGS[card.flag]] if card.flag in FLAGS else []
    parts += [card.writer + (" (not committed)" if card.uncommitted else ""), f"for {card.waiting}"]
    if card.asked:
        parts.append(f"asked {card.asked}")
    if card.comments:
        parts.append(f"{card.comments} open comment" + ("" if card.comments == 1 else "s"))
    return card.question, " \u00b7 ".join(parts)


class CardModel(QStringListModel):
    """One column's cards (a list model: ten thousand cards cost nothing until they are seen). Qt's
    string list, of empty strings, counts the rows: a list view lays out every row by asking the
    model for its index, which in a Python model is two calls into Python a row (100,000 for the
    board of a 50,000-entry library, on the UI thread, each waiting for the interpreter lock).
    ``cards`` is the board's own list of the column: a change of one card (``editor.vcs.board_update``)
    has moved it there already, and ``moved_in``/``moved_out``/``changed`` say so to the views."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cards: list = []

    def set_cards(self, cards: list) -> None:
        """Show ``cards`` (kept, not copied); the rows are counted in C++, with no list of them made
        in Python for PySide to convert."""
        self.cards = cards
        self.setStringList([])
        if cards:
            self.insertRows(0, len(cards))

    def moved_out(self, row: int) -> None:
        self.removeRows(row, 1)

    def moved_in(self, row: int) -> None:
        self.insertRows(row, 1)

    def changed(self, row: int) -> None:
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def flags(self, index):
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.cards):
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(card_lines(card))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [card.question, card_lines(card)[1]] + ([card.detail] if card.detail else []) + [card.path]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(card_lines(card))
        if role == PATH_ROLE:
            return card.path
        if role == CARD_ROLE:
            return card
        return None


class CardDelegate(QStyledItemDelegate):
    """A card: a framed box, the question in bold over a quieter line of who, how long and what else
    (in the flag's colour in the Due column), each elided to the column's width."""

    def _fonts(self, option) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.92))
        return bold, small

    def sizeHint(self, option, index):  # noqa: N802 - Qt's name
        bold, small = self._fonts(option)
        return QSize(120, QFontMetrics(bold).height() + QFontMetrics(small).height() + 2 * PAD + 3)

    def paint(self, painter, option, index):
        card = index.data(CARD_ROLE)
        if card is None:
            return super().paint(painter, option, index)
        question, line = card_lines(card)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        box = option.rect.adjusted(1, 1, -1, -1)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        fill = palette.color(QPalette.ColorRole.Highlight) if selected else palette.color(QPalette.ColorRole.Base)
        edge = QColor(FLAG_COLOURS.get(card.flag, "#c9ced6"))
        painter.setPen(QPen(edge, 1.5 if card.flag else 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 4, 4)
        bold, small = self._fonts(option)
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        width = box.width() - 2 * PAD
        top = box.top() + PAD
        painter.setFont(bold)
        painter.setPen(text)
        height = QFontMetrics(bold).height()
        painter.drawText(QRect(box.left() + PAD, top, width, height), Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(bold).elidedText(question, Qt.TextElideMode.ElideRight, width))
        painter.setFont(small)
        quiet = text if selected else QColor(FLAG_COLOURS.get(card.flag, "#5b6270"))
        painter.setPen(quiet)
        painter.drawText(QRect(box.left() + PAD, top + height + 1, width, QFontMetrics(small).height()),
                         Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(small).elidedText(line, Qt.TextElideMode.ElideRight, width))
        painter.restore()


class ReviewBoardPanel(QWidget):
    entryActivated = Signal(str)  # a card was activated: open its entry
    selectionChanged = Signal()  # ``selected()`` is another card (or none)
    stepRequested = Signal(str, str)  # a button: the step (request, approve, changes) and the card's path

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Review board")
        self.summary = QLabel("Reading the library\u2026")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.open_button = QPushButton("Open")
        self.buttons = {"request": QPushButton("Request Review\u2026"), "approve": QPushButton("Approve\u2026"),
                        "changes": QPushButton("Request Changes\u2026")}
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        self.open_button.clicked.connect(self._open_selected)
        header.addWidget(self.open_button)
        for step, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, step=step: self._step(step))
            header.addWidget(button)
        self.models: dict[str, CardModel] = {}
        self.views: dict[str, QListView] = {}
        self.titles: dict[str, QLabel] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for column in COLUMNS:
            model = CardModel(self)
            view = QListView()
            view.setModel(model)
            view.setItemDelegate(CardDelegate(view))
            view.setAccessibleName(TITLES[column])
            view.setUniformItemSizes(True)  # every card is two lines
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
            view.setSpacing(2)
            view.activated.connect(self._activated)
            view.doubleClicked.connect(self._activated)
            view.selectionModel().currentChanged.connect(lambda current, _previous, column=column:
                                                         self._current(column, current))
            title = QLabel(TITLES[column])
            title.setStyleSheet("font-weight: 600")
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(title)
            box.addWidget(view, 1)
            row.addLayout(box, 1)
            self.models[column], self.views[column], self.titles[column] = model, view, title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(header)
        layout.addLayout(row, 1)
        self.selected_path: str | None = None
        self.board = None  # the Board shown
        self._moving = False  # a card is being moved: the views' passing current rows are not a choice
        self.set_rights(None)

    # ------------------------------------------------------------------ showing

    def show_board(self, board) -> None:
        keep = self.selected_path
        self.board = board
        for column in COLUMNS:
            self.models[column].set_cards(board.columns.setdefault(column, []))
            self._title(column)
        self._summarise()
        self.selected_path = None
        if keep is not None:
            self.select(keep)
        if self.selected_path is None:
            self.selectionChanged.emit()

    def apply_move(self, move) -> None:
        """One card of the board shown changed, came or went (``editor.vcs.board_update.Move``); the
        selection stays on the card it was on, wherever that went."""
        if self.board is None:  # nothing shown yet: the build that shows it has the change
            return
        keep = self.selected_path
        self._moving = True
        try:
            if move.old is not None and move.old == move.new:
                self.models[move.old[0]].changed(move.old[1])
            else:
                if move.old is not None:
                    self.models[move.old[0]].moved_out(move.old[1])
                if move.new is not None:
                    self.models[move.new[0]].moved_in(move.new[1])
        finally:
            self._moving = False
        for column in {place[0] for place in (move.old, move.new) if place is not None}:
            self._title(column)
        self._summarise()
        if keep is None:
            return
        self.selected_path = None
        if not self.select(keep, scroll=keep == move.path):
            for view in self.views.values():
                view.selectionModel().clear()
        if self.selected_path is None or keep == move.path:  # gone, or its card (and so its buttons) changed
            self.selectionChanged.emit()

    def _title(self, column: str) -> None:
        self.titles[column].setText(f"{TITLES[column]} ({len(self.models[column].cards)})")

    def _summarise(self) -> None:
        board = self.board
        waiting = len(board.columns.get("in-review", []))
        due = len(board.columns.get("due", []))
        self.summary.setText(f"{board.count} entries: {waiting} waiting for a review, {due} approval"
                             + ("" if due == 1 else "s") + " due or void"
                             + ("" if board.repository else " \u2014 not a git repository, so no history"))

    def cards(self, column: str) -> list:
        return self.models[column].cards

    def column_of(self, path: str) -> str | None:
        place = self._position(path)
        return place[0] if place is not None else None

    def _position(self, path: str) -> tuple[str, int] | None:
        return updates.position(self.board, path) if self.board is not None else None

    def select(self, path: str, scroll: bool = True) -> bool:
        place = self._position(path)
        if place is None:
            return False
        column, number = place
        view = self.views[column]
        index = self.models[column].index(number)
        if view.currentIndex() == index:  # already current (a card moved within its column): no signal comes
            self._current(column, index)
        else:
            view.setCurrentIndex(index)
        if scroll:
            view.scrollTo(view.currentIndex())
        return True

    def selected(self):
        for column in COLUMNS:
            index = self.views[column].currentIndex()
            cards = self.models[column].cards
            if index.isValid() and index.row() < len(cards) and cards[index.row()].path == self.selected_path:
                return cards[index.row()]
        return None

    def set_rights(self, rights: dict | None) -> None:
        """Each step's button as the selected card allows it (None: no card is selected)."""
        self.open_button.setEnabled(rights is not None)
        self.open_button.setToolTip("Open the selected card's entry" if rights is not None else "Select a card first")
        for step, button in self.buttons.items():
            right = rights.get(step) if rights else None
            button.setEnabled(bool(right and right.enabled))
            button.setToolTip(right.reason if right else "Select a card first")

    # ------------------------------------------------------------------ what was asked

    def _current(self, column: str, current: QModelIndex) -> None:
        if not current.isValid() or self._moving or current.row() >= len(self.models[column].cards):
            return
        for other, view in self.views.items():  # one card selected on the whole board
            if other != column and view.currentIndex().isValid():
                view.selectionModel().clear()
        self.selected_path = self.models[column].cards[current.row()].path
        self.selectionChanged.emit()

    def _activated(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE)
        if path:
            self.entryActivated.emit(path)

    def _open_selected(self) -> None:
        if self.selected_path:
            self.entryActivated.emit(self.selected_path)

    def _step(self, step: str) -> None:
        if self.selected_path:
            self.stepRequested.emit(step, self.selected_path)
