"""Text from users or content never becomes a git option, and no path leads outside the repository:
real git repositories, hostile names, and a marker file that must never appear."""
from __future__ import annotations

import pytest
from conftest import entry_text, git, shared_library

from editor.content.repository import Repository
from editor.vcs import git as vcs
from editor.vcs import review, sync

READER = ("Ana Ruiz", "ana.ruiz@example.org")
ENTRY = "entries/sleep/sharing-night-feeds.md"


@pytest.fixture
def clone(tmp_path):
    return shared_library(tmp_path, [READER])[0]


@pytest.fixture
def outside(tmp_path):
    path = tmp_path / "outside.md"
    path.write_bytes(entry_text().encode())
    return path


def hostile(marker) -> list[str]:
    return [f"--upload-pack=touch {marker}", f"--output={marker}", f"-c core.pager=touch {marker}",
            f"--exec=touch {marker}", f"-o{marker}", "--help"]


def test_hostile_paths_are_never_options(clone, tmp_path, outside):
    marker = tmp_path / "pwned"
    before = outside.read_bytes()
    for path in hostile(marker):
        with pytest.raises(vcs.VcsError):
            vcs.commit_paths(clone, [path], "Hostile\n")
        assert vcs.history(clone, path) == []
        assert vcs.word_diff(clone, path) == ""
        assert vcs.file_at(clone, git(clone, "rev-parse", "HEAD").strip(), path) is None
        for step in (review.request_review, review.approve):
            with pytest.raises((review.ReviewError, vcs.VcsError)):
                step(Repository.open(clone), path)
    assert not marker.exists() and outside.read_bytes() == before
    assert git(clone, "status", "--porcelain") == ""


@pytest.mark.parametrize("how", ["dotdot", "absolute", "deep"])
def test_paths_outside_the_repository_are_refused(clone, outside, how):
    path = {"dotdot": "../outside.md", "absolute": str(outside), "deep": "entries/../../outside.md"}[how]
    before = outside.read_bytes()
    calls = [lambda: vcs.commit_paths(clone, [path], "Outside\n"), lambda: vcs.history(clone, path),
             lambda: vcs.word_diff(clone, path), lambda: vcs.discard(clone, path),
             lambda: sync.resolve_conflict(clone, path, "mine\n"), lambda: sync.conflict_versions(clone, path),
             lambda: review.request_review(Repository.open(clone), path),
             lambda: review.request_changes(Repository.open(clone), path, "note")]
    for call in calls:
        with pytest.raises(vcs.VcsError, match="outside the repository"):
            call()
    assert outside.read_bytes() == before


def test_an_absolute_path_inside_the_repository_is_fine(clone):
    assert vcs.inside(clone, str(clone / ENTRY)) == ENTRY
    assert vcs.inside(clone, "entries/./sleep/../sleep/sharing-night-feeds.md") == ENTRY


def test_hostile_revisions_are_refused(clone, tmp_path):
    marker = tmp_path / "pwned"
    for sha in [f"--output={marker}", "HEAD~1..HEAD", "-p", "@{upstream}", "", "HEAD --output=x"]:
        with pytest.raises(vcs.VcsError, match="not a commit id"):
            vcs.word_diff(clone, ENTRY, sha)
        with pytest.raises(vcs.VcsError, match="not a commit id"):
            vcs.file_at(clone, sha, ENTRY)
    assert not marker.exists()
    head = git(clone, "rev-parse", "HEAD").strip()
    assert vcs.file_at(clone, head, ENTRY) == (clone / ENTRY).read_text(encoding="utf-8")


def test_identity_values_stay_values(clone, tmp_path):
    marker = tmp_path / "pwned"
    vcs.set_identity(clone, f"--file={marker}", f"--global@{marker}")
    assert git(clone, "config", "user.name").strip() == f"--file={marker}"
    assert git(clone, "config", "user.email").strip() == f"--global@{marker}"
    assert not marker.exists()
    with pytest.raises(vcs.VcsError):
        vcs.set_identity(clone, "Two\nLines", "a@b")


def test_commit_messages_and_notes_stay_messages(clone, tmp_path):
    marker = tmp_path / "pwned"
    path = clone / ENTRY
    path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    sha = vcs.commit_paths(clone, [ENTRY], f"--upload-pack=touch {marker}\n\n-c core.pager=touch {marker}\n")
    assert git(clone, "log", "-1", "--format=%s", sha).strip() == f"--upload-pack=touch {marker}"
    review.request_changes(Repository.open(clone), ENTRY, f"--exec=touch {marker}")
    assert f"--exec=touch {marker}" in git(clone, "log", "-1", "--format=%B")
    assert not marker.exists()


def test_pull_names_the_upstream_after_end_of_options(clone, monkeypatch):
    seen = []
    real = sync._git

    def spy(root, *args, **kwargs):
        seen.append(args)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(sync, "_git", spy)
    other = clone.parent / "other"
    git(clone.parent, "clone", "-q", str(clone.parent / "remote.git"), str(other))
    (other / ENTRY).write_text((other / ENTRY).read_text(encoding="utf-8") + "\nTheirs.\n", encoding="utf-8")
    git(other, "-c", "user.name=O", "-c", "user.email=o@example.org", "commit", "-qam", "Theirs")
    git(other, "push", "-q", "origin", "HEAD")
    assert sync.pull(clone).ok
    merge = next(args for args in seen if args[0] == "merge")
    assert merge[-2:] == ("--end-of-options", "origin/main")


def test_cli_refuses_hostile_and_outside_paths_clearly(clone, tmp_path, outside):
    from test_cli import run_cli

    marker = tmp_path / "pwned"
    before = outside.read_bytes()
    for args in (["review", "request", "--", f"--upload-pack=touch {marker}"],
                 ["review", "approve", "../outside.md"], ["review", "changes", str(outside), "--note", "x"],
                 ["check", str(clone), "../outside.md"], ["check", str(clone), "--", f"-c core.pager=touch {marker}"]):
        result = run_cli(*args, cwd=clone)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.startswith("malone-editor: ")
    assert not marker.exists() and outside.read_bytes() == before
    assert git(clone, "status", "--porcelain") == ""
