"""``malone-editor fix``: only the suggestions the rules mark safe go in, each where it fits; the
check's JSON findings before and after are the oracle, and every byte outside a fix stays."""
from __future__ import annotations

import errno
import json
import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RepoBuilder, entry_text
from editor.cli import main

GB = "en-GB"


def check_json(capsys, root: Path) -> list[dict]:
    main(["check", str(root), "--format", "json", "--no-cache"])
    return json.loads(capsys.readouterr().out)["findings"]


def run_fix(capsys, *args) -> tuple[int, str]:
    code = main(["fix", *map(str, args)])
    return code, capsys.readouterr().out


def make_repo(root: Path, locale: str = "en-US") -> RepoBuilder:
    repo = RepoBuilder(root)
    repo.write("content.yaml", (root / "content.yaml").read_text(encoding="utf-8").replace("en-US", locale))
    return repo


def answer(text: str) -> str:
    return f"### Q: How do I cope?\n\nA: {text}\n"


def rules(findings: list[dict], path: str | None = None) -> Counter:
    return Counter(f["rule"] for f in findings if path is None or f["path"] == path)


def test_locale_spelling_in_an_en_gb_library_is_fixed_and_nothing_else_moves(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    path = repo.entry("sleep/a.md", entry_text(answer("Pick a soft color for the nursery, and a favorite toy.")))
    before = check_json(capsys, repo.root)
    assert [(f["rule"], f["suggestion"]) for f in before if f["rule"] == "locale-spelling"] == \
        [("locale-spelling", "colour"), ("locale-spelling", "favourite")]
    old = path.read_bytes()
    code, out = run_fix(capsys, repo.root)
    assert code == 0
    assert "entries/sleep/a.md:8: A: Pick a soft [-color-]{+colour+} for the nursery, and a [-favorite-]{+favourite+} toy." in out
    assert "Fixed 2 problems in 1 entry." in out
    assert path.read_bytes() == old.replace(b"color", b"colour").replace(b"favorite", b"favourite")
    assert rules(check_json(capsys, repo.root)) == rules(before) - Counter({"locale-spelling": 2})


def test_committed_suicide_is_fixed_but_the_infinitive_is_left_alone(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib")
    text = answer("Her brother committed suicide last spring. Some people say they want to commit suicide; "
                  "call 988 any time.")
    path = repo.entry("mood/a.md", entry_text(text, module="crisis-support"))
    before = check_json(capsys, repo.root)
    assert [f["suggestion"] for f in before if f["rule"] == "suicide-commit"] == ["died by suicide", "died by suicide"]
    code, out = run_fix(capsys, repo.root)
    assert code == 0
    assert "[-committed suicide-]{+died by suicide+}" in out
    written = path.read_text(encoding="utf-8")
    assert "Her brother died by suicide last spring." in written
    assert "want to commit suicide;" in written  # "want to died by suicide" would be wrong
    after = check_json(capsys, repo.root)
    assert [f["column"] for f in after if f["rule"] == "suicide-commit"] == \
        [next(f["column"] for f in before if f["rule"] == "suicide-commit" and f["column"] > 30) - 2]


def test_a_module_slug_in_the_wrong_case_is_fixed_in_links_and_frontmatter_a_near_spelling_is_not(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib")
    body = answer("Rest when you can.") + "\n[Tap here](?tab=modules&module=Sleep) or [there](?tab=modules&module=slep).\n"
    path = repo.entry("sleep/a.md", entry_text(body, module="Sleep"))
    before = check_json(capsys, repo.root)
    assert [(f["line"], f["suggestion"]) for f in before if f["rule"] == "unknown-module"] == \
        [(3, "sleep"), (10, "sleep"), (10, "sleep")]
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "module: [-Sleep-]{+sleep+}" in out and "module=[-Sleep-]{+sleep+}" in out
    written = path.read_text(encoding="utf-8")
    assert "module: sleep\n" in written and "module=sleep)" in written and "module=slep)" in written
    assert [f["line"] for f in check_json(capsys, repo.root) if f["rule"] == "unknown-module"] == [10]


def test_unsafe_suggestions_are_never_applied(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    text = answer("Recieve help early. The World Health Organization agrees. She is a committed suicide prevention "
                  "volunteer. An unsuccessful suicide attempt is still serious. Prior to-do lists help. "
                  "Pick a col*or* and set my_color_scheme, or colo&#114; it.")
    path = repo.entry("mood/a.md", entry_text(text, module="crisis-support"))
    old = path.read_bytes()
    before = check_json(capsys, repo.root)
    assert {"misspelling", "suicide-failed-attempt"} <= set(rules(before)) and rules(before)["locale-spelling"] == 4
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "Nothing to fix" in out
    assert path.read_bytes() == old
    assert check_json(capsys, repo.root) == before


def test_a_capital_at_a_sentence_start_is_kept_and_elsewhere_means_a_name(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    text = answer("Prior to the birth, rest. Color charts help. Committed suicide is a phrase we avoid. "
                  "Ask the Color Team.")
    path = repo.entry("mood/a.md", entry_text(text, module="crisis-support"))
    code, _ = run_fix(capsys, repo.root)
    assert code == 0
    assert "A: Before the birth, rest. Colour charts help. Committed suicide is a phrase we avoid. Ask the Color Team." \
        in path.read_text(encoding="utf-8")


def test_crlf_bom_an_emoji_and_several_fixes_on_one_line(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    text = entry_text(answer("\U0001F49B\U0001F476 My color, her favorite color; he committed suicide."),
                      module="crisis-support")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    path = repo.entry("mood/a.md", raw)
    before = [f for f in check_json(capsys, repo.root) if f.get("suggestion")]
    assert [f["column"] for f in before] == [10, 21, 30, 40]  # code points: the emoji are one column each
    os.chmod(path, 0o640)
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "Fixed 4 problems in 1 entry." in out, out
    expected = raw.replace(b"color", b"colour").replace(b"favorite", b"favourite") \
        .replace(b"committed suicide", b"died by suicide")
    assert path.read_bytes() == expected
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert not [f for f in check_json(capsys, repo.root) if f.get("suggestion")]


def test_dry_run_shows_the_changes_and_leaves_every_byte_and_mtime(capsys, sample_repo):
    files = sorted(p for p in sample_repo.rglob("*") if p.is_file())
    state = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    code, out = run_fix(capsys, sample_repo, "--dry-run")
    assert code == 0
    assert "entries/feeding/bottle-feeding-and-bonding.md:3: module: [-Feeding-]{+feeding+}" in out
    assert "Would fix 1 problem in 1 entry: dry run, nothing was written." in out
    assert "slep" not in out  # a near spelling is not a case fix
    assert sorted(p for p in sample_repo.rglob("*") if p.is_file()) == files
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == state


def approved_entry(repo: RepoBuilder, relative: str, body: str, module: str = "crisis-support") -> Path:
    from editor.content.entry import Entry

    draft = Entry.from_text(relative, entry_text(body, module=module))
    review = {"reviewer": "ana.ruiz@example.org", "reviewed_on": "2026-11-01", "body_sha256": draft.body_sha256}
    return repo.entry(relative, draft.with_field("status", "approved").with_field("review", review).to_bytes())


def test_an_approved_answer_is_left_alone_unless_the_approval_is_to_be_voided(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib")
    path = approved_entry(repo, "mood/a.md", answer("Her aunt committed suicide. Call 988."))
    draft = repo.entry("mood/b.md", entry_text(answer("His uncle committed suicide. Call 988."), id="b",
                                               module="crisis-support"))
    assert "approval-void" not in rules(check_json(capsys, repo.root))
    old = path.read_bytes()
    code, out = run_fix(capsys, repo.root)
    assert code == 1
    assert "entries/mood/a.md: not fixed (1 fix left): a clinical reviewer approved this answer" in out
    assert "--void-approvals" in out
    assert path.read_bytes() == old and "died by suicide" in draft.read_text(encoding="utf-8")
    code, out = run_fix(capsys, repo.root, "--void-approvals")
    assert code == 0
    assert "entries/mood/a.md: its approval is now void" in out and "needs review again" in out
    assert "Her aunt died by suicide." in path.read_text(encoding="utf-8")
    after = check_json(capsys, repo.root)
    assert [(f["path"], f["rule"]) for f in after if f["rule"] in ("approval-void", "suicide-commit")] == \
        [("entries/mood/a.md", "approval-void")]


def test_a_frontmatter_fix_keeps_an_approval(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib")
    path = approved_entry(repo, "sleep/a.md", answer("Rest when you can."), module="Sleep")
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "module: [-Sleep-]{+sleep+}" in out and "void" not in out
    assert "module: sleep\n" in path.read_text(encoding="utf-8")
    assert not {"approval-void", "unknown-module"} & set(rules(check_json(capsys, repo.root)))


def test_a_file_changed_between_reading_and_writing_is_not_overwritten(capsys, tmp_path, monkeypatch):
    from editor.checks import fix_files

    repo = make_repo(tmp_path / "lib", GB)
    path = repo.entry("sleep/a.md", entry_text(answer("A soft color.")))
    other = repo.entry("sleep/b.md", entry_text(answer("A warm color."), id="b"))
    theirs = entry_text(answer("Someone else wrote this color."))

    def someone_saves(target: Path) -> None:
        if target.name == "a.md":
            target.write_text(theirs, encoding="utf-8")

    monkeypatch.setattr(fix_files, "before_write", someone_saves)
    code, out = run_fix(capsys, repo.root)
    assert code == 1
    assert "entries/sleep/a.md: not fixed (1 fix left): it changed on disk while fixing" in out
    assert path.read_text(encoding="utf-8") == theirs
    assert "A warm colour." in other.read_text(encoding="utf-8")


def test_a_read_only_file_and_a_full_disk_are_said_plainly_and_the_rest_is_fixed(capsys, tmp_path, monkeypatch):
    from editor.content import paths

    repo = make_repo(tmp_path / "lib", GB)
    locked = repo.entry("sleep/a.md", entry_text(answer("A soft color.")))
    full = repo.entry("sleep/b.md", entry_text(answer("A warm color."), id="b"))
    fine = repo.entry("sleep/c.md", entry_text(answer("A bright color."), id="c"))
    os.chmod(locked, 0o444)
    real = paths.write_atomically

    def disk_full(target, data, *args, **kwargs):
        if Path(target).name == "b.md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(target, data, *args, **kwargs)

    monkeypatch.setattr(paths, "write_atomically", disk_full)
    old = {p: p.read_bytes() for p in (locked, full)}
    code, out = run_fix(capsys, repo.root)
    assert code == 1
    assert "entries/sleep/a.md: not fixed (1 fix left): the file is read-only" in out
    assert "entries/sleep/b.md: not fixed (1 fix left): Cannot save entries/sleep/b.md: No space left on device." in out
    assert "Traceback" not in out and "OSError" not in out
    assert {p: p.read_bytes() for p in (locked, full)} == old
    assert "A bright colour." in fine.read_text(encoding="utf-8")
    assert "Fixed 1 problem in 1 entry. 2 safe fixes not made, in 2 entries (see above)." in out


TEAM_RULES = """\
rules:
  - id: gloomy-word
    category: tone
    kind: substitution
    severity: warning
    message: "Say it gently: '{match}'"
    phrases:
      - 'gloomy': 'sad'
      - '=dreary': 'grey'
    safe_fixes: {gloomy: sad, dreary: grey}
  - id: sad-word
    category: tone
    kind: existence
    severity: info
    message: "A sad word: '{match}'"
    phrases: ['sad']
"""


def test_a_team_marks_its_own_safe_fixes_and_a_fix_that_brings_a_finding_is_not_made(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    repo.write("tone.yaml", TEAM_RULES)
    gloomy = repo.entry("sleep/a.md", entry_text(answer("A gloomy day.")))
    dreary = repo.entry("sleep/b.md", entry_text(answer("A dreary day."), id="b"))
    code, out = run_fix(capsys, repo.root)
    assert code == 1
    assert "entries/sleep/a.md: not fixed (1 fix left): the fix would bring a new finding: A sad word: 'sad'" in out
    assert "A gloomy day." in gloomy.read_text(encoding="utf-8")
    assert "A grey day." in dreary.read_text(encoding="utf-8")  # the other file is fixed
    repo.write("tone.yaml", TEAM_RULES.replace("{gloomy: sad,", "{gloomy: very gloomy,")
               .replace("'gloomy': 'sad'", "'gloomy': 'very gloomy'").replace("['sad']", "['sadly']"))
    code, out = run_fix(capsys, repo.root)
    assert code == 1 and "not fixed (1 fix left): after the fix the check still finds: Say it gently: 'gloomy'\n" in out
    assert "Nothing fixed. 1 safe fix not made, in 1 entry (see above)." in out
    repo.write("tone.yaml", TEAM_RULES.replace("['sad']", "['sadly']") + "safe_suggestions: {locale-spelling: never}\n")
    gray = repo.entry("sleep/c.md", entry_text(answer("A gray color."), id="c"))
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "[-gloomy-]{+sad+}" in out and "gray" not in out
    assert "A sad day." in gloomy.read_text(encoding="utf-8")
    assert "A gray color." in gray.read_text(encoding="utf-8")  # tone.yaml said never to this rule


def test_a_bad_safe_suggestions_value_is_a_finding_of_tone_yaml(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib")
    repo.write("tone.yaml", "safe_suggestions: {locale-spelling: always}\n")
    found = [f for f in check_json(capsys, repo.root) if f["path"] == "tone.yaml"]
    assert found and "all, case-only or never" in found[0]["message"]


def test_every_built_in_safe_form_draws_its_own_suggestion(capsys, tmp_path):
    """The data agrees with the phrases: each form, in a plain sentence, is a finding whose suggestion
    is what ``safe_fixes`` says, and fix makes exactly that change."""
    from editor.checks.rules import built_in_data

    forms = [(raw["id"], form, better) for raw in built_in_data()["rules"] for form, better in
             (raw.get("safe_fixes") or {}).items()]
    assert len(forms) >= 5
    repo = make_repo(tmp_path / "lib")
    for number, (rule, form, _) in enumerate(forms):
        sentence = f"{form} the visit, we talked." if form[0].isupper() else f"We talked, {form} the visit."
        repo.entry(f"mood/e{number}.md", entry_text(answer(sentence + " Call 988."), id=f"e{number}",
                                                    module="crisis-support"))
    before = check_json(capsys, repo.root)
    for number, (rule, form, better) in enumerate(forms):
        assert [f["suggestion"] for f in before if f["path"] == f"entries/mood/e{number}.md" and f["rule"] == rule] \
            == [better], form
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and f"Fixed {len(forms)} problems in {len(forms)} entries." in out
    for number, (rule, form, better) in enumerate(forms):
        assert f"[-{form}-]{{+{better}+}}" in out


# ---- generated text --------------------------------------------------------------------------------

SAFE = ["committed suicide", "color", "favorite", "failed suicide attempt", "prior to"]
WORDS = st.sampled_from(["we", "rest", "the", "baby", "sleeps", "often", "and", "then", "she", "said", "that",
                         "her", "friend", "later", "talk", "it", "helps", "a", "nurse", "evening"])


@st.composite
def sentences(draw):
    words = draw(st.lists(WORDS, min_size=1, max_size=6))
    at = draw(st.integers(0, len(words)))
    phrase = draw(st.sampled_from(SAFE))
    style = draw(st.sampled_from(["plain", "emphasis", "strong", "link", "quoted", "emphasised-word"]))
    shown = {"plain": phrase, "emphasis": f"*{phrase}*", "strong": f"**{phrase}**",
             "link": f"[{phrase}](https://example.org/a)", "quoted": f"\u201c{phrase}\u201d",
             "emphasised-word": phrase.replace(" ", " _", 1) + "_" if " " in phrase else f"_{phrase}_"}[style]
    return " ".join(words[:at] + [shown] + words[at:]) + "."


@st.composite
def bodies(draw):
    blocks = ["We talk, and her friend committed suicide in spring. Call 988."]  # always one plain fix
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["paragraph", "list", "heading", "quote"]))
        text = " ".join(draw(st.lists(sentences(), min_size=1, max_size=3)))
        blocks.append({"paragraph": text, "list": f"- {text}\n- {draw(sentences())}", "heading": f"### {text}",
                       "quote": f"> {text}"}[kind])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return ("### Q: How do I cope?\n\nA: " + "\n\n".join(blocks) + "\n").replace("\n", newline)


def _changes(old: str, new: str, findings: list[dict]) -> list[dict]:
    """The findings whose span in ``old`` was replaced by exactly its suggestion in ``new``, every other
    character being the same; fails when ``new`` is not ``old`` with some of them put in."""
    from editor.content.source import SourceText

    source = SourceText(old)
    spans = sorted(((source.offset(f["line"], f["column"]), source.offset(f["end_line"], f["end_column"]), f)
                    for f in findings if f.get("suggestion")), key=lambda t: t[0])
    made, i, j = [], 0, 0
    for start, end, finding in spans:
        if start < i:
            continue
        assert new[j:j + start - i] == old[i:start]
        j += start - i
        if new.startswith(finding["suggestion"], j) and not new.startswith(old[start:end], j):
            made.append(finding)
            j += len(finding["suggestion"])
        else:
            assert new.startswith(old[start:end], j)
            j += end - start
        i = end
    assert new[j:] == old[i:]
    return made


def _shape(text: str) -> list[tuple]:
    """markdown-it's own view of a text's structure: every token but the words and soft line breaks."""
    from markdown_it import MarkdownIt

    shape = []
    for token in MarkdownIt("commonmark").parse(text.replace("\r\n", "\n")):
        shape.append((token.type, token.tag, token.nesting))
        shape += [(child.type, child.tag, child.nesting, child.attrs.get("href")) for child in token.children or ()
                  if child.type not in ("text", "softbreak")]
    return shape


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(bodies())
def test_generated_text_only_changes_where_a_safe_fix_was_made(capsys, tmp_path_factory, body):
    repo = make_repo(tmp_path_factory.mktemp("gen") / "lib", GB)
    path = repo.entry("mood/a.md", entry_text(body, module="crisis-support").replace("\n---\n", "\n---\n", 1))
    old = path.read_bytes().decode("utf-8")
    before = check_json(capsys, repo.root)
    code, out = run_fix(capsys, repo.root)
    assert code == 0, out
    new = path.read_bytes().decode("utf-8")
    made = _changes(old, new, before)
    assert any(f["rule"] == "suicide-commit" for f in made)
    assert _shape(new) == _shape(old)  # words changed, never the document: no emphasis or link lost
    after = check_json(capsys, repo.root)
    assert rules(after) == rules(before) - Counter(f["rule"] for f in made)
    assert f"Fixed {len(made)} problem" in out


# ---- where a fix would touch more than the words -------------------------------------------------

def test_a_soft_line_break_inside_a_phrase_is_fixed_a_hard_one_and_a_quote_s_next_line_are_not(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib")
    soft = repo.entry("mood/a.md", entry_text(answer("Her aunt committed\nsuicide in May. Call 988."), module="crisis-support"))
    hard = repo.entry("mood/b.md", entry_text(answer("Her aunt committed  \nsuicide in May. Call 988."), id="b",
                                              module="crisis-support"))
    quote = repo.entry("mood/c.md", entry_text(answer("Call 988.\n\n> Her aunt committed\n> suicide in May."), id="c",
                                               module="crisis-support"))
    old = {p: p.read_bytes() for p in (hard, quote)}
    assert rules(check_json(capsys, repo.root))["suicide-commit"] == 3
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "Fixed 1 problem in 1 entry." in out
    assert "entries/mood/a.md:8: A: Her aunt [-committed suicide-]{+died by suicide+} in May." in out
    assert "A: Her aunt died by\nsuicide in May. Call 988.\n" in soft.read_text(encoding="utf-8")  # the lines kept
    assert {p: p.read_bytes() for p in (hard, quote)} == old


def test_a_phrase_in_a_link_text_and_an_entry_without_frontmatter(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    linked = repo.entry("mood/a.md", entry_text(answer("Read [how a color can calm](https://example.org/c) first.")))
    bare = repo.entry("mood/b.md", answer("A calm color.") + "\n[More](?tab=Modules&module=Sleep)\n")
    code, out = run_fix(capsys, repo.root)
    assert code == 0, out
    assert "[how a colour can calm](https://example.org/c)" in linked.read_text(encoding="utf-8")
    assert bare.read_text(encoding="utf-8") == answer("A calm colour.") + "\n[More](?tab=modules&module=sleep)\n"
    assert not [f for f in check_json(capsys, repo.root) if f.get("suggestion")]


def test_words_under_an_open_review_comment_are_left_for_the_writer(capsys, tmp_path):
    from conftest import git

    repo = make_repo(tmp_path / "lib")
    path = repo.entry("mood/a.md", entry_text(answer("Her aunt committed suicide in May. Call 988."),
                                              module="crisis-support"))
    git(repo.root, "init", "-q", "-b", "main")
    git(repo.root, "config", "user.name", "Ana Ruiz")
    git(repo.root, "config", "user.email", "ana.ruiz@example.org")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "start")
    assert main(["review", "comment", str(path), "--on", "committed suicide in May", "--note", "Say more?"]) == 0
    capsys.readouterr()
    old = path.read_bytes()
    code, out = run_fix(capsys, repo.root)
    assert code == 1
    assert "entries/mood/a.md: not fixed (1 fix left): the fix would bring a new finding: Open comment from" in out
    assert path.read_bytes() == old


def test_is_safe_answers_for_a_finding_where_it_stands(tmp_path):
    from editor.checks.fixes import is_safe
    from editor.checks.runner import check_entry, context_for
    from editor.checks.view import EntryView
    from editor.content.entry import Entry
    from editor.content.repository import Repository

    repo = make_repo(tmp_path / "lib")
    ctx, _ = context_for(Repository.open(repo.root))
    entry = Entry.from_text("entries/a.md", entry_text(answer("She committed suicide; they want to commit suicide. "
                                                              "Call 988."), module="crisis-support"))
    found = [f for f in check_entry(entry, ctx) if f.rule == "suicide-commit"]
    assert [is_safe(f, EntryView(entry), ctx.ruleset, ctx.registry) for f in found] == [True, False]


def test_a_word_of_a_hyphenated_compound_takes_the_library_s_spelling_a_phrase_beside_a_hyphen_does_not(capsys, tmp_path):
    repo = make_repo(tmp_path / "lib", GB)
    path = repo.entry("mood/a.md", entry_text(answer("Use color-coded labels. Prior to-do lists, rest.")))
    code, out = run_fix(capsys, repo.root)
    assert code == 0 and "Fixed 1 problem in 1 entry." in out
    assert "A: Use colour-coded labels. Prior to-do lists, rest." in path.read_text(encoding="utf-8")


def test_fixes_that_overlap_are_all_left_out_and_one_change_asked_twice_is_made_once(monkeypatch):
    from editor.checks import fixes
    from editor.findings import at

    text = "abcdefghij"
    offered = [fixes.Fix(at("a.md", "x", "r", "info", "m"), start, end, text[start:end], new, True)
               for start, end, new in [(0, 8, "X"), (1, 2, "Y"), (5, 6, "Z"), (8, 9, "W"), (8, 9, "W")]]
    queue = iter(offered)
    monkeypatch.setattr(fixes, "fix_for", lambda *args: next(queue))  # the fixes as given, one per finding
    chosen = fixes.safe_fixes([None] * len(offered), None, None)
    assert [(f.start, f.end, f.new) for f in chosen] == [(8, 9, "W")]  # (5, 6) lies inside (0, 8) too
    assert fixes.apply(text, chosen) == "abcdefghWj"


def test_a_quoted_module_key_keeps_its_quotes_and_a_terminal_sees_colour(capsys, tmp_path):
    from editor.checks.fix_files import fix_entry
    from editor.checks.runner import context_for
    from editor.cli.fix import diff_lines
    from editor.content.repository import Repository

    repo = make_repo(tmp_path / "lib")
    path = repo.entry("sleep/a.md", entry_text(answer("Rest."), module="'Sleep'  # ours"))
    outcome = fix_entry(repo.root, "entries/sleep/a.md", context_for(Repository.open(repo.root))[0], dry_run=True)
    assert diff_lines(outcome) == ["entries/sleep/a.md:3: module: '[-Sleep-]{+sleep+}'  # ours"]
    assert diff_lines(outcome, colour=True) == \
        ["entries/sleep/a.md:3: module: '\x1b[31m[-Sleep-]\x1b[0m\x1b[32m{+sleep+}\x1b[0m'  # ours"]
    assert run_fix(capsys, repo.root)[0] == 0
    assert "module: 'sleep'  # ours\n" in path.read_text(encoding="utf-8")
    assert "unknown-module" not in rules(check_json(capsys, repo.root))
