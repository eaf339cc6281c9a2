"""The built-in rules kept in the user's cache folder (editor/checks/rules_cache.py) are the rules as
made from rules/default.yaml, field for field; a damaged file is made again, never believed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from editor.checks import rules


def _fresh(monkeypatch):
    monkeypatch.setattr(rules, "_DEFAULT_CACHE", None)
    monkeypatch.setattr(rules, "_BUILT_IN", None)


def _shape(made: dict) -> dict:
    return {rid: (r.category, r.kind, r.severity, r.message, r.source, r.context, r.exceptions_fragment,
                  r.condition.pattern if r.condition is not None else None, r.condition_fragment, r.then, r.max_grade,
                  r.max_words, r.raw, [(m.fragment, m.replacement, m.ignorecase, m.keys, m.required) for m in r.matchers])
            for rid, r in made.items()}


def test_the_kept_rules_are_the_rules_as_made(monkeypatch):
    _fresh(monkeypatch)
    assert rules._kept_rules() is None  # this test's own cache folder: nothing kept yet
    _fresh(monkeypatch)
    made = rules._built_in_rules()  # made from the YAML, and kept
    data = rules.built_in_data()
    _fresh(monkeypatch)
    kept = rules._kept_rules()
    assert kept is not None and _shape(kept) == _shape(made)
    assert rules.built_in_data() == data


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"data": {"rules": []}, "rules": [{"id": "x"}]}',
                                    b'{"data": 5, "rules": []}', b"[1, 2]"])
def test_a_damaged_kept_file_is_made_again(monkeypatch, damage):
    _fresh(monkeypatch)
    made = _shape(rules._built_in_rules())
    target = rules.rules_cache._file(rules.DEFAULT_RULES)
    target.write_bytes(damage)
    _fresh(monkeypatch)
    assert _shape(rules._built_in_rules()) == made


def test_a_second_process_checks_with_the_kept_rules(tmp_path, sample_repo):
    def findings() -> str:
        return subprocess.run([sys.executable, "-m", "editor", "check", str(sample_repo), "--no-cache", "--format",
                               "json"], capture_output=True, text=True).stdout

    first = findings()  # makes and keeps the rules
    assert list(rules.rules_cache._file(rules.DEFAULT_RULES).parent.glob("rules-*.json"))
    assert findings() == first


def test_the_kept_starts_of_patterns_are_read_from_the_patterns(monkeypatch):
    from editor.checks import pattern_index

    _fresh(monkeypatch)
    rules._built_in_rules()
    _fresh(monkeypatch)
    pattern_index.KNOWN.clear()
    assert rules._kept_rules() is not None
    assert len(pattern_index.KNOWN) > 20
    for fragment, found in pattern_index.KNOWN.items():
        assert found == pattern_index.prefixes(fragment), fragment
