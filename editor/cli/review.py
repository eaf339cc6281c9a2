"""``malone-editor review``: clinical review in steps (request, approve, changes, queue), each
committed through git."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import EXIT_OK, UsageError, open_repository, output, select_entries, write_json

HELP = "clinical review: request, approve, request changes, queue"
REQUEST = "ask for a clinical review (status in-review, committed)"
APPROVE = "approve the entry as it reads now (reviewers only; committed)"
CHANGES = "send the entry back to draft with a note the writer sees (committed)"
QUEUE = "entries waiting for review, void approvals, changes requested, reviews due"


def add_entry_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="the entry")


def add_request_arguments(parser: argparse.ArgumentParser) -> None:
    add_entry_argument(parser)
    parser.add_argument("--reviewer", metavar="EMAIL", default=None,
                        help="the clinical reviewer to ask (one listed in content.yaml)")
    parser.add_argument("--note", default=None, help="a note for the reviewer")


def add_changes_arguments(parser: argparse.ArgumentParser) -> None:
    add_entry_argument(parser)
    parser.add_argument("--note", required=True, help="what needs to change")


def add_queue_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo", nargs="?", default=None)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run_request(args: argparse.Namespace) -> int:
    from editor.vcs.review import request_review

    reviewer, note = getattr(args, "reviewer", None), getattr(args, "note", None)
    return _step(args, lambda repo, relative: request_review(repo, relative, reviewer=reviewer, note=note),
                 "Review requested for {path} ({sha})")


def run_approve(args: argparse.Namespace) -> int:
    from editor.vcs.review import approve

    return _step(args, approve, "Approved {path} ({sha})")


def run_changes(args: argparse.Namespace) -> int:
    from editor.vcs.review import request_changes

    return _step(args, lambda repo, relative: request_changes(repo, relative, args.note),
                 "Changes requested for {path} ({sha})")


def _step(args: argparse.Namespace, action, done: str) -> int:
    from editor.vcs.git import VcsError
    from editor.vcs.review import ReviewError

    repo, _ = open_repository([args.path])
    chosen = select_entries(repo.root, repo.paths, [args.path])
    if len(chosen) != 1 or not chosen[0].endswith(".md") or Path(args.path).is_dir():
        raise UsageError(f"{args.path} is not one entry: a review step takes one entry file, so that it covers "
                         "exactly the text that was read (nothing was changed)")
    relative = chosen[0]
    try:
        sha = action(repo, relative)
    except (ReviewError, VcsError) as exc:
        raise UsageError(str(exc)) from None
    with output(EXIT_OK):
        print(done.format(path=relative, sha=sha[:10]))
    return EXIT_OK


def run_queue(args: argparse.Namespace) -> int:
    from editor.vcs.git import VcsError
    from editor.vcs.review import ReviewError, queue

    repo, _ = open_repository([args.repo])
    try:
        items = queue(repo)
    except (ReviewError, VcsError) as exc:
        raise UsageError(str(exc)) from None
    with output(EXIT_OK):
        if args.format == "json":
            write_json({"version": 1, "queue": [i.to_json() for i in items]}, ensure_ascii=True)
        else:
            for item in items:
                sys.stdout.write(f"{item.reason:<17} {item.path}  \u2014 {item.question} ({item.detail})\n")
            print(f"{len(items)} entries need a reviewer's attention" if items else "Nothing waits for review.")
    return EXIT_OK
