"""``malone-editor review diff`` and the comment steps: what changed in an entry since it was last
approved, and comments on its text (add, reply, resolve, reopen, list), each committed through git."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import EXIT_OK, UsageError, open_repository, output, select_entries, write_json

DIFF = "what changed in an entry since it was last approved (words, and fields by name)"
COMMENT = "comment on a passage of an entry (committed)"
REPLY = "reply to a comment (committed)"
RESOLVE = "resolve a comment (committed)"
REOPEN = "open a resolved comment again (committed)"
COMMENTS = "an entry's comments: open, outdated and resolved"


def add_diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="the entry")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text")


def add_comment_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="the entry")
    parser.add_argument("--on", required=True, metavar="WORDS", help="the words of the passage, as in the text")
    parser.add_argument("--occurrence", type=int, default=1, help="which place the words appear, when several")
    parser.add_argument("--note", required=True, help="what the comment says")


def add_thread_arguments(parser: argparse.ArgumentParser, note: bool) -> None:
    parser.add_argument("path", help="the entry")
    parser.add_argument("id", help="the comment's id (review comments ENTRY lists them)")
    if note:
        parser.add_argument("--note", required=True, help="what the reply says")


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="the entry")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _one_entry(path: str):
    repo, _ = open_repository([path])
    chosen = select_entries(repo.root, repo.paths, [path])
    if len(chosen) != 1 or not chosen[0].endswith(".md") or Path(path).is_dir():
        raise UsageError(f"{path} is not one entry: give one entry file")
    return repo, chosen[0]


def run_diff(args: argparse.Namespace) -> int:
    from editor.vcs.since_approval import since_approval

    repo, relative = _one_entry(args.path)
    try:
        result = since_approval(repo, relative)
    except ValueError as exc:
        raise UsageError(f"{relative}: {exc}") from None
    with output(EXIT_OK):
        if args.format == "json":
            write_json(result.to_json())
        elif args.format == "html":
            sys.stdout.write(result.to_html_page(repo.settings.app_name if repo.settings else "Malone"))
        else:
            sys.stdout.write(result.to_text())
    return EXIT_OK


def _step(args: argparse.Namespace, action, done: str) -> int:
    from editor.content.comments import CommentError
    from editor.vcs.process import VcsError

    repo, relative = _one_entry(args.path)
    try:
        thread = action(repo.root, relative)
    except (CommentError, VcsError) as exc:
        raise UsageError(str(exc)) from None
    with output(EXIT_OK):
        print(done.format(path=relative, id=thread.id))
    return EXIT_OK


def run_comment(args: argparse.Namespace) -> int:
    from editor.vcs import comment_steps

    return _step(args, lambda root, rel: comment_steps.add_on_words(root, rel, args.on, args.note, args.occurrence),
                 "Comment {id} added on {path}")


def run_reply(args: argparse.Namespace) -> int:
    from editor.vcs import comment_steps

    return _step(args, lambda root, rel: comment_steps.reply(root, rel, args.id, args.note), "Replied to {id} on {path}")


def run_resolve(args: argparse.Namespace) -> int:
    from editor.vcs import comment_steps

    return _step(args, lambda root, rel: comment_steps.resolve(root, rel, args.id), "Resolved {id} on {path}")


def run_reopen(args: argparse.Namespace) -> int:
    from editor.vcs import comment_steps

    return _step(args, lambda root, rel: comment_steps.reopen(root, rel, args.id), "Reopened {id} on {path}")


def run_list(args: argparse.Namespace) -> int:
    from editor.content.comments import load_threads, place
    from editor.content.entry import Entry

    repo, relative = _one_entry(args.path)
    entry = Entry.load(repo.root, relative)
    placed = place(load_threads(repo.root, relative), entry.body if entry.readable else "")
    with output(EXIT_OK):
        if args.format == "json":
            write_json({"version": 1, "path": relative, "comments": [
                {**p.thread.to_json(p.span), "line": entry.body_position(p.span[0])[0] if p.span else None}
                for p in placed]})
            return EXIT_OK
        for p in placed:
            t = p.thread
            if t.problem is not None:
                print(f"{t.id}  unreadable: {t.problem}")
                continue
            state = "resolved" if t.resolved else "outdated" if p.span is None else "open"
            where = f"line {entry.body_position(p.span[0])[0]}" if p.span else "passage rewritten"
            print(f"{t.id}  {state:<8} {where}: \u201c{' '.join(t.quote.split())[:60]}\u201d")
            print(f"    {t.comment.name or t.comment.by}: {t.comment.text}")
            for r in t.replies:
                print(f"    {r.name or r.by}: {r.text}")
        open_count = sum(1 for p in placed if p.thread.is_open)
        print(f"{open_count} open comment{'s' if open_count != 1 else ''}" if placed else "No comments.")
    return EXIT_OK
