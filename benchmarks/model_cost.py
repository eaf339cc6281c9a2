"""Cost of the document model against plain markdown-it on the same text (figures only, no thresholds).

    python -m benchmarks.model_cost

Times ``parse_body(text).prose`` and ``MarkdownIt("commonmark").parse(text)`` with time.perf_counter,
on typical and pathological bodies; the HTML-block and links-with-address-text rows grow the input to
show how each one scales.
"""
from __future__ import annotations

import sys
import time

from markdown_it import MarkdownIt

from editor.content.markdown import parse_body

PARAGRAPH = ("Broken sleep is hard, and it is *common* to feel worn out. See [the guide](?tab=modules&module=sleep) "
             "or call 988 if you need to talk. Some parents feel `low` &amp; tired.\nA second line of the paragraph "
             "with **strong** words and a https://example.org/link.\n\n")


def _definitions(count: int) -> str:
    return "See [d1] and [d19999].\n\n" + "".join(f"[d{i}]: ?tab=modules&module=sleep \"t{i}\"\n" for i in range(count))


def cases() -> list[tuple[str, str]]:
    rows = [("1 MB of typical paragraphs", (PARAGRAPH * 4000)[:1_000_000]),
            ("10,000 nested [", "[" * 10_000),
            ("100,000 *", "*" * 100_000),
            ("50,000 backticks", "`" * 50_000),
            ("20,000 link definitions", _definitions(20_000)),
            ("one 1 MB line", ("word *em* [a](b) " * 60_000)[:1_000_000]),
            ("1 MB table with escaped pipes", "| a | b |\n|---|---|\n" + "| x \\| y | `c` |\n" * (1_000_000 // 17)),
            ("1 MB of inline tags", "<b>x</b> " * (1_000_000 // 9))]
    for size in (100_000, 200_000, 400_000):
        rows.append((f"HTML block, {size // 1000} KB", "<div>\n" + "x &amp; y <b>z</b>\n" * (size // 19)))
    for count in (4_000, 8_000, 16_000):
        rows.append((f"{count} links with an address as text", "[https://x.org/a](https://x.org/a) " * count))
    return rows


def _time(function, text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def main() -> None:
    stock = MarkdownIt("commonmark")
    for name, text in cases():
        plain = _time(stock.parse, text)
        model = _time(lambda t: parse_body(t).prose, text)
        print(f"{name:38s} {len(text):>9,d} chars  markdown-it {plain:7.3f} s  model {model:7.3f} s  "
              f"x{model / max(plain, 1e-9):6.1f}", flush=True)


if __name__ == "__main__":
    sys.setrecursionlimit(100_000)
    main()
