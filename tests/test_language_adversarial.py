"""Adversarial tests of the language checks (phrase rules, context mechanisms, locale spelling),
written as a writer, a reviewer and a hostile input would. Behaviour that is right is a normal
test; behaviour that is wrong is ``xfail(strict=True)`` with the reason, so a fix shows up as an
XPASS to be turned into a normal test."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

from conftest import ROOT, findings_of

ENTRY = "entries/sleep/adv.md"
FRONT = "---\nid: adv\nmodule: sleep\nstatus: draft\n---\n"
NOT_LANGUAGE = {"reading-grade", "long-sentence", "crisis-resource-required"}


def XF(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


def _body(answer: str) -> str:
    return f"### Q: Is this okay?\n\nA: {answer}\n\n[More](?tab=modules&module=sleep)\n"


def _write(repo, answer=None, body=None, tone=None, locale=None, dictionary=None) -> str:
    if locale is not None:
        content = (repo.root / "content.yaml").read_text(encoding="utf-8")
        repo.write("content.yaml", re.sub(r"(?m)^locale: .*$", "", content) + f"\nlocale: {locale}\n")
    if tone is not None:
        repo.write("tone.yaml", tone)
    if dictionary is not None:
        repo.write("dictionary.txt", dictionary)
    text = FRONT + (body if body is not None else _body(answer))
    repo.write(ENTRY, text)
    return text


def _found(repo, answer=None, **kwargs):
    """(rule, the words the finding underlines) for the entry's language findings."""
    text = _write(repo, answer, **kwargs)
    lines = text.split("\n")
    out = []
    for f in findings_of(repo.root, [ENTRY]):
        if f.category not in ("tone", "readability", "spelling") or f.rule in NOT_LANGUAGE:
            continue
        if f.line == f.end_line:
            words = lines[f.line - 1][f.column - 1:f.end_column - 1]
        else:
            words = lines[f.line - 1][f.column - 1:] + "\n" + lines[f.end_line - 1][:f.end_column - 1]
        out.append((f.rule, words))
    return out


def _rules(repo, answer=None, **kwargs) -> set[str]:
    return {rule for rule, _ in _found(repo, answer, **kwargs)}


def _tone_rule(phrases, extra: str = "", rule_id: str = "mine") -> str:
    return (f"rules:\n  - id: {rule_id}\n    category: tone\n    kind: existence\n    severity: warning\n"
            f"    message: 'Avoid {{match}}'\n{extra}    phrases: {json.dumps(phrases)}\n")


# =================================================================================================
# 1. Harmful wording that a context mechanism must NOT excuse
# =================================================================================================

@pytest.mark.parametrize("answer, rule", [
    ("Not only are you tired, you are a bad mother.", "bad-parent-label"),
    ("You're a bad mother, not a good one.", "bad-parent-label"),
    ("You are a bad mother, no question.", "bad-parent-label"),
    ("You're nothing but a bad mother.", "bad-parent-label"),
    ("Never mind the tiredness, you're a bad mom.", "bad-parent-label"),
    ("No. You are a bad mother.", "bad-parent-label"),
    ("Not at all; you are a bad mother.", "bad-parent-label"),
    ("Not at all. I think you are a bad mother.", "bad-parent-label"),
    ("Without doubt she committed suicide.", "suicide-commit"),
    ("She was not well. She committed suicide.", "suicide-commit"),
    ("He committed suicide, not a crime.", "suicide-commit"),
    ("Doctors say you are a bad mother.", "bad-parent-label"),  # others' words are not a reported worry
    ("You may feel that way. You are a bad mother.", "bad-parent-label"),  # a report ends with its sentence
    ("You feel tired because you are a bad mother.", "bad-parent-label"),
    ("Your employer has to know you are a bad mother.", "bad-parent-label"),  # no instruction context there
    ("You need to stop being so dramatic, and the doctor agrees.", "dismissive-phrases"),
    ("Eat less sugar, you lazy mother.", "parent-character-judgment"),
    # negation leaks: a negation word that does not negate the label
    ("No one would deny you're a bad mother.", "bad-parent-label"),
    ("Never forget that you are a bad mother.", "bad-parent-label"),
    ("It is no secret that you are a bad mother.", "bad-parent-label"),
    ("Nothing changes the fact that you are a bad mother.", "bad-parent-label"),
    ("There's no denying you're a bad mother.", "bad-parent-label"),
    ("Don't forget you're a bad mother.", "bad-parent-label"),
    ("Make no mistake, you are a bad mother.", "bad-parent-label"),
    ("Without doubt you are a bad mother.", "bad-parent-label"),
    ("Not surprisingly, you are a bad mother.", "bad-parent-label"),
    ("No, you are a bad mother.", "bad-parent-label"),
    ("Am I wrong? No, you are a bad mother.", "bad-parent-label"),
    ("Not really, you are a bad mother.", "bad-parent-label"),
    ("Whether or not you like it, you are a bad mother.", "bad-parent-label"),
    ("Like it or not, you are a bad mother.", "bad-parent-label"),
    ("You're not tired, you're a bad mother.", "bad-parent-label"),
    ("You are not\ntired, you are a bad mother.", "bad-parent-label"),
    # reported frames that are the app's own assertion
    ("It seems you are a bad mother.", "bad-parent-label"),
    ("It seems that you are being selfish.", "parent-character-judgment"),
    ("I feel you are being lazy.", "parent-character-judgment"),
    ("We're convinced you are a bad mother.", "bad-parent-label"),
    ("I'm afraid you're being selfish.", "parent-character-judgment"),
    # teaching words used in ordinary sentences
    ("Such as it is, he committed suicide last year.", "suicide-commit"),
    ("The term of her pregnancy ended when she committed suicide.", "suicide-commit"),
    ("Avoid it: she committed suicide.", "suicide-commit"),
    ("Avoid sugar, you lazy mother.", "parent-character-judgment"),
    ("It is a myth that vaccines are bad, and you are a bad mother.", "bad-parent-label"),
    ("It's not true that she is well; she is a bad mother.", "bad-parent-label"),
    # a safety word anywhere in the sentence makes an order an 'instruction'
    ("You must stop crying so much or call 988.", "command-must"),
    ("You have to stop feeling sad; it is not safe.", "command-stop-feeling"),
    ("Stop worrying so much, your doctor knows best.", "command-stop-feeling"),
    ("Don't be so dramatic about the hospital.", "command-stop-feeling"),
    ("You need to stop worrying about your baby's breathing.", "command-stop-feeling"),
    ("You must try harder to breastfeed, the midwife says.", "command-must"),
])
def test_harmful_wording_is_flagged_whatever_surrounds_it(repo, answer, rule):
    assert rule in _rules(repo, answer)


def test_a_phrase_is_flagged_in_every_markdown_shape_and_the_finding_points_at_the_words(repo):
    body = ("### Q: Is this okay?\n\nA: He *committed* suicide. Call 988.\n\n"
            "- You are a\n  bad mother.\n\n"
            "| a | b |\n|---|---|\n| she committed suicide | x |\n\n"
            "### He committed suicide\n\n"
            "Text <b>committed suicide</b> here; [committed suicide](https://nih.gov/x) there.\n\n"
            "> She committed suicide.\n\n"
            "He committed\u00a0suicide. He com\u00admitted sui\u00adcide. He com\u200bmitted suicide.\n\n"
            "HE COMMITTED SUICIDE. He committed\tsuicide. He committed&nbsp;suicide.\n\n"
            "He committed <!-- a note --> suicide. You\u2019re just tired.\n")
    found = _found(repo, body=body)
    commits = [words for rule, words in found if rule == "suicide-commit"]
    assert commits == ["committed* suicide", "committed suicide", "committed suicide", "committed suicide",
                       "committed suicide", "committed suicide", "committed\u00a0suicide",
                       "com\u00admitted sui\u00adcide", "com\u200bmitted suicide", "COMMITTED SUICIDE",
                       "committed\tsuicide", "committed&nbsp;suicide", "committed <!-- a note --> suicide"]
    assert ("bad-parent-label", "bad mother") in found
    assert ("dismissive-just", "You\u2019re just tired") in found


def test_a_phrase_over_a_line_break_and_with_crlf_or_bom_points_at_the_words(repo):
    assert _found(repo, body="### Q: Ok?\n\nA: He **committed\nsuicide** last year. Call 988.\n") == \
        [("suicide-commit", "committed\nsuicide")]
    raw = (FRONT + "### Q: Ok?\n\nA: \U0001F600 He committed suicide. Call 988.\n").replace("\n", "\r\n")
    repo.write(ENTRY, ("\ufeff" + raw).encode("utf-8"))
    found = [(f.line, f.column, f.end_column) for f in findings_of(repo.root, [ENTRY]) if f.rule == "suicide-commit"]
    assert found == [(8, 9, 26)]  # columns in characters: the emoji is one


def test_code_spans_and_code_blocks_are_not_checked(repo):
    body = ("### Q: Ok?\n\nA: Text `committed suicide` here.\n\n```\nshe committed suicide\n```\n\n"
            "    indented committed suicide\n\nCall 988.\n")
    assert _found(repo, body=body) == []


def test_hyphen_like_dashes_join_words_of_a_phrase(repo):
    assert "suicide-gesture" in _rules(repo, "It was attention\u2010seeking behavior.")


@pytest.mark.xfail(strict=True, reason="full-width letters (NFKC) are not folded: a hostile writer slips past")
def test_full_width_letters_do_not_hide_a_phrase(repo):
    assert "suicide-commit" in _rules(repo, "He \uff43\uff4f\uff4d\uff4d\uff49\uff54\uff54\uff45\uff44 suicide. Call 988.")


# =================================================================================================
# 2. Careful wording in the app's warm voice that must stay quiet
# =================================================================================================

@pytest.mark.parametrize("answer", [
    "You are not a bad mother.",
    "Struggling doesn't make you a bad parent.",
    "Having these thoughts does not make you a bad mom, and it does not mean you will act on them.",
    "Asking for help won't make you look lazy.",
    "Feeling this way isn't a sign that you're weak or selfish.",
    "There's no shame in this; you are not selfish or lazy.",
    "Please know you're not a bad mother, even on hard days.",
    "Needing rest does not mean you are lazy.",
    "There is no such thing as a perfect mother.",
    "Many parents worry they are a bad mom.",
    "You might tell yourself you're a bad mother.",
    "You don't have to do this alone, and you don't need to be perfect.",
    "You have to be gentle with yourself right now.",
    "You don't have to be a supermom.",
    "Your body needs time; you don't need to bounce back.",
    "Intrusive thoughts don't mean you're crazy.",
    "You're not losing your mind.",
    "Formula feeding is not giving up on breastfeeding.",
    "We avoid the phrase \"bounce back\" because bodies change.",
    "Words such as \"crazy\" can hurt.",
    "Terms like junkie or addict are hurtful.",
    "It's a myth that you must love your baby right away.",
    "Many hospitals still use the term failure to progress.",
    "The 'bad mother' myth hurts parents.",
    # rights and safety instructions
    "Your employer must give you a private place to pump that is not a bathroom.",
    "You have the right to ask for a break to pump.",
    "If your baby has a fever under three months, you need to call your doctor right away.",
    "You must call 911 if you cannot wake your baby.",
    "Call 988 if you have thoughts of harming yourself.",
    # literal senses and clinical terms
    "Wash and dry a clean bottle before each feed.",
    "Keep pump parts clean for the next session.",
    "Your baby's shots are due at two months.",
    "Read the user guide that came with your pump.",
    "Your midwife may talk about cervical insufficiency.",
    "Early intervention services can help your baby.",
    "The mental load of a new baby is real.",
    "Check the expiry date; an invalid date shows in red.",
    "You can get clean sheets from the ward.",
    # US words in en-US
    "The program at the community center is free. Practice slow breathing.",
    ("Resting isn't selfish."),
    ("Suicide isn't selfish."),
    ("Her death wasn't selfish."),
    ("You weren't being lazy."),
    ("Needing a nap wasn't lazy, it was sensible."),
    ("It isn't selfish to rest, and it isn't lazy to nap."),
    ("Self-harm isn't attention-seeking; it is a sign of pain."),
    ("You aren't mental for feeling this."),
    ("Nuts and seeds are good snacks."),
    ("As a user of the app, you can save entries."),
    ("The pump is clean for the next use."),
    ("The bottle came back clean from the dishwasher."),
    ("Stay clean and dry after the birth."),
    ("Your energy will bounce back once you sleep more."),
    ("Your milk supply can bounce back after a cold."),
    ("A normal birth weight is reassuring."),
    ("A real mother of three shared her story."),
    ("Take all the time you need to heal."),
    ("Ask for the help you need to rest."),
    ("You may be told you have to breastfeed, but formula is fine."),
    ("Lots of parents feel like a failure as a mother at first, and that feeling passes."),
    ("It's OK to feel like a bad mom some days; you aren't one."),
    ("Your mum might say 'you are a bad mother'. She is wrong."),
    ("Your provider may call it an incompetent cervix; the kinder term is cervical insufficiency."),
    ("You might hear the nurse say trial of labor; it means a planned vaginal birth."),
])
def test_careful_wording_is_quiet(repo, answer):
    found = [f for f in _found(repo, answer, locale="en-US") if f[0] != "locale-spelling" or "mum" not in f[1]]
    assert found == []


@pytest.mark.xfail(strict=True, reason="stray inch marks (6\" ... 2\") make the sentence between them 'quoted'")
def test_inch_marks_do_not_make_a_sentence_quoted(repo):
    assert "bad-parent-label" in _rules(repo, 'Use a 6" plate. You are a bad mother. Cut 2" strips.')


# =================================================================================================
# 3. tone.yaml: odd and hostile rules give plain findings, never a traceback
# =================================================================================================

HOSTILE_PHRASES = ["{nope} word", "[unclosed", "a)b", "{adv}", "[x]", "   ", "=(", "soldier/verb/noun on", "/verb",
                   "=/verb", "(a|(b|c))", "[[a]]", "{{adv}}", "(|)", "a||b", "{self?}", "word/noon"]


@pytest.mark.parametrize("phrase", HOSTILE_PHRASES)
def test_a_tone_yaml_phrase_that_cannot_be_read_is_one_plain_finding(repo, phrase):
    _write(repo, "You soldiered on through it all.", tone=_tone_rule(["soldier on", phrase]))
    found = [f for f in findings_of(repo.root) if f.path == "tone.yaml"]
    assert [(f.category, f.rule, f.severity) for f in found] == [("format", "invalid-pattern", "error")]
    assert (found[0].line, found[0].column) == (2, 9)  # the rule's id
    assert "cannot be read" in found[0].message


@pytest.mark.parametrize("phrase, text, expected", [
    ("caf\u00e9", "Meet at the caf\u00e9.", "caf\u00e9"),
    ("na\u00efve", "A na\u00efve hope.", "na\u00efve"),
    ("(really)", "It was (really) hard.", "really"),
    ("=.*", "Nothing here.", None),
    ("=\\", "Nothing here.", None),
    ("=\u0000", "Nothing here.", None),
    ("x" * 5000, "Nothing here.", None),
    (" ".join(["word"] * 500), "word word word.", None),
    ("|".join(f"w{i}" for i in range(3000)), "Only w2999 here.", "w2999"),
    ("soldier\non", "You soldiered on.", "soldiered on"),
    ("{be?} soldier", "You soldiered on.", "soldiered"),
    ("\u00e9\u00e9\u00e9 [\u00e9] (\u00e9|\u00e8)", "Nothing here.", None),
])
def test_odd_tone_yaml_phrases_match_plainly_or_not_at_all(repo, phrase, text, expected):
    t0 = time.perf_counter()
    found = _found(repo, text, tone=_tone_rule([phrase]))
    assert [words for rule, words in found if rule == "mine"] == ([expected] if expected else [])
    assert [f for f in findings_of(repo.root) if f.path == "tone.yaml"] == []
    assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize("extra, rule", [
    ("    context: [nonsense]\n", "invalid-value"),
    ("    context: negation\n", "invalid-rule"),
    ("    context: [[negation]]\n", "invalid-value"),
    ("    unless: 5\n", "invalid-rule"),
    ("    unless: ['{nope}']\n", "invalid-pattern"),
    ("    unless: ['[unclosed']\n", "invalid-pattern"),
])
def test_a_bad_context_or_unless_is_a_finding_in_tone_yaml(repo, extra, rule):
    _write(repo, "You soldiered on.", tone=_tone_rule(["soldier on"], extra))
    assert rule in {f.rule for f in findings_of(repo.root) if f.path == "tone.yaml"}


def test_a_tone_yaml_rule_with_every_context_points_at_the_words(repo):
    found = _found(repo, "You soldiered on (really) through it all.",
                   tone=_tone_rule(["through it all"], "    context: [question, quoted, negation, reported, "
                                                       "teaching, instruction]\n"))
    assert ("mine", "through it all") in found


@pytest.mark.xfail(strict=True, reason="phrase words are lowercased, so with ignorecase: false 'NICU' never matches")
def test_a_case_sensitive_phrase_matches_its_capitals(repo):
    found = _found(repo, "The NICU team is kind.", tone=_tone_rule(["NICU"], "    ignorecase: false\n"))
    assert ("mine", "NICU") in found


# =================================================================================================
# 4. Locale
# =================================================================================================

def _spelling(repo, locale, text, **kwargs):
    return sorted((rule, words) for rule, words in _found(repo, text, locale=locale, **kwargs) if rule in
                  ("locale-spelling", "misspelling"))


def test_en_us_flags_british_forms_and_accepts_us_ones(repo):
    found = _spelling(repo, "en-US", "Your licence, the catalogue, a grey tyre, the nappy, the mum. Analyse it. "
                                     "The licensed counselor practiced at the center. Our program. Fetal growth.")
    assert found == [("locale-spelling", w) for w in ("Analyse", "catalogue", "grey", "licence", "mum", "nappy", "tyre")]


def test_en_gb_flags_us_forms_and_accepts_british_ones(repo):
    assert _spelling(repo, "en-GB", "Your paediatrician travelled to the centre to organise the programme with "
                                    "mums. The colour of stool. Practise at the practice. A licence. The program.") == []
    found = _spelling(repo, "en-GB", "Fetal movement, estrogen, cesarean, anemia, diaper, pajamas, mom.")
    assert [w for _, w in found] == ["Fetal", "anemia", "cesarean", "diaper", "estrogen", "mom", "pajamas"]


@pytest.mark.parametrize("locale", ["en-CA", "en-AU", "fr-FR", "en", '""', "EN-us", "en_US", "123"])
def test_other_and_odd_locales_do_not_crash(repo, locale):
    _write(repo, "Colour and color. She committed suicide. Call 988.", locale=locale)
    assert "suicide-commit" in {f.rule for f in findings_of(repo.root)}


def test_en_ca_accepts_canadian_spellings(repo):
    assert _spelling(repo, "en-CA", "The colour chart is at the health centre.") == []


def test_en_gb_accepts_a_glucose_meter(repo):
    assert _spelling(repo, "en-GB", "Check your blood glucose meter after meals.") == []


def test_accented_words_are_checked_whole(repo):
    assert _spelling(repo, "en-US", "Meet at the caf\u00e9. Her fianc\u00e9 came too.",
                     dictionary="caf\u00e9\nfianc\u00e9\n") == []


# =================================================================================================
# 5. Performance traps
# =================================================================================================

def test_twenty_thousand_common_words_are_checked_quickly(repo):
    _write(repo, "you you you a a a " * 3334)
    t0 = time.perf_counter()
    findings_of(repo.root, [ENTRY])
    assert time.perf_counter() - t0 < 5


def test_many_short_sentences_with_findings_are_checked_quickly(repo):
    _write(repo, "You must rest. " * 2000)
    t0 = time.perf_counter()
    findings_of(repo.root, [ENTRY])
    assert time.perf_counter() - t0 < 5


def test_one_long_unpunctuated_paragraph_is_checked_quickly(repo):
    _write(repo, "you must rest, " * 2000)
    t0 = time.perf_counter()
    findings_of(repo.root, [ENTRY])
    assert time.perf_counter() - t0 < 5


def test_a_phrase_of_many_optional_slots_is_checked_quickly(repo):
    words = " ".join(f"w{i}" for i in range(30))
    _write(repo, f"We all know. You soldier {words}.", tone=_tone_rule(["soldier " + "{any?} " * 24 + "all"]))
    t0 = time.perf_counter()
    findings_of(repo.root, [ENTRY])
    assert time.perf_counter() - t0 < 2


def test_a_hostile_tone_yaml_regex_cannot_hang_the_check(repo):
    repo.write("tone.yaml", "rules:\n  - id: evil\n    category: tone\n    kind: existence\n    severity: warning\n"
                            "    message: m\n    tokens: ['(a+)+$']\n")
    _write(repo, "a" * 40 + "!")
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from conftest import findings_of; "
              "import pathlib; findings_of(pathlib.Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", script, str(ROOT / "tests"), str(repo.root)], timeout=15, check=True,
                   cwd=str(ROOT))
