"""One entry's change on a built review board (``editor.vcs.board``): its card made again from the
build's own reading (git's history and status, the comment counts, the same clock), taken out of
where it stood and put where it now goes, so the board reads exactly as a build of every row would.
Nothing here is proportional to the library but a list's insert (a move of pointers in C): the
UI thread applies a writer's edit without a build. Qt-free."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from editor.vcs.board import Board, Card, card_for, sort_key


@dataclass(frozen=True)
class Move:
    """What one change did: the card's place before (column, row) and after, None where it was not
    (a new entry) or is no more (a deleted one). Each row is counted in the column as it was just
    then: ``new`` after ``old`` was taken out."""

    path: str
    old: tuple[str, int] | None
    new: tuple[str, int] | None
    card: Card | None


def position(board: Board, path: str) -> tuple[str, int] | None:
    """Where the card of ``path`` stands: its column and row."""
    card = board.card(path)
    if card is None:
        return None
    if board.keys is None:
        board.index()
    keys = board.keys[card.column]
    return card.column, bisect_left(keys, sort_key(card))


def update(board: Board, row) -> Move | None:
    """The card of ``row`` (an index row) made again and put in its place; None when it would show
    exactly what it shows now."""
    if board.context is None:
        raise ValueError("a board made without its build's context cannot be changed a row at a time")
    card = card_for(row, board.context)
    if board.card(row.path) == card:
        return None
    return _place(board, row.path, card)


def remove(board: Board, path: str) -> Move | None:
    """The card of ``path`` taken off (its entry is gone); None when it was not on the board."""
    if board.card(path) is None:
        return None
    return _place(board, path, None)


def _place(board: Board, path: str, card: Card | None) -> Move:
    board.card(path)  # the index of paths exists from here on
    if board.keys is None:
        board.index()
    old = position(board, path)
    if old is not None:
        column, number = old
        if card is not None and card.column == column:
            keys = board.keys[column]
            key = sort_key(card)
            before = keys[number - 1] if number else None
            after = keys[number + 1] if number + 1 < len(keys) else None
            if (before is None or before < key) and (after is None or key < after):  # it stays where it is
                board.columns[column][number] = card
                keys[number] = key
                board._by_path[path] = card
                return Move(path, old, old, card)
        del board.columns[column][number]
        del board.keys[column][number]
        del board._by_path[path]
    new = None
    if card is not None:
        keys = board.keys.setdefault(card.column, [])
        cards = board.columns.setdefault(card.column, [])
        key = sort_key(card)
        number = bisect_left(keys, key)
        keys.insert(number, key)
        cards.insert(number, card)
        board._by_path[path] = card
        new = (card.column, number)
    return Move(path, old, new, card)
