"""What the window installs after its own panels: Insert Link (Ctrl+K) and completion after "](?",
and the reviewer's and the editor's desks: Link Health (Check > Link Health, What Links Here) and the
Review panel beside the preview (changes since approval, comments on the text)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.ui.main_window import MainWindow


def install_desks(window: MainWindow) -> None:
    from editor.ui.insert_link import install_link_tools
    from editor.ui.link_health_view import install_link_health
    from editor.ui.review_view import ReviewView

    install_link_tools(window)
    install_link_health(window)  # Check > Link Health, What Links Here; the preview's in-app links

    window.review = ReviewView(window)
