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
    from editor.checks.link_index import ExtractCache, refresh
    from editor.checks.link_report import LinkReport

    repo, _ = open_repository([args.repo])
    registry = repo.registry
    if args.module and registry is not None and args.module not in registry.modules:
        print(f"Note: no module '{args.module}' in modules.yaml; listing links to it anyway", file=sys.stderr)
    # each file's links from the link index (a plain scan, or a parse where the scan cannot tell, kept in
    # the cache by the file's bytes), no entry kept: memory as the report's, not the library's
    index = refresh(None, repo.root, repo.paths, None if args.no_cache else ExtractCache(repo.root, args.cache_dir))
    report = LinkReport(registry, args.module)
    for path in repo.paths:
        report.add(path, index.uses(path))
    statuses = None
    if args.online and not args.module:
        statuses = link_checker(args).check(report.pages(), progress_bar())
    rows = report.rows(statuses)
    status = EXIT_FINDINGS if any(r.status == "broken" for r in rows) else EXIT_OK
    with output(status):
        if args.format == "json":
            write_json({"version": 1, "module": args.module, "targets": [r.to_json() for r in rows]})
        else:
            write_text(rows, _members(repo, args.module) if args.module else 0, args.module)
    return status


def _members(repo, module: str) -> int:
    """How many entries belong to ``module`` (each entry's frontmatter read, none kept)."""
    from editor.content.entry import Entry

    return sum(1 for path in repo.paths if Entry.load(repo.root, path).module == module)


def write_text(rows, members: int, module: str | None) -> None:
    write = sys.stdout.write
    if module:
        write(f"Links to module '{module}': {sum(len(r.used_by) for r in rows)} from "
              f"{len({p for r in rows for p, _ in r.used_by})} entries ({members} entries belong to it)\n")
    for row in rows:
        write(f"{row.status.upper():<9} {row.kind:<6} {row.target}  \u2014 {row.detail}\n")
        for path, line in row.used_by:
            write(f"          \u21b3 {path}:{line}\n")
    if not rows:
        write("No links found.\n")
