"""Comments on the text (issue 17): made in the reviewer's clone, pushed, seen in the writer's after a
pull; following an edit that moves their passage; outdated when it is rewritten; blocking approval
until resolved; two people commenting at once merge without a conflict. Git itself is the oracle for
what the repository holds."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import git, shared_library
from editor.cli import main
from editor.content import comments
from editor.content.comments import CommentError
from editor.content.repository import Repository
from editor.vcs import comment_steps, review
from editor.vcs.review import ReviewError

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
WENDY = ("Wendy Writer", "wendy@example.org")
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
PASSAGE = "It can feel unfair and frustrating."


@pytest.fixture
def clones(tmp_path):
    return shared_library(tmp_path, [WENDY, ANA])


def listed(root, path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["review", "comments", str(root / path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["comments"]


def findings(root, capsys) -> list[dict]:
    capsys.readouterr()
    main(["check", str(root), "--format", "json", "--no-cache"])
    return [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "open-comment"]


def test_a_comment_travels_follows_edits_goes_outdated_and_blocks_approval(clones, capsys):
    writer, reviewer = clones
    thread = comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Could this be gentler?")
    # only the thread's own file was committed, beside the entry
    assert git(reviewer, "show", "--name-only", "--format=", "HEAD").split() == [thread.path]
    assert thread.path == "entries/sleep/cant-sleep-when-baby-sleeps.comments/" + thread.id + ".yaml"
    git(reviewer, "push", "-q")

    git(writer, "pull", "-q", "--ff-only")
    (seen,) = listed(writer, ENTRY, capsys)
    assert seen["comment"]["text"] == "Could this be gentler?" and seen["comment"]["name"] == "Ana Ruiz"
    assert seen["open"] and not seen["outdated"]
    line = seen["line"]
    (finding,) = findings(writer, capsys)
    assert finding["line"] == line and finding["severity"] == "warning" and "Could this be gentler?" in finding["message"]

    # the writer adds a paragraph above and re-wraps the commented line: the comment follows it
    text = (writer / ENTRY).read_text(encoding="utf-8")
    text = text.replace("A: You're not alone", "A: First, a new paragraph.\n\nYou're not alone", 1)
    text = text.replace("It can feel unfair and", "It can feel unfair\nand", 1)
    (writer / ENTRY).write_text(text, encoding="utf-8")
    (moved,) = listed(writer, ENTRY, capsys)
    assert not moved["outdated"] and moved["line"] == line + 2
    (finding,) = findings(writer, capsys)
    assert (finding["line"], finding["end_line"]) == (line + 2, line + 3)

    # a reviewer may not approve while it is open
    with pytest.raises(ReviewError, match="open comment"):
        review.approve(Repository.open(reviewer), ENTRY)

    # the writer rewrites the passage: the comment is outdated, still open
    (writer / ENTRY).write_text(text.replace("It can feel unfair\nand frustrating.", "It is hard."), encoding="utf-8")
    (outdated,) = listed(writer, ENTRY, capsys)
    assert outdated["outdated"] and outdated["open"]
    (finding,) = findings(writer, capsys)
    assert "rewritten" in finding["message"]
    git(writer, "commit", "-qam", "Rewrite")

    # the writer replies and resolves; both reach the reviewer, who can then approve
    comment_steps.reply(writer, ENTRY, thread.id, "Rewritten more simply.")
    comment_steps.resolve(writer, ENTRY, thread.id)
    git(writer, "push", "-q")
    git(reviewer, "pull", "-q", "--ff-only")
    (done,) = listed(reviewer, ENTRY, capsys)
    assert not done["open"] and done["resolved"]["name"] == "Wendy Writer"
    assert [r["text"] for r in done["replies"]] == ["Rewritten more simply."]
    assert findings(reviewer, capsys) == []
    review.approve(Repository.open(reviewer), ENTRY)


def test_two_people_commenting_at_once_merge_without_a_conflict(clones):
    writer, reviewer = clones
    first = comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Gentler?")
    git(reviewer, "push", "-q")
    git(writer, "pull", "-q", "--ff-only")
    comment_steps.reply(writer, ENTRY, first.id, "Working on it")  # the writer replies ...
    second = comment_steps.add_on_words(reviewer, ENTRY, "Knowing why", "Add a source here")  # ... as Ana comments
    git(reviewer, "push", "-q")
    git(writer, "pull", "-q", "--rebase")  # a rebase, not a merge: git's own merge of the two
    git(writer, "push", "-q")
    assert git(writer, "status", "--porcelain") == ""
    threads = {t.id: t for t in comments.load_threads(writer, ENTRY)}
    assert {key: len(t.replies) for key, t in threads.items()} == {first.id: 1, second.id: 0}
    assert all(t.is_open for t in threads.values())


def test_a_failed_commit_leaves_no_comment_behind(clones):
    _, reviewer = clones
    hook = reviewer / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'No commits today.'\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = git(reviewer, "status", "--porcelain")
    with pytest.raises(CommentError, match="No commits today"):
        comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Gentler?")
    assert git(reviewer, "status", "--porcelain") == before
    assert not (reviewer / comments.folder_for(ENTRY)).exists()


def test_writers_unsaved_and_uncommitted_work_is_never_part_of_a_comment_commit(clones):
    writer, _ = clones
    (writer / ENTRY).write_text((writer / ENTRY).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(writer, "add", "modules.yaml")
    comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Note to self")
    assert [line[3:] for line in git(writer, "status", "--porcelain").splitlines()] == [ENTRY]


def test_plain_words_for_what_cannot_be_done(clones, capsys):
    writer, _ = clones
    for args, said in ((["--on", "words that are not there", "--note", "x"], "is not in the text"),
                       (["--on", PASSAGE, "--note", "   "], "Write what the comment says")):
        capsys.readouterr()
        assert main(["review", "comment", str(writer / ENTRY), *args]) == 2
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err
    assert main(["review", "resolve", str(writer / ENTRY), "20260101-nope"]) == 2
    assert "No comment 20260101-nope" in capsys.readouterr().err


def test_a_damaged_comment_file_is_a_finding_not_a_traceback(clones, capsys):
    writer, _ = clones
    folder = writer / comments.folder_for(ENTRY)
    folder.mkdir()
    (folder / "broken.yaml").write_text("quote: [unclosed\n", encoding="utf-8")
    (folder / "other.yaml").write_bytes(b"\xff\xfe not text")
    capsys.readouterr()
    main(["check", str(writer), "--format", "json", "--no-cache"])
    found = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "unreadable-comment"]
    assert len(found) == 2 and all(f["path"] == ENTRY for f in found)
    assert comments.open_counts(writer) == {}  # a file that cannot be read is not counted as open


# ------------------------------------------------------------------ anchoring, on generated text

filler = st.text(alphabet=st.sampled_from("abc .,\n*"), max_size=60)


@settings(max_examples=200, deadline=None)
@given(filler, filler, filler, filler)
def test_a_passage_is_found_again_wherever_it_moves(before, after, new_before, new_after):
    quote = "the gentle passage"
    body = before + " " + quote + " " + after
    start = body.index(quote, len(before))
    thread = comments.new_thread("entries/a.md", body, start, start + len(quote), "a@b", "A", "note")
    moved = new_before + " " + quote + " " + new_after
    span = comments.anchor(thread, moved)
    assert span is not None and moved[span[0]:span[1]] == quote


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.text(min_size=1, max_size=80))
def test_thread_files_round_trip(quote, note):
    if not quote.strip() or not note.strip():
        return
    thread = comments.new_thread("entries/a.md", quote, 0, len(quote), "a@b", "Ana", note)
    again = comments.parse_thread("entries/a.md", thread.id, thread.to_bytes())
    assert again == thread


def test_the_same_words_twice_are_told_apart_by_their_surroundings():
    body = "Rest when you can. Later: the baby naps, and you can rest when you can too."
    second = body.index("rest when you can")
    thread = comments.new_thread("entries/a.md", body, second, second + 17, "a@b", "A", "note")
    edited = "New opening line. " + body.replace("Rest when", "Rest when")
    span = comments.anchor(thread, edited)
    assert span == (second + len("New opening line. "), second + len("New opening line. ") + 17)


def test_comments_move_with_a_renamed_entry_and_go_to_the_backup_of_a_deleted_one(clones, tmp_path):
    from editor.session.entry_ops import delete_entry, rename_entry

    writer, _ = clones
    thread = comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Gentler?")
    renamed = rename_entry(writer, ENTRY, "sleep-when-baby-sleeps")
    assert [t.id for t in comments.load_threads(writer, renamed.new)] == [thread.id]
    assert not (writer / comments.folder_for(ENTRY)).exists()
    staged = git(writer, "diff", "--cached", "--name-status", "-M").split("\n")
    assert any(line.startswith("R") and thread.id in line for line in staged)  # git sees the thread moved
    deleted = delete_entry(writer, renamed.new, tmp_path / "backups", trash=None)
    assert not (writer / comments.folder_for(renamed.new)).exists()
    kept = deleted.backup.parent / (deleted.backup.stem + comments.FOLDER_SUFFIX) / f"{thread.id}.yaml"
    assert kept.is_file() and b"Gentler?" in kept.read_bytes()
