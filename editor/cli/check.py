"""``malone-editor check``: every finding of a content repository, as compiler-like lines or JSON."""
from __future__ import annotations

import argparse
import sys

from editor.cli.common import (UsageError, add_online_arguments, link_checker, open_changed, open_repository, output,
                               plural, progress_bar, write_json)

HELP = "check a content repository (offline)"
DESCRIPTION = "Check entries for format, schema, link and review problems."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="[REPO] [PATH ...]",
                        help="the repository (default: the one containing the current folder), then entries "
                             "or folders to check (default: all)")
    parser.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text",
                        help="output format: text, json, sarif (SARIF 2.1.0, for code scanning) or github "
                             "(workflow commands: annotations on a pull request's lines)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    add_online_arguments(parser)
    parser.add_argument("--verify-history", action="store_true",
                        help="prove each approval from git history: the reviewer must have committed it")
    parser.add_argument("--changed", action="store_true",
                        help="the PATHs are changed files, as a git hook passes them: the entries among them are "
                             "checked (an entry's comment files count for the entry), every entry when a settings "
                             "file changed, and other files are left out")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from editor.checks.cache import CheckCache
    from editor.checks.runner import check_repository

    if args.changed:
        repo, paths = open_changed(args.targets)
        if paths == []:
            sys.stdout.write("No entries among the changed files: nothing to check\n")
            return 0
    else:
        repo, paths = open_repository(args.targets, select=True)
    online = (link_checker(args), progress_bar()) if args.online else None
    cache = None if args.no_cache else CheckCache(repo.root, dt.date.today(), True, args.cache_dir)
    # the repository was listed just now: its walk's view of comment folders is the check's
    report = check_repository(repo, paths, jobs=args.jobs, online=online, cache=cache, comment_listing=repo.listing)
    if args.verify_history:
        from editor.vcs.git import VcsError
        from editor.vcs.review import verify_history

        try:
            report.findings = sorted(report.findings + verify_history(repo, paths), key=lambda f: f.sort_key)
        except VcsError as exc:
            raise UsageError(str(exc)) from None
    with output(report.exit_code):
        if args.format == "json":
            write_json(report.to_json())
        elif args.format in ("sarif", "github"):
            write_ci(report, args.format, repo)
        else:
            write_text(report)
    return report.exit_code


def write_ci(report, kind: str, repo) -> None:
    from editor.cli import ci_formats

    if kind == "github":
        sys.stdout.writelines(line + "\n" for line in ci_formats.github_lines(report.findings))
        return
    import editor
    from editor.checks.rules import load_ruleset

    write_json(ci_formats.sarif(report.findings, load_ruleset(repo.root)[0], editor.__version__))


def write_text(report) -> None:
    for f in report.findings:
        hint = f" (suggestion: {f.suggestion})" if f.suggestion else ""
        sys.stdout.write(f"{f.path}:{f.line}:{f.column}: {f.severity}: {f.message}{hint} [{f.rule}]\n")
    counts = report.counts()
    sys.stdout.write(f"{report.files} files checked: {plural(counts['error'], 'error')}, "
                     f"{plural(counts['warning'], 'warning')}, {plural(counts['info'], 'info')}\n")
