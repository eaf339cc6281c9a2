"""``check --changed FILE ...``: what a git hook passes (the changed files, from the repository's top)
decides what is checked: the entries among them, an entry for its comment files, every entry for a
settings file, and nothing for anything else."""
from __future__ import annotations

import json

import pytest
from conftest import entry_text

from editor.cli import main

BAD = entry_text().replace("Broken sleep is hard", "You are just a bad sleeper")


def checked(capsys, *args: str) -> list[str] | str:
    status = main(["check", "--changed", "--format", "json", *args])
    out = capsys.readouterr().out
    if not out.startswith("{"):
        return out
    data = json.loads(out)
    assert status == (1 if data["summary"]["errors"] else 0)
    return sorted({f["path"] for f in data["findings"]})


@pytest.fixture
def library(repo):
    repo.entry("sleep/a.md", entry_text(id="a").replace("module=sleep", "module=sleeep"))
    repo.entry("sleep/b.md", entry_text(id="b").replace("module=sleep", "module=sleeep"))
    repo.write("README.md", "notes\n")
    return repo


def test_only_the_changed_entries_are_checked(library, capsys, monkeypatch):
    monkeypatch.chdir(library.root)
    assert checked(capsys, "entries/sleep/a.md", "README.md") == ["entries/sleep/a.md"]


def test_a_comment_file_checks_its_entry(library, capsys, monkeypatch):
    monkeypatch.chdir(library.root)
    library.write("entries/sleep/b.comments/t1.yaml", "x: 1\n")
    assert checked(capsys, "entries/sleep/b.comments/t1.yaml") == ["entries/sleep/b.md"]


def test_a_settings_file_checks_every_entry(library, capsys, monkeypatch):
    monkeypatch.chdir(library.root)
    assert checked(capsys, "modules.yaml") == ["entries/sleep/a.md", "entries/sleep/b.md"]


def test_no_entry_among_the_changed_files_checks_nothing(library, capsys, monkeypatch):
    monkeypatch.chdir(library.root)
    assert main(["check", "--changed", "README.md", "entries/sleep/gone.md"]) == 0
    assert capsys.readouterr().out == "No entries among the changed files: nothing to check\n"


def test_the_repository_may_be_a_folder_of_the_git_repository(library, capsys, monkeypatch, tmp_path):
    # pre-commit runs from the git repository's top, which may hold the content in a folder
    monkeypatch.chdir(tmp_path)
    rel = library.root.relative_to(tmp_path).as_posix()
    assert checked(capsys, "other/file.txt", f"{rel}/entries/sleep/b.md") == ["entries/sleep/b.md"]
