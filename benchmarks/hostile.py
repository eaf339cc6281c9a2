"""Hostile input: ``check`` of 1,000 normal entries beside entries made to cost as much as they can.

    python -m benchmarks.hostile [--entries 1000] [--cases] [--timeout 600]

The hostile entries: YAML alias bombs in ``tags`` and in ``review``, 100,000 frontmatter keys, a
10 MB body of one word, a 10 MB body of one link, a million "You must " (a million matches of a
tone rule), a million list lines, and nesting 100,000 deep (block quotes, lists, brackets,
emphasis, HTML blocks); and, in a repository of its own (it is the library's settings, so it
breaks every run), an alias bomb in ``content.yaml``.

Each run is ``malone-editor check REPO --format json --no-cache`` in a fresh process, as a user
runs it, measured for wall time and peak memory (the largest process: the command or one of its
workers). The goal: normal + hostile within 2x the time of the normal entries alone plus 10 s,
and 1.5x their peak memory. With ``--cases``, each hostile entry is also checked alone (``check
REPO PATH``: the others are read for their ids only), beside one normal entry checked so. Every run has an address-space limit
(``--memory-limit``, default 3 GiB) so that a runaway check stops instead of taking the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import generate

WORK = Path(__file__).resolve().parent / ".work"
ROOT = Path(__file__).resolve().parents[1]
MODULE = "sleep"
MB = 1_000_000


def _bomb(levels: int = 9, width: int = 9) -> list[str]:
    """YAML lines of an alias bomb: each level is a list of ``width`` aliases of the one before
    (about 700 bytes that expand to width**levels items)."""
    lines = ["  - &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"  - &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
    return lines


def _entry(name: str, body: str, extra: list[str] | None = None) -> str:
    head = ["---", f"id: hostile-{name}", f"module: {MODULE}", "status: draft", *(extra or []), "---"]
    return "\n".join(head) + "\n" + body


QA = "### Q: What is this?\n\nA: "


def hostile_entries(scale: float = 1.0) -> dict[str, str]:
    """File name -> text of each hostile entry; ``scale`` shrinks the sizes (tests use a small one)."""
    n = lambda count: max(1, int(count * scale))  # noqa: E731
    deep = n(100_000)
    return {
        "alias-tags": _entry("alias-tags", QA + "Rest when you can.\n", ["tags:", *_bomb()]),
        "alias-review": _entry("alias-review", QA + "Rest when you can.\n",
                               ["review:", "  reviewer: ana.ruiz@example.org", "  notes:", *("  " + line for line in _bomb())]),
        "many-keys": _entry("many-keys", QA + "Rest when you can.\n", [f"key{i:06d}: value" for i in range(n(100_000))]),
        "one-word": _entry("one-word", QA + "a" * n(10 * MB) + "\n"),
        "one-link": _entry("one-link", QA + "[a link](https://example.org/" + "a" * n(10 * MB) + ")\n"),
        "you-must": _entry("you-must", QA + "You must " * n(1_000_000) + "\n"),
        "list-lines": _entry("list-lines", QA + "Some steps.\n\n" + "- a step\n" * n(1_000_000)),
        "deep-quotes": _entry("deep-quotes", QA + "Deep.\n\n" + ">" * deep + " quoted\n"),
        "deep-lists": _entry("deep-lists", QA + "Deep.\n\n" + "- " * deep + "item\n"),
        "deep-brackets": _entry("deep-brackets", QA + "[" * deep + "x" + "]" * deep + "\n"),
        "deep-emphasis": _entry("deep-emphasis", QA + "*" * deep + "x" + "*" * deep + "\n"),
        "deep-html": _entry("deep-html", QA + "Deep.\n\n" + "<div>\n" * deep + "x\n" + "</div>\n" * deep),
    }


def content_bomb(settings: str) -> str:
    """content.yaml with an alias bomb among its trusted domains."""
    return settings.replace("trusted_domains:\n", "trusted_domains:\n" + "\n".join(_bomb()) + "\n", 1)


def build(root: Path, entries: int, scale: float = 1.0) -> tuple[Path, Path, Path]:
    """(normal, normal + hostile, normal + a bombed content.yaml) repositories under ``root``."""
    normal = generate(root / "normal", entries)
    mixed = root / "hostile"
    bombed = root / "content-bomb"
    for target in (mixed, bombed):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(normal, target)
    for name, text in hostile_entries(scale).items():
        (mixed / "entries" / MODULE / f"hostile-{name}.md").write_text(text, encoding="utf-8")
    settings = bombed / "content.yaml"
    settings.write_text(content_bomb(settings.read_text(encoding="utf-8")), encoding="utf-8")
    return normal, mixed, bombed


def measure(args: list[str], timeout: float, memory_limit: int) -> dict:
    """Run ``malone-editor check ARGS --format json --no-cache`` in a fresh process group; wall
    time, the peak memory of its largest process (MB), the exit code and the report (or None)."""
    cache = WORK / "hostile-cache"
    shutil.rmtree(cache, ignore_errors=True)
    command = [sys.executable, "-m", "benchmarks.hostile", "--child", str(memory_limit), "--",
               sys.executable, "-m", "editor", "check", *args, "--format", "json", "--no-cache",
               "--cache-dir", str(cache)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"wall": None, "rss": None, "code": None, "report": None, "note": f"did not finish in {timeout:.0f} s"}
    wall = time.perf_counter() - start
    lines = done.stderr.decode("utf-8", "replace").rstrip().splitlines()
    usage = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = None
    said = [line for line in lines[:-1] if line.strip()]
    note = "" if report is not None else (said[-1].strip() if said else f"exit code {done.returncode}")[:60]
    return {"wall": usage.get("wall", wall), "rss": usage.get("rss"), "code": usage.get("code", done.returncode),
            "report": report, "note": note}


def _child(limit: int, command: list[str]) -> int:
    """Run ``command`` under an address-space limit; print its wall time and peak memory as JSON."""
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    start = time.perf_counter()
    code = subprocess.call(command)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child, in MB (Linux: KB)
    sys.stderr.write("\n" + json.dumps({"wall": wall, "rss": rss, "code": code}) + "\n")
    return 0


def _rules(report: dict | None, path: str) -> str:
    if report is None:
        return "-"
    rules = sorted({f["rule"] for f in report["findings"] if f["path"] == path})
    return ", ".join(rules) or "(none)"


def _figure(result: dict) -> str:
    if result["wall"] is None or result["report"] is None:
        return f"{result['note'] or 'failed'}"
    return f"{result['wall']:7.2f} s {result['rss']:7.0f} MB"


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        return _child(int(sys.argv[2]), sys.argv[4:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--cases", action="store_true", help="also check each hostile entry alone")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a run may take before it is stopped")
    parser.add_argument("--memory-limit", type=int, default=3 << 30, help="address-space limit of each run, bytes")
    args = parser.parse_args()
    normal, mixed, bombed = build(WORK / "hostile", args.entries)
    run = lambda *targets: measure([str(t) for t in targets], args.timeout, args.memory_limit)  # noqa: E731
    base = run(normal)
    both = run(mixed)
    settings = run(bombed)
    print(f"normal entries: {args.entries}; hostile entries: {len(hostile_entries())}")
    print(f"{'run':<46}{'wall':>10}{'peak memory':>14}{'findings':>10}")
    for label, result in (("normal entries alone (baseline)", base), ("normal + hostile", both),
                          ("normal, content.yaml with an alias bomb", settings)):
        count = len(result["report"]["findings"]) if result["report"] else "-"
        print(f"{label:<46}{_figure(result):>24}{count:>10}")
    if base["wall"] and both["wall"] and both["report"]:
        time_goal, memory_goal = 2 * base["wall"] + 10, 1.5 * base["rss"]
        print(f"goal: under {time_goal:.1f} s ({both['wall']:.1f} s: {'met' if both['wall'] < time_goal else 'NOT met'})"
              f" and under {memory_goal:.0f} MB ({both['rss']:.0f} MB: "
              f"{'met' if both['rss'] < memory_goal else 'NOT met'})")
        hostile = f"entries/{MODULE}/hostile-"
        same = sorted(json.dumps(f, sort_keys=True) for f in base["report"]["findings"]) == sorted(
            json.dumps(f, sort_keys=True) for f in both["report"]["findings"] if not f["path"].startswith(hostile))
        print(f"normal entries' findings the same beside the hostile ones: {'yes' if same else 'NO'}")
    if args.cases:
        first = sorted((normal / "entries").rglob("*.md"))[0].relative_to(normal).as_posix()
        alone = run(mixed, mixed / first)
        print(f"  {'(one normal)':<16}{_figure(alone):>24}  {_rules(alone['report'], first)}  <- baseline of the cases")
    for name in hostile_entries(0.0001):
        path = f"entries/{MODULE}/hostile-{name}.md"
        line = f"  {name:<16}{_rules(both['report'], path)}"
        if args.cases:
            alone = run(mixed, mixed / path)
            line = f"  {name:<16}{_figure(alone):>24}  {_rules(alone['report'], path)}"
        print(line)
    print(f"  content.yaml    {_rules(settings['report'], 'content.yaml')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
