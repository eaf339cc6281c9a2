"""The labelled corpus: every planted defect is found on its line; clean entries draw no
warning or error. Recall and precision over the project's own text (tests/corpus/)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, findings_of

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["defects"]

@pytest.fixture(scope="module")
def corpus_findings(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    for name in ("content.yaml", "modules.yaml", "dictionary.txt"):  # the sample library's settings
        shutil.copy(ROOT / "sample_content" / name, root / name)
    shutil.copytree(CORPUS / "defects", root / "entries" / "defects")
    shutil.copytree(CORPUS / "clean", root / "entries" / "clean")
    return findings_of(root)


def test_corpus_is_big_enough():
    assert len(EXPECTED) >= 40
    assert len(list((CORPUS / "clean").glob("*.md"))) >= 10


def test_every_planted_defect_is_found_on_its_line(corpus_findings):
    found = {(f.path.removeprefix("entries/"), f.line, f.rule) for f in corpus_findings}
    missed = [(d["file"], d["line"], d["rule"]) for d in EXPECTED if (d["file"], d["line"], d["rule"]) not in found]
    assert missed == []


def test_clean_entries_draw_no_warning_or_error(corpus_findings):
    noisy = [(f.path, f.line, f.rule, f.message) for f in corpus_findings
             if f.path.startswith("entries/clean/") and f.severity in ("warning", "error")]
    assert noisy == []


def test_defect_files_draw_nothing_unplanned(corpus_findings):
    planted = {(d["file"], d["line"], d["rule"]) for d in EXPECTED}
    extra = [(f.path, f.line, f.rule, f.message) for f in corpus_findings if f.path.startswith("entries/defects/")
             and (f.path.removeprefix("entries/"), f.line, f.rule) not in planted and f.severity != "info"]
    assert extra == []
