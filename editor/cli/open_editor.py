"""``malone-editor`` and ``malone-editor open PATH``: the desktop editor.

Without a display Qt aborts the process with several lines about platform plugins, so whether a
window can open is decided here first, before Qt loads."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from editor.cli.common import UsageError

HELP = "open a repository or an entry in the desktop editor"

X11 = {"xcb"}
WAYLAND = {"wayland", "wayland-egl", "wayland-brcm"}
ADVICE = ("run malone-editor inside a desktop session, or set DISPLAY (X11) or WAYLAND_DISPLAY; "
          "QT_QPA_PLATFORM=offscreen runs it without a window")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a content repository, or an entry inside one")


def run(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem is not None:
        raise UsageError(f"no display found: {problem}; {ADVICE}")
    try:
        from editor.app import run as start
    except ImportError as exc:
        raise UsageError(f"the desktop editor cannot start: {exc}") from None
    return start(getattr(args, "path", None))


def display_problem(environ: Mapping[str, str] | None = None, system: str | None = None) -> str | None:
    """Why no window can open here, or ``None`` when one can or this cannot be told beforehand:
    only on Linux and the BSDs, and only for Qt's X11 and Wayland platforms (the default there).
    A display that is named but does not answer counts as none."""
    env = os.environ if environ is None else environ
    system = sys.platform if system is None else system
    if not (system.startswith("linux") or "bsd" in system or system.startswith("dragonfly")):
        return None
    requested = [name.split(":")[0].strip() for name in env.get("QT_QPA_PLATFORM", "").split(";")]
    requested = [name for name in requested if name]
    if any(name not in X11 | WAYLAND for name in requested):
        return None  # offscreen, vnc, eglfs, ...: no display needed, or nothing known about it
    wants_wayland = not requested or any(name in WAYLAND for name in requested)
    wants_x11 = not requested or any(name in X11 for name in requested)
    x11, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if wants_x11 and wants_wayland and not x11 and not wayland:
        return "neither DISPLAY nor WAYLAND_DISPLAY is set"
    problems = []
    if wants_wayland and (wayland or not wants_x11):  # when either would do, only the one named
        if not wayland:
            problems.append("WAYLAND_DISPLAY is not set")
        elif wayland_reachable(wayland, env.get("XDG_RUNTIME_DIR", "")):
            return None
        else:
            problems.append(f"the Wayland display '{wayland}' (WAYLAND_DISPLAY) does not answer")
    if wants_x11 and (x11 or not wants_wayland):
        if not x11:
            problems.append("DISPLAY is not set")
        else:
            reachable = x11_reachable(x11)
            if reachable:
                return None
            if reachable is None:  # Qt's X11 plugin would abort on it
                problems.append(f"DISPLAY is '{x11}', which is not an X display name (such as ':0')")
            else:
                problems.append(f"the X display '{x11}' (DISPLAY) does not answer")
    return " and ".join(problems)


def x11_reachable(display: str, timeout: float = 2.0) -> bool | None:
    """Whether an X server answers at ``display`` (``[host]:n[.screen]``): its local socket
    ``/tmp/.X11-unix/Xn`` (Linux's abstract one too), or TCP port 6000+n on ``host``.
    ``None`` when the name is not one this understands."""
    if display.startswith("/"):  # a socket path and a display number, as launchd names them
        path, colon, number = display.rpartition(":")
        return _unix_answers(path, timeout) if colon and number.split(".", 1)[0].isdigit() else None
    name = display.split("/", 1)[1] if "/" in display else display
    host, colon, rest = name.rpartition(":")
    number = rest.split(".", 1)[0]
    if not colon or not number.isdigit():
        return None
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        candidates = ["\0" + path, path] if sys.platform.startswith("linux") else [path]
        return any(_unix_answers(candidate, timeout) for candidate in candidates)
    import socket  # here: only the editor's own start asks

    try:
        with socket.create_connection((host.strip("[]"), 6000 + int(number)), timeout=timeout):
            return True
    except OSError:
        return False


def wayland_reachable(name: str, runtime_dir: str, timeout: float = 2.0) -> bool:
    """Whether a Wayland compositor answers at ``name`` (a socket path, or a name in XDG_RUNTIME_DIR)."""
    path = name if name.startswith("/") else os.path.join(runtime_dir, name) if runtime_dir else ""
    return bool(path) and _unix_answers(path, timeout)


def _unix_answers(path: str, timeout: float) -> bool:
    import socket

    if not hasattr(socket, "AF_UNIX"):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        try:
            client.connect(path)
        except OSError:
            return False
    return True
