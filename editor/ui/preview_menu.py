"""The View menu's preview items: Preview Device (a few common phones, a small tablet, or Fit the
Panel), Preview Large Text and Preview Dark, as the app's readers set them; the choices are kept
in the window's settings and come back on the next start."""
from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup

from editor.ui.device_frame import DEFAULT_DEVICE, DEVICES, FIT

DEVICE_KEY, LARGE_KEY, DARK_KEY = "preview/device", "preview/large_text", "preview/dark"


def _flag(settings, key: str) -> bool:
    return str(settings.value(key, False)).lower() in ("true", "1")


def _device(settings) -> int:
    try:
        width = int(settings.value(DEVICE_KEY, DEFAULT_DEVICE))
    except (TypeError, ValueError):
        return DEFAULT_DEVICE
    return width if width in {w for _, w in DEVICES} | {FIT} else DEFAULT_DEVICE


def add_preview_items(window, view) -> None:
    """Adds the items to ``view`` and applies the remembered choices to ``window.preview``."""
    preview, settings = window.preview, getattr(window, "settings", None)
    devices = view.addMenu("Preview &Device")
    group = QActionGroup(window)
    group.setExclusive(True)
    window.device_actions = {}
    chosen = _device(settings) if settings is not None else DEFAULT_DEVICE
    for name, width in (*DEVICES, ("Fit the Panel", FIT)):
        if width == FIT:
            devices.addSeparator()
        action = QAction(f"{name} ({width} px)" if width else name, window, checkable=True)
        action.setData(width)
        action.setChecked(width == chosen)
        group.addAction(action)
        devices.addAction(action)
        window.device_actions[width] = action
    preview.set_device(chosen)

    def choose(action: QAction) -> None:
        preview.set_device(action.data())
        if settings is not None:
            settings.setValue(DEVICE_KEY, action.data())

    group.triggered.connect(choose)

    def toggle(key: str, text: str, apply) -> QAction:
        action = QAction(text, window, checkable=True)
        action.setChecked(settings is not None and _flag(settings, key))
        apply(action.isChecked())

        def changed(on: bool) -> None:
            apply(on)
            if settings is not None:
                settings.setValue(key, on)

        action.toggled.connect(changed)
        view.addAction(action)
        return action

    window.large_text_action = toggle(LARGE_KEY, "Preview &Large Text", lambda on: preview.set_look(large=on))
    window.dark_action = toggle(DARK_KEY, "Preview Dar&k", lambda on: preview.set_look(dark=on))
