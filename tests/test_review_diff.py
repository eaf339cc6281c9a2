"""Changes since approval (issue 17): over real histories made in two clones of one shared library,
the words and fields that changed since the text a reviewer last approved, through a second
approval and a rename; and the marks in the rendered text checked against markdown-it's own
rendering of the new text."""
from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import git, shared_library
from editor.cli import main
from editor.content.repository import Repository
from editor.render import diff as diffs
from editor.render.html import RenderOptions, render_body
from editor.vcs import review
from editor.vcs.since_approval import CHANGED, NEVER, UNCHANGED, word_ops

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
WENDY = ("Wendy Writer", "wendy@example.org")
ANA = ("Ana Ruiz", "ana.ruiz@example.org")


def diff_json(root, path, capsys) -> dict:
    capsys.readouterr()
    assert main(["review", "diff", str(root / path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def edit(root, path, old, new) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit_push(root, message) -> None:
    git(root, "commit", "-qam", message)
    git(root, "push", "-q")


def approve_and_push(root, path) -> None:
    git(root, "pull", "-q", "--ff-only")
    review.approve(Repository.open(root), path)
    git(root, "push", "-q")


def changed_words(data) -> list[tuple[str, str]]:
    return [(w["change"], w["text"].strip()) for w in data["words"] if w["change"] != "same"]


def test_a_history_of_two_approvals_an_edit_and_a_rename(tmp_path, capsys):
    writer, reviewer = shared_library(tmp_path, [WENDY, ANA])
    data = diff_json(writer, ENTRY, capsys)
    assert data["state"] == NEVER and data["approved"] is None
    assert changed_words(data)[0][0] == "added" and len(changed_words(data)) == 1  # all of it is new

    approve_and_push(reviewer, ENTRY)
    git(writer, "pull", "-q", "--ff-only")
    assert diff_json(writer, ENTRY, capsys)["state"] == UNCHANGED

    edit(writer, ENTRY, "Many new parents lie awake", "Lots of new parents lie awake")
    edit(writer, ENTRY, "tags: [insomnia, sleep, anxiety]", "tags: [insomnia, sleep, worry]")
    commit_push(writer, "Gentler wording")
    git(reviewer, "pull", "-q", "--ff-only")
    data = diff_json(reviewer, ENTRY, capsys)
    first_approval = git(reviewer, "log", "-n1", "--format=%H", "--grep=^Approve:", "--", ENTRY).strip()
    assert data["state"] == CHANGED and data["approved"]["commit"] == first_approval
    assert data["approved"]["reviewer_name"] == "Ana Ruiz"
    assert changed_words(data) == [("removed", "Many"), ("added", "Lots of")]
    assert data["fields"] == [{"field": "tags", "change": "changed", "before": "[insomnia, sleep, anxiety]",
                               "after": "[insomnia, sleep, worry]"}]

    approve_and_push(reviewer, ENTRY)  # the second approval
    git(writer, "pull", "-q", "--ff-only")
    edit(writer, ENTRY, "It can feel unfair", "It can feel so unfair")
    git(writer, "mv", ENTRY, "entries/sleep/sleep-when-baby-sleeps.md")  # a rename, in the same commit
    commit_push(writer, "Move and edit")
    git(reviewer, "pull", "-q", "--ff-only")
    data = diff_json(reviewer, "entries/sleep/sleep-when-baby-sleeps.md", capsys)
    second_approval = git(reviewer, "log", "-n1", "--format=%H", "--grep=^Approve:").strip()
    assert second_approval != first_approval
    assert data["state"] == CHANGED and data["approved"]["commit"] == second_approval  # not the first one
    assert changed_words(data) == [("added", "so")]
    assert data["fields"] == []


def test_a_void_approval_is_compared_with_the_body_its_hash_names(tmp_path, capsys):
    """Two approvals in history; the entry now carries the first one's block (restored by hand):
    the text compared is the one that block's body_sha256 names, not simply the newest approval."""
    (reviewer,) = shared_library(tmp_path, [ANA])
    repo = Repository.open(reviewer)
    review.approve(repo, ENTRY)
    first = (reviewer / ENTRY).read_text(encoding="utf-8")
    edit(reviewer, ENTRY, "Many new parents", "Many tired new parents")
    git(reviewer, "commit", "-qam", "edit")
    review.approve(repo, ENTRY)
    block = re.search(r"review:\n(?:  .*\n)+", first).group(0)
    now = (reviewer / ENTRY).read_text(encoding="utf-8")
    (reviewer / ENTRY).write_text(re.sub(r"review:\n(?:  .*\n)+", block, now).replace("Many tired new", "All new"),
                                  encoding="utf-8")
    data = diff_json(reviewer, ENTRY, capsys)
    assert data["state"] == CHANGED
    assert changed_words(data) == [("removed", "Many"), ("added", "All")]  # against the first approved text


def test_text_and_html_formats(tmp_path, capsys):
    (reviewer,) = shared_library(tmp_path, [ANA])
    review.approve(Repository.open(reviewer), ENTRY)
    edit(reviewer, ENTRY, "It can feel unfair and frustrating.", "It can feel hard.")
    capsys.readouterr()
    assert main(["review", "diff", str(reviewer / ENTRY)]) == 0
    text = capsys.readouterr().out
    assert "[-unfair and frustrating-]{+hard+}" in text and "Changes since Ana Ruiz's approval" in text
    assert main(["review", "diff", str(reviewer / ENTRY), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and 'class="inserted"' in page and 'class="deleted"' in page
    assert "**" not in page  # the reader's view: no raw Markdown


def test_a_plain_folder_and_a_file_that_is_not_an_entry(tmp_path, capsys):
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "sample_content", tmp_path / "plain")
    data = diff_json(tmp_path / "plain", ENTRY, capsys)
    assert data["state"] == NEVER
    assert main(["review", "diff", str(tmp_path / "plain" / "entries")]) == 2
    err = capsys.readouterr().err
    assert "not one entry" in err and "Traceback" not in err


# ------------------------------------------------------------------ against independent oracles

words = st.lists(st.sampled_from(["calm", "tired", "baby", "**bold**", "*soft*", "[link](https://a.org)",
                                  "\n\n", "\n- ", "night", "`code`", "&", "<", "feel"]), max_size=25)


@settings(max_examples=150, deadline=None)
@given(words, words)
def test_word_ops_rebuild_both_texts(old, new):
    a, b = " ".join(old), " ".join(new)
    ops = word_ops(a, b)
    assert "".join(t for op, t in ops if op != "-") == b
    assert "".join(t for op, t in ops if op != "+") == a


_DELETED = re.compile(re.escape(diffs.DELETED) + r"[^<]*</span>")
_INSERTED = re.compile(re.escape(diffs.INSERTED) + r"([^<]*)</span>")


@settings(max_examples=150, deadline=None)
@given(words, words)
def test_marked_rendering_is_markdown_its_rendering_of_the_new_text(old, new):
    """Take out what is struck through and unwrap what is marked new: what is left is exactly what
    markdown-it renders for the new text, tag for tag (the reader's view is never bent by the marks)."""
    options = RenderOptions()
    a = "### Q: Why?\n\nA: " + " ".join(old)
    b = "### Q: Why?\n\nA: " + " ".join(new)
    new_html = render_body(b, options)
    marked = diffs.rendered_changes(render_body(a, options), new_html)
    assert _INSERTED.sub(lambda m: m.group(1), _DELETED.sub("", marked)) == new_html


def test_an_approval_forged_with_author_is_not_taken_for_an_approval(tmp_path, capsys):
    """A writer writes Ana's review block by hand and commits it as Ana with --author: the diff does
    not say "nothing has changed since", and the approval confirmation still lets Ana approve."""
    import datetime as dt

    from editor.content.entry import Entry

    writer, reviewer = shared_library(tmp_path, [WENDY, ANA])
    entry = Entry.load(writer, ENTRY)
    today = dt.date.today()
    forged = entry.with_field("review", {"reviewer": ANA[1], "reviewed_on": today, "body_sha256": entry.body_sha256})
    (writer / ENTRY).write_bytes(forged.with_field("status", "approved").to_bytes())
    git(writer, "commit", "-qam", "Approve", f"--author={ANA[0]} <{ANA[1]}>")
    git(writer, "push", "-q")
    git(reviewer, "pull", "-q", "--ff-only")
    data = diff_json(reviewer, ENTRY, capsys)
    assert data["state"] == UNCHANGED and data["unproven"]
    assert "does not prove it" in data["summary"] and "nothing has changed" not in data["summary"]
    from editor.session.approval import preview

    assert not preview(reviewer, ENTRY).already_approved
