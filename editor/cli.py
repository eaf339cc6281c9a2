"""The ``malone-editor`` command: check, render, demo, and opening the desktop editor."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from editor import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="malone-editor",
                                     description="Write, check and review the Malone help library.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check a content repository (offline)",
                           description="Check entries for format, schema, link and review problems.")
    check.add_argument("targets", nargs="*", metavar="[REPO] [PATH ...]",
                       help="the repository (default: the one containing the current folder), then entries "
                            "or folders to check (default: all)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    _online_arguments(check)
    check.add_argument("--verify-history", action="store_true",
                       help="prove each approval from git history: the reviewer must have committed it")

    review = sub.add_parser("review", help="clinical review: request, approve, request changes, queue")
    steps = review.add_subparsers(dest="step", required=True)
    for name, text in (("request", "ask for a clinical review (status in-review, committed)"),
                       ("approve", "approve the entry as it reads now (reviewers only; committed)"),
                       ("changes", "send the entry back to draft with a note (committed)")):
        step = steps.add_parser(name, help=text, description=text)
        step.add_argument("path", help="the entry")
        if name == "changes":
            step.add_argument("--note", required=True, help="what needs to change")
    queue = steps.add_parser("queue", help="entries waiting for review, void approvals, reviews due")
    queue.add_argument("repo", nargs="?", default=None)
    queue.add_argument("--format", choices=("text", "json"), default="text")

    links = sub.add_parser("links", help="list every link target with its status and the entries using it",
                           description="The link report: broken targets first, each with its backlinks.")
    links.add_argument("repo", nargs="?", default=None, help="the repository (default: the one containing the "
                                                             "current folder)")
    links.add_argument("--module", metavar="SLUG", help="only in-app links to this module: what links here?")
    links.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    _online_arguments(links)

    render = sub.add_parser("render", help="print the HTML the preview shows for an entry")
    render.add_argument("entry", help="path of an entry file")
    render.add_argument("--fragment", action="store_true", help="only the entry's HTML, without the page around it")

    demo = sub.add_parser("demo", help="create a demo content repository with a short git history")
    demo.add_argument("directory", help="where to create it (must not exist or be empty)")

    open_cmd = sub.add_parser("open", help="open a repository or an entry in the desktop editor")
    open_cmd.add_argument("path", help="a content repository, or an entry inside one")
    return parser


def _online_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--online", action="store_true", help="also fetch every web link (default: offline)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="how long to wait for each web server (default 5)")
    parser.add_argument("--cache-ttl", type=float, default=24.0, metavar="HOURS",
                        help="reuse healthy answers this long (default 24)")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every entry and fetch every link, ignoring the caches")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="where the check and link caches live (default ~/.cache/malone-editor)")


def _link_checker(args):
    from editor.web.cache import LinkCache
    from editor.web.checker import LinkChecker
    from editor.web.fetch import Options

    cache = None if args.no_cache else LinkCache(args.cache_dir, args.cache_ttl * 3600)
    return LinkChecker(Options(timeout=args.timeout), cache)


def _progress_bar():
    """A progress line on a terminal; nothing at all when stderr is not one."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\rChecking links [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "review":
            return _review(args)
        if args.command == "links":
            return _links(args)
        if args.command == "render":
            return _render(args)
        if args.command == "demo":
            return _demo(args)
        return _open_editor(getattr(args, "path", None))
    except UsageError as exc:
        print(f"malone-editor: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug must still not greet the user with a traceback
        print(f"malone-editor: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        print("Please report this, with the command you ran.", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _resolve_targets(targets: list[str]) -> tuple[Path, list[str] | None]:
    """Split ``[REPO] [PATH ...]`` into the repository root and repository-relative entry paths."""
    from editor.content.repository import find_root, is_repository

    items = list(targets)
    if items and is_repository(Path(items[0])):
        root = Path(items.pop(0)).resolve()
    else:
        start = Path(items[0]) if items else Path.cwd()
        if not start.exists():
            raise UsageError(f"{start}: no such file or folder")
        found = find_root(start)
        if found is None:
            where = "the current folder" if not items else str(start)
            raise UsageError(f"{where} is not inside a content repository (no content.yaml or modules.yaml found)")
        root = found
    if not items:
        return root, None
    return root, items


def _select(root: Path, all_paths: list[str], items: list[str]) -> list[str]:
    chosen: list[str] = []
    for item in items:
        path = Path(item)
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if not absolute.exists():
            absolute = (root / item).resolve()
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{item} is outside the content repository {root}") from None
        matches = [p for p in all_paths if p == relative or relative in ("", ".") or p.startswith(relative + "/")]
        if not matches:
            raise UsageError(f"{item}: no entry there (entries are Markdown files under entries/)")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def _check(args) -> int:
    import datetime as dt

    from editor.checks.cache import CheckCache
    from editor.checks.runner import check_repository
    from editor.content.repository import NotARepository, Repository

    root, items = _resolve_targets(args.targets)
    try:
        repo = Repository.open(root)
    except NotARepository as exc:
        raise UsageError(str(exc)) from None
    paths = _select(repo.root, repo.paths, items) if items else None
    online = (_link_checker(args), _progress_bar()) if args.online else None
    cache = None if args.no_cache else CheckCache(repo.root, dt.date.today(), True, args.cache_dir)
    report = check_repository(repo, paths, jobs=args.jobs, online=online, cache=cache)
    if args.verify_history:
        from editor.vcs.git import VcsError
        from editor.vcs.review import verify_history

        try:
            report.findings = sorted(report.findings + verify_history(repo, paths), key=lambda f: f.sort_key)
        except VcsError as exc:
            raise UsageError(str(exc)) from None
    if args.format == "json":
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for f in report.findings:
            hint = f" (suggestion: {f.suggestion})" if f.suggestion else ""
            print(f"{f.path}:{f.line}:{f.column}: {f.severity}: {f.message}{hint} [{f.rule}]")
        counts = report.counts()
        print(f"{report.files} files checked: {_plural(counts['error'], 'error')}, "
              f"{_plural(counts['warning'], 'warning')}, {_plural(counts['info'], 'info')}")
    return report.exit_code


def _review(args) -> int:
    from editor.content.repository import NotARepository, Repository
    from editor.vcs.git import VcsError
    from editor.vcs.review import ReviewError, approve, queue, request_changes, request_review

    target = getattr(args, "path", None) or args.repo
    root, _ = _resolve_targets([target] if target else [])
    try:
        repo = Repository.open(root)
    except NotARepository as exc:
        raise UsageError(str(exc)) from None
    try:
        if args.step == "queue":
            items = queue(repo)
            if args.format == "json":
                json.dump({"version": 1, "queue": [i.to_json() for i in items]}, sys.stdout, indent=1)
                sys.stdout.write("\n")
            else:
                for item in items:
                    print(f"{item.reason:<10} {item.path}  \u2014 {item.question} ({item.detail})")
                print(f"{len(items)} entries need a reviewer's attention" if items else "Nothing waits for review.")
            return EXIT_OK
        relative = _select(repo.root, repo.paths, [args.path])[0]
        if args.step == "request":
            sha = request_review(repo, relative)
            print(f"Review requested for {relative} ({sha[:10]})")
        elif args.step == "approve":
            sha = approve(repo, relative)
            print(f"Approved {relative} ({sha[:10]})")
        else:
            sha = request_changes(repo, relative, args.note)
            print(f"Changes requested for {relative} ({sha[:10]})")
    except (ReviewError, VcsError) as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def _links(args) -> int:
    from editor.checks.link_report import build_report
    from editor.checks.online import web_uses
    from editor.content.repository import NotARepository, Repository

    root, _ = _resolve_targets([args.repo] if args.repo else [])
    try:
        repo = Repository.open(root)
    except NotARepository as exc:
        raise UsageError(str(exc)) from None
    registry = repo.registry
    if args.module and registry is not None and args.module not in registry.modules:
        print(f"Note: no module '{args.module}' in modules.yaml; listing links to it anyway", file=sys.stderr)
    entries = repo.entries()
    statuses = None
    if args.online and not args.module:
        checker = _link_checker(args)
        statuses = checker.check([u.url for e in entries for u in web_uses(e)], _progress_bar())
    rows = build_report(entries, registry, statuses, args.module)
    if args.format == "json":
        json.dump({"version": 1, "module": args.module, "targets": [r.to_json() for r in rows]}, sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        if args.module:
            members = sum(1 for e in entries if e.module == args.module)
            print(f"Links to module '{args.module}': {sum(len(r.used_by) for r in rows)} from "
                  f"{len({p for r in rows for p, _ in r.used_by})} entries ({members} entries belong to it)")
        for row in rows:
            print(f"{row.status.upper():<9} {row.kind:<6} {row.target}  \u2014 {row.detail}")
            for path, line in row.used_by:
                print(f"          \u21b3 {path}:{line}")
        if not rows:
            print("No links found.")
    return EXIT_FINDINGS if any(r.status == "broken" for r in rows) else EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _render(args) -> int:
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
    sys.stdout.write(body if args.fragment else html_document(body, entry.question, app_name))
    return EXIT_OK


def _demo(args) -> int:
    from editor.vcs.demo import DemoError, create_demo

    try:
        target = create_demo(Path(args.directory))
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    print(f"Created a demo content repository in {target}")
    print(f"Try: malone-editor check {target}")
    return EXIT_OK


def _open_editor(path: str | None) -> int:
    try:
        from editor.app import run
    except ImportError as exc:
        raise UsageError(f"the desktop editor cannot start: {exc}") from None
    return run(path)
