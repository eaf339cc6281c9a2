"""``check --verify-history`` over 10,000 commits and about 400 approvals, beside one
``git log --name-status`` over the whole history in the same run (goal: at most 5 times that).

    python -m benchmarks.verify_history [--commits 10000] [--repeat 3] [--old]

The history is made with ``git fast-import``: edits, approvals (a few forged), new entries, renames
of files and of folders, non-ASCII names, and branches merged back. ``--old`` also times the former
walk (one ``git log -- path`` per entry and round), which takes about a minute, and checks that its
findings are the same.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
from pathlib import Path

from benchmarks.timing import timed
from editor.content.repository import Repository
from editor.vcs import provenance
from editor.vcs.process import ObjectReader
from editor.vcs.provenance import History, _env, _verify

WORK = Path(__file__).resolve().parent / ".work"
ANA = b"Ana Ruiz <ana.ruiz@example.org>"
MAYA = b"Maya Chen <maya.chen@example.org>"
CONTENT = b"""app_name: Malone
locale: en-US
review_interval_days: 1095
reviewers:
  - name: Ana Ruiz
    email: ana.ruiz@example.org
    credentials: Perinatal psychologist
crisis_resources:
  - "988"
"""
MODULES = b"tabs: [home, modules]\nmodules:\n  - slug: sleep\n    title: Sleep and rest\n"
FOLDERS = ["sleep", "feeding", "mood", "s\u00f6mn", "partners", "body", "work", "family"]


class Stream:
    """A fast-import stream of one library's history, with each branch's files kept to merge them."""

    def __init__(self, rng: random.Random):
        self.rng, self.out, self.mark, self.clock = rng, [], 0, 1_600_000_000
        self.commits = 0

    def commit(self, ref: str, who: bytes, message: str, parent: int | None, changes: list[bytes],
               merge: int | None = None, author: bytes | None = None) -> int:
        self.mark += 1
        self.clock += 600
        self.commits += 1
        text = message.encode()
        self.out += [f"commit {ref}\nmark :{self.mark}\n".encode(),
                     b"author %s %d +0000\n" % (author or who, self.clock), b"committer %s %d +0000\n" % (who, self.clock),
                     b"data %d\n%s\n" % (len(text), text)]
        if parent:
            self.out.append(b"from :%d\n" % parent)
        if merge:
            self.out.append(b"merge :%d\n" % merge)
        self.out += changes
        self.out.append(b"\n")
        return self.mark


def put(path: str, data: bytes) -> bytes:
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def entry(number: int, block: str | None, words: int) -> bytes:
    status = "approved" if block else "draft"
    body = "### Q: How can I rest when my baby wakes often?\n\nA: Broken sleep is hard." + " More." * words + "\n"
    return f"---\nid: entry-{number}\nmodule: sleep\nstatus: {status}\n{block or ''}---\n{body}".encode()


def generate(root: Path, commits: int, seed: int = 20) -> None:
    rng = random.Random(seed)
    stream = Stream(rng)
    files: dict[str, tuple[int, str | None, int]] = {}  # path -> (number, block, words)
    for number in range(380):
        files[f"entries/{rng.choice(FOLDERS)}/entry-{number}-{'ü' if number % 7 == 0 else ''}.md"] = (number, None, 1)
    changes = [put("content.yaml", CONTENT), put("modules.yaml", MODULES)]
    changes += [put(p, entry(*v)) for p, v in files.items()]
    main = stream.commit("refs/heads/main", ANA, "Library", None, changes)

    def step(ref: str, parent: int, state: dict, touched: set) -> int:
        path = rng.choice(sorted(state))
        number, block, words = state[path]
        roll = rng.random()
        if roll < 0.23:  # an approval, sometimes with Ana's name forged
            block = f"review:\n  reviewer: ana.ruiz@example.org\n  reviewed_on: 2026-01-{rng.randint(1, 28):02d}\n" \
                    f"  body_sha256: {rng.getrandbits(256):064x}\n"
            state[path] = (number, block, words)
            touched.add(path)
            forged = rng.random() < 0.02
            return stream.commit(ref, MAYA if forged else ANA, "Approve", parent, [put(path, entry(*state[path]))],
                                 author=ANA)
        if roll < 0.27 and ref.endswith("main"):  # a rename (a folder's, now and then)
            if rng.random() < 0.1:
                old = path.rsplit("/", 1)[0]
                new = f"entries/{rng.choice(FOLDERS)}-{stream.mark}"
                moved = {p: p.replace(old + "/", new + "/", 1) for p in state if p.startswith(old + "/")}
            else:
                moved = {path: f"{path.rsplit('/', 1)[0]}/renamed-{stream.mark}.md"}
            for old_path, new_path in moved.items():
                state[new_path] = state.pop(old_path)
            target, source = (old, new) if len(moved) > 1 else (path, moved[path])
            return stream.commit(ref, MAYA, "Rename", parent, [b'R "%s" "%s"\n' % (target.encode(), source.encode())])
        if roll < 0.275:
            number = 10_000 + stream.mark
            path = f"entries/{rng.choice(FOLDERS)}/new-{number}.md"
        state[path] = (number, state.get(path, (0, None, 0))[1], state.get(path, (0, None, 0))[2] + 1)
        touched.add(path)
        return stream.commit(ref, MAYA, "Edit", parent, [put(path, entry(*state[path]))])

    while stream.commits < commits - 6:
        if rng.random() < 0.08:  # a branch of three commits, two on main meanwhile, then the merge
            side_state, side_touched = dict(files), set()
            side = main
            for _ in range(3):
                side = step("refs/heads/side", side, side_state, side_touched)
            main_touched: set = set()
            for _ in range(2):
                main = step("refs/heads/main", main, files, main_touched)
            brought = [p for p in side_touched if p in files]  # renamed on main meanwhile: main's name wins
            for path in brought:
                files[path] = side_state[path]
            main = stream.commit("refs/heads/main", MAYA, "Merge", main, [put(p, entry(*files[p])) for p in brought],
                                 merge=side)
        else:
            main = step("refs/heads/main", main, files, set())
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream.out), check=True)
    subprocess.run(["git", "-C", str(root), "branch", "-D", "-q", "side"], check=False)
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "main"], check=True)


def verify(root: Path) -> tuple[list, int]:
    repo = Repository.open(root)
    with ObjectReader(root, env=_env()) as reader:
        history = History(root, reader)
        return _verify(repo, history, None), history.fallbacks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old", action="store_true", help="also time the former walk, once")
    args = parser.parse_args()
    root = WORK / f"history-{args.commits}"
    generate(root, args.commits)
    count = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True, text=True)
    merges = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "--merges", "HEAD"], capture_output=True,
                            text=True)
    approved = sum(1 for p in Repository.open(root).paths if Repository.open(root).entry(p).status == "approved")
    log = ["git", "-C", str(root), "log", "--name-status", "HEAD"]
    baselines, news = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same load
        baselines.append(timed(lambda: subprocess.run(log, capture_output=True, check=True), 1)[0])
        took, (findings, fallbacks) = timed(lambda: verify(root), 1)
        news.append(took)
    baseline, new = statistics.median(baselines), statistics.median(news)
    print(f"{count.stdout.strip()} commits ({merges.stdout.strip()} merges), {approved} approved entries, "
          f"{len(findings)} findings, {fallbacks} entries walked the old way")
    print(f"{'figure':<46}{'value':>10}{'baseline':>11}{'ratio':>8}{'goal':>8}")
    print(f"{'verify-history, history read once':<46}{new:>9.2f}s{baseline:>10.2f}s{new / baseline:>8.1f}{'<= 5':>8}")
    if args.old:
        original = History.introducing
        History.introducing = lambda self, path, block: provenance.introducing_commit(self, path, block)
        try:
            old, (old_findings, _) = timed(lambda: verify(root), 1)
        finally:
            History.introducing = original
        assert old_findings == findings, "the former walk found otherwise"
        print(f"{'verify-history, former walk per entry':<46}{old:>9.2f}s{baseline:>10.2f}s{old / baseline:>8.1f}")


if __name__ == "__main__":
    main()
