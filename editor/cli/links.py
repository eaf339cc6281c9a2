"""``malone-editor links``: the link report, every target with its status and the entries using it."""
from __future__ import annotations

import argparse
import sys

from editor.cli.common import (EXIT_FINDINGS, EXIT_OK, add_online_arguments, link_checker, open_repository, output,
                               progress_bar, write_json)

HELP = "list every link target with its status and the entries using it"
DESCRIPTION = "The link report: broken targets first, each with its backlinks."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo", nargs="?", default=None,
                        help="the repository (default: the one containing the current folder)")
    parser.add_argument("--module", metavar="SLUG", help="only in-app links to this module: what links here?")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_online_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from editor.checks.link_report import build_report
    from editor.checks.online import web_uses

    repo, _ = open_repository([args.repo])
    registry = repo.registry
    if args.module and registry is not None and args.module not in registry.modules:
        print(f"Note: no module '{args.module}' in modules.yaml; listing links to it anyway", file=sys.stderr)
    entries = repo.entries()
    statuses = None
    if args.online and not args.module:
        checker = link_checker(args)
        statuses = checker.check([u.url for e in entries for u in web_uses(e)], progress_bar())
    rows = build_report(entries, registry, statuses, args.module)
    status = EXIT_FINDINGS if any(r.status == "broken" for r in rows) else EXIT_OK
    with output(status):
        if args.format == "json":
            write_json({"version": 1, "module": args.module, "targets": [r.to_json() for r in rows]})
        else:
            write_text(rows, entries, args.module)
    return status


def write_text(rows, entries, module: str | None) -> None:
    write = sys.stdout.write
    if module:
        members = sum(1 for e in entries if e.module == module)
        write(f"Links to module '{module}': {sum(len(r.used_by) for r in rows)} from "
              f"{len({p for r in rows for p, _ in r.used_by})} entries ({members} entries belong to it)\n")
    for row in rows:
        write(f"{row.status.upper():<9} {row.kind:<6} {row.target}  \u2014 {row.detail}\n")
        for path, line in row.used_by:
            write(f"          \u21b3 {path}:{line}\n")
    if not rows:
        write("No links found.\n")
