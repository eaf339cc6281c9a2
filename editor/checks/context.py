"""Context that keeps careful writing quiet: each a general mechanism a rule switches on by name
in its ``context`` list, and each judged from the prose around a match alone.

- ``question``: the match is in the reader's own question (the ``### Q:`` heading);
- ``quoted``: the match is inside quotation marks;
- ``negation``: a negation earlier in the same clause ("None of this, not the crying or the
  tiredness, makes you a bad parent"), however far back; a clause ends at a sentence end, a
  semicolon, a colon, a dash, or a linking word such as "but" or "although";
- ``reported``: the sentence reports the reader's worry, fear or feeling before the match ("You may
  worry that people see you as a bad mom", "It can feel like you have to"); what others say is
  not excused by this ("Some people may say she was selfish" repeats the judgment);
- ``teaching``: the phrase is quoted, or named, to teach the better one or to correct a myth
  ("We say 'died by suicide', not 'committed suicide'", "words like 'addict'", "It's a myth that");
- ``instruction``: the sentence is a safety or rights instruction ("You must call 911 if",
  "your employer has to give you a place to pump", "You need to be seen the same day").

Only what comes before the match in its sentence counts (and, for ``teaching``, a correction
right after it), so a harmful phrase stated plainly is never excused by a later sentence.
"""
from __future__ import annotations

import re

from editor.content.prose import Prose

MECHANISMS = ("question", "quoted", "negation", "reported", "teaching", "instruction")

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?= |$)|\n")
_CLAUSE_END = re.compile(r"[;:]|\s[-\u2014]\s|\u2014|\b(?:but|yet|although|though|whereas|unless|until|"
                         r"while|except)\b|,\s*(?:and|so|or)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|hardly|cannot|no one|"
                       r"nowhere|instead of|rather than|far from|stop calling|isn't|aren't|wasn't|weren't)\b|"
                       r"\b\w+n't\b", re.I)
_SUBJECT = (r"(?:you|you're|you've|you'll|you'd|they|they're|i|i'm|she|she's|he|he's|we|it|it's|people|others|"
            r"everyone|everybody|nobody|no one|someone|somebody|nothing|your|their|my|her|his|other)\b")
_REPORTED = re.compile(
    r"\b(?:(?:worr(?:y|ies|ied|ying)|fear(?:s|ed|ing|ful)?|afraid|scared|frightened|terrified|ashamed|embarrassed|"
    r"wonder(?:s|ed|ing)?|imagin(?:e|es|ed|ing)|convinced|panic(?:s|ked|king)?|dread(?:s|ed|ing)?|"
    r"(?:may|might|can|could|often|sometimes) (?:think|believe)|(?:feel|feels|felt|feeling|seem|seems|seemed))"
    r"(?: (?:that|if|whether|as if|as though)\b| (?:like )?" + _SUBJECT + ")" +
    r"|(?:tell|tells|telling|told) yourself|(?:your|my|her|his|their) (?:mind|brain|thoughts?|inner voice|inner critic) "
    r"(?:tells?|says?|whispers?|insists?))", re.I)
_TEACHING_BEFORE = re.compile(
    r"\b(?:instead of|rather than|in place of|(?:words?|phrases?|terms?|labels?|sayings?|expressions?) "
    r"(?:like|such as)|the (?:word|phrase|term|label|saying|expression)s?|such as|myths?|misconceptions?|"
    r"avoid(?:s|ing)?|outdated|old-fashioned|older words?|used to (?:say|call)|not true that|"
    r"isn't true that|untrue)\b", re.I)
_TEACHING_AFTER = re.compile(r"^\W{0,3}(?:\s*(?:is|are|was)\s+(?:a\s+)?(?:myth|untrue|not true|outdated|wrong))|"
                             r"^[\"')\]]?\s*(?:\(|,|;)?\s*(?:we|many people|midwives|doctors) (?:now |instead )?say", re.I)
_INSTRUCTION = re.compile(
    r"\b(?:call|calls|text|dial|911|988|999|112|emergency|emergencies|er|a&e|urgent(?:ly)?|hospital|"
    r"right away|straight away|immediately|same day|at once|doctor|doctors|midwife|midwives|nurse|provider|"
    r"pediatrician|ob|ob-gyn|gp|clinic|law|laws|legal(?:ly)?|right to|rights|entitled|employer|employers|"
    r"workplace|fever|bleeding|seizure|unconscious|breathing|chest pain|poison|safe|safely|safety|"
    r"car seat|driv(?:e|ing)|medicine|medication|dose|prescription)\b", re.I)


def sentence_start(text: str, offset: int) -> int:
    window = max(0, offset - 600)
    start = window
    for match in _SENTENCE_END.finditer(text, window, offset):
        start = match.end()
    return start


def sentence_end(text: str, offset: int) -> int:
    match = _SENTENCE_END.search(text, offset)
    return match.end() if match else len(text)


def clause_start(text: str, offset: int) -> int:
    start = sentence_start(text, offset)
    for match in _CLAUSE_END.finditer(text, start, offset):
        start = match.end()
    return start


_NOT_NEGATION = re.compile(r"not only|no wonder|no doubt|no matter|never mind|nothing but|no one but|"
                           r"(?:can't|cannot|couldn't) (?:deny|help|stop)", re.I)


def negated(text: str, start: int) -> bool:
    """A negation earlier in the same clause ("not only", "no wonder" and "no doubt" are not one)."""
    begin = clause_start(text, start)
    for found in _NEGATION.finditer(text, begin, start):
        idiom = _NOT_NEGATION.match(text, found.start())
        if idiom is None or idiom.end() > start:
            return True
    return False


def reported(text: str, start: int) -> bool:
    """A worry, feeling, belief or someone's words reported earlier in the sentence."""
    found = _REPORTED.search(text, sentence_start(text, start), start + 40)  # its subject may be the match's first word
    return found is not None and found.start() < start


def teaching(prose: Prose, start: int, end: int) -> bool:
    """The phrase is quoted or named to teach the better one, or to correct a myth."""
    text = prose.text
    if prose.in_quotes(start, end) or _quote_mark_around(text, start, end):
        return True
    if _TEACHING_BEFORE.search(text, sentence_start(text, start), start):
        return True
    return _TEACHING_AFTER.search(text[end:end + 80]) is not None


def _quote_mark_around(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start], text[end:end + 1]
    return before != "" and after != "" and before in "\"'\u201c\u2018" and after in "\"'\u201d\u2019"


def instruction(text: str, start: int) -> bool:
    """The sentence gives a safety or rights instruction (a call to make, a place to be seen, the law)."""
    return _INSTRUCTION.search(text, sentence_start(text, start), sentence_end(text, start)) is not None


def excused(context: tuple[str, ...], prose: Prose, start: int, end: int) -> bool:
    """Whether any of the rule's context mechanisms keeps the match at ``start:end`` quiet."""
    text = prose.text
    for name in context:
        if name == "question" and prose.in_question(start):
            return True
        if name == "quoted" and prose.in_quotes(start, end):
            return True
        if name == "negation" and negated(text, start):
            return True
        if name == "reported" and reported(text, start):
            return True
        if name == "teaching" and teaching(prose, start, end):
            return True
        if name == "instruction" and instruction(text, start):
            return True
    return False
