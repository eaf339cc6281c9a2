"""Approvals nobody can fake, as far as git can prove it (issue 14): each forgery of an approval makes
``check --verify-history`` exit 1 with a finding on the entry, and genuine approvals pass, however
they reached the branch. Real git throughout: a bare remote, one clone per person."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess

import pytest

from conftest import git, shared_library
from editor.cli import main
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.vcs.review import ReviewError, approve

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"  # in review in the sample library
OTHER = "entries/feeding/when-feeding-hurts.md"  # in review too
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
MAYA = ("Maya Chen", "maya.chen@example.org")  # a writer, not a reviewer


@pytest.fixture
def team(tmp_path):
    writer, reviewer = shared_library(tmp_path, [MAYA, ANA])
    return writer, reviewer


@pytest.fixture
def verify(capsys):
    """``check ROOT PATHS --verify-history --format json``: the exit status and the review findings."""
    def run(root, *paths) -> tuple[int, list[dict]]:
        capsys.readouterr()
        code = main(["check", str(root), *(paths or (ENTRY,)), "--verify-history", "--format", "json"])
        out = capsys.readouterr()
        assert "Traceback" not in out.err, out.err
        return code, [f for f in json.loads(out.out)["findings"] if f["category"] == "review"]

    return run


def assert_caught(result, *words):
    code, findings = result
    assert code == 1, findings
    assert [(f["path"], f["rule"]) for f in findings] == [(ENTRY, "approval-unverified")], findings
    for word in words:
        assert word in findings[0]["message"], findings[0]["message"]


def assert_genuine(result):
    code, findings = result
    assert (code, findings) == (0, []), findings


def approved_bytes(root, path=ENTRY, reviewer=ANA[1], extra_body="") -> bytes:
    """The entry as an approval by ``reviewer`` would write it (optionally after a body edit)."""
    entry = Entry.load(root, path)
    if extra_body:
        entry = entry.with_body(entry.body.rstrip("\n") + "\n\n" + extra_body + "\n")
    block = {"reviewer": reviewer, "reviewed_on": dt.date(2026, 11, 1), "next_review": dt.date(2029, 10, 31),
             "body_sha256": entry.body_sha256}
    return entry.with_field("review", block).with_field("status", "approved").to_bytes()


def as_person(person) -> list[str]:
    return ["-c", f"user.name={person[0]}", "-c", f"user.email={person[1]}"]


def share(source, target, branch="main"):
    git(source, "push", "-q", "origin", branch)
    git(target, "fetch", "-q", "origin")
    if branch == "main":
        git(target, "merge", "-q", "--ff-only", "origin/main")


def ana_approves(reviewer, path=ENTRY) -> str:
    return approve(Repository.open(reviewer), path)


def add_reviewer_line(root, person, by, key: str | None = None, message="List a reviewer"):
    text = (root / "content.yaml").read_text(encoding="utf-8")
    extra = f'    signing_key: "{key}"\n' if key else ""
    if person[1] in text:
        text = text.replace(f"    email: {person[1]}\n", f"    email: {person[1]}\n{extra}")
    else:
        text = text.replace("reviewers:\n", f"reviewers:\n  - name: {person[0]}\n    email: {person[1]}\n{extra}")
    (root / "content.yaml").write_text(text, encoding="utf-8")
    git(root, *as_person(by), "commit", "-q", "-m", message, "--", "content.yaml")


# ---------------------------------------------------------------------------------------------- forgeries


@pytest.mark.parametrize("how", ["author-option", "author-env"])
def test_a_writer_claiming_to_be_the_reviewer_is_caught(team, how, verify):
    writer, _ = team
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    if how == "author-option":
        git(writer, "commit", "-q", "-a", "--author", "Ana Ruiz <ana.ruiz@example.org>", "-m", "Approve")
    else:
        env = dict(os.environ, GIT_AUTHOR_NAME=ANA[0], GIT_AUTHOR_EMAIL=ANA[1])
        subprocess.run(["git", "-C", str(writer), "commit", "-q", "-a", "-m", "Approve"], env=env, check=True)
    assert git(writer, "log", "-1", "--format=%an <%ae>").strip() == "Ana Ruiz <ana.ruiz@example.org>"
    assert_caught(verify(writer), "committed by Maya Chen <maya.chen@example.org>")


def test_reusing_the_reviewers_commit_with_dash_c_is_caught(team, verify):
    writer, reviewer = team
    genuine = ana_approves(reviewer)
    share(reviewer, writer)
    (writer / ENTRY).write_bytes(approved_bytes(writer, extra_body="A sentence Ana never read."))
    git(writer, "commit", "-q", "-a", "-C", genuine)  # Ana's author line, date and message
    assert git(writer, "log", "-1", "--format=%an").strip() == "Ana Ruiz"
    assert_caught(verify(writer), "committed by Maya Chen")


def test_amending_the_reviewers_commit_is_caught(team, verify):
    writer, reviewer = team
    ana_approves(reviewer)
    share(reviewer, writer)
    (writer / ENTRY).write_bytes(approved_bytes(writer, extra_body="Slipped in after the review."))
    git(writer, "commit", "-q", "-a", "--amend", "--no-edit")
    assert git(writer, "log", "-1", "--format=%an|%cn").strip() == "Ana Ruiz|Maya Chen"
    assert_caught(verify(writer), "committed by Maya Chen")


def test_rebasing_the_reviewers_commit_is_caught(team, verify):
    writer, reviewer = team
    git(reviewer, "switch", "-q", "-c", "review")
    ana_approves(reviewer)
    share(reviewer, writer, "review")
    (writer / OTHER).write_text((writer / OTHER).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(writer, "commit", "-q", "-am", "Writer's own work")
    git(writer, "switch", "-q", "-c", "review", "origin/review")
    git(writer, "rebase", "-q", "main")  # recreates Ana's commit, committed by Maya
    git(writer, "switch", "-q", "main")
    git(writer, "merge", "-q", "--ff-only", "review")
    assert_caught(verify(writer), "committed by Maya Chen", "rebased")


def test_cherry_picking_the_reviewers_commit_is_caught(team, verify):
    writer, reviewer = team
    git(reviewer, "switch", "-q", "-c", "review")
    ana_approves(reviewer)
    share(reviewer, writer, "review")
    (writer / OTHER).write_text((writer / OTHER).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(writer, "commit", "-q", "-am", "Writer's own work")
    git(writer, "cherry-pick", "origin/review")
    assert git(writer, "log", "-1", "--format=%an|%cn").strip() == "Ana Ruiz|Maya Chen"
    assert_caught(verify(writer), "committed by Maya Chen")


def test_adding_oneself_as_reviewer_in_the_approving_commit_is_caught(team, verify):
    writer, _ = team
    text = (writer / "content.yaml").read_text(encoding="utf-8")
    (writer / "content.yaml").write_text(text.replace("reviewers:\n", "reviewers:\n  - name: Maya Chen\n"
                                                      "    email: maya.chen@example.org\n"), encoding="utf-8")
    (writer / ENTRY).write_bytes(approved_bytes(writer, reviewer=MAYA[1]))
    git(writer, "commit", "-q", "-am", "Approve, and list myself")
    code, findings = verify(writer)
    assert code == 1 and [f["rule"] for f in findings] == ["approval-unverified"]
    assert "was not a reviewer in content.yaml" in findings[0]["message"]


def test_adding_oneself_in_an_earlier_commit_by_a_non_reviewer_does_not_count(team, verify):
    writer, _ = team
    add_reviewer_line(writer, MAYA, by=MAYA, message="List myself as a reviewer")
    ana_approves(writer)  # the tool reads content.yaml as it is now, which lists Maya ...
    assert Entry.load(writer, ENTRY).meta["review"]["reviewer"] == MAYA[1]
    code, findings = verify(writer)  # ... but the history says nobody listed added her
    assert code == 1 and [f["rule"] for f in findings] == ["approval-unverified"]
    assert "maya.chen@example.org was not a reviewer" in findings[0]["message"]


def test_a_reviewer_listing_another_makes_their_approvals_count(team, verify):
    writer, reviewer = team
    add_reviewer_line(reviewer, MAYA, by=ANA, message="Maya joins the reviewers")
    share(reviewer, writer)
    ana_approves(writer)  # Maya approves, in her own clone
    assert_genuine(verify(writer))


@pytest.mark.parametrize("order", ["merged-into-main", "main-merged-into-it"])
def test_a_reviewers_list_brought_in_from_an_unrelated_history_does_not_count(team, verify, order):
    """A history of Maya's own, whose first content.yaml lists her, merged with the library's: either
    way round (the second makes her line the first parent, and pushing it is a fast-forward), only the
    reviewers both beginnings list stay trusted."""
    writer, _ = team
    text = (writer / "content.yaml").read_text(encoding="utf-8")
    git(writer, "switch", "-q", "--orphan", "mine")
    (writer / "content.yaml").write_text(text.replace("reviewers:\n", "reviewers:\n  - name: Maya Chen\n"
                                                      "    email: maya.chen@example.org\n"), encoding="utf-8")
    git(writer, "add", "content.yaml")
    git(writer, "commit", "-q", "-m", "A library of my own")
    if order == "merged-into-main":
        git(writer, "switch", "-q", "-f", "main")
        git(writer, "merge", "-q", "--allow-unrelated-histories", "-X", "theirs", "--no-edit", "mine")
    else:
        git(writer, "merge", "-q", "--allow-unrelated-histories", "-X", "ours", "--no-edit", "main")
        git(writer, "switch", "-q", "main")
        git(writer, "merge", "-q", "--ff-only", "mine")
        assert git(writer, "log", "-1", "--format=%s", "HEAD^1").strip() == "A library of my own"
    assert "maya.chen@example.org" in (writer / "content.yaml").read_text(encoding="utf-8")
    ana_approves(writer)  # Maya, whom content.yaml now lists
    code, findings = verify(writer)
    assert code == 1 and [f["rule"] for f in findings] == ["approval-unverified"]
    assert "was not a reviewer" in findings[0]["message"]


def test_the_reviewers_email_with_another_name_is_caught(team, verify):
    writer, _ = team
    git(writer, "config", "user.email", ANA[1])
    with pytest.raises(ReviewError, match="Your git name is 'Maya Chen'"):  # the tool refuses ...
        approve(Repository.open(writer), ENTRY)
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    git(writer, "commit", "-q", "-am", "Approve")  # ... and git alone is caught
    assert_caught(verify(writer), "written by Maya Chen <ana.ruiz@example.org>")


def test_a_review_block_typed_by_hand_is_not_in_the_history(team, verify):
    writer, _ = team
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    code, findings = verify(writer)
    assert code == 1 and [f["rule"] for f in findings] == ["approval-uncommitted"]


# --------------------------------------------------------------------------------------------- signatures


def keypair(folder, name):
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed (apt-get install openssh-client)")
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(key)], check=True)
    return key, key.with_suffix(".pub").read_text(encoding="utf-8").strip()


def sign_with(clone, key):
    git(clone, "config", "gpg.format", "ssh")
    git(clone, "config", "user.signingkey", str(key))


@pytest.fixture
def keyed_team(team, tmp_path):
    """Ana's signing key listed in content.yaml (committed by Ana, so it counts), shared with Maya."""
    writer, reviewer = team
    key, public = keypair(tmp_path / "keys", "ana")
    add_reviewer_line(reviewer, ANA, by=ANA, key=public, message="Ana signs her approvals")
    share(reviewer, writer)
    return writer, reviewer, key


def test_signed_approval_with_the_listed_key_passes(keyed_team, verify):
    writer, reviewer, key = keyed_team
    sign_with(reviewer, key)
    ana_approves(reviewer)
    assert git(reviewer, "cat-file", "commit", "HEAD").count("BEGIN SSH SIGNATURE") == 1
    share(reviewer, writer)
    assert_genuine(verify(writer))


def test_an_unsigned_approval_with_every_name_right_is_caught_when_a_key_is_listed(keyed_team, verify):
    writer, _, _ = keyed_team
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    git(writer, *as_person(ANA), "commit", "-q", "-am", "Approve")
    assert git(writer, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == \
        "Ana Ruiz <ana.ruiz@example.org>|Ana Ruiz <ana.ruiz@example.org>"
    assert_caught(verify(writer), "is not signed")


def test_an_approval_signed_with_another_key_is_caught(keyed_team, tmp_path, verify):
    writer, _, _ = keyed_team
    own, _ = keypair(tmp_path / "maya-keys", "maya")
    sign_with(writer, own)
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    git(writer, *as_person(ANA), "commit", "-q", "-S", "-am", "Approve")
    assert_caught(verify(writer), "not signed with the key content.yaml lists")


def test_replacing_the_reviewers_key_needs_her_signature(keyed_team, tmp_path, verify):
    writer, _, _ = keyed_team
    own, public = keypair(tmp_path / "maya-keys", "maya")
    text = (writer / "content.yaml").read_text(encoding="utf-8")
    start = text.index("    signing_key: ")
    end = text.index("\n", start)
    (writer / "content.yaml").write_text(text[:start] + f'    signing_key: "{public}"' + text[end:], encoding="utf-8")
    git(writer, *as_person(ANA), "commit", "-q", "-am", "New key")  # unsigned, so it does not count
    sign_with(writer, own)
    git(writer, "config", "user.name", ANA[0])
    git(writer, "config", "user.email", ANA[1])
    ana_approves(writer)  # signed with Maya's key, which content.yaml now names
    assert_caught(verify(writer), "not signed with the key content.yaml lists")


def test_a_listed_key_and_git_that_cannot_sign_refuses_the_approval(keyed_team):
    _, reviewer, _ = keyed_team
    before, head = (reviewer / ENTRY).read_bytes(), git(reviewer, "rev-parse", "HEAD")
    with pytest.raises(ReviewError) as refused:
        ana_approves(reviewer)
    message = str(refused.value)
    assert "not set up to sign" in message and "git config --global gpg.format ssh" in message
    assert "user.signingkey" in message and "Nothing was changed" in message
    assert (reviewer / ENTRY).read_bytes() == before and git(reviewer, "rev-parse", "HEAD") == head


def test_git_signing_with_another_key_than_the_listed_one_refuses_the_approval(keyed_team, tmp_path):
    _, reviewer, _ = keyed_team
    other, _ = keypair(tmp_path / "old-keys", "old")
    sign_with(reviewer, other)
    with pytest.raises(ReviewError, match="different key"):
        ana_approves(reviewer)


def test_the_repositorys_own_git_config_cannot_vouch_for_a_signature(keyed_team, tmp_path, verify):
    """A clone whose config points git's signature program at something that always says "Good"."""
    writer, _, _ = keyed_team
    liar = tmp_path / "liar.sh"
    liar.write_text("#!/bin/sh\necho 'Good \"git\" signature for ana.ruiz@example.org'\nexit 0\n", encoding="utf-8")
    liar.chmod(0o755)
    own, _ = keypair(tmp_path / "maya-keys", "maya")
    sign_with(writer, own)
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    git(writer, *as_person(ANA), "commit", "-q", "-S", "-am", "Approve")
    git(writer, "config", "gpg.ssh.program", str(liar))
    git(writer, "config", "gpg.ssh.allowedSignersFile", str(liar))
    assert_caught(verify(writer), "not signed with the key content.yaml lists")


# --------------------------------------------------------------------------------------- genuine approvals


def test_a_plain_approval_passes(team, verify):
    writer, reviewer = team
    ana_approves(reviewer)
    share(reviewer, writer)
    assert_genuine(verify(writer))


@pytest.mark.parametrize("how", ["merge-commit", "fast-forward"])
def test_an_approval_made_on_a_branch_and_merged_passes(team, how, verify):
    writer, reviewer = team
    git(reviewer, "switch", "-q", "-c", "review")
    ana_approves(reviewer)
    share(reviewer, writer, "review")
    if how == "merge-commit":  # the writer's own work on main meanwhile, then a real merge by her
        (writer / OTHER).write_text((writer / OTHER).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
        git(writer, "commit", "-q", "-am", "Writer's own work")
        git(writer, "merge", "-q", "--no-ff", "--no-edit", "origin/review")
        assert len(git(writer, "log", "-1", "--format=%P").split()) == 2
    else:
        git(writer, "merge", "-q", "--ff-only", "origin/review")
    assert_genuine(verify(writer))


def test_a_merge_that_combines_both_sides_of_the_entry_keeps_the_approval(team, verify):
    """The writer changed the entry's tags on main while Ana approved on a branch: the merge's
    version of the file is neither side's, and the review block still comes from Ana's commit."""
    writer, reviewer = team
    git(reviewer, "switch", "-q", "-c", "review")
    ana_approves(reviewer)
    share(reviewer, writer, "review")
    text = (writer / ENTRY).read_text(encoding="utf-8")
    (writer / ENTRY).write_text(text.replace("PMC6819006", "PMC6819007", 1), encoding="utf-8")
    git(writer, "commit", "-q", "-am", "A better source")
    git(writer, "merge", "-q", "--no-edit", "origin/review")
    assert len(git(writer, "log", "-1", "--format=%P").split()) == 2
    assert "PMC6819007" in (writer / ENTRY).read_text(encoding="utf-8")
    assert_genuine(verify(writer))


def test_an_approval_survives_a_git_mv_of_its_folder(team, verify):
    writer, reviewer = team
    ana_approves(reviewer)
    share(reviewer, writer)
    git(writer, "mv", "entries/sleep", "entries/rest")
    git(writer, "commit", "-q", "-m", "Rename the sleep folder")
    moved = ENTRY.replace("entries/sleep/", "entries/rest/")
    assert Entry.load(writer, moved).status == "approved"
    assert_genuine(verify(writer, moved))


def test_a_folder_moved_on_a_branch_and_an_approval_on_another_both_merge(team, verify):
    writer, reviewer = team
    git(reviewer, "switch", "-q", "-c", "review")
    ana_approves(reviewer)
    share(reviewer, writer, "review")
    git(writer, "mv", "entries/sleep", "entries/rest")
    git(writer, "commit", "-q", "-m", "Rename the sleep folder")
    git(writer, "merge", "-q", "--no-edit", "origin/review")
    moved = ENTRY.replace("entries/sleep/", "entries/rest/")
    assert Entry.load(writer, moved).status == "approved"
    assert_genuine(verify(writer, moved))


def test_the_demo_library_proves_every_approval(tmp_path, verify):
    assert main(["demo", str(tmp_path / "demo")]) == 0
    code, findings = verify(tmp_path / "demo", "entries")
    assert [f for f in findings if f["rule"].startswith(("approval-un", "history"))] == []


# ------------------------------------------------------------------------------------------ shallow clones


def test_a_shallow_clone_is_refused_with_one_clear_finding(team, tmp_path, verify):
    writer, reviewer = team
    ana_approves(reviewer)
    share(reviewer, writer)
    (writer / OTHER).write_text((writer / OTHER).read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(writer, "commit", "-q", "-am", "Writer's own work, the head commit")
    git(writer, "push", "-q", "origin", "main")
    shallow = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{tmp_path / 'remote.git'}", str(shallow))
    code, findings = verify(shallow)
    assert code == 1
    assert [(f["path"], f["rule"], f["severity"]) for f in findings] == [("content.yaml", "history-shallow", "error")]
    assert "git fetch --unshallow" in findings[0]["message"] and "shallow clone" in findings[0]["message"]
    git(shallow, "fetch", "-q", "--unshallow")
    assert verify(shallow) == (0, [])


@pytest.mark.parametrize("trick", ["git-replace", "mailmap"])
def test_local_history_tricks_do_not_rename_the_committer(team, verify, trick):
    """A forged approval dressed up locally: a replacement commit naming Ana, or a .mailmap that maps
    Maya to Ana. The check reads the commits as stored."""
    writer, _ = team
    (writer / ENTRY).write_bytes(approved_bytes(writer))
    git(writer, "commit", "-q", "-am", "Approve")
    forged = git(writer, "rev-parse", "HEAD").strip()
    if trick == "git-replace":
        env = dict(os.environ, GIT_AUTHOR_NAME=ANA[0], GIT_AUTHOR_EMAIL=ANA[1], GIT_COMMITTER_NAME=ANA[0],
                   GIT_COMMITTER_EMAIL=ANA[1])
        tree, parent = git(writer, "rev-parse", "HEAD^{tree}").strip(), git(writer, "rev-parse", "HEAD^").strip()
        dressed = subprocess.run(["git", "-C", str(writer), "commit-tree", tree, "-p", parent, "-m", "Approve"],
                                 env=env, check=True, capture_output=True, text=True).stdout.strip()
        git(writer, "replace", forged, dressed)
    else:
        (writer / ".mailmap").write_text("Ana Ruiz <ana.ruiz@example.org> Maya Chen <maya.chen@example.org>\n",
                                         encoding="utf-8")
        git(writer, "add", ".mailmap")
        git(writer, "commit", "-q", "-m", "Mailmap")
    assert git(writer, "log", "-1", "--format=%aN|%cN", forged).strip() == "Ana Ruiz|Ana Ruiz"
    assert_caught(verify(writer), "Maya Chen")


def test_a_grafted_history_is_refused(team, verify):
    writer, _ = team
    head = git(writer, "rev-parse", "HEAD").strip()
    (writer / ".git" / "info").mkdir(exist_ok=True)
    (writer / ".git" / "info" / "grafts").write_text(f"{head}\n", encoding="utf-8")
    code, findings = verify(writer)
    assert code == 1 and [(f["path"], f["rule"]) for f in findings] == [("content.yaml", "history-grafted")]
