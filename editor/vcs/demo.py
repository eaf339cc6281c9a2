"""``malone-editor demo``: a ready content repository with a short, believable history.

A writer sets the library up and drafts answers, asks for review, and each clinical reviewer
approves what they read in a commit of their own with a ``Reviewed-by`` trailer, so the
history proves every approval the files claim.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import git

from editor.content.config import load_config
from editor.content.entry import Entry
from editor.content.paths import atomic_write
from editor.content.repository import list_entry_paths
from editor.resources import sample_content_dir

WRITER = ("Maya Chen", "maya.chen@example.org")


class DemoError(Exception):
    pass


def _commit(repo: git.Repo, author: tuple[str, str], date: str, message: str) -> None:
    stamp = f"{date}T10:00:00+00:00"
    env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1], "GIT_AUTHOR_DATE": stamp,
           "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1], "GIT_COMMITTER_DATE": stamp}
    # the message ends with a newline so that trailers such as Reviewed-by parse
    repo.git.commit("--no-verify", "--quiet", "-m", message.rstrip("\n") + "\n", env=env)


def create_demo(target: Path) -> Path:
    target = target.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DemoError(f"{target} already exists and is not empty; choose a new folder")
    source = sample_content_dir()
    shutil.copytree(source, target, dirs_exist_ok=True)
    config = load_config(target)
    paths = list_entry_paths(target)
    finals = {path: (target / path).read_bytes() for path in paths}
    entries = {path: Entry.from_bytes(path, data) for path, data in finals.items()}

    repo = git.Repo.init(target, initial_branch="main")
    try:
        setup = [p.name for p in target.iterdir() if p.is_file()]
        repo.git.add("--", *sorted(setup))
        _commit(repo, WRITER, "2026-02-10", "Set up the Malone help library\n\nSettings, the app's modules and "
                "the team dictionary.\n")

        # The writer drafts every answer; approved ones were still waiting for review then.
        for path, entry in entries.items():
            draft = entry
            if entry.status in ("approved", "in-review") and entry.frontmatter is not None:
                draft = entry.without_field("review").with_field("status", "draft")
            atomic_write(target, path, draft.to_bytes())
        modules = sorted({e.module or "other" for e in entries.values()})
        half = len(modules) // 2
        for date, group in (("2026-02-17", modules[:half]), ("2026-02-24", modules[half:])):
            chosen = [p for p, e in entries.items() if (e.module or "other") in group]
            if chosen:
                repo.git.add("--", *chosen)
                _commit(repo, WRITER, date, f"Draft answers for {', '.join(group)}\n")

        waiting = [p for p, e in entries.items() if e.status in ("approved", "in-review")]
        for path in waiting:
            entry = entries[path]
            atomic_write(target, path, entry.without_field("review").with_field("status", "in-review").to_bytes())
        if waiting:
            repo.git.add("--", *waiting)
            _commit(repo, WRITER, "2026-02-28", f"Request clinical review of {len(waiting)} answers\n")

        reviewers = config.settings.reviewers if config.settings else []
        for reviewer in reviewers:
            approved = [p for p, e in entries.items() if e.status == "approved"
                        and str((e.meta.get("review") or {}).get("reviewer", "")).lower() == reviewer.email.lower()]
            if not approved:
                continue
            for path in approved:
                atomic_write(target, path, finals[path])
            dates = sorted(str(entries[p].meta["review"].get("reviewed_on")) for p in approved)
            repo.git.add("--", *approved)
            _commit(repo, (reviewer.name, reviewer.email), dates[-1],
                    f"Approve {len(approved)} answers after clinical review\n\n"
                    f"Reviewed for clinical accuracy and safe wording.\n\n"
                    f"Reviewed-by: {reviewer.name} <{reviewer.email}>\n")

        for path, data in finals.items():  # anything left (in-review entries, other approvals)
            atomic_write(target, path, data)
        repo.git.add("--all")
        if repo.git.status("--porcelain"):
            _commit(repo, WRITER, "2026-11-21", "Revise answers waiting for review\n")
    finally:
        repo.close()
    return target
