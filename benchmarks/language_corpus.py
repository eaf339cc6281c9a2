"""Recall and false alarms of the language checks over the labelled corpora.

    python -m benchmarks.language_corpus            # the main corpus and the held-out one
    python -m benchmarks.language_corpus --misses   # and what each one missed (read it only to report)

The main corpus (tests/corpus/) labels each planted problem with the rule that must find it; the
held-out corpus (tests/corpus_heldout/, written blind from the published guidance and never tuned
to) labels it with a family. An item is found when a language finding (tone, readability, safety
or spelling, severity info or more; the entry-wide reading grade and the long-sentence measure
do not count, since they do not point at words) is on its line; for the family
``safety-missing-resource`` when the entry has a safety finding. A false alarm is a warning or an
error on a clean entry.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "tests" / "corpus"
HELD_OUT = ROOT / "tests" / "corpus_heldout"
NOT_POINTING = {"reading-grade", "long-sentence"}
LANGUAGE = {"tone", "readability", "safety", "spelling"}


@dataclass
class Score:
    name: str
    planted: int = 0
    found: int = 0
    clean_entries: int = 0
    false_alarms: list[tuple[str, int, str, str]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    unplanned: list[tuple[str, int, str, str]] = field(default_factory=list)  # in defect entries

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 0.0

    @property
    def alarms_per_10(self) -> float:
        return 10 * len(self.false_alarms) / self.clean_entries if self.clean_entries else 0.0

    def line(self) -> str:
        return (f"{self.name}: {self.found}/{self.planted} planted problems found (recall {self.recall:.2f}); "
                f"{len(self.false_alarms)} false alarms on {self.clean_entries} clean entries "
                f"({self.alarms_per_10:.1f} per 10)")


def corpus_findings(corpus: Path):
    """Every finding of a check of the corpus as a library with the sample content's settings."""
    from editor.checks.runner import check_repository
    from editor.content.repository import Repository

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("content.yaml", "modules.yaml", "dictionary.txt"):
            shutil.copy(ROOT / "sample_content" / name, root / name)
        shutil.copytree(corpus / "defects", root / "entries" / "defects")
        shutil.copytree(corpus / "clean", root / "entries" / "clean")
        report = check_repository(Repository.open(root), today=dt.date(2026, 11, 25), jobs=1)
    return [f for f in report.findings if f.path.startswith("entries/")]


def score(corpus: Path, name: str, findings=None) -> Score:
    findings = corpus_findings(corpus) if findings is None else findings
    labels = yaml.safe_load((corpus / "expected.yaml").read_text(encoding="utf-8"))["defects"]
    result = Score(name, planted=len(labels), clean_entries=len(list((corpus / "clean").glob("*.md"))))
    pointing = [f for f in findings if f.category in LANGUAGE and f.rule not in NOT_POINTING]
    on_line = {(f.path.removeprefix("entries/"), f.line) for f in pointing}
    by_rule = {(f.path.removeprefix("entries/"), f.line, f.rule) for f in findings}
    safety = {f.path.removeprefix("entries/") for f in findings if f.category == "safety"}
    planted_lines = set()
    for label in labels:
        where = (label["file"], label["line"])
        planted_lines.add(where)
        if "rule" in label:
            hit = (*where, label["rule"]) in by_rule
        elif label.get("family") == "safety-missing-resource":
            hit = label["file"] in safety
        else:
            hit = where in on_line
        if hit:
            result.found += 1
        else:
            result.missed.append(label)
    for f in findings:
        path = f.path.removeprefix("entries/")
        if path.startswith("clean/") and f.severity in ("warning", "error"):
            result.false_alarms.append((path, f.line, f.rule, f.message))
        elif path.startswith("defects/") and f.severity in ("warning", "error") and f.category in LANGUAGE \
                and f.rule not in NOT_POINTING and (path, f.line) not in planted_lines \
                and not (f.category == "safety" and path in {lb["file"] for lb in labels
                                                            if lb.get("family") == "safety-missing-resource"}):
            result.unplanned.append((path, f.line, f.rule, f.message))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list what was missed and the false alarms")
    parser.add_argument("--main-only", action="store_true")
    args = parser.parse_args(argv)
    corpora = [(MAIN, "main corpus")] + ([] if args.main_only else [(HELD_OUT, "held-out corpus")])
    for corpus, name in corpora:
        result = score(corpus, name)
        print(result.line())
        if args.misses:
            for label in result.missed:
                print("  missed", label["file"], label["line"], label.get("rule") or label.get("family"),
                      repr(label.get("phrase", "")))
            for alarm in result.false_alarms:
                print("  false alarm", *alarm)
            for extra in result.unplanned:
                print("  unplanned", *extra)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
