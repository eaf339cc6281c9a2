"""Symbolic links under entries/: one that leads outside the repository is reported (`symlink-outside`,
error) and never read or written through; one that stays inside is an ordinary entry whose link is kept."""
from __future__ import annotations

import json
import os
import shutil

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import ROOT, RepoBuilder, entry_text, findings_of, git  # noqa: E402
from test_ui import no_modal_dialogs  # noqa: E402, F401 - autouse: a modal dialog would wait forever offscreen

from editor.content.paths import WriteError, atomic_write  # noqa: E402
from editor.content.repository import Repository, list_entry_paths  # noqa: E402

SECRET = entry_text("### Q: Outside?\n\nA: Someone committed suicide here.\n", id="secret")


@pytest.fixture
def linked(tmp_path):
    """A repository with a file link and a folder link leading outside, and a file link staying inside."""
    repo = RepoBuilder(tmp_path / "content")
    repo.entry("sleep/real.md", entry_text())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    os.symlink(outside / "secret.md", repo.root / "entries/sleep/evil.md")
    os.symlink(outside, repo.root / "entries/elsewhere")
    os.symlink("real.md", repo.root / "entries/sleep/alias.md")
    return repo.root, outside


def test_links_leading_outside_are_listed_and_reported(linked):
    root, _ = linked
    assert list_entry_paths(root) == ["entries/elsewhere", "entries/sleep/alias.md", "entries/sleep/evil.md",
                                      "entries/sleep/real.md"]
    found = findings_of(root)
    bad = [(f.path, f.rule, f.severity, f.category) for f in found if f.path in ("entries/elsewhere",
                                                                                 "entries/sleep/evil.md")]
    assert bad == [("entries/elsewhere", "symlink-outside", "error", "format"),
                   ("entries/sleep/evil.md", "symlink-outside", "error", "format")]
    message = next(f.message for f in found if f.path == "entries/sleep/evil.md")
    assert "symbolic link" in message and "outside the repository" in message
    assert not any(f.rule == "suicide-commit" for f in found)  # the outside text was never read
    # the link inside is an ordinary entry: the same findings as the file it points to, and the same id
    assert [f.rule for f in found if f.path in ("entries/sleep/alias.md", "entries/sleep/real.md")] == ["duplicate-id"]


def test_check_command_reports_them(linked):
    from test_cli import run_cli

    root, _ = linked
    result = run_cli("check", root, "--format", "json")
    assert result.returncode == 1
    rules = {(f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert {("entries/sleep/evil.md", "symlink-outside"), ("entries/elsewhere", "symlink-outside")} <= rules
    result = run_cli("render", root / "entries/sleep/evil.md")
    assert result.returncode == 2 and "outside the repository" in result.stderr and "committed" not in result.stdout


def test_core_writers_refuse_to_write_through(linked, tmp_path):
    from editor.vcs import git as vcs
    from editor.vcs import review, sync

    root, outside = linked
    before = (outside / "secret.md").read_bytes()
    git(root, "init", "-q")
    git(root, "config", "user.name", "Ana Ruiz")
    git(root, "config", "user.email", "ana.ruiz@example.org")
    with pytest.raises(WriteError, match="outside the repository"):
        atomic_write(root, "entries/sleep/evil.md", b"overwritten")
    with pytest.raises(WriteError, match="outside the repository"):
        atomic_write(root, "entries/elsewhere/new.md", b"created")
    for call in (lambda: review.request_review(Repository.open(root), "entries/sleep/evil.md"),
                 lambda: review.approve(Repository.open(root), "entries/sleep/evil.md"),
                 lambda: sync.resolve_conflict(root, "entries/sleep/evil.md", "mine\n"),
                 lambda: vcs.discard(root, "entries/sleep/evil.md")):
        with pytest.raises((review.ReviewError, vcs.VcsError), match="outside the repository"):
            call()
    assert (outside / "secret.md").read_bytes() == before and sorted(p.name for p in outside.iterdir()) == ["secret.md"]
    assert os.path.islink(root / "entries/sleep/evil.md")


def test_a_link_inside_is_written_through_and_kept(linked):
    root, _ = linked
    atomic_write(root, "entries/sleep/alias.md", b"new text\n")
    assert os.path.islink(root / "entries/sleep/alias.md")
    assert (root / "entries/sleep/real.md").read_bytes() == b"new text\n"


@pytest.fixture
def window(qtbot, linked, tmp_path, monkeypatch):
    from test_ui import make_window

    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    win = make_window(qtbot, linked[0])
    yield win
    win.session.discard_changes()
    win.close()
    win.session.tasks.wait(10000)


def test_editor_neither_opens_nor_saves_through_a_link_leading_outside(qtbot, window, linked):
    from test_ui import open_and_wait, type_at_end

    root, outside = linked
    before = (outside / "secret.md").read_bytes()
    assert not window.open_entry("entries/sleep/evil.md")
    assert window.banner.isVisible() and "outside the repository" in window.banner.label.text()
    # the file is swapped for a link while it is open: saving refuses, and keeps the text
    open_and_wait(qtbot, window, "entries/sleep/real.md")
    type_at_end(qtbot, window, "Mine.")
    (root / "entries/sleep/real.md").unlink()
    os.symlink(outside / "secret.md", root / "entries/sleep/real.md")
    window.documents.save(overwrite=True)  # as if nothing had changed on disk: only the link guard stops it
    assert "outside the repository" in window.banner.label.text()
    assert window.is_modified() and window.editor.toPlainText().endswith("Mine.")
    assert (outside / "secret.md").read_bytes() == before


def test_editor_saves_a_link_inside_into_its_target(qtbot, window, linked):
    from test_ui import open_and_wait, type_at_end

    root, _ = linked
    open_and_wait(qtbot, window, "entries/sleep/alias.md")
    type_at_end(qtbot, window, "Through the link.")
    assert window.save()
    assert os.path.islink(root / "entries/sleep/alias.md")
    assert (root / "entries/sleep/real.md").read_text(encoding="utf-8").endswith("Through the link.")


def test_new_entry_is_not_created_through_a_folder_link(qtbot, tmp_path, monkeypatch):
    from test_ui import make_window

    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    library = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", library)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(library / "entries/feeding")
    os.symlink(outside, library / "entries/feeding")
    window = make_window(qtbot, library)
    try:
        assert window.create_entry("new-one", "feeding", "How do I start?") is None
        assert "outside the repository" in window.banner.label.text()
        assert list(outside.iterdir()) == []
    finally:
        window.close()
        window.session.tasks.wait(10000)


def test_changes_panel_does_not_show_an_untracked_link_leading_outside(linked):
    from editor.session.collaboration import _diff_html as _diff_for

    root, _ = linked
    shown = _diff_for(root, "entries/sleep/evil.md", "untracked")
    assert "outside the repository" in shown and "committed suicide" not in shown
    assert "How can I rest" in _diff_for(root, "entries/sleep/alias.md", "untracked")


def test_new_entry_with_a_hostile_id_or_module_is_refused(qtbot, window, linked, tmp_path):
    _, outside = linked
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for entry_id, module in (("../../../escaped", "sleep"), ("x", "../../.."), ("x", "elsewhere")):
        assert window.create_entry(entry_id, module, "How?") is None
        assert "outside the repository" in window.banner.label.text()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before and list(outside.iterdir()) == [outside / "secret.md"]
