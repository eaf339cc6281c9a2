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

import bisect
import re
import threading

from editor.content.prose import Prose

MECHANISMS = ("question", "quoted", "negation", "reported", "teaching", "instruction")

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?= |$)|\n")
# a clause ends at a semicolon, a colon, a dash, a linking word, ", and/so/or", or a comma that opens
# a new statement ("You're not tired, you're ...")
_CLAUSE_END = re.compile(r"[;:]|\s[-\u2014]\s|\u2014|\b(?:but|yet|although|though|whereas|unless|until|"
                         r"while|except)\b|,\s*(?:and|so|or)\b|"
                         r",\s*(?=(?:you|she|he|they|we|i|it)(?:'re|'s|'m| are| is| am| was| were)\b)", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|none|nothing|neither|nor|without|hardly|cannot|no one|"
                       r"nowhere|instead of|rather than|far from|stop calling|isn't|aren't|wasn't|weren't)\b|"
                       r"\b\w+n't\b", re.I)
# negation words that do not negate what follows: interjections ("No, ..."), idioms that assert
_NOT_NEGATION = re.compile(
    r"(?:not|no|never)\s*,|not only|no wonder|no doubt|no matter|never mind|nothing but|no one but|"
    r"(?:can't|cannot|couldn't) (?:deny|help|stop)|not really\b|not surprisingly|make no mistake|like it or not|"
    r"whether or not|no one (?:would|could|can) deny|there's no denying|there is no denying|"
    r"(?:never|don't|do not) forget|(?:it's|it is) no secret|nothing changes the fact|without (?:a )?doubt|"
    r"no question|not at all\b", re.I)
# the reader (or parents like them) as the one who worries or feels, or a hedge ("it can feel like")
_READER = r"(?:you|parents|moms|mums|mothers|dads|fathers|people|others|families|many|some|most|lots of \w+)"
_FRAME = (r"(?:worr(?:y|ies|ied|ying)|fear(?:s|ed|ing)?|(?:are|is|be|feel|feels|felt) (?:afraid|scared|frightened|"
          r"terrified|ashamed|embarrassed)|wonder(?:s|ed|ing)?|imagin(?:e|es|ed|ing)|panic(?:s|ked)?|dread(?:s|ed)?|"
          r"think|thinks|believe|believes|feel|feels|felt)")
_REPORTED = re.compile(
    r"\b(?:" + _READER + r"\s+(?:\w+\s+){0,2}?" + _FRAME +
    r"|(?:may|might|can|could|often|sometimes) (?:feel|seem|be afraid|worry|fear))"
    r"(?: (?:that|if|whether|as if|as though)\b| like (?=" + r"(?:you|they|i|she|he|we|it|people|your|their)\b)" +
    r"| (?=(?:you|you're|they|they're|i|i'm|she|she's|he|he's|we|people|others|everyone|nobody|no one|your|their)\b))"
    r"|\b(?:" + _READER + r"\s+(?:\w+\s+){0,2}?(?:feel|feels|felt)|(?:ok|okay|normal|common|natural|fine) to feel) like\b"
    r"|\b(?:tell|tells|telling|told) yourself|\b(?:your|their) (?:mind|brain|thoughts?|inner voice|inner critic) "
    r"(?:tells?|says?|whispers?|insists?)", re.I)
# named to teach: the frame comes right before the phrase (at most two words between), in its clause
_TEACHING_BEFORE = re.compile(
    r"\b(?:instead of|rather than|in place of|(?:words?|phrases?|terms?|labels?|sayings?|expressions?) "
    r"(?:like|such as)|the (?:word|phrase|term|label|saying|expression)s?|such as|(?:a|the) myth (?:is )?that|"
    r"misconceptions? (?:is )?that|avoid(?:s|ing)? (?:saying|the words?|words like|terms like|calling)|"
    r"outdated|old-fashioned|older words?|used to (?:say|call)|not true that|isn't true that|untrue that)"
    r"\s*[\"'\u201c\u2018]?\s*(?:\S+\s+){0,2}$", re.I)
_TEACHING_AFTER = re.compile(r"^\W{0,3}(?:\s*(?:is|are|was)\s+(?:a\s+)?(?:myth|untrue|not true|outdated|wrong))|"
                             r"^[\"')\]]?\s*(?:\(|,|;)?\s*(?:we|many people|midwives|doctors) (?:now |instead )?say|"
                             r"^[\"')\]]?\s*[;,(]\s*(?:the )?(?:kinder|better|newer|preferred|plainer) (?:term|word|name)|"
                             r"^[\"')\]]?\s*[;,(:]\s*(?:it|this|that) means\b",
                             re.I)
# a safety or rights instruction: the words right after the command say what to do for safety ...
_SAFETY_ACTION = re.compile(
    r"^\W*(?:[\w']+\W+){0,5}?(?:call|text|dial|911|988|999|112|(?:go|get|come) (?:straight |right )?(?:back )?to "
    r"(?:the |an |your |a )?(?:hospital|er|emergency|urgent care|a&e|clinic|labor and delivery)|be seen|see (?:a|your|the) "
    r"(?:doctor|midwife|nurse|provider)|tell (?:a|your|the) (?:doctor|midwife|nurse|provider|care team)|"
    r"seek (?:help|care)|get help|not drive|not take|not give|not leave|put (?:your|the) baby|"
    r"keep (?:the|your) baby|wash|check (?:the|your) (?:baby|temperature)|wear|buckle|stop (?:taking|driving|breastfeeding))\b",
    re.I)
# ... or the sentence is about rights (an employer's duty, the law)
_RIGHTS = re.compile(r"\b(?:employer|employers|the law|by law|legally|the right to|your rights|entitled|insurance|"
                     r"workplace)\b", re.I)


_ENDS = threading.local()  # per thread: the last text seen and where its sentences end (a check asks about one text)


def _sentence_ends(text: str) -> list[int]:
    if getattr(_ENDS, "text", None) is not text:
        _ENDS.text, _ENDS.ends = text, [m.end() for m in _SENTENCE_END.finditer(text)]
    return _ENDS.ends


def sentence_start(text: str, offset: int) -> int:
    ends = _sentence_ends(text)
    index = bisect.bisect_right(ends, offset) - 1
    return max(ends[index] if index >= 0 else 0, offset - 600)


def sentence_end(text: str, offset: int) -> int:
    ends = _sentence_ends(text)
    index = bisect.bisect_right(ends, offset)
    return ends[index] if index < len(ends) else len(text)


def clause_start(text: str, offset: int) -> int:
    start = sentence_start(text, offset)
    for match in _CLAUSE_END.finditer(text, start, offset):
        start = match.end()
    return start


def negated(text: str, start: int) -> bool:
    """A negation earlier in the same clause ("not only", "no wonder" and "no doubt" are not one)."""
    begin = clause_start(text, start)
    idioms = [m.span() for m in _NOT_NEGATION.finditer(text, begin, start)]
    for found in _NEGATION.finditer(text, begin, start):
        if not any(i_start <= found.start() < i_end for i_start, i_end in idioms):
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
    if _TEACHING_BEFORE.search(text[clause_start(text, start):start]):
        return True
    return _TEACHING_AFTER.search(text[end:end + 80]) is not None or _in_single_quotes(text, start, end)


def _quote_mark_around(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start], text[end:end + 1]
    return before != "" and after != "" and before in "\"'\u201c\u2018" and after in "\"'\u201d\u2019"


_OPENING_SINGLE = re.compile(r"(?<![\w'])['\u2018](?=\w)")
_CLOSING_SINGLE = re.compile(r"(?<=\w)['\u2019](?![\w'])")


def _in_single_quotes(text: str, start: int, end: int) -> bool:
    """Inside 'single quotes' in its sentence: an opening quote after a space and a closing one
    before a space or a stop (an apostrophe inside a word is neither)."""
    begin = sentence_start(text, start)
    if _OPENING_SINGLE.search(text, begin, start) is None:
        return False
    return _CLOSING_SINGLE.search(text, end, sentence_end(text, end)) is not None


def instruction(text: str, start: int, end: int) -> bool:
    """A safety or rights instruction: the words right after the command say what to do for safety
    ("You must call 911", "you need to be seen"), or its clause is about rights ("your employer has
    to give you a place to pump"). A safety word elsewhere in the sentence does not count."""
    if _SAFETY_ACTION.search(text[start:min(end + 60, sentence_end(text, start))]):
        return True
    return _RIGHTS.search(text, clause_start(text, start), start) is not None


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
        if name == "instruction" and instruction(text, start, end):
            return True
    return False
