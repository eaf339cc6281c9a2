"""Full-text search and renaming, duplicating and deleting entries, without a window: the core of
the library work (editor.session.search, editor.session.entry_ops)."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from conftest import entry_text, git

from editor.session.entry_ops import (EntryOpError, delete_entry, duplicate_entry, fresh_id, id_problem,
                                      name_problem, rename_entry)
from editor.session.search import SearchIndex, body_of, build_texts, normalise

ANSWER_ONLY = """\
### Q: How can I rest when my baby wakes often?

A: Broken sleep is hard. Some parents keep a **notepad** by the bed.
"""


# ------------------------------------------------------------------ search


def test_a_word_only_in_an_answer_finds_its_entry(repo):
    repo.entry("sleep/rest.md", entry_text(ANSWER_ONLY))
    repo.entry("sleep/other.md", entry_text(id="other-entry"))
    index = SearchIndex()
    index.install(build_texts(repo.root, ["entries/sleep/rest.md", "entries/sleep/other.md"]))
    assert index.find("notepad") == {"entries/sleep/rest.md"}
    assert index.find("NOTEPAD bed") == {"entries/sleep/rest.md"}  # every word, any order, any case
    assert index.find("keep a notepad") == {"entries/sleep/rest.md"}  # across the emphasis marks
    assert index.find("notepad sofa") == set()


def test_the_frontmatter_is_not_searched():
    text = entry_text(ANSWER_ONLY, status="approved")
    assert "approved" not in body_of(text)
    assert body_of("### Q: No frontmatter?\n\nA: Fine.\n").startswith("### Q:")
    assert normalise("It\u2019s  **very**\ntired") == "it's very tired"


def test_changes_while_the_texts_are_read_win_over_what_was_read():
    index = SearchIndex()
    index.start_build()
    index.update("entries/a.md", "### Q: A?\n\nA: typed just now\n")
    index.remove("entries/b.md")
    index.install({"entries/a.md": "entries/a.md\nold text", "entries/b.md": "entries/b.md\ngone"})
    assert index.ready
    assert index.find("typed") == {"entries/a.md"}
    assert index.find("gone") == set()
    index.rename("entries/a.md", "entries/c.md")
    assert index.find("typed") == {"entries/c.md"}


def test_search_is_fast_enough_for_ten_thousand_entries():
    words = "parents baby sleep night feed worry calm rest partner doctor midwife gentle".split()
    index = SearchIndex()
    texts = {}
    for number in range(10_000):
        body = " ".join(words[(number + k) % len(words)] for k in range(400))  # about 2,500 characters
        texts[f"entries/m/e{number}.md"] = f"entries/m/e{number}.md\n{body} token{number}"
    texts["entries/m/e7777.md"] += " zebra"
    index.install(texts)
    started = time.perf_counter()
    found = index.find("zebra")
    index.version += 1  # no cached answer
    index.find("midwife token123")
    elapsed = (time.perf_counter() - started) / 2
    assert found == {"entries/m/e7777.md"}
    assert elapsed < 0.15, f"{elapsed * 1000:.0f} ms per search"


# ------------------------------------------------------------------ names and ids


def test_names_and_ids_are_checked():
    assert name_problem("rest") is None
    assert name_problem("../x") and name_problem(".hidden") and name_problem("")
    assert id_problem("Rest Tips", {}) and id_problem("rest--tips", {})
    assert id_problem("rest-tips", {"rest-tips": ("entries/a.md",)}) == \
        "The id 'rest-tips' is already used by entries/a.md."
    assert id_problem("rest-tips", {"rest-tips": ("entries/a.md",)}, "entries/a.md") is None
    assert fresh_id("rest-tips", {"rest-tips", "rest-tips-copy"}) == "rest-tips-copy-2"
    assert fresh_id("rest-tips-copy", {"rest-tips-copy"}) == "rest-tips-copy-2"


# ------------------------------------------------------------------ rename


def test_rename_in_a_plain_folder_keeps_every_byte_and_refuses_a_taken_name(repo):
    raw = entry_text().replace("\n", "\r\n").encode("utf-8")
    repo.entry("sleep/rest-tips.md", raw)
    repo.entry("sleep/taken.md", entry_text(id="taken"))
    with pytest.raises(EntryOpError, match="already exists"):
        rename_entry(repo.root, "entries/sleep/rest-tips.md", "taken")
    assert (repo.root / "entries/sleep/taken.md").read_text(encoding="utf-8") == entry_text(id="taken")
    result = rename_entry(repo.root, "entries/sleep/rest-tips.md", "resting")
    assert result.new == "entries/sleep/resting.md" and not result.with_git
    assert not (repo.root / "entries/sleep/rest-tips.md").exists()
    assert (repo.root / result.new).read_bytes() == raw


def test_rename_with_a_new_id_changes_only_the_id_line(repo):
    raw = entry_text(status="approved").replace("\n", "\r\n").encode("utf-8")
    repo.entry("sleep/rest-tips.md", raw)
    result = rename_entry(repo.root, "entries/sleep/rest-tips.md", "rest-for-parents", "rest-for-parents")
    assert result.new_id == "rest-for-parents" and result.old_id == "rest-tips"
    assert (repo.root / result.new).read_bytes() == raw.replace(b"id: rest-tips", b"id: rest-for-parents")
    # the id alone, the file name kept
    result = rename_entry(repo.root, result.new, "rest-for-parents", "rest-again")
    assert result.new == result.old and b"id: rest-again\r\n" in (repo.root / result.new).read_bytes()


def test_rename_in_a_git_repository_is_git_mv(repo):
    repo.entry("sleep/rest-tips.md", entry_text())
    git(repo.root, "init", "-q", "-b", "main")
    git(repo.root, "add", "-A")
    git(repo.root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "Library\n")
    result = rename_entry(repo.root, "entries/sleep/rest-tips.md", "resting")
    assert result.with_git
    status = git(repo.root, "status", "--porcelain")
    assert "R  entries/sleep/rest-tips.md -> entries/sleep/resting.md" in status
    assert (repo.root / result.new).read_text(encoding="utf-8") == entry_text()


# ------------------------------------------------------------------ duplicate


def test_duplicate_is_a_draft_with_a_fresh_id_and_no_review(repo):
    approved = entry_text(status="approved").replace(
        "status: approved\n", "status: approved\nreview:\n  reviewer: ana.ruiz@example.org\n"
                              "  reviewed_on: 2026-01-05\n  body_sha256: abc\ntags: [sleep]\n")
    repo.entry("sleep/rest-tips.md", approved)
    result = duplicate_entry(repo.root, "entries/sleep/rest-tips.md", "rest-tips-copy")
    assert result.path == "entries/sleep/rest-tips-copy.md"
    copy = (repo.root / result.path).read_text(encoding="utf-8")
    assert copy.startswith("---\nid: rest-tips-copy\nmodule: sleep\nstatus: draft\ntags: [sleep]\n---\n")
    assert "review" not in copy and copy.endswith(approved.split("---\n", 2)[2])
    assert (repo.root / "entries/sleep/rest-tips.md").read_text(encoding="utf-8") == approved  # untouched
    with pytest.raises(EntryOpError, match="already exists"):  # never over a file
        duplicate_entry(repo.root, "entries/sleep/rest-tips.md", "rest-tips-copy")
    assert (repo.root / result.path).read_text(encoding="utf-8") == copy
    assert len(list((repo.root / "entries/sleep").iterdir())) == 2  # no temporary file left


# ------------------------------------------------------------------ delete


def test_delete_keeps_an_identical_backup_then_trashes(repo, tmp_path):
    raw = "\ufeff".encode() + entry_text().encode("utf-8")
    repo.entry("sleep/rest-tips.md", raw)
    trashed = []

    def trash(path):
        trashed.append(path.read_bytes())
        path.unlink()
        return "/trash/rest-tips.md"

    result = delete_entry(repo.root, "entries/sleep/rest-tips.md", tmp_path / "backups", trash,
                          now=dt.datetime(2026, 5, 1, 9, 30))
    assert not (repo.root / "entries/sleep/rest-tips.md").exists()
    assert result.backup == tmp_path / "backups" / "content-20260501-093000-000000" / "entries/sleep/rest-tips.md"
    assert result.backup.read_bytes() == raw and trashed == [raw]
    assert result.trash == "/trash/rest-tips.md"


def test_delete_without_a_trash_is_kept_in_the_backup(repo, tmp_path):
    repo.entry("sleep/rest-tips.md", entry_text())
    result = delete_entry(repo.root, "entries/sleep/rest-tips.md", tmp_path / "backups", trash=lambda p: None)
    assert result.trash is None and not (repo.root / "entries/sleep/rest-tips.md").exists()
    assert result.backup.read_text(encoding="utf-8") == entry_text()


def test_no_backup_no_deletion(repo, tmp_path):
    repo.entry("sleep/rest-tips.md", entry_text())
    blocked = tmp_path / "backups"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(EntryOpError, match="was not deleted"):
        delete_entry(repo.root, "entries/sleep/rest-tips.md", blocked, trash=lambda p: None)
    assert (repo.root / "entries/sleep/rest-tips.md").read_text(encoding="utf-8") == entry_text()


def test_qt_system_trash_when_it_works(repo, tmp_path, monkeypatch):
    from editor.session.entry_ops import default_trash

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    repo.entry("sleep/rest-tips.md", entry_text())
    result = delete_entry(repo.root, "entries/sleep/rest-tips.md", tmp_path / "backups", default_trash)
    assert not (repo.root / "entries/sleep/rest-tips.md").exists()
    assert result.backup.read_text(encoding="utf-8") == entry_text()
    if result.trash is not None:  # Qt found a trash here (not as root, for one): the file is in it, whole
        from pathlib import Path

        assert Path(result.trash).read_text(encoding="utf-8") == entry_text()
