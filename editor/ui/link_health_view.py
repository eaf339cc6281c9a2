"""Link Health in the window: the panel as a dock tabbed with the bottom panels, Check > Link
Health (Ctrl+Shift+L) and Check > What Links Here (Ctrl+Shift+H, for the open entry's module),
Check Web Links with its progress and Cancel in the panel, and an in-app link clicked in the
preview, which says where it leads and shows what links to that module in the panel.
``install_link_health(window)`` adds all of it to a main window (once)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from editor.session.link_health import describe_in_app_link
from editor.ui.link_health import LinkHealthPanel

PANEL_KEY = "Ctrl+Shift+L"
BACKLINKS_KEY = "Ctrl+Shift+H"


class LinkHealthView(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = session = window.session
        self.state = session.links
        self.panel = LinkHealthPanel()
        self.dock = QDockWidget("Link Health", window)
        self.dock.setObjectName("dock-link-health")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.tabify_bottom([self.dock])  # beside Problems and the git panels; Problems stays in front
        self.from_panel = False  # Check Web Links was started here: the panel stays in front
        self.pending_module: str | None = None  # what links here, once the model is built
        self.clicked_target: str | None = None  # the in-app link last clicked in the preview
        self._build_menu()
        panel = self.panel
        panel.useActivated.connect(lambda path, line, column: window.open_entry(path, line, column))
        panel.checkWebRequested.connect(self.check_web_links)
        panel.cancelRequested.connect(session.web.cancel)
        panel.backlinksRequested.connect(self.what_links_here)
        self.state.changed.connect(self._model_changed)
        self.state.progress.connect(panel.set_reading)
        session.libraryChanged.connect(self._library_changed)
        session.web.progress.connect(self._web_progress)
        session.web.finished.connect(self._web_finished)
        self.dock.visibilityChanged.connect(self._visibility_changed)
        window.preview.inAppLinkClicked.connect(self.in_app_link_clicked)
        if session.loaded is not None:
            self._library_changed()

    def _build_menu(self) -> None:
        window = self.window
        menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&Check"), None)
        self.panel_action = QAction("Link &Health", window)
        self.panel_action.setShortcut(QKeySequence(PANEL_KEY))
        self.panel_action.setStatusTip("Every link target with its status and the entries that use it")
        self.panel_action.triggered.connect(self.show_panel)
        self.backlinks_action = QAction("What Links &Here", window)
        self.backlinks_action.setShortcut(QKeySequence(BACKLINKS_KEY))
        self.backlinks_action.setStatusTip("Every entry that links to the module of the open entry")
        self.backlinks_action.triggered.connect(self.what_links_here)
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.panel_action)
            menu.addAction(self.backlinks_action)
        else:
            window.addAction(self.panel_action)
            window.addAction(self.backlinks_action)
        view = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
        if view is not None:
            view.addAction(self.dock.toggleViewAction())

    # ------------------------------------------------------------------ showing it

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.state.activate()
        self.panel.tree.setFocus()

    def show_backlinks(self, module: str) -> None:
        """What links to ``module`` in the panel, brought forward (once the model is built)."""
        self.show_panel()
        if self.state.model is None:
            self.pending_module = module
            self.panel.summary.setText("Finding what links here\u2026")
            return
        self.panel.show_backlinks(module)

    def what_links_here(self) -> None:
        """For the open entry's module; without one, the module chosen in the panel."""
        document = self.session.document
        row = self.session.library.row(document.path) if document is not None else None
        module = row.module if row is not None and row.module else self.panel.chosen_module
        if module is None:
            self.show_panel()
            self.panel.summary.setText("Open an entry, or choose a module above, to see what links to it.")
            return
        self.show_backlinks(module)

    def in_app_link_clicked(self, target: str) -> None:
        """The preview says where the link leads; the panel shows what else links to that module."""
        from editor.content.links import parse_in_app

        self.clicked_target = target
        self.window.preview.show_destination(describe_in_app_link(target, self.session.registry, self.state.model))
        module = parse_in_app(target, None).module
        if module:
            self.show_backlinks(module)
        else:  # a tab: the panel lists that target and its uses
            self.show_panel()
            self.panel.backlinks.setChecked(False)
            self.panel.module.setCurrentIndex(0)
            self.panel.filter.setText(target)

    # ------------------------------------------------------------------ the session's news

    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            self.state.activate()

    def _library_changed(self) -> None:
        registry = self.session.registry
        self.panel.set_modules({slug: m.title for slug, m in registry.modules.items()} if registry else {})

    def _model_changed(self) -> None:
        model = self.state.model
        if model is None:
            return
        self.panel.set_model(model)
        target = self.clicked_target
        if target is not None and self.window.preview.destination.isVisible():
            self.window.preview.show_destination(describe_in_app_link(target, self.session.registry, model))
        if self.pending_module is not None:
            module, self.pending_module = self.pending_module, None
            self.panel.show_backlinks(module)

    def check_web_links(self) -> None:
        self.from_panel = True
        self.session.web.start()

    def _web_progress(self, done: int, total: int) -> None:
        self.panel.set_web_progress(done, total)
        if self.from_panel and not total:
            self.dock.raise_()  # after Problems, which came forward first

    def _web_finished(self) -> None:
        self.panel.set_web_progress(0, 1, running=False)
        if self.from_panel:
            self.from_panel = False
            self.dock.raise_()


def install_link_health(window) -> LinkHealthView:
    if getattr(window, "link_health", None) is None:
        window.link_health = LinkHealthView(window)
    return window.link_health


__all__ = ["LinkHealthView", "install_link_health"]
