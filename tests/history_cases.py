"""Random histories of a content library, seeded, made with real git commands: edits, approvals
(genuine, with a forged ``--author``, committed by someone else), renames of files and folders,
branches merged in every way (either side's block winning, ``-s ours``, a merge that renames itself,
octopus merges), cherry-picks, reverts, files deleted and re-added, reviewers listed by whoever,
non-ASCII names. Used by tests/test_history_once.py against the former per-entry walk."""
from __future__ import annotations

import os
import random
import subprocess
import zlib
from pathlib import Path

from conftest import CONTENT_YAML, MODULES_YAML

ANA = ("Ana Ruiz", "ana.ruiz@example.org")
MAYA = ("Maya Chen", "maya.chen@example.org")
BEN = ("Ben Okafor", "ben.okafor@example.org")
FOLDERS = ["sleep", "feeding", "sömn", "睡眠", "mood"]
NAMES = ["rest", "naps", "naïve-ümlaut", "夜", "night-feeds", "tired", "help"]


class Maker:
    """One library's history, grown by random steps."""

    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.clock = 1_700_000_000
        self.counter = 0
        self.blocks: dict[str, set[str]] = {}  # path -> review blocks (as YAML text) it ever held
        root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "core.quotePath", "false")
        (root / "entries").mkdir()
        (root / "content.yaml").write_text(CONTENT_YAML, encoding="utf-8")
        (root / "modules.yaml").write_text(MODULES_YAML, encoding="utf-8")
        for _ in range(3):
            self.write(self.new_path(), approved=self.rng.random() < 0.5)
        self.commit(ANA, "Library")

    # ---------------------------------------------------------------- git
    def git(self, *args: str, person=MAYA, author=None, check=True) -> str:
        self.clock += 60
        env = dict(os.environ, GIT_AUTHOR_NAME=(author or person)[0], GIT_AUTHOR_EMAIL=(author or person)[1],
                   GIT_COMMITTER_NAME=person[0], GIT_COMMITTER_EMAIL=person[1],
                   GIT_AUTHOR_DATE=f"{self.clock} +0000", GIT_COMMITTER_DATE=f"{self.clock} +0000",
                   GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, env=env)
        if check and result.returncode:
            raise RuntimeError(result.stderr)
        return result.stdout

    def ok(self, *args: str) -> bool:
        try:
            self.git(*args)
        except RuntimeError:
            return False
        return True

    def commit(self, person, message, author=None) -> bool:
        self.git("add", "-A")
        return not self.git("commit", "-q", "--allow-empty-message", "-m", message, person=person, author=author,
                            check=False).startswith("nothing")

    def files(self) -> list[str]:
        return [p for p in self.git("-c", "core.quotePath=false", "ls-files", "-z", "entries").split("\0") if p]

    def branches(self) -> list[str]:
        return [b for b in self.git("branch", "--format=%(refname:short)").split() if b != "main"]

    # ---------------------------------------------------------------- content
    def new_path(self) -> str:
        self.counter += 1
        return f"entries/{self.rng.choice(FOLDERS)}/{self.rng.choice(NAMES)}-{self.counter}.md"

    def block(self) -> str:
        reviewer = self.rng.choice([ANA, ANA, BEN, MAYA])[1]
        day = self.rng.randint(1, 28)
        return (f"review:\n  reviewer: {reviewer}\n  reviewed_on: 2026-{self.rng.randint(1, 11):02d}-{day:02d}\n"
                f"  body_sha256: {self.rng.getrandbits(256):064x}\n")

    def write(self, path: str, approved: bool, block: str | None = None, body: str | None = None) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        old = file.read_text(encoding="utf-8") if file.exists() else ""
        if block is None and approved:
            block = self.block()
        status = "approved" if approved else self.rng.choice(["draft", "in-review"])
        if body is None:
            body = old.split("---\n", 2)[2] if old.count("---\n") >= 2 else "### Q: How do I rest?\n\nA: Often.\n"
        text = f"---\nid: e{zlib.crc32(path.encode())}\nmodule: sleep\nstatus: {status}\n{block or ''}---\n{body}"
        file.write_text(text, encoding="utf-8")
        if block:
            self.blocks.setdefault(path, set()).add(block)

    def current_block(self, path: str) -> str | None:
        text = (self.root / path).read_text(encoding="utf-8")
        start = text.find("review:\n")
        return text[start:text.index("---\n", start)] if start >= 0 else None

    # ---------------------------------------------------------------- steps
    def step(self) -> None:
        steps = [self.edit, self.edit, self.approve, self.approve, self.rename, self.rename_folder, self.add,
                 self.delete, self.readd, self.branch, self.merge, self.merge, self.cherry_pick, self.revert,
                 self.reviewers, self.copy_block, self.octopus]
        try:
            self.rng.choice(steps)()
        except (RuntimeError, OSError):
            self.git("merge", "--abort", check=False)
            self.git("cherry-pick", "--abort", check=False)
            self.git("revert", "--abort", check=False)
            self.git("reset", "-q", "--hard", check=False)

    def pick(self) -> str | None:
        files = self.files()
        return self.rng.choice(files) if files else None

    def edit(self) -> None:
        path = self.pick()
        if path:
            with open(self.root / path, "a", encoding="utf-8") as handle:
                handle.write(f"\nMore words {self.rng.random()}.\n")
            self.commit(self.rng.choice([MAYA, ANA]), "Edit")

    def approve(self) -> None:
        path = self.pick()
        if not path:
            return
        self.write(path, True)
        how = self.rng.random()
        if how < 0.6:
            self.commit(ANA, "Approve")
        elif how < 0.8:
            self.commit(MAYA, "Approve", author=ANA)  # forged: Ana's name as the author
        else:
            self.commit(self.rng.choice([BEN, MAYA]), "Approve")

    def add(self) -> None:
        self.write(self.new_path(), self.rng.random() < 0.5)
        self.commit(self.rng.choice([MAYA, ANA]), "Add")

    def rename(self) -> None:
        path = self.pick()
        if path:
            target = self.new_path()
            (self.root / target).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", path, target)
            if self.rng.random() < 0.3:  # renamed and edited in one commit
                with open(self.root / target, "a", encoding="utf-8") as handle:
                    handle.write("\nAlso this.\n")
            self.commit(self.rng.choice([MAYA, ANA]), "Rename")

    def rename_folder(self) -> None:
        folders = sorted({p.split("/")[1] for p in self.files()})
        if folders:
            old = self.rng.choice(folders)
            new = f"{self.rng.choice(FOLDERS)}-{self.counter}"
            self.counter += 1
            self.git("mv", f"entries/{old}", f"entries/{new}")
            self.commit(MAYA, "Rename a folder")

    def delete(self) -> None:
        path = self.pick() if len(self.files()) > 3 else None
        if path:
            self.git("rm", "-q", path)
            self.commit(MAYA, "Delete")

    def readd(self) -> None:
        """A path that held an entry once, written again (with a block it had, or a new one)."""
        gone = [p for p in self.blocks if not (self.root / p).exists()]
        if gone:
            path = self.rng.choice(gone)
            self.write(path, True, block=self.rng.choice(sorted(self.blocks[path])))
            self.commit(self.rng.choice([MAYA, ANA]), "Add again")

    def copy_block(self) -> None:
        """One entry's block given to another (the same review block text on another path)."""
        files = self.files()
        if len(files) >= 2:
            source, target = self.rng.sample(files, 2)
            block = self.current_block(source)
            if block:
                self.write(target, True, block=block)
                self.commit(self.rng.choice([MAYA, ANA]), "Copy")

    def branch(self) -> None:
        back = self.rng.randint(0, 5)
        count = int(self.git("rev-list", "--count", "HEAD"))
        self.counter += 1
        self.git("branch", f"side-{self.counter}", f"HEAD~{min(back, count - 1)}")
        self.git("switch", "-q", f"side-{self.counter}")
        for _ in range(self.rng.randint(1, 4)):
            self.step_on_branch()
        self.git("switch", "-q", "main")

    def step_on_branch(self) -> None:
        try:
            self.rng.choice([self.edit, self.approve, self.approve, self.rename, self.add, self.delete,
                             self.rename_folder])()
        except (RuntimeError, OSError):
            self.git("reset", "-q", "--hard", check=False)

    def merge(self) -> None:
        branches = self.branches()
        if not branches:
            return
        how = self.rng.choice(["theirs", "ours", "s-ours", "plain", "renaming", "renaming", "octopus", "reverse"])
        person = self.rng.choice([MAYA, ANA])
        if how == "octopus" and len(branches) >= 2:
            names = self.rng.sample(branches, 2)
            if self.git("merge", "-q", "--no-ff", "--no-edit", *names, person=person, check=False):
                self.git("merge", "--abort", check=False)
                self.git("reset", "-q", "--hard")
            return
        name = self.rng.choice(branches)
        if how == "reverse":  # main merged into the side branch, which then becomes main
            self.git("switch", "-q", name)
            self.resolve(self.git("merge", "-q", "--no-ff", "--no-edit", "main", person=person, check=False), person)
            self.git("switch", "-q", "main")
            self.git("reset", "-q", "--hard", name)
        elif how == "s-ours":
            self.git("merge", "-q", "-s", "ours", "--no-edit", name, person=person)
        elif how == "renaming":
            self.git("merge", "-q", "--no-ff", "--no-commit", "-X", "theirs", name, person=person, check=False)
            path = self.pick()
            if path and self.rng.random() < 0.5:
                target = self.new_path()
                (self.root / target).parent.mkdir(parents=True, exist_ok=True)
                self.git("mv", "-f", path, target, check=False)
            elif path:  # an approval made in the merge itself
                self.write(path, True)
            self.resolve("conflict", person)
        else:
            option = ["-X", how] if how in ("theirs", "ours") else []
            self.resolve(self.git("merge", "-q", "--no-ff", "--no-edit", *option, name, person=person, check=False),
                         person)
        if self.rng.random() < 0.5:
            self.git("branch", "-q", "-D", name, check=False)

    def octopus(self) -> None:
        """Two branches off HEAD, one approving an entry and one adding another, merged in one commit."""
        names = []
        for number in range(2):
            self.counter += 1
            names.append(f"octo-{self.counter}")
            self.git("switch", "-q", "-c", names[-1], "main")
            path = self.pick() if number == 0 else None
            self.write(path or self.new_path(), True)
            self.commit(ANA if self.rng.random() < 0.7 else MAYA, "Approve" if path else "Add")
        self.git("switch", "-q", "main")
        if self.git("merge", "-q", "--no-ff", "--no-edit", *names, person=self.rng.choice([MAYA, ANA]), check=False):
            self.git("merge", "--abort", check=False)
            self.git("reset", "-q", "--hard")

    def resolve(self, failed: str, person) -> None:
        """Each conflicted path as one side had it (or removed), and the merge committed."""
        if not failed and not (self.root / ".git" / "MERGE_HEAD").exists():
            return
        side = self.rng.choice(["--theirs", "--ours"])
        for path in self.git("diff", "--name-only", "-z", "--diff-filter=U").split("\0"):
            if path and self.ok("checkout", side, "--", path):
                continue
            if path:
                self.git("rm", "-q", "--cached", "--ignore-unmatch", "--", path, check=False)
                if (self.root / path).exists():
                    (self.root / path).unlink()
        self.git("add", "-A")
        self.git("commit", "-q", "--no-edit", "--allow-empty", person=person)

    def cherry_pick(self) -> None:
        branches = self.branches()
        if branches:
            commits = self.git("rev-list", "--no-merges", "-n", "5", f"main..{self.rng.choice(branches)}").split()
            if commits:
                person = self.rng.choice([MAYA, ANA])
                if self.git("cherry-pick", self.rng.choice(commits), person=person, check=False) or \
                        (self.root / ".git" / "CHERRY_PICK_HEAD").exists():
                    self.git("cherry-pick", "--abort", check=False)

    def revert(self) -> None:
        commits = self.git("rev-list", "--min-parents=1", "--max-parents=1", "-n", "8", "HEAD").split()[1:]
        if commits:
            self.git("revert", "--no-edit", self.rng.choice(commits), person=self.rng.choice([MAYA, ANA]), check=False)
            if (self.root / ".git" / "REVERT_HEAD").exists():
                self.git("revert", "--abort", check=False)

    def reviewers(self) -> None:
        text = (self.root / "content.yaml").read_text(encoding="utf-8")
        person = self.rng.choice([BEN, MAYA])
        if person[1] in text:
            return
        text = text.replace("reviewers:\n", f"reviewers:\n  - name: {person[0]}\n    email: {person[1]}\n")
        (self.root / "content.yaml").write_text(text, encoding="utf-8")
        self.commit(self.rng.choice([ANA, MAYA]), "List a reviewer")


def make(root: Path, seed: int, steps: int = 40) -> Maker:
    maker = Maker(root, seed)
    for _ in range(steps):
        maker.step()
    return maker
