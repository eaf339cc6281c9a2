"""Changes since approval: how long ``since_approval`` takes (history, both renderings and the word
diff) for a typical entry and a 100 KB one, with one word changed and with every paragraph changed,
each beside the same-run baseline of rendering the text once with markdown-it.

    python -m benchmarks.review_diff
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.timing import timed
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.render.html import RenderOptions, render_body
from editor.resources import sample_content_dir
from editor.vcs import review
from editor.vcs.since_approval import since_approval

TYPICAL = "entries/sleep/cant-sleep-when-baby-sleeps.md"
LONG = "entries/sleep/long-entry.md"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)




def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="malone-diff-")) / "library"
    shutil.copytree(sample_content_dir(), root)
    long_text = (root / TYPICAL).read_text(encoding="utf-8").replace("id: cant-sleep-when-baby-sleeps", "id: long-entry")
    long_text += "".join(f"\n\nParagraph {n}: many parents find the nights long after a birth, and that is a common "
                         "and understandable feeling; it often eases with time and support." for n in range(600))
    (root / LONG).write_text(long_text, encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=Setup", "-c", "user.email=setup@example.org", "commit", "-qm", "Library")
    _git(root, "config", "user.name", "Ana Ruiz")
    _git(root, "config", "user.email", "ana.ruiz@example.org")
    repo = Repository.open(root)
    print("Changes since approval (median of 5), beside rendering the text once:")
    for path in (TYPICAL, LONG):
        review.approve(repo, path)
        text = (root / path).read_text(encoding="utf-8")
        size = len(text.encode("utf-8")) // 1024
        body = Entry.from_text(path, text).body
        baseline = timed(lambda: render_body(body, RenderOptions(repo.registry)), 5)[0]
        one = text.replace("lie awake", "lie wide awake", 1)
        every = text.replace("\n\n", "\n\nIndeed, ")
        for label, changed in (("one word changed", one), ("every paragraph changed", every)):
            took = timed(lambda: since_approval(repo, path, changed), 5)[0]
            print(f"  {size:>4} KB entry, {label:<24} {took * 1000:8.1f} ms   (render once: {baseline * 1000:6.1f} ms, "
                  f"{took / baseline:4.1f}x)")
    shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
