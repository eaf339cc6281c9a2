"""``malone-editor fix``: make the suggestions the rules mark safe, showing each as a word diff.

Exit status: 0 when every safe fix was made (or, with --dry-run, could be), nothing to fix
included; 1 when some were not (an approved entry left alone, a re-check that was not clean, a file
that changed on disk, is read-only or could not be written), each said why, the others made; 2 when
it could not run at all (no content repository, a bad argument)."""
from __future__ import annotations

import argparse
import os
import sys

from editor.cli.common import EXIT_FINDINGS, EXIT_OK, open_repository, output

HELP = "make the fixes the rules mark safe (spelling for the locale, 'died by suicide', a link's case)"
DESCRIPTION = ("Apply every suggestion that its rule marks safe, re-check each fixed entry, and show each change "
               "as a word diff. Approved entries are left alone unless --void-approvals.")
CONTEXT = 30  # characters of the line shown on each side of the changes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="[REPO] [PATH ...]",
                        help="the repository (default: the one containing the current folder), then entries "
                             "or folders to fix (default: all)")
    parser.add_argument("--dry-run", action="store_true", help="show the fixes, write nothing")
    parser.add_argument("--void-approvals", action="store_true",
                        help="also fix approved entries: their approval is then void and they need review again")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from editor.checks.cache import CheckCache
    from editor.checks.fix_files import fix_entry
    from editor.checks.fixes import fix_kind
    from editor.checks.runner import check_repository, context_for

    repo, paths = open_repository(args.targets, select=True)
    ctx, _ = context_for(repo)
    # the check's findings (in worker processes, from its cache) say which entries may have a safe fix;
    # each of those is then read, checked, fixed and checked again by itself
    report = check_repository(repo, paths, cache=CheckCache(repo.root, dt.date.today(), True))
    wanted = {f.path for f in report.findings if f.suggestion and fix_kind(f.rule, ctx.ruleset) is not None}
    outcomes = [fix_entry(repo.root, path, ctx, args.void_approvals, args.dry_run)
                for path in (paths if paths is not None else repo.paths) if path in wanted]
    status = EXIT_FINDINGS if any(o.left_alone for o in outcomes) else EXIT_OK
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    with output(status):
        for outcome in outcomes:
            for line in diff_lines(outcome, colour):
                sys.stdout.write(line + "\n")
            if outcome.voided:
                sys.stdout.write(f"{outcome.path}: its approval {'would be' if args.dry_run else 'is'} now void: the "
                                 "answer changed after a clinical reviewer approved it, and it needs review again\n")
            for left in outcome.left:
                sys.stdout.write(f"{outcome.path}: not fixed ({_count(len(left.fixes), 'fix', 'fixes')} left): {left.reason}\n")
        sys.stdout.write(summary(outcomes, args.dry_run) + "\n")
    return status


def diff_lines(outcome, colour: bool = False) -> list[str]:
    """``path:line: ...[-old-]{+new+}...`` for each line with fixes, a little of the line around them."""
    text = outcome.text
    by_line: dict[int, list] = {}
    for fix in outcome.fixes:
        by_line.setdefault(fix.finding.line, []).append(fix)
    lines = []
    for number, fixes in sorted(by_line.items()):
        fixes.sort(key=lambda fix: fix.start)
        line_start = text.rfind("\n", 0, fixes[0].start) + 1
        line_end = _line_end(text, fixes[-1].end)
        parts, at = [], fixes[0].start
        head = text[max(line_start, at - CONTEXT):at]
        parts.append(("\u2026" if at - CONTEXT > line_start else "") + head)
        for fix in fixes:
            parts.append(_flat(text[at:fix.start]))
            parts.append(_marked(fix.old, fix.new, colour))
            at = fix.end
        tail = text[at:min(line_end, at + CONTEXT)]
        parts.append(_flat(tail) + ("\u2026" if at + CONTEXT < line_end else ""))
        lines.append(f"{outcome.path}:{number}: {''.join(parts).strip()}")
    return lines


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _flat(text: str) -> str:
    return " ".join(text.split("\n")).replace("\r", "").replace("\t", " ")


def _marked(old: str, new: str, colour: bool) -> str:
    taken, put = f"[-{' '.join(old.split())}-]", f"{{+{' '.join(new.split())}+}}"  # a kept line break shown as a space
    if colour:
        return f"\x1b[31m{taken}\x1b[0m\x1b[32m{put}\x1b[0m"
    return taken + put


def summary(outcomes, dry_run: bool) -> str:
    made = [o for o in outcomes if o.fixes]
    count = sum(len(o.fixes) for o in made)
    left = [o for o in outcomes if o.left_alone]
    if not made and not left:
        return "Nothing to fix: no finding has a suggestion its rule marks safe."
    problems, entries = _count(count, "problem", "problems"), _count(len(made), "entry", "entries")
    if made:
        said = f"Would fix {problems} in {entries}: dry run, nothing was written." if dry_run else \
            f"Fixed {problems} in {entries}."
    else:
        said = "Nothing would be fixed (dry run)." if dry_run else "Nothing fixed."
    if left:
        waiting = sum(len(item.fixes) for o in left for item in o.left)
        said += f" {_count(waiting, 'safe fix', 'safe fixes')} not made, in {_count(len(left), 'entry', 'entries')} " \
            "(see above)."
    return said


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
