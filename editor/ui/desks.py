"""What the window installs after its own panels: Insert Link (Ctrl+K) and completion after "](?",
and the reviewer's and the editor's desks: the Review panel beside the preview (changes since
approval, comments on the text)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow


def install_desks(window: MainWindow) -> None:
    from editor.ui.insert_link import install_link_tools
    from editor.ui.review_view import ReviewView

    install_link_tools(window)

    window.review = ReviewView(window)
