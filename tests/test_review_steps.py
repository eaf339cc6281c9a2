"""Review steps are all or nothing (issue 14): git and the identity are checked first, the entry is
written and committed with the repository's hooks, and a commit that fails puts the file back byte for
byte with the reason in plain words. And the reviewer's "Request changes" note reaches the writer:
it is kept in the entry's frontmatter and listed in the queue."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from conftest import ROOT, git, shared_library
from editor.cli import main
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.vcs import git as vcs
from editor.vcs import review
from editor.vcs.commit import commit_entries

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"  # in review in the sample library
OTHER = "entries/feeding/when-feeding-hurts.md"
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
DRAFT = "entries/sleep/worry-at-bedtime.md"
STEPS = {"request": [], "approve": [], "changes": ["--note", "Soften the second paragraph"]}
TARGET = {"request": DRAFT, "approve": ENTRY, "changes": ENTRY}  # an entry each step changes


@pytest.fixture
def reviewer(tmp_path):
    return shared_library(tmp_path, [ANA])[0]


def state(root):
    """Everything a failed step must leave as it was: the files' bytes, HEAD, the index, the status."""
    return ((root / ENTRY).read_bytes(), (root / DRAFT).read_bytes(), git(root, "rev-parse", "HEAD"),
            git(root, "ls-files", "-s"), git(root, "status", "--porcelain"))


def hook(root, name, script) -> None:
    path = root / ".git" / "hooks" / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)


def step(root, name, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["review", name, str(root / TARGET[name]), *STEPS[name]])
    return code, capsys.readouterr().err


# ------------------------------------------------------------------------------------- failures at commit


@pytest.mark.parametrize("name", STEPS)
def test_a_pre_commit_hook_that_refuses_leaves_everything_as_it_was(reviewer, capsys, name):
    hook(reviewer, "pre-commit", "echo 'Spelling: \"teh\" in the second paragraph' >&2\necho 'Run make spell.'\nexit 1\n")
    git(reviewer, "add", "--", "modules.yaml")  # other staged work stays staged, exactly
    before = state(reviewer)
    code, err = step(reviewer, name, capsys)
    assert code == 2
    assert err.startswith(f"malone-editor: The review step could not be committed, so {TARGET[name]} is unchanged")
    assert "refused the commit" in err and 'Spelling: "teh" in the second paragraph' in err and "Run make spell." in err
    assert "Traceback" not in err and "Error" not in err
    assert state(reviewer) == before


@pytest.mark.parametrize("name", STEPS)
def test_a_commit_msg_hook_that_refuses_leaves_everything_as_it_was(reviewer, capsys, name):
    hook(reviewer, "commit-msg", "grep -q 'Ticket:' \"$1\" || { echo 'Every commit needs a Ticket: line.'; exit 1; }\n")
    before = state(reviewer)
    code, err = step(reviewer, name, capsys)
    assert code == 2 and "Every commit needs a Ticket: line." in err and "unchanged" in err
    assert state(reviewer) == before


@pytest.mark.parametrize("name", STEPS)
def test_hooks_run_on_every_review_step(reviewer, capsys, name):
    marker = reviewer / ".git" / "hook-ran"
    hook(reviewer, "pre-commit", f"git diff --cached --name-only >> '{marker}'\n")
    hook(reviewer, "commit-msg", f"echo commit-msg >> '{marker}'\n")
    head = git(reviewer, "rev-parse", "HEAD")
    code, _ = step(reviewer, name, capsys)
    assert code == 0 and git(reviewer, "rev-parse", "HEAD^") == head
    assert marker.read_text(encoding="utf-8").splitlines() == [TARGET[name], "commit-msg"]


def test_hooks_run_on_the_editors_commits_too(reviewer):
    marker = reviewer / ".git" / "hook-ran"
    hook(reviewer, "pre-commit", f"echo pre-commit >> '{marker}'\n")
    (reviewer / OTHER).write_text((reviewer / OTHER).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    commit_entries(Repository.open(reviewer), [OTHER], "A little more")
    assert marker.read_text(encoding="utf-8") == "pre-commit\n"


@pytest.mark.parametrize("name", STEPS)
def test_a_commit_that_fails_for_git_itself_puts_the_file_back(reviewer, capsys, monkeypatch, name):
    """Another git process holds the index: the step fails after the entry was written."""
    lock = reviewer / ".git" / "index.lock"
    before = state(reviewer)
    real = vcs.run

    def locked(root, *args, **kwargs):
        if args[:1] in (("add",), ("commit",)):
            lock.write_text("", encoding="utf-8")
        return real(root, *args, **kwargs)

    monkeypatch.setattr(vcs, "run", locked)
    try:
        code, err = step(reviewer, name, capsys)
    finally:
        lock.unlink(missing_ok=True)
    assert code == 2 and "Another git program" in err and "lock" in err and "unchanged" in err and "Traceback" not in err
    assert state(reviewer) == before


@pytest.mark.parametrize("name", STEPS)
def test_a_full_disk_at_commit_puts_the_file_back_and_says_so(reviewer, capsys, monkeypatch, name):
    """git cannot write its objects: the entry had been written, and is put back byte for byte."""
    real = vcs.run

    def full(root, *args, **kwargs):
        if args[:1] == ("commit",):
            return subprocess.CompletedProcess(["git", *args], 128, "",
                                               "error: unable to write loose object file: No space left on device\n"
                                               "fatal: unable to write new index file\n")
        return real(root, *args, **kwargs)

    monkeypatch.setattr(vcs, "run", full)
    before = state(reviewer)
    code, err = step(reviewer, name, capsys)
    assert code == 2 and "no space left on device" in err and "unchanged" in err
    assert state(reviewer) == before


# ------------------------------------------------------------------------------------ refused before writing


@pytest.fixture
def no_identity(tmp_path, monkeypatch):
    home = tmp_path / "home-no-identity"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("name", STEPS)
def test_no_identity_changes_nothing(reviewer, no_identity, capsys, name):
    git(reviewer, "config", "--unset", "user.name")
    git(reviewer, "config", "--unset", "user.email")
    before = state(reviewer)
    code, err = step(reviewer, name, capsys)
    assert code == 2 and "Your git identity is not set" in err and 'git config user.name "Your Name"' in err
    assert state(reviewer) == before


@pytest.mark.parametrize("name", STEPS)
def test_outside_git_changes_nothing(tmp_path, capsys, name):
    root = tmp_path / "plain"
    shutil.copytree(ROOT / "sample_content", root)
    before = (root / TARGET[name]).read_bytes()
    code, err = step(root, name, capsys)
    assert code == 2 and "not a git repository" in err
    assert (root / TARGET[name]).read_bytes() == before


def test_a_step_that_would_change_nothing_says_so_and_commits_nothing(reviewer, capsys):
    before = state(reviewer)
    capsys.readouterr()
    assert main(["review", "request", str(reviewer / ENTRY)]) == 2  # it is in review already
    assert "already" in capsys.readouterr().err
    assert state(reviewer) == before


def test_git_variables_that_would_record_someone_else_refuse_the_approval(reviewer, monkeypatch):
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Build Bot")
    before = state(reviewer)
    with pytest.raises(review.ReviewError, match="as the committer of this approval"):
        review.approve(Repository.open(reviewer), ENTRY)
    assert state(reviewer) == before


# -------------------------------------------------------------------------------------------- review notes


NOTE = "Soften the second paragraph.\nAnd check the 988 link: ---\n#not a comment, key: value 'quoted' \"too\""


def test_request_changes_keeps_the_note_in_the_frontmatter_for_the_writer(reviewer):
    repo = Repository.open(reviewer)
    body = Entry.load(reviewer, ENTRY).body
    sha = review.request_changes(repo, ENTRY, NOTE, today=dt.date(2026, 11, 25))
    entry = Entry.load(reviewer, ENTRY)
    assert entry.status == "draft" and entry.body == body  # the body, and so its hash, untouched
    assert review.note_of(entry) == review.ReviewNote("ana.ruiz@example.org", "2026-11-25", NOTE)
    assert entry.meta["review_note"] == {"by": "ana.ruiz@example.org", "date": "2026-11-25", "note": NOTE}
    assert NOTE.splitlines()[0] in git(reviewer, "log", "-1", "--format=%B", sha)
    item = next(i for i in review.queue(repo) if i.path == ENTRY)
    assert item.note.note == NOTE and "\n" not in item.detail  # one line in the queue, the whole note kept
    assert git(reviewer, "status", "--porcelain") == ""
    from conftest import findings_of

    assert [f.rule for f in findings_of(reviewer, paths=[ENTRY])] == []  # the schema knows review_note


def test_the_queue_lists_changes_requested_with_the_note(reviewer, capsys):
    review.request_changes(Repository.open(reviewer), ENTRY, "Soften the second paragraph", today=dt.date(2026, 11, 25))
    items = [i for i in review.queue(Repository.open(reviewer)) if i.path == ENTRY]
    assert [(i.reason, i.note.note) for i in items] == [("changes-requested", "Soften the second paragraph")]
    capsys.readouterr()
    assert main(["review", "queue", str(reviewer)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if ENTRY in line)
    assert line.startswith("changes-requested ")
    assert "Ana Ruiz asked on 2026-11-25: Soften the second paragraph" in line
    assert main(["review", "queue", str(reviewer), "--format", "json"]) == 0
    item = next(i for i in json.loads(capsys.readouterr().out)["queue"] if i["path"] == ENTRY)
    assert item["reason"] == "changes-requested"
    assert item["note"] == {"by": "ana.ruiz@example.org", "date": "2026-11-25", "note": "Soften the second paragraph"}


@pytest.mark.parametrize("answer", ["request", "approve"])
def test_a_new_request_for_review_or_an_approval_clears_the_note(reviewer, answer):
    review.request_changes(Repository.open(reviewer), ENTRY, "Soften it")
    hash_before = Entry.load(reviewer, ENTRY).body_sha256
    if answer == "request":
        review.request_review(Repository.open(reviewer), ENTRY)
    else:
        review.approve(Repository.open(reviewer), ENTRY)
    entry = Entry.load(reviewer, ENTRY)
    assert review.note_of(entry) is None and "review_note" not in entry.text
    assert entry.body_sha256 == hash_before
    assert entry.status == ("in-review" if answer == "request" else "approved")
    assert all(i.reason != "changes-requested" for i in review.queue(Repository.open(reviewer)) if i.path == ENTRY)


def test_a_review_step_on_a_folder_is_refused_and_changes_nothing(tmp_path, capsys):
    """`review approve entries/sleep` once approved the folder's first entry, unread."""
    import shutil
    import subprocess

    from editor.cli import main
    from editor.resources import sample_content_dir

    root = tmp_path / "lib"
    shutil.copytree(sample_content_dir(), root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Ana Ruiz", "-c", "user.email=ana.ruiz@example.org",
                    "commit", "-qm", "start"], check=True)
    before = {p: p.read_bytes() for p in (root / "entries").rglob("*.md")}
    for step in ("approve", "request"):
        code = main(["review", step, str(root / "entries" / "sleep")])
        err = capsys.readouterr().err
        assert code == 2 and "is not one entry" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in (root / "entries").rglob("*.md")} == before
