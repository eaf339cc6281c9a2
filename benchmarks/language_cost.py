"""What the language checks cost for a typical entry (about 400 words), beside markdown-it-py's
parse of the same text, measured in the same run (the issue's goal: no more than the parse).

    python -m benchmarks.language_cost [--repeat 200]

The language checks are the phrase, conditional, metric and spelling rules over the entry's prose
(the prose itself is the document model's, built once per entry for every check and the preview).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from markdown_it import MarkdownIt

from editor.checks import CheckContext
from editor.checks.registry import CHECKS
from editor.checks.rules import load_ruleset
from editor.checks.view import EntryView
from editor.content.config import Settings
from editor.content.entry import Entry

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


def typical_entries() -> list[str]:
    """Clean corpus entries of 300 to 450 words, the size of a typical answer."""
    found = []
    for path in sorted((CORPUS / "clean").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if 300 <= len(text.split()) <= 450:
            found.append(text)
    return found


def per_entry(func, texts, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            func(text)
        times.append((time.perf_counter() - start) / len(texts))
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args(argv)
    texts = typical_entries()
    ruleset, _ = load_ruleset(None)
    ctx = CheckContext(Settings(), None, ruleset=ruleset)
    language = [c for c in CHECKS if c.language]
    md = MarkdownIt("commonmark")
    views = {}
    for text in texts:
        view = EntryView(Entry.from_text("entries/x.md", text))
        view.prose  # noqa: B018 - the model, built before the clock starts
        view.words  # noqa: B018
        views[text] = view
        for check in language:  # warm: rules compiled, word lists loaded
            check.run(view, ctx)

    def run_language(text):
        view = views[text]
        for check in language:
            check.run(view, ctx)

    parses, checks, ratios = [], [], []
    for _ in range(args.repeat):  # one after the other in each round, so both see the same load
        parse = per_entry(md.parse, texts, 1)
        check = per_entry(run_language, texts, 1)
        parses.append(parse)
        checks.append(check)
        ratios.append(check / parse)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"{len(texts)} entries, {words:.0f} words on average")
    print(f"markdown-it-py parse (baseline): {statistics.median(parses) * 1000:.2f} ms per entry")
    print(f"language checks ({', '.join(c.name for c in language)}): {statistics.median(checks) * 1000:.2f} ms "
          f"per entry (median of the rounds' ratios: {statistics.median(ratios):.2f} x the parse)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
