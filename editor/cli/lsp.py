"""``malone-editor lsp``: the checks as a language server (the Language Server Protocol over
standard input and output), for VS Code, Neovim, Sublime Text and any other editor that speaks it."""
from __future__ import annotations

import argparse
import sys

HELP = "serve the checks to a text editor (Language Server Protocol over stdin and stdout)"
DESCRIPTION = ("Speak the Language Server Protocol on standard input and output: findings as you type, "
               "their suggestions as quick fixes, hover and in-app link completion. Started by the editor, "
               "not by hand (see docs/editors.md).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true",
                        help="accepted and ignored: standard input and output are always used (some clients pass it)")


def run(args: argparse.Namespace) -> int:
    from editor.lsp.server import serve

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # the protocol owns standard output: a stray print must not corrupt it
    return serve(stdin, stdout)
