"""``malone-editor demo``: a ready content repository made from the sample content, with a short
git history of writers and reviewers."""
from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import EXIT_OK, UsageError, output

HELP = "create a demo content repository with a short git history"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", help="where to create it (must not exist or be empty)")


def run(args: argparse.Namespace) -> int:
    from editor.vcs.demo import DemoError, create_demo

    try:
        target = create_demo(Path(args.directory))
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot create the demo in {args.directory}: {exc.strerror or exc}") from None
    with output(EXIT_OK):
        print(f"Created a demo content repository in {target}")
        print(f"Try: malone-editor check {target}")
    return EXIT_OK
