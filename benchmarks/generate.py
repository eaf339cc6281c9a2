"""Generate a realistic content repository of N entries from the sample content.

Entries reuse the sample's sentences, links and modules, shuffled per entry, so sizes, link
counts and frontmatter look like the real library. Deterministic for a given N and seed.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

from editor.content.entry import Entry, body_hash
from editor.resources import sample_content_dir


_MENTIONS_RISK = re.compile(r"suicid|self[- ]?harm|hurt(?:ing)? (?:yourself|myself)|end(?:ing)? (?:your|my) life"
                           r"|kill(?:ing)? (?:yourself|myself)|want(?:ing)? to die", re.I)


def _paragraphs(entries: list[Entry]) -> list[str]:
    found = []
    for entry in entries:
        for block in re.split(r"\n\s*\n", entry.body):
            block = block.strip()
            if block and not block.startswith(("### Q:", "A:")):
                found.append(block)
    return found


def generate(target: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    source = sample_content_dir()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("content.yaml", "modules.yaml", "dictionary.txt"):
        shutil.copy(source / name, target / name)
    samples = [Entry.load(source, p.relative_to(source).as_posix()) for p in sorted(source.rglob("entries/**/*.md"))]
    clean = [e for e in samples if e.status != "draft"]
    paragraphs = _paragraphs(clean)
    answers = [b.strip() for e in clean for b in re.split(r"\n\s*\n", e.body) if b.strip().startswith("A:")]
    questions = [e.question for e in clean]
    modules = sorted({e.module for e in clean})
    for index in range(count):
        module = modules[index % len(modules)]
        template = clean[index % len(clean)]
        body = [f"### Q: {rng.choice(questions)}", rng.choice(answers)]
        body += rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(4, 8)))
        body.append(f"[Tap here](?tab=modules&module={module}) to learn more.")
        if _MENTIONS_RISK.search(" ".join(body)):  # as the library's own rule requires
            body.append("If you are thinking about suicide, call or text 988 or "
                        "[get help now](?tab=modules&module=crisis-support).")
        text_body = "\n\n".join(body) + "\n"
        status = ("draft", "in-review", "approved")[index % 3]
        lines = ["---", f"id: entry-{index:05d}", f"module: {module}", f"status: {status}"]
        if template.meta.get("tags"):
            lines.append("tags: [" + ", ".join(json.dumps(str(t)) for t in template.meta["tags"]) + "]")
        if template.meta.get("sources"):
            lines.append("sources:")
            lines += [f"  - {url}" for url in template.meta["sources"]]
        if status == "approved":
            lines += ["review:", "  reviewer: ana.ruiz@example.org", "  reviewed_on: 2026-09-01",
                      "  next_review: 2029-08-31", f"  body_sha256: {body_hash(text_body)}"]
        lines.append("---")
        path = target / "entries" / module / f"entry-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n" + text_body, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    generate(args.directory, args.entries)
    print(f"wrote {args.entries} entries to {args.directory}")


if __name__ == "__main__":
    main()
