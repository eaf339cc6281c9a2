"""The table of subcommands: it builds the parser, parses (options anywhere among a command's
positionals) and runs the command, turning every failure into one line and an exit status."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

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


class _Level:
    """One parser of the tree and the commands below it. A command's parser, and its arguments, are
    made when asked for (``child``, ``complete``): making every command's cost each start of a
    command several milliseconds, for the one command it runs."""

    def __init__(self, parser: argparse.ArgumentParser, commands: Sequence[Command] = (), depth: int = 0,
                 add_arguments: Callable[[argparse.ArgumentParser], None] | None = None):
        self.parser, self.depth = parser, depth
        self.commands = {command.name: command for command in commands}
        self.children: dict[str, _Level] = {}
        self._pending = add_arguments
        self._sub = parser.add_subparsers(dest=DESTS[depth], required=depth > 0) if commands else None

    def child(self, name: str) -> _Level:
        """The level of the command ``name`` (one of ``commands``), its arguments added."""
        if name not in self.children:
            command = self.commands[name]
            kwargs = {"help": command.help, "formatter_class": _Formatter}
            if command.description:
                kwargs["description"] = command.description
            parser = self._sub.add_parser(name, **kwargs)
            self.children[name] = _Level(parser, command.steps, self.depth + 1, command.add_arguments)
        level = self.children[name]
        if level._pending is not None:
            level._pending, pending = None, level._pending
            pending(level.parser)
        return level

    def complete(self) -> _Level:
        """Every command's level, here and below, in the table's order (for help and errors)."""
        for name in self.commands:
            self.child(name).complete()
        return self


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as the terminal, found without importing shutil (argparse
    makes a formatter for every argument it adds, and shutil with its archive modules cost each
    command's start 2 ms)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: $COLUMNS, else the terminal
    of standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _build() -> _Level:
    parser = argparse.ArgumentParser(prog="malone-editor", formatter_class=_Formatter,
                                     description="Write, check and review the Malone help library.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return _Level(parser, COMMANDS)


def build_parser() -> argparse.ArgumentParser:
    """The whole parser (for help and documentation); ``parse_args`` is how the command parses."""
    return _build().complete().parser


def parse_args(argv: Sequence[str]) -> tuple[Command, argparse.Namespace]:
    """The command ``argv`` names and its arguments. A command's own options may come anywhere
    among its positionals (``check REPO --no-cache PATH``): argparse cannot mix options and
    positionals across subparsers, so each level finds its command word and hands the rest to that
    command's own parser. Help, version and every error are argparse's own (exit 0 or 2)."""
    level, chosen, argv = _build(), {}, list(argv)
    depth = 0
    while True:
        index = next((i for i, token in enumerate(argv) if token == "--" or not token.startswith("-")), None)
        if index is None or argv[index] not in level.commands or index > 0:
            # no command word, an unknown one, or options before it (only --help and --version
            # exist there): argparse's usual parse says what it says about them
            args = level.complete().parser.parse_args(argv)
            for dest, name in chosen.items():
                setattr(args, dest, name)
            return _command_of(args), args
        command, level = level.commands[argv[index]], level.child(argv[index])
        chosen[DESTS[depth]] = command.name
        argv, depth = argv[index + 1:], depth + 1
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


LONG_RUNNING = ("open", "lsp")  # the editor and the language server: none of this


@contextmanager
def _short_process(command: Command):
    """Every command but the editor and the language server runs as a short process
    (``editor.short_process``)."""
    if command.name in LONG_RUNNING:
        yield
        return
    from editor.short_process import short_process

    with short_process():
        yield


def main(argv: Sequence[str] | None = None) -> int:
    command, args = parse_args(sys.argv[1:] if argv is None else argv)
    status = None
    try:
        with _short_process(command):
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
