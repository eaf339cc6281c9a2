"""Language rules as data: the built-in set (``editor/checks/rules/default.yaml``) and a
repository's ``tone.yaml``, which adds rules, replaces them by id, changes severities, turns
rules off and allows terms.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.checks import rules_cache
from editor.checks.lazy_pattern import LazyPattern, wrap as _wrap
from editor.checks.pattern_index import KNOWN as KNOWN_PREFIXES, PatternIndex, prefixes
from editor.checks.phrases import FORMS, PhraseError, compile_phrase, compiled
from editor.content.config import MISSING, read_yaml_mapping
from editor.content.schemas import validate
from editor.findings import Finding

DEFAULT_RULES = Path(__file__).resolve().parent / "rules" / "default.yaml"
TONE_FILE = "tone.yaml"
PATTERN_KINDS = ("existence", "substitution")


class Matcher:
    """One pattern of a rule. It is compiled the first time a text may match it: of some 1,700
    patterns, an entry needs a handful, and compiling all would cost a check of one entry 0.2 s."""

    def __init__(self, fragment: str, replacement: str | None, ignorecase: bool = True,
                 keys: frozenset[str] | None = None, required: tuple[frozenset[str], ...] = ()):
        self.fragment = fragment
        self.replacement = replacement  # the suggestion, for substitution rules
        self.ignorecase = ignorecase
        self.keys = keys  # the words its matches begin with, when known (a phrase's)
        self.required = required  # words a match must contain further on (a phrase's)

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        return _wrap(self.fragment, self.ignorecase)


@dataclass
class Rule:
    id: str
    category: str
    kind: str
    severity: str
    message: str
    source: dict = field(default_factory=dict)
    matchers: list[Matcher] = field(default_factory=list)
    exceptions_fragment: str | None = None  # listed exceptions and ``unless`` phrases, compiled when first needed
    context: tuple[str, ...] = ()  # the mechanisms of editor.checks.context this rule switches on
    condition: re.Pattern | LazyPattern | None = None
    condition_fragment: str = ""
    then: Any = None
    max_grade: Any = None
    max_words: int | None = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)  # what it was made from

    @functools.cached_property
    def exceptions(self) -> re.Pattern | None:
        if self.exceptions_fragment is None:
            return None
        return _wrap(self.exceptions_fragment, self.raw.get("ignorecase", True))


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    severities: dict[str, str] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)
    allowed: set[str] = field(default_factory=set)
    sources: dict[str, dict] = field(default_factory=dict)
    safe_suggestions: dict[str, str] = field(default_factory=dict)  # rule id -> all, case-only or never (fixes.py)
    _index: PatternIndex | None = field(default=None, repr=False)
    _conditions: PatternIndex | None = field(default=None, repr=False)

    def of_kind(self, *kinds: str) -> list[Rule]:
        return [r for r in self.rules if r.kind in kinds and r.id not in self.disabled]

    def severity(self, rule_id: str, default: str) -> str:
        return self.severities.get(rule_id, default)

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def pattern_index(self) -> PatternIndex:
        """Existence and substitution matchers, indexed by the words their matches begin with;
        the same rules (the built-in ones, mostly) share one index for the life of the process."""
        if self._index is None:
            rules = self.of_kind(*PATTERN_KINDS)
            key = tuple((id(rule), rule.raw is not None and id(rule.raw)) for rule in rules)
            index = _INDEXES.get(key)
            if index is None or index[0] != rules:
                built = PatternIndex()
                for rule in rules:
                    for matcher in rule.matchers:
                        built.add(matcher.fragment, (rule, matcher), matcher.keys, matcher.required)
                index = _INDEXES[key] = (rules, built)
                while len(_INDEXES) > 4:
                    _INDEXES.pop(next(iter(_INDEXES)))
            self._index = index[1]
        return self._index

    def condition_index(self) -> PatternIndex:
        """Conditional rules, indexed by the words their conditions begin with."""
        if self._conditions is None:
            index = PatternIndex()
            for rule in self.of_kind("conditional"):
                if rule.condition is not None:  # each part by itself: a match of any is a match of the whole
                    for part in rule.raw.get("if") or []:
                        index.add(part, rule)
                    for phrase, _ in phrase_items(rule.raw):
                        made = compiled(phrase)
                        index.add(made.fragment, rule, made.keys)  # one item for all parts: no ``required``
            self._conditions = index
        return self._conditions


_INDEXES: dict[tuple, tuple[list, PatternIndex]] = {}  # rules -> (those rules, their index)


def _nested_repeat(fragment: str) -> bool:
    """Whether a pattern repeats something that itself repeats without bound ("(a+)+"): such a
    pattern can take minutes on a line of text, so a repository's rule may not use one."""
    try:
        import re._constants as c
        import re._parser as parser
    except ImportError:  # pragma: no cover
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse as parser  # type: ignore[no-redef]
    repeats = (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT))

    def walk(items, inside: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                low, high, body = arg
                unbounded = high is c.MAXREPEAT or high > 100
                if unbounded and inside:
                    return True
                if walk(body, inside or unbounded):
                    return True
            elif op is c.SUBPATTERN:
                if walk(arg[-1], inside):
                    return True
            elif op is c.BRANCH:
                if any(walk(branch, inside) for branch in arg[1]):
                    return True
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if walk(arg[1], inside):
                    return True
        return False

    try:
        return walk(parser.parse(fragment), False)
    except (re.error, RecursionError, OverflowError):
        return False


_LEGACY_CONTEXT = {"skip_question": "question", "skip_quoted": "quoted", "unless_negated": "negation"}


def phrase_items(raw: dict) -> list[tuple[str, str | None]]:
    """A rule's ``phrases``: each a phrase alone or a one-key mapping of the phrase to its suggestion."""
    items: list[tuple[str, str | None]] = []
    for item in raw.get("phrases") or []:
        if isinstance(item, str):
            items.append((item, None))
        else:
            items.extend((str(phrase), None if better is None else str(better)) for phrase, better in item.items())
    return items


def _compile(raw: dict, sources: dict) -> Rule:
    ignorecase = raw.get("ignorecase", True)
    context = [name for key, name in _LEGACY_CONTEXT.items() if raw.get(key)]
    context += [name for name in raw.get("context") or [] if name not in context]
    rule = Rule(raw["id"], raw["category"], raw["kind"], raw["severity"], raw["message"], raw=raw,
                source=sources.get(raw.get("source", ""), {}), context=tuple(context), then=raw.get("then"),
                max_grade=raw.get("max_grade"), max_words=raw.get("max_words"))
    if rule.kind in PATTERN_KINDS:
        if raw.get("tokens"):
            fragment = "|".join(f"(?:{t})" for t in raw["tokens"])
            rule.matchers.append(Matcher(fragment, None, ignorecase))
        rule.matchers += [Matcher(pattern, replacement, ignorecase)
                          for pattern, replacement in (raw.get("swap") or {}).items()]
        for phrase, better in phrase_items(raw):
            made = compiled(phrase)
            rule.matchers.append(Matcher(made.fragment, better, ignorecase, made.keys if ignorecase else None,
                                         made.required if ignorecase else ()))
    unless = [f"(?:{e})" for e in raw.get("exceptions") or []] + \
        [f"(?:{compile_phrase(p)})" for p in raw.get("unless") or []]
    if unless:
        rule.exceptions_fragment = "|".join(unless)
    if rule.kind == "conditional":
        rule.condition_fragment = "|".join([f"(?:{p})" for p in raw.get("if", [])] +
                                           [f"(?:{compile_phrase(p)})" for p, _ in phrase_items(raw)])
        rule.condition = _wrap(rule.condition_fragment, ignorecase)
    return rule


class RuleFileError(Exception):
    pass


def _read_rules_file(path: Path, name: str, findings: list[Finding], trusted: bool = False,
                    files: dict[str, bytes] | None = None) -> dict | None:
    """``trusted``: the built-in rules, whose patterns the tests compile; a repository's are checked here.
    The file's bytes are recorded in ``files`` (``config.read_bytes``)."""
    doc = read_yaml_mapping(path, name, findings, "a mapping (rules:, severity:, disable:, allow:)", allow_empty=True,
                            files=files)
    if doc is None:
        return None
    problems = validate("rules", doc.data)
    bad_rules = {p.path[1] for p in problems if len(p.path) >= 2 and p.path[0] == "rules"}
    for problem in problems:
        span = doc.span_for(problem.path, problem.on_key)
        findings.append(Finding(name, span.line, span.column, span.end_line, span.end_column, "schema",
                                problem.rule, problem.severity, f"{name}: {problem.message}", problem.suggestion))
    if any(len(p.path) < 2 or p.path[0] != "rules" for p in problems if p.severity == "error"):
        return None  # only a single broken rule is skipped; anything else (``rules: 5``) drops the file
    data = dict(doc.data)
    rules = []
    listed = data.get("rules")
    for index, raw in enumerate(listed if isinstance(listed, list) else []):
        if index in bad_rules:
            continue
        try:
            if not trusted:  # a writer's pattern is compiled now, so a mistake is a finding, not a crash
                compiled = _compile(raw, {})
                for matcher in compiled.matchers:
                    matcher.pattern  # noqa: B018 - compiling is the point
                compiled.exceptions  # noqa: B018
                slow = [f for f in [m.fragment for m in compiled.matchers] + [compiled.exceptions_fragment or "",
                                                                              compiled.condition_fragment]
                        if f and _nested_repeat(f)]
                if slow:
                    span = doc.span_for(("rules", index, "id"))
                    findings.append(Finding(name, span.line, span.column, span.end_line, span.end_column, "format",
                                            "invalid-pattern", "error",
                                            f"Rule '{raw.get('id')}' has a pattern that can take minutes on one line: "
                                            "it repeats a part that itself repeats (like '(a+)+'). Write the part once."))
                    continue
        except PhraseError as exc:
            span = doc.span_for(("rules", index, "id"))
            findings.append(Finding(name, span.line, span.column, span.end_line, span.end_column, "format",
                                    "invalid-pattern", "error",
                                    f"Rule '{raw.get('id')}' has a phrase that cannot be read: {exc}"))
            continue
        except re.error as exc:
            span = doc.span_for(("rules", index, "id"))
            findings.append(Finding(name, span.line, span.column, span.end_line, span.end_column, "format",
                                    "invalid-pattern", "error",
                                    f"Rule '{raw.get('id')}' has a pattern that is not a valid regular expression: {exc}"))
            continue
        rules.append(raw)
    data["rules"] = rules
    return data


_DEFAULT_CACHE: dict | None = None


def built_in_data() -> dict:
    """The built-in rules file (``rules/default.yaml``) as read, once per process (from the rules
    kept in the user's cache folder when they were made for this file and this build)."""
    global _DEFAULT_CACHE
    if _DEFAULT_CACHE is None:
        kept = _kept_rules()
        if kept is not None:
            return _DEFAULT_CACHE  # set with the rules
        findings: list[Finding] = []
        data = _read_rules_file(DEFAULT_RULES, "built-in rules", findings, trusted=True)
        if data is None or findings:
            raise RuleFileError("; ".join(f.message for f in findings) or "the built-in rules cannot be read")
        _DEFAULT_CACHE = data
    return _DEFAULT_CACHE


def _kept_rules() -> dict[str, Rule] | None:
    """The built-in rules from ``rules_cache``, setting their data too, or None."""
    global _DEFAULT_CACHE, _BUILT_IN
    kept = rules_cache.read(DEFAULT_RULES)
    try:
        data = kept["data"]
        raws = {raw["id"]: raw for raw in data["rules"]}
        sources = data.get("sources") or {}
        rules: dict[str, Rule] = {}
        for item in kept["rules"]:
            raw = raws[item["id"]]
            rule = Rule(raw["id"], raw["category"], raw["kind"], raw["severity"], raw["message"], raw=raw,
                        source=sources.get(raw.get("source", ""), {}), context=tuple(item["context"]),
                        then=raw.get("then"), max_grade=raw.get("max_grade"), max_words=raw.get("max_words"))
            rule.matchers = [Matcher(fragment, better, ignorecase, None if keys is None else frozenset(keys),
                                     tuple(frozenset(words) for words in required))
                             for fragment, better, ignorecase, keys, required in item["matchers"]]
            rule.exceptions_fragment = item["exceptions"]
            if item["condition"] is not None:
                rule.condition_fragment = item["condition"]
                rule.condition = LazyPattern(item["condition"], raw.get("ignorecase", True))
            rules[rule.id] = rule
    except (TypeError, KeyError, ValueError, IndexError, AttributeError, re.error):
        return None  # none kept, or not what it should be: made afresh
    if set(rules) != set(raws):
        return None
    try:
        known = {fragment: None if found is None else frozenset(found) for fragment, found in kept["prefixes"]}
    except (TypeError, KeyError, ValueError):
        return None
    KNOWN_PREFIXES.update(known)
    _DEFAULT_CACHE, _BUILT_IN = data, rules
    return rules


def _keep_rules(data: dict, rules: dict[str, Rule]) -> None:
    made = [{"id": rule.id, "context": list(rule.context), "exceptions": rule.exceptions_fragment,
             "condition": rule.condition_fragment if rule.condition is not None else None,
             "matchers": [[m.fragment, m.replacement, m.ignorecase, None if m.keys is None else sorted(m.keys),
                           [sorted(words) for words in m.required]] for m in rule.matchers]}
            for rule in rules.values()]
    rules_cache.write(DEFAULT_RULES, {"data": data, "rules": made, "prefixes": _prefixes_of(rules)})


def _prefixes_of(rules: dict[str, Rule]) -> list:
    """The start of each pattern the indexes read from the pattern itself (``PatternIndex.add``
    without keys): the matchers that have none, and each part of a condition."""
    fragments = [m.fragment for rule in rules.values() for m in rule.matchers if m.keys is None]
    fragments += [part for rule in rules.values() if rule.kind == "conditional" and rule.condition is not None
                  for part in rule.raw.get("if") or []]
    out = []
    for fragment in dict.fromkeys(fragments):
        found = prefixes(fragment)
        out.append([fragment, None if found is None else sorted(found)])
    return out


def load_ruleset(root: Path | None = None, files: dict[str, bytes] | None = None) -> tuple[RuleSet, list[Finding]]:
    """The built-in rules merged with ``root/tone.yaml``; problems in tone.yaml become findings;
    the bytes read are recorded in ``files`` (``config.read_bytes``)."""
    defaults = built_in_data()
    findings: list[Finding] = []
    raws = {raw["id"]: raw for raw in defaults.get("rules", [])}
    sources = dict(defaults.get("sources") or {})
    ruleset = RuleSet(sources=sources, safe_suggestions=dict(defaults.get("safe_suggestions") or {}))
    if root is not None and files is not None and not (root / TONE_FILE).is_file():
        files[TONE_FILE] = MISSING
    if root is not None and (root / TONE_FILE).is_file():
        custom = _read_rules_file(root / TONE_FILE, TONE_FILE, findings, files=files)
        if custom is not None:
            sources.update(custom.get("sources") or {})
            for raw in custom.get("rules") or []:
                raws[raw["id"]] = raw
            ruleset.severities.update(custom.get("severity") or {})
            ruleset.disabled.update(custom.get("disable") or [])
            ruleset.safe_suggestions.update(custom.get("safe_suggestions") or {})
            ruleset.allowed.update(term.lower() for term in custom.get("allow") or [])
    built_in = _built_in_rules() if sources == (defaults.get("sources") or {}) else {}
    ruleset.rules = [built_in[raw["id"]] if built_in.get(raw["id"]) is not None and raw is built_in[raw["id"]].raw
                     else _compile(raw, sources) for raw in raws.values()]
    FORMS.save()  # word forms made for these rules, for the next process
    return ruleset, findings


_BUILT_IN: dict[str, Rule] | None = None


def _built_in_rules() -> dict[str, Rule]:
    """The built-in rules, made once per process and shared (rules are never changed once made)."""
    global _BUILT_IN
    if _BUILT_IN is None:
        defaults = built_in_data()
        if _BUILT_IN is not None:  # read with the data from the rules kept
            return _BUILT_IN
        sources = dict(defaults.get("sources") or {})
        _BUILT_IN = {raw["id"]: _compile(raw, sources) for raw in defaults.get("rules", [])}
        _keep_rules(defaults, _BUILT_IN)
    return _BUILT_IN
