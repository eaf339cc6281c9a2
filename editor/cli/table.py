"""The table of subcommands: it builds the parser, parses (options anywhere among a command's
positionals) and runs the command, turning every failure into one line and an exit status."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from editor import __version__
from editor.cli import check, demo, fix, links, lsp, open_editor, render, review, review_desk, review_export
from editor.cli.common import EXIT_CANNOT_RUN, EXIT_PIPE_CLOSED, PipeClosed, UsageError, silence_stdout
from editor.session.failures import failure_of


@dataclass(frozen=True)
class Command:
    """A subcommand: its arguments and what runs it, or (like ``review``) steps of its own."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    run: Callable[[argparse.Namespace], int] | None = None
    description: str | None = None
    steps: tuple[Command, ...] = ()


def _of(name: str, module, description: str | None = None) -> Command:
    return Command(name, module.HELP, module.add_arguments, module.run, description)


COMMANDS: tuple[Command, ...] = (
    _of("check", check, check.DESCRIPTION),
    _of("fix", fix, fix.DESCRIPTION),
    Command("review", review.HELP, steps=(
        Command("request", review.REQUEST, review.add_request_arguments, review.run_request, review.REQUEST),
        Command("approve", review.APPROVE, review.add_entry_argument, review.run_approve, review.APPROVE),
        Command("changes", review.CHANGES, review.add_changes_arguments, review.run_changes, review.CHANGES),
        Command("queue", review.QUEUE, review.add_queue_arguments, review.run_queue),
        Command("diff", review_desk.DIFF, review_desk.add_diff_arguments, review_desk.run_diff, review_desk.DIFF),
        Command("comment", review_desk.COMMENT, review_desk.add_comment_arguments, review_desk.run_comment),
        Command("reply", review_desk.REPLY, lambda p: review_desk.add_thread_arguments(p, True), review_desk.run_reply),
        Command("resolve", review_desk.RESOLVE, lambda p: review_desk.add_thread_arguments(p, False),
                review_desk.run_resolve),
        Command("reopen", review_desk.REOPEN, lambda p: review_desk.add_thread_arguments(p, False),
                review_desk.run_reopen),
        Command("comments", review_desk.COMMENTS, review_desk.add_list_arguments, review_desk.run_list),
        Command("export", review_export.EXPORT, review_export.add_arguments, review_export.run, review_export.EXPORT),
    )),
    _of("links", links, links.DESCRIPTION),
    _of("render", render),
    _of("demo", demo),
    _of("lsp", lsp, lsp.DESCRIPTION),
    _of("open", open_editor),
)
DEFAULT = Command("open", open_editor.HELP, run=open_editor.run)  # ``malone-editor`` alone: the editor
DESTS = ("command", "step")  # where each level's choice goes in the parsed arguments


@dataclass
class _Level:
    """One parser of the tree, with the commands below it and their parsers."""

    parser: argparse.ArgumentParser
    children: dict[str, tuple[Command, _Level]] = field(default_factory=dict)


def _build() -> _Level:
    parser = argparse.ArgumentParser(prog="malone-editor",
                                     description="Write, check and review the Malone help library.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top = _Level(parser)
    _add_children(top, COMMANDS, 0)
    return top


def _add_children(level: _Level, commands: Sequence[Command], depth: int) -> None:
    sub = level.parser.add_subparsers(dest=DESTS[depth], required=depth > 0)
    for command in commands:
        kwargs = {"help": command.help}
        if command.description:
            kwargs["description"] = command.description
        child = _Level(sub.add_parser(command.name, **kwargs))
        if command.steps:
            _add_children(child, command.steps, depth + 1)
        elif command.add_arguments is not None:
            command.add_arguments(child.parser)
        level.children[command.name] = (command, child)


def build_parser() -> argparse.ArgumentParser:
    """The whole parser (for help and documentation); ``parse_args`` is how the command parses."""
    return _build().parser


def parse_args(argv: Sequence[str]) -> tuple[Command, argparse.Namespace]:
    """The command ``argv`` names and its arguments. A command's own options may come anywhere
    among its positionals (``check REPO --no-cache PATH``): argparse cannot mix options and
    positionals across subparsers, so each level finds its command word and hands the rest to that
    command's own parser. Help, version and every error are argparse's own (exit 0 or 2)."""
    level, chosen, argv = _build(), {}, list(argv)
    depth = 0
    while True:
        index = next((i for i, token in enumerate(argv) if token == "--" or not token.startswith("-")), None)
        if index is None or argv[index] not in level.children or index > 0:
            # no command word, an unknown one, or options before it (only --help and --version
            # exist there): argparse's usual parse says what it says about them
            args = level.parser.parse_args(argv)
            for dest, name in chosen.items():
                setattr(args, dest, name)
            return _command_of(args), args
        command, child = level.children[argv[index]]
        chosen[DESTS[depth]] = command.name
        argv, level, depth = argv[index + 1:], child, depth + 1
        if not command.steps:
            args = level.parser.parse_intermixed_args(argv)
            for dest, name in chosen.items():
                setattr(args, dest, name)
            return command, args


def _command_of(args: argparse.Namespace) -> Command:
    commands, command = COMMANDS, DEFAULT
    for dest in DESTS:
        name = getattr(args, dest, None)
        if name is None:
            break
        command = next(c for c in commands if c.name == name)
        commands = command.steps
    return command


LONG_RUNNING = ("open", "lsp")  # the editor and the language server keep the collector as it is


@contextmanager
def _quiet_collector(command: Command):
    """A command is a short process that makes many objects and few cycles: while it runs, the cycle
    collector runs less often (after 50,000 new objects, not 700; mypy does the same) and never walks
    the modules imported so far. A re-check of 10,000 unchanged entries spent a tenth of its time
    there. Put back afterwards, for a caller that runs ``main`` in its own process (the tests)."""
    import gc

    if command.name in LONG_RUNNING:
        yield
        return
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def main(argv: Sequence[str] | None = None) -> int:
    command, args = parse_args(sys.argv[1:] if argv is None else argv)
    status = None
    try:
        with _quiet_collector(command):
            status = command.run(args)
        sys.stdout.flush()  # here, so that a reader gone away is noticed while the status is known
        return status
    except UsageError as exc:
        print(f"malone-editor: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except PipeClosed as closed:  # output piped into head and the like: the findings' status stands
        silence_stdout()
        return closed.status
    except BrokenPipeError:
        silence_stdout()
        return EXIT_PIPE_CLOSED if status is None else status
    except Exception as exc:  # a bug must still not greet the user with a traceback
        print(f"malone-editor: internal error: {failure_of(exc).message}", file=sys.stderr)
        print("Please report this, with the command you ran.", file=sys.stderr)
        return EXIT_CANNOT_RUN
