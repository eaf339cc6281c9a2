"""Saving into a read-only folder or onto a full disk: the text and its unsaved state stay, the
message names the file and the reason, and the file on disk stays byte for byte as it was."""
from __future__ import annotations

import errno
import os
import stat

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import git, shared_library  # noqa: E402
from test_ui import CLEAN, make_window, no_modal_dialogs, open_and_wait, type_at_end  # noqa: E402, F401


AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0  # chmod does not stop root from writing


def make_read_only(folder, monkeypatch):
    """A read-only folder: for real, or (as root, where permissions do not apply) as the OS would answer."""
    if AS_ROOT:
        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr("editor.content.atomic.create_temporary", refuse)  # the one writer makes its file there
        return lambda: None
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return lambda: folder.chmod(mode)


def full_disk(monkeypatch):
    """The disk fills while the temporary file is written (every write goes through the one writer)."""
    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("editor.content.atomic.os.fsync", no_space)


def assert_nothing_lost(window, path, before, reason):
    assert window.is_modified() and window.state_label.text() == "Unsaved changes"
    assert window.editor.toPlainText().endswith("Words to keep.")
    message = window.banner.label.text()
    assert window.banner.isVisible() and CLEAN in message and reason in message and "unchanged" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(p.name for p in path.parent.iterdir()
                                                                   if not p.name.startswith("."))


@pytest.mark.parametrize("failure", ["read-only folder", "full disk", "rename fails"])
def test_failed_save_keeps_text_and_file(qtbot, window, library, monkeypatch, failure):
    path = library / CLEAN
    before = path.read_bytes()
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "Words to keep.")
    window.session.autosave()
    window.session.tasks.wait(10000)
    restore = lambda: None  # noqa: E731
    if failure == "read-only folder":
        restore = make_read_only(path.parent, monkeypatch)
        reason = "Permission denied"
    elif failure == "full disk":
        full_disk(monkeypatch)
        reason = "No space left on device"
    else:
        def rename_fails(source, target):
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr("editor.content.atomic.os.replace", rename_fails)
        reason = "Input/output error"
    try:
        assert window.save() is False
        assert_nothing_lost(window, path, before, reason)
        assert [d.path for d in window.session.recovery.drafts(library)] == [CLEAN]  # the draft is kept too
    finally:
        restore()
    monkeypatch.undo()
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.question", lambda *a, **k: None)
    assert window.save()  # once the disk is fine again, the same text saves
    assert path.read_bytes() == before + b"Words to keep."


def test_read_only_folder_for_real(qtbot, window, library, monkeypatch):
    if AS_ROOT:
        pytest.skip("running as root: permissions do not stop writes (the simulated variant covers it)")
    path = library / CLEAN
    before = path.read_bytes()
    open_and_wait(qtbot, window, CLEAN)
    type_at_end(qtbot, window, "Words to keep.")
    mode = path.parent.stat().st_mode
    path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert window.save() is False
        assert_nothing_lost(window, path, before, "ermission")
    finally:
        path.parent.chmod(mode)


@pytest.fixture
def reviewer_clone(tmp_path):
    return shared_library(tmp_path, [("Ana Ruiz", "ana.ruiz@example.org")])[0]


@pytest.mark.parametrize("failure", ["read-only folder", "full disk"])
@pytest.mark.parametrize("step", ["request", "approve", "changes"])
def test_review_steps_on_a_failing_disk_change_nothing(reviewer_clone, monkeypatch, capsys, failure, step):
    from editor.cli import main

    entry = "entries/sleep/sharing-night-feeds.md"
    path = reviewer_clone / entry
    before, head = path.read_bytes(), git(reviewer_clone, "rev-parse", "HEAD")
    if failure == "read-only folder":
        restore = make_read_only(path.parent, monkeypatch)
        reason = "ermission denied"
    else:
        restore, reason = (lambda: None), "No space left on device"
        full_disk(monkeypatch)
    try:
        args = ["review", step, str(path)] + (["--note", "Soften it"] if step == "changes" else [])
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.startswith("malone-editor: Cannot save entries/sleep/sharing-night-feeds.md") and reason in err
        assert "unchanged" in err and "Traceback" not in err and "internal error" not in err
    finally:
        restore()
    assert path.read_bytes() == before and git(reviewer_clone, "rev-parse", "HEAD") == head
    assert git(reviewer_clone, "status", "--porcelain") == ""  # no temporary file left behind
