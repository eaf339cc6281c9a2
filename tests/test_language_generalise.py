"""Language rules that generalise: phrases in base form match their word forms; context
mechanisms each keep one kind of careful writing quiet; spelling follows the locale; the
published guidance is traced term by term; the held-out corpus is measured, never tuned to."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.checks import context
from editor.checks.phrases import PhraseError, compile_phrase
from editor.content.markdown import parse_body
from editor.content.prose import extract


def matches(phrase: str, text: str) -> str | None:
    found = re.search(r"\b(?:" + compile_phrase(phrase) + r")\b", text, re.I)
    return found.group(0) if found else None


@pytest.mark.parametrize("phrase, text, expected", [
    ("suffer from", "She suffered from it", "suffered from"),
    ("suffer from", "Suffering from anxiety", "Suffering from"),
    ("commit suicide", "He committed  suicide".replace("  ", " "), "committed suicide"),
    ("take {poss} own life", "she took her own life", "took her own life"),
    ("take {poss} own life", "they had taken their own lives", "taken their own lives"),
    ("fall victim to", "he fell victim to it", "fell victim to"),
    ("a victim of", "the victims of", "the victims of"),
    ("{be} {adv} attention seeking", "it was just attention-seeking", "was just attention-seeking"),
    ("you {be} a bad mother|mom", "you're a bad mom", "you're a bad mom"),
    ("self-harm", "self harm and selfharm", "self harm"),
    ("(a bit|kind of) crazy", "it felt kind of crazy", "kind of crazy"),
    ("[really] selfish act", "a selfish act", "selfish act"),
])
def test_a_phrase_matches_its_word_forms_and_allowed_insertions(phrase, text, expected):
    assert matches(phrase, text) == expected


@pytest.mark.parametrize("phrase, text", [
    ("clean/adj", "cleaning the bottles"),  # only the adjective's forms
    ("=just", "justly"),
    ("a diabetic", "diabetic ketoacidosis"),  # a written determiner must be there
    ("suicide victim", "suicide prevention"),
])
def test_a_phrase_does_not_match_beyond_what_it_says(phrase, text):
    assert matches(phrase, text) is None


@pytest.mark.parametrize("phrase", ["{nope} word", "a||b", "(x|)", "word/noon", "[{adv}]", "[a", "a)b", "{adv"])
def test_a_phrase_that_cannot_be_read_is_a_phrase_error(phrase):
    with pytest.raises(PhraseError):
        compile_phrase(phrase)


IRREGULAR = {"take": ["took", "taken", "takes", "taking"], "fall": ["fell", "fallen"], "die": ["died", "dying"],
             "feel": ["felt"], "child": ["children"], "life": ["lives"], "baby": ["babies"], "cry": ["cried", "cries"]}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(IRREGULAR)), st.data())
def test_irregular_forms_are_matched(word, data):
    form = data.draw(st.sampled_from(IRREGULAR[word]))  # forms listed here by hand, not by lemminflect
    assert matches(f"{word} now", f"they {form} now") == f"{form} now"


def _prose(text: str):
    return extract(parse_body("A: " + text + "\n"))


def _at(prose, phrase):
    start = prose.text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize("mechanism, text, phrase, quiet", [
    ("negation", "None of this, not the crying or the tiredness, makes you a bad parent.", "bad parent", True),
    ("negation", "You are tired, but you are a bad parent.", "bad parent", False),
    ("negation", "Not one of these thoughts, however vivid, makes you a bad parent.", "bad parent", True),
    ("negation", "Not only are you tired, you are a bad parent.", "bad parent", False),
    ("negation", "No wonder people call you a bad parent.", "bad parent", False),
    ("reported", "You may worry that people see you as a bad mom.", "bad mom", True),
    ("reported", "It can feel like you have to do it all.", "you have to", True),
    ("reported", "Skipping a feed might feel like a failure as a mother.", "failure as a mother", False),
    ("reported", "Some relatives may say she was selfish.", "selfish", False),
    ("teaching", "People say \"committed suicide\"; we say \"died by suicide\".", "committed suicide", True),
    ("teaching", "Instead of committed suicide, say died by suicide.", "committed suicide", True),
    ("teaching", "He committed suicide last year.", "committed suicide", False),
    ("instruction", "You must call 911 if you cannot wake your baby.", "You must", True),
    ("instruction", "Your employer has to give you a place to pump.", "has to", True),
    ("instruction", "You must stop crying so much.", "You must", False),
])
def test_each_context_mechanism_on_its_own(mechanism, text, phrase, quiet):
    prose = _prose(text)
    start, end = _at(prose, phrase)
    assert context.excused((mechanism,), prose, start, end) is quiet
    assert context.excused((), prose, start, end) is False


def test_sentences_are_not_split_at_abbreviations():
    prose = _prose("Take it e.g. with food. It helps approx. 5 in 10 people. Ask Dr. Lee. So do I. Then rest.")
    assert [prose.text[s.start:s.end] for s in prose.sentences()] == [
        "Take it e.g. with food.", "It helps approx. 5 in 10 people.", "Ask Dr. Lee.", "So do I.", "Then rest."]


def _spelling(repo, locale: str, text: str):
    from conftest import findings_of

    content = (repo.root / "content.yaml").read_text(encoding="utf-8")
    repo.write("content.yaml", re.sub(r"(?m)^locale: .*$", "", content) + f"\nlocale: {locale}\n")
    repo.write("entries/mood/spell.md", "---\nid: spell\nmodule: mood\nstatus: draft\n---\n### Q: Spelling?\n\n"
               f"A: {text}\n\n[More](?tab=modules&module=mood)\n")
    return [(f.rule, f.suggestion) for f in findings_of(repo.root, ["entries/mood/spell.md"])
            if f.category == "spelling"]


def test_en_us_flags_british_forms_with_the_us_spelling(repo):
    found = _spelling(repo, "en-US", "Your paediatrician travelled to the centre to organise the programme with mums.")
    assert sorted(found) == [("locale-spelling", s) for s in ("center", "moms", "organize", "pediatrician",
                                                              "program", "traveled")]


def test_en_gb_flags_us_forms_and_accepts_british_ones(repo):
    found = _spelling(repo, "en-GB", "Your pediatrician traveled to the colour clinic. The program is in the centre.")
    assert sorted(found) == [("locale-spelling", "paediatrician"), ("locale-spelling", "travelled")]


def test_the_shipped_spelling_table_is_what_the_patterns_make():
    from editor.checks import locale_spelling

    assert locale_spelling.TABLE.read_text(encoding="utf-8") == locale_spelling._table_text(locale_spelling.generate()), \
        "run: python -m editor.checks.locale_spelling --write"


def test_perinatal_medicines_are_known_words():
    from editor.checks.spelling import _known_words

    known = _known_words("en-US")
    assert not known.missing({"sertraline", "escitalopram", "zuranolone", "brexanolone", "buprenorphine", "naloxone"})


def test_every_guidance_item_is_caught_or_says_why_not():
    from editor.checks.guidance import coverage

    items = coverage()
    assert len({i.source for i in items}) >= 12
    silent = [(i.source, i.avoid) for i in items if not any(i.caught.values()) and not i.reason]
    assert silent == []
    listed = [i for i in items if i.kind == "term" and i.source not in ("plainlanguage-gov", "cdc-everyday-words")]
    caught = [i for i in listed if any(i.caught.values())]
    assert len(caught) / len(listed) >= 0.6


def test_a_tone_yaml_phrase_that_cannot_be_read_is_a_finding(repo):
    from conftest import findings_of

    repo.write("tone.yaml", "rules:\n  - id: mine\n    category: tone\n    kind: existence\n    severity: warning\n"
               "    message: m\n    phrases: ['{nope} word']\n")
    found = [(f.rule, f.message) for f in findings_of(repo.root) if f.path == "tone.yaml"]
    assert found and found[0][0] == "invalid-pattern" and "cannot be read" in found[0][1]


def test_a_tone_yaml_phrase_rule_matches_word_forms(repo):
    from conftest import findings_of

    repo.write("tone.yaml", "rules:\n  - id: no-soldier-on\n    category: tone\n    kind: substitution\n"
               "    severity: warning\n    message: m\n    context: [negation]\n"
               "    phrases:\n      - 'soldier on': 'rest'\n")
    repo.write("entries/mood/s.md", "---\nid: s\nmodule: mood\nstatus: draft\n---\n### Q: Tired?\n\n"
               "A: You soldiered on for weeks.\n\nYou do not have to soldier on.\n\n[More](?tab=modules&module=mood)\n")
    found = [(f.line, f.suggestion) for f in findings_of(repo.root, ["entries/mood/s.md"]) if f.rule == "no-soldier-on"]
    assert found == [(8, "rest")]


def test_held_out_corpus_recall_and_false_alarms(monkeypatch):
    """Measured only: the rules were never changed because of this corpus (see its README)."""
    from conftest import ROOT

    monkeypatch.syspath_prepend(str(ROOT))  # the scoring lives with the benchmarks (not in the wheel)
    from benchmarks.language_corpus import HELD_OUT, score

    result = score(HELD_OUT, "held-out")
    assert result.planted >= 100 and result.clean_entries >= 20
    assert result.recall >= 0.85, result.line()
    assert result.alarms_per_10 <= 1.0, result.line()


def test_word_forms_come_back_from_a_cache_and_a_broken_cache_is_ignored(tmp_path, monkeypatch):
    import json

    from editor.checks import phrases

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(phrases, "FORMS", phrases._FormsCache())
    phrases.word_forms.cache_clear()
    phrases.FORMS.path().parent.mkdir(parents=True)
    phrases.FORMS.path().write_text("{not json", encoding="utf-8")
    assert "soldiered" in phrases.word_forms("soldier", "verb")
    phrases.FORMS.save()
    assert "soldiered" in json.loads(phrases.FORMS.path().read_text(encoding="utf-8"))["soldier/verb"]
    phrases.word_forms.cache_clear()
    monkeypatch.setattr(phrases, "FORMS", phrases._FormsCache())
    phrases.FORMS.load()["soldier/verb"] = ["soldier", "marched"]  # read back, not made again
    assert phrases.word_forms("soldier", "verb") == ("soldier", "marched")
    phrases.word_forms.cache_clear()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab -|[](){}=/?'é") + ["adv", "det", "be", "any", "poss", "noun", "take"]),
                min_size=1, max_size=20).map("".join))
def test_any_phrase_either_compiles_to_a_pattern_or_is_a_phrase_error(phrase):
    from editor.checks.phrases import compiled

    try:
        made = compiled(phrase)
    except PhraseError:
        return
    pattern = re.compile(r"\b(?:" + made.fragment + r")\b", re.I)  # a valid expression, whatever was written
    pattern.search("a b ab a-b é")


@pytest.mark.parametrize("phrase, text", [
    ("(you're|you are) [just] overreacting", "Honestly, you are just overreacting."),
    ("(you're|you are) [just] overreacting", "Honestly, you're overreacting."),
    ("(a bit|a little|so) bipolar", "The weather is a bit bipolar today."),
    ("{pron} {be} clean for", "She's clean for a year now."),
    ("{pron} {be} clean for", "they are clean for good"),
])
def test_the_pattern_index_offers_a_phrase_wherever_it_matches(phrase, text):
    """The index files a phrase under its first words or pairs: a group of several words first
    brings its own second word, and a form of "be" after a pronoun may be a contraction."""
    from editor.checks.pattern_index import PatternIndex
    from editor.checks.phrases import compiled

    made = compiled(phrase)
    pattern = re.compile(r"\b(?:" + made.fragment + r")\b", re.I)
    index = PatternIndex()
    index.add(made.fragment, "item", made.keys, made.required)
    found = pattern.search(text)
    assert found is not None
    assert any(position is None or position == found.start() for position, _ in index.candidates(text))


def test_the_pattern_index_offers_every_match_a_full_scan_finds():
    """Oracle: each built-in phrase and pattern run over the whole prose of every corpus entry
    (``finditer``) finds nothing that the index's candidates miss (its first words, word pairs
    and required words only ever skip places where the pattern cannot match)."""
    from pathlib import Path

    from editor.checks.rules import load_ruleset
    from editor.checks.view import EntryView
    from editor.content.entry import Entry

    ruleset, _ = load_ruleset(None)
    index = ruleset.pattern_index()
    corpus = Path(__file__).resolve().parent / "corpus"
    missed = []
    for path in sorted(corpus.glob("*/*.md")):
        view = EntryView(Entry.from_text("entries/x.md", path.read_text(encoding="utf-8")))
        text = view.prose.text
        offered = {(id(matcher), position) for position, (rule, matcher) in index.candidates(text, view.words)
                   if position is not None and matcher.pattern.match(text, position)}
        for rule in ruleset.of_kind("existence", "substitution"):
            for matcher in rule.matchers:
                for found in matcher.pattern.finditer(text):
                    if (id(matcher), found.start()) not in offered:
                        missed.append((path.name, rule.id, found.group(0)))
    assert missed == []
