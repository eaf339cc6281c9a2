"""``malone-editor render``: the HTML the preview shows for an entry."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from editor.cli.common import EXIT_OK, UsageError, output

HELP = "print the HTML the preview shows for an entry"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("entry", help="path of an entry file")
    parser.add_argument("--fragment", action="store_true", help="only the entry's HTML, without the page around it")


def run(args: argparse.Namespace) -> int:
    from editor.content.config import load_config
    from editor.content.entry import Entry
    from editor.content.repository import find_root
    from editor.render.html import html_document, render_entry

    path = Path(args.entry)
    if not path.is_file():
        raise UsageError(f"{path}: no such entry file")
    absolute = Path(os.path.abspath(path))  # the link itself, when the entry is one
    root = find_root(absolute.parent)
    registry, app_name = None, "Malone"
    if root is not None:
        config = load_config(root)
        registry = config.registry
        app_name = config.settings.app_name if config.settings else app_name
    # inside a repository, a link that leads outside it is refused here as everywhere
    base, relative = (root, os.path.relpath(absolute, root)) if root is not None else (absolute.parent, absolute.name)
    entry = Entry.load(base, relative)
    if entry.problem is not None:
        raise UsageError(f"{path}: {entry.problem.message}")
    body = render_entry(entry, registry, app_name)
    with output(EXIT_OK):
        sys.stdout.write(body if args.fragment else html_document(body, entry.question, app_name))
    return EXIT_OK
