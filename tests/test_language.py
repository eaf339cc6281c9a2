"""The language rule engine: context that keeps careful writing quiet, tone.yaml, exemption
comments, safety, readability and spelling."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, entry_text, findings_of
from editor.checks.pattern_index import PatternIndex, prefixes
from editor.checks.readability import syllables
from editor.checks.registry import language_categories

Q = "### Q: How do I cope with this?\n\n"


def language(repo, body, **fields):
    repo.entry("x.md", entry_text(body, **fields))
    return [f for f in findings_of(repo.root) if f.category in language_categories()]


def rules(findings):
    return [f.rule for f in findings]


def test_suicide_language_with_exact_span_and_suggestion(repo):
    found = language(repo, Q + "A: Her brother committed suicide last year.\n")
    assert [(f.rule, f.severity, f.suggestion, f.line, f.column, f.end_column) for f in found if f.category == "tone"] \
        == [("suicide-commit", "error", "died by suicide", 8, 16, 33)]


def test_suicide_mention_without_crisis_resource_is_a_safety_error(repo):
    found = language(repo, Q + "A: Some parents have thoughts of ending their life. That can feel frightening.\n")
    assert [(f.rule, f.severity, f.line) for f in found] == [("crisis-resource-required", "error", 8)]


@pytest.mark.parametrize("resource", ["Call or text 988 any time.", "[Get help now](?tab=modules&module=crisis-support)",
                                      "[Call now](?tab=modules&module=crisis-support&section=call-now)"])
def test_any_crisis_resource_satisfies_the_safety_rule(repo, resource):
    body = Q + "A: If you are thinking about hurting yourself, you deserve support right away.\n\n" + resource + "\n"
    assert "crisis-resource-required" not in rules(language(repo, body))


def test_safety_rule_cannot_be_exempted_by_a_comment(repo):
    body = Q + "<!-- malone-disable crisis-resource-required -->\nA: Self-harm is more common than people think.\n"
    assert "crisis-resource-required" in rules(language(repo, body))


def test_negation_quotation_and_the_readers_question_are_not_flagged(repo):
    body = ("### Q: Am I a bad mother for needing a break?\n\n"
            "A: Struggling doesn't make you a bad mother. Many parents worry about being seen as a “bad mother”.\n\n"
            "You might feel like you have to appear strong. We are simply someone to listen.\n\n"
            "Postpartum psychosis is a medical emergency. The baby blues usually fade within two weeks.\n")
    assert [f for f in language(repo, body) if f.severity != "info"] == []


def test_seed_shaped_legacy_entry_draws_no_language_warning(repo):
    repo.entry("legacy.md", (FIXTURES / "legacy-entry.md").read_bytes())
    found = [f for f in findings_of(repo.root) if f.severity != "info"]
    assert [f.rule for f in found] == ["missing-metadata"]


def test_exemption_comments(repo):
    body = (Q + "A: Some days feel crazy.\n\n<!-- malone-disable-next-line psych-slurs -->\nThat was a crazy week.\n\n"
            "A lunatic schedule. <!-- malone-disable-line psych-slurs -->\n\n"
            "<!-- malone-disable psych-slurs -->\nInsane hours.\n\nPsycho traffic.\n<!-- malone-enable psych-slurs -->\n\n"
            "Crazy again.\n")
    lines = [f.line for f in language(repo, body) if f.rule == "psych-slurs"]
    assert lines == [8, 21]


def test_a_comment_exempts_language_rules_only(repo):
    body = (Q + "A: Rest when you can.\n\n<!-- malone-disable-next-line -->\n"
            "A crazy week, overwhlemed. [Sleep](?tab=modules&module=slep)\n")
    repo.entry("x.md", entry_text(body))
    assert [(f.rule, f.line) for f in findings_of(repo.root)] == [("unknown-module", 11)]


def test_allow_and_comments_spare_words_before_a_correction_is_looked_for(repo, monkeypatch):
    from editor.checks import spelling

    asked = []
    real = spelling.suggest
    monkeypatch.setattr(spelling, "suggest", lambda word, *rest: asked.append(word) or real(word, *rest))
    repo.write("tone.yaml", "allow: [qwxzt, brave zorbl]\n")
    body = (Q + "A: The Qwxzt app and Qwxzt's team help. Qwxzts do not. Brave Zorbl meets; Zorbl alone does not.\n\n"
            "<!-- malone-disable-next-line misspelling -->\nWe felt overwhlemed.\n")
    found = [f.message.split("'")[1] for f in language(repo, body) if f.category == "spelling"]
    assert found == ["Qwxzts", "Zorbl", "Zorbl"]  # an allowed phrase does not make its words known
    assert asked == found


def test_a_safety_phrase_rule_is_kept_by_comments_but_not_by_allow(repo):
    repo.write("tone.yaml", """\
rules:
  - id: safe-words
    category: safety
    kind: existence
    severity: error
    message: "Say it plainly"
    tokens: ['unalive']
allow: ["unalive sisters"]
""")
    body = Q + "A: <!-- malone-disable safe-words -->\nTo unalive oneself. The Unalive Sisters band. Call 988.\n"
    assert [(f.rule, f.column) for f in language(repo, body) if f.rule == "safe-words"] == [("safe-words", 4)]


def test_tone_yaml_adds_rules_changes_severity_disables_and_allows(repo):
    repo.write("tone.yaml", """\
rules:
  - id: no-mommy
    category: tone
    kind: substitution
    severity: warning
    message: "Say 'mom' or 'parent'"
    swap:
      'mommy': 'mom'
severity:
  suicide-commit: warning
disable: [long-sentence]
allow: ["crazy quilt"]
""")
    body = Q + "A: Mommy time matters. He committed suicide. She sews a crazy quilt.\n"
    found = language(repo, body)
    assert [(f.rule, f.severity, f.suggestion) for f in found if f.category == "tone"] == [
        ("no-mommy", "warning", "Mom"), ("suicide-commit", "warning", "died by suicide")]


def test_broken_tone_yaml_is_a_finding_and_built_in_rules_still_run(repo):
    repo.write("tone.yaml", "rules:\n  - id: x\n    kind: [\n")
    repo.entry("x.md", entry_text(Q + "A: He committed suicide. Call 988.\n"))
    found = findings_of(repo.root)
    assert ("tone.yaml", "invalid-yaml") in [(f.path, f.rule) for f in found]
    assert "suicide-commit" in rules(found)


def test_invalid_rule_in_tone_yaml_is_reported_with_its_line(repo):
    repo.write("tone.yaml", "rules:\n  - id: bad-regex\n    category: tone\n    kind: existence\n"
                            "    severity: warning\n    message: x\n    tokens: ['(unclosed']\n")
    repo.entry("x.md", entry_text())
    found = [(f.path, f.rule, f.line) for f in findings_of(repo.root) if f.path == "tone.yaml"]
    assert found == [("tone.yaml", "invalid-pattern", 2)]


def test_readability_grade_and_long_sentences(repo):
    dense = ("A: Comprehensive multidisciplinary perinatal interventions substantially ameliorate "
             "psychological symptomatology, particularly regarding intergenerational considerations. " * 3)
    long = "This sentence " + "keeps going and " * 20 + "finally ends."
    found = language(repo, Q + dense + "\n\n" + long + "\n")
    by_rule = {f.rule: f for f in found}
    assert by_rule["reading-grade"].severity == "warning" and by_rule["reading-grade"].line == 8
    assert by_rule["long-sentence"].severity == "info" and by_rule["long-sentence"].line == 10


def test_spelling_with_suggestion_dictionary_and_skipped_targets(repo):
    body = Q + ("A: Rest helps when you feel overwhlemed. Our Qwxzt app helps. See `codeword` and "
                "[the guide](https://example.org/misspeled-path) or ?tab=modules.\n")
    found = [f for f in language(repo, body) if f.category == "spelling"]
    assert [(f.message.split("'")[1], f.suggestion, f.severity) for f in found] == [
        ("overwhlemed", "overwhelmed", "warning"), ("Qwxzt", None, "warning")]
    repo.write("dictionary.txt", "# team words\nqwxzt\n")
    assert [f.suggestion for f in language(repo, body) if f.category == "spelling"] == ["overwhelmed"]


def test_british_spelling_is_flagged_for_en_us(repo):
    found = [f for f in language(repo, Q + "A: Pick a colour you love for the nursery.\n") if f.category == "spelling"]
    assert [(f.rule, f.suggestion) for f in found] == [("locale-spelling", "color")]


def test_syllable_counts_are_close():
    assert [syllables(w) for w in ("baby", "simple", "needed", "the", "understandable", "tired")] == [2, 2, 2, 1, 5, 1]


def test_pattern_index_finds_what_a_full_scan_finds():
    import re

    fragments = [r"commit(?:s|ted|ting)? suicide", r"don[’']t worry", r"(?:a|the) real (?:mother|mom) would",
                 r"suicid\w*", r"[’']m (?:so )?bipolar", r"\w+ophobic"]
    index = PatternIndex()
    for fragment in fragments:
        index.add(fragment, fragment)
    text = ("They committed suicide. Don’t worry! A real mom would. The suicidal thoughts. I'm so bipolar. "
            "Arachnophobic.")
    found = set()
    for position, fragment in index.candidates(text):
        pattern = re.compile(r"\b(?:" + fragment + r")\b", re.I)
        matches = pattern.finditer(text) if position is None else filter(None, [pattern.match(text, position)])
        found.update((fragment, m.start()) for m in matches)
    expected = {(f, m.start()) for f in fragments for m in re.finditer(r"\b(?:" + f + r")\b", text, re.I)}
    assert found == expected and len(expected) == 7
    assert prefixes(r"\w+ing") is None


def test_rules_doc_is_generated_from_the_rules():
    from conftest import ROOT
    from editor.checks.rules_doc import rules_markdown

    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), \
        "run: python -m editor.checks.rules_doc > docs/rules.md"


def test_every_built_in_rule_cites_a_published_source():
    from editor.checks.rules import built_in_data

    data = built_in_data()
    for raw in data["rules"]:
        source = data["sources"][raw["source"]]
        assert source["title"] and source["url"].startswith("http"), raw["id"]


def test_every_built_in_pattern_and_schema_compiles():
    """The built-in rules and the shipped schemas are trusted at run time (compiled on first use,
    not checked at start): this is where they are checked."""
    import json

    import jsonschema

    from editor.checks.rules import load_ruleset
    from editor.resources import schemas_dir

    ruleset, findings = load_ruleset()
    assert findings == [] and len(ruleset.rules) > 30
    for rule in ruleset.rules:
        for matcher in rule.matchers:
            assert matcher.pattern.pattern, rule.id
    for file in sorted(schemas_dir().glob("*.schema.json")):
        schema = json.loads(file.read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema).check_schema(schema)
