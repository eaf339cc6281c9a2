"""``malone-editor lsp`` as an editor runs it: a process spoken to in JSON-RPC (``lsp_client``).
The oracle for its diagnostics is ``malone-editor check --format json`` of the same text saved on
disk; positions are read back into the text by this file's own counting of lines (LF, CRLF, CR)
and UTF-16 or UTF-32 units, not the server's."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from lsp_client import Client
from test_cli import run_cli

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"  # in review, and clean
PLANTED = "Her friend \U0001F600 said her brother committed suicide last spring."
SEVERITY = {"error": 1, "warning": 2, "info": 3}
ROSR = "https://reportingonsuicide.org/recommendations/"


@pytest.fixture
def client():
    running = Client()
    yield running
    running.close()
    assert b"Traceback" not in running.stderr, running.stderr.decode(errors="replace")


def clean_text(repo: Path, newline: str = "\n") -> str:
    return (repo / ENTRY).read_text(encoding="utf-8").replace("\n", newline)


def planted(repo: Path, newline: str = "\n") -> str:
    """The entry with a paragraph that says "committed suicide", after an emoji on its line."""
    text = (repo / ENTRY).read_text(encoding="utf-8")
    text = text.replace("\n### Why sleep may not come", f"\n{PLANTED}\n\n### Why sleep may not come", 1)
    assert PLANTED in text
    return text.replace("\n", newline)


def check_offset(text: str, line: int, column: int) -> int:
    """A finding's place: lines end in LF, columns count code points."""
    return sum(len(part) + 1 for part in text.split("\n")[:line - 1]) + column - 1


def lsp_offset(text: str, position: dict, encoding: str) -> int:
    """The protocol's place, counted here: lines end at CRLF, LF or CR; a character is one or two
    UTF-16 units, or one UTF-32 unit. Never past a line's end, never inside a surrogate pair."""
    index = 0
    for _ in range(position["line"]):
        while text[index] not in "\r\n":
            index += 1
        index += 2 if text.startswith("\r\n", index) else 1
    count = 0
    while count < position["character"]:
        assert text[index] not in "\r\n", "a position past its line's end"
        count += 2 if encoding == "utf-16" and ord(text[index]) > 0xFFFF else 1
        index += 1
    assert count == position["character"], "a position inside a surrogate pair"
    return index


def oracle(repo: Path, text: str, path: str = ENTRY) -> list[tuple]:
    """``check --format json``'s findings of ``path`` with ``text`` saved in it, as spans of the text."""
    (repo / path).write_bytes(text.encode("utf-8"))
    result = run_cli("check", "--format", "json", "--no-cache", repo, path)
    assert result.returncode in (0, 1), result.stderr
    return [(check_offset(text, f["line"], f["column"]), check_offset(text, f["end_line"], f["end_column"]),
             f["rule"], f["message"], SEVERITY[f["severity"]])
            for f in json.loads(result.stdout)["findings"] if f["path"] == path]


def shown(text: str, diagnostics: list[dict], encoding: str = "utf-16") -> list[tuple]:
    return [(lsp_offset(text, d["range"]["start"], encoding), lsp_offset(text, d["range"]["end"], encoding),
             d["code"], d["message"], d["severity"]) for d in diagnostics]


def span_of(text: str, start: int, end: int) -> dict:
    """A UTF-16 range for code point offsets, counted here."""
    def position(offset: int) -> dict:
        before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
        line = before.count("\n")
        tail = before[before.rfind("\n") + 1:]
        return {"line": line, "character": len(tail) + sum(1 for c in tail if ord(c) > 0xFFFF)}
    return {"start": position(start), "end": position(end)}


def apply(text: str, edit: dict) -> str:
    start, end = lsp_offset(text, edit["range"]["start"], "utf-16"), lsp_offset(text, edit["range"]["end"], "utf-16")
    return text[:start] + edit["newText"] + text[end:]


# ---- initialize and the lifecycle ---------------------------------------------------------------

@pytest.mark.parametrize("offered, chosen", [(None, "utf-16"), (["utf-8", "utf-16"], "utf-16"),
                                             (["utf-8", "utf-32", "utf-16"], "utf-32")])
def test_initialize_advertises_only_what_the_server_does(client, offered, chosen):
    capabilities = client.initialize(offered)["capabilities"]
    assert set(capabilities) == {"positionEncoding", "textDocumentSync", "completionProvider", "hoverProvider",
                                 "codeActionProvider"}
    assert capabilities["positionEncoding"] == chosen
    assert capabilities["textDocumentSync"]["openClose"] is True and capabilities["textDocumentSync"]["change"] == 2
    assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix"]}
    assert "=" in capabilities["completionProvider"]["triggerCharacters"]
    assert client.finish() == 0


def test_exit_without_shutdown_is_status_1(client):
    client.initialize()
    client.notify("exit")
    assert client.process.wait(timeout=60) == 1


# ---- diagnostics --------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_diagnostics_are_the_findings_of_check(client, sample_repo, encoding, newline):
    from editor.checks.rules import load_ruleset

    client.initialize(["utf-32", "utf-16"] if encoding == "utf-32" else ["utf-16"])
    text = planted(sample_repo, newline)
    expected = oracle(sample_repo, text)
    assert {"suicide-commit", "crisis-resource-required"} <= {rule for _, _, rule, _, _ in expected}
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    diagnostics = client.diagnostics(uri, 1)
    assert shown(text, diagnostics, encoding) == expected
    commit = next(d for d in diagnostics if d["code"] == "suicide-commit")
    in_points = PLANTED.index("committed")  # the emoji before it is two UTF-16 units, one code point
    assert commit["range"]["start"]["character"] == in_points + (1 if encoding == "utf-16" else 0)
    assert commit["source"] == "malone" and commit["severity"] == 1
    rule = next(r for r in load_ruleset(sample_repo)[0].rules if r.id == "suicide-commit")
    assert commit["codeDescription"]["href"] == rule.source["url"] == ROSR
    assert all("codeDescription" not in d for d in diagnostics if d["code"] == "approval-void")
    assert client.finish() == 0


def test_a_change_that_removes_the_problem_publishes_an_empty_list(client, sample_repo):
    client.initialize()
    text = planted(sample_repo)
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    assert client.diagnostics(uri, 1)
    start = text.index(PLANTED)
    client.change(uri, 2, {"range": span_of(text, start, start + len(PLANTED) + 1), "text": ""})  # incremental
    assert client.diagnostics(uri, 2) == []
    assert oracle(sample_repo, clean_text(sample_repo)) == []
    client.change(uri, 3, {"text": text})  # the whole text
    assert shown(text, client.diagnostics(uri, 3)) == oracle(sample_repo, text)
    assert client.finish() == 0


def test_results_are_for_the_version_they_name_and_the_last_is_the_newest(client, sample_repo):
    client.initialize()
    texts = {True: planted(sample_repo), False: clean_text(sample_repo)}
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, texts[False])
    for version in range(2, 30):  # faster than the checks: most results are dropped or never made
        client.change(uri, version, {"text": texts[version % 2 == 0]})
    assert client.diagnostics(uri, 29) == []
    assert client.result("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}) is None
    published = client.published(uri)
    versions = [p["version"] for p in published]
    assert versions == sorted(versions) and versions[-1] == 29
    for result in published:
        assert bool(result["diagnostics"]) == (result["version"] % 2 == 0 and result["version"] > 1)
    assert client.finish() == 0


def test_a_duplicate_id_is_found_as_check_finds_it(client, sample_repo):
    """``check`` names a duplicate id on the later file in path order: so does the server, for the
    open entry and for the other one, and the ids follow the open entry's text as it changes."""
    client.initialize()
    later, earlier = "entries/sleep/sharing-night-feeds.md", ENTRY  # (in path order)
    later_text = (sample_repo / later).read_text(encoding="utf-8")
    text = clean_text(sample_repo)
    taken = text.replace("id: cant-sleep-when-baby-sleeps", "id: sharing-night-feeds")
    uri, later_uri = (sample_repo / earlier).as_uri(), (sample_repo / later).as_uri()
    client.open(later_uri, later_text)
    assert client.diagnostics(later_uri, 1) == []
    client.open(uri, taken)
    assert client.diagnostics(uri, 1) == [] == oracle(sample_repo, taken)  # the earlier file keeps its id
    expected = oracle(sample_repo, later_text, later)
    assert [rule for _, _, rule, _, _ in expected] == ["duplicate-id"] and earlier in expected[0][3]
    assert shown(later_text, client.diagnostics(later_uri, 1)) == expected  # checked again: its id is taken now
    client.change(uri, 2, {"text": text})
    assert client.diagnostics(uri, 2) == []
    assert client.diagnostics(later_uri, 1) == []
    assert client.finish() == 0


def test_broken_settings_give_check_s_finding_and_a_fix_clears_it(client, sample_repo):
    client.initialize()
    modules = sample_repo / "modules.yaml"
    good = modules.read_bytes()
    modules.write_bytes(b"tabs: [home, modules\nmodules: {\n")
    expected = json.loads(run_cli("check", "--format", "json", "--no-cache", sample_repo, ENTRY).stdout)["findings"]
    broken = [f for f in expected if f["path"] == "modules.yaml"]
    assert broken
    uri = (sample_repo / ENTRY).as_uri()
    text = clean_text(sample_repo)
    client.open(uri, text)
    settings = client.diagnostics(modules.as_uri())
    assert [(d["code"], d["message"], d["range"]["start"]["line"] + 1) for d in settings] == \
        [(f["rule"], f["message"], f["line"]) for f in broken]
    assert shown(text, client.diagnostics(uri, 1)) == oracle(sample_repo, text)
    modules.write_bytes(good)
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": modules.as_uri(), "type": 2}]})
    assert client.diagnostics(modules.as_uri()) == []
    assert client.diagnostics(uri, 1) == []
    modules.write_bytes(b"tabs: [home, modules\nmodules: {\n")
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []  # closed: nothing stays underlined that no check keeps current
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": modules.as_uri(), "type": 2}]})
    assert [d["code"] for d in client.diagnostics(modules.as_uri())] == [f["rule"] for f in broken]  # no entry open
    assert client.finish() == 0


def test_a_settings_change_is_seen_at_the_next_check_without_being_told(client, sample_repo):
    client.initialize()
    uri = (sample_repo / ENTRY).as_uri()
    text = clean_text(sample_repo)
    client.open(uri, text)
    assert client.diagnostics(uri, 1) == []
    modules = sample_repo / "modules.yaml"
    modules.write_text(modules.read_text(encoding="utf-8").replace("slug: mood", "slug: moods"), encoding="utf-8")
    client.change(uri, 2, {"text": text})
    got = client.diagnostics(uri, 2)
    assert [d["code"] for d in got] == ["unknown-module"] and shown(text, got) == oracle(sample_repo, text)
    assert client.finish() == 0


# ---- quick fixes, hover, completion -------------------------------------------------------------

def test_a_quick_fix_takes_the_suggestion_and_the_finding_goes(client, sample_repo):
    client.initialize()
    text = planted(sample_repo)
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    commit = next(d for d in client.diagnostics(uri, 1) if d["code"] == "suicide-commit")
    actions = client.result("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": commit["range"],
                                                        "context": {"diagnostics": [commit]}})
    fix = next(a for a in actions if a["diagnostics"][0]["code"] == "suicide-commit")
    assert fix["kind"] == "quickfix"
    assert fix.get("isPreferred") is True  # "committed suicide" -> "died by suicide" is one malone-editor fix makes
    (edit,) = fix["edit"]["changes"][uri]
    assert edit["range"] == commit["range"]
    fixed = apply(text, edit)
    assert "suicide-commit" not in {rule for _, _, rule, _, _ in oracle(sample_repo, fixed)}
    client.change(uri, 2, {"text": fixed})
    assert shown(fixed, client.diagnostics(uri, 2)) == oracle(sample_repo, fixed)
    elsewhere = client.result("textDocument/codeAction", {"textDocument": {"uri": uri}, "context": {"diagnostics": []},
                                                          "range": {"start": {"line": 0, "character": 0},
                                                                    "end": {"line": 0, "character": 3}}})
    assert elsewhere == []
    assert client.finish() == 0


def test_a_quick_fix_names_the_version_when_the_client_takes_document_changes(client, sample_repo):
    client.initialize(workspace={"workspaceEdit": {"documentChanges": True}})
    text = clean_text(sample_repo).replace("module=mood&", "module=Mood&")
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text, version=7)
    found = client.diagnostics(uri, 7)
    assert [d["code"] for d in found] == ["unknown-module"]
    (action,) = client.result("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": found[0]["range"],
                                                          "context": {"diagnostics": found}})
    assert action.get("isPreferred") is True  # a module's slug in the wrong case: a safe fix
    (change,) = action["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": uri, "version": 7}
    assert apply(text, change["edits"][0]) == clean_text(sample_repo)
    assert client.finish() == 0


def test_a_guess_is_offered_but_not_preferred_and_a_wrapped_phrase_keeps_its_line_break(client, sample_repo):
    client.initialize()
    base = clean_text(sample_repo)
    text = base + "\nWe felt overwhlemed. Her aunt committed\nsuicide in May. Call 988.\n"
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    found = {d["code"]: d for d in client.diagnostics(uri, 1)}
    guess = client.result("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": found["misspelling"]["range"],
                                                      "context": {"diagnostics": [found["misspelling"]]}})
    assert [a.get("isPreferred") for a in guess if a["diagnostics"][0]["code"] == "misspelling"] == [None]
    wrapped = client.result("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                        "range": found["suicide-commit"]["range"],
                                                        "context": {"diagnostics": [found["suicide-commit"]]}})
    fix = next(a for a in wrapped if a["diagnostics"][0]["code"] == "suicide-commit")
    (edit,) = fix["edit"]["changes"][uri]
    assert fix["isPreferred"] is True and edit["newText"] == "died by\nsuicide"
    assert client.finish() == 0


def test_hover_over_a_finding_shows_its_rule_message_and_source(client, sample_repo):
    client.initialize()
    text = planted(sample_repo)
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    commit = next(d for d in client.diagnostics(uri, 1) if d["code"] == "suicide-commit")
    inside = {"line": commit["range"]["start"]["line"], "character": commit["range"]["start"]["character"] + 3}
    hover = client.result("textDocument/hover", {"textDocument": {"uri": uri}, "position": inside})
    value = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert "suicide-commit" in value.replace("\\", "") and "Recommendations for Reporting on Suicide" in value
    assert f"(<{ROSR}>)" in value and "ReportingOnSuicide" in value
    assert "committed suicide" in value.replace("\\", "")
    nowhere = client.result("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": 0, "character": 1}})
    assert nowhere is None
    assert client.finish() == 0


def _complete(client, uri: str, text: str, line_text: str, upto: str) -> tuple[str, list[dict]]:
    """Open ``text`` with ``line_text`` added; complete right after ``upto`` in it."""
    full = text + line_text + "\n"
    client.change(uri, client.version + 1, {"text": full})
    client.version += 1
    line = full.count("\n") - 1
    before = line_text[:line_text.index(upto) + len(upto)]
    character = len(before) + sum(1 for c in before if ord(c) > 0xFFFF)
    items = client.result("textDocument/completion", {"textDocument": {"uri": uri},
                                                      "position": {"line": line, "character": character}})
    return full, items if isinstance(items, list) else items["items"]


def test_completion_offers_tabs_modules_and_sections_from_modules_yaml(client, sample_repo):
    client.initialize()
    registry = yaml.safe_load((sample_repo / "modules.yaml").read_text(encoding="utf-8"))
    slugs = [m["slug"] for m in registry["modules"]]
    uri = (sample_repo / ENTRY).as_uri()
    text = clean_text(sample_repo)
    client.open(uri, text)
    client.version = 1
    _, tabs = _complete(client, uri, text, "\U0001F600 [Go](?tab=", "?tab=")
    assert [i["label"] for i in tabs] == registry["tabs"]
    _, typed_nothing = _complete(client, uri, text, "[Go](?tab=modules&module=", "module=")
    assert [i["label"] for i in typed_nothing] == slugs
    full, modules = _complete(client, uri, text, "\U0001F600 [Go](?tab=modules&module=sl)", "module=sl")
    assert [i["label"] for i in modules] == slugs
    assert {i["label"]: i["detail"] for i in modules}["sleep"] == "Sleep"
    sleep = next(i for i in modules if i["label"] == "sleep")
    assert apply(full, sleep["textEdit"]).endswith("\U0001F600 [Go](?tab=modules&module=sleep)\n")
    _, sections = _complete(client, uri, text, "[Go](?tab=modules&module=social-support&section=", "section=")
    social = next(m for m in registry["modules"] if m["slug"] == "social-support")
    assert [i["label"] for i in sections] == social["sections"]
    _, prose = _complete(client, uri, text, "Pick a tab=modules&module= here", "module=")
    assert prose == []
    _, closed = _complete(client, uri, text, "[Go](?tab=modules) and module=", "module=")
    assert closed == []
    assert client.finish() == 0


# ---- what must not get diagnostics, or bring the server down ------------------------------------

def test_documents_outside_a_repository_or_not_entries_get_nothing(client, sample_repo, tmp_path):
    client.initialize()
    outside = tmp_path / "notes" / "todo.md"
    outside.parent.mkdir()
    outside.write_text("People committed suicide.\n", encoding="utf-8")
    readme = sample_repo / "README.md"
    for uri in (outside.as_uri(), readme.as_uri(), "untitled:Untitled-1"):
        client.open(uri, "### Q: x\n\nA: He committed suicide.\n")
    hover = {"textDocument": {"uri": outside.as_uri()}, "position": {"line": 0, "character": 3}}
    assert client.result("textDocument/hover", hover) is None
    assert client.result("textDocument/codeAction", {**hover, "range": {"start": hover["position"],
                                                                        "end": hover["position"]},
                                                     "context": {"diagnostics": []}}) == []
    assert client.result("textDocument/completion", hover) == []
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, clean_text(sample_repo))
    assert client.diagnostics(uri, 1) == []  # documents are checked in turn: any for those would be here by now
    assert {m["params"]["uri"] for m in client.seen if m.get("method") == "textDocument/publishDiagnostics"} == {uri}
    assert client.finish() == 0


def test_garbage_does_not_bring_the_server_down(client, sample_repo):
    client.initialize()
    client.send_raw(b"Content-Length: 9\r\n\r\n{{{{{{{{{")  # not JSON
    client.send_raw(b"Content-Length: 7\r\n\r\n[1,2,3]")  # JSON, not a message
    client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 5}})
    client.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                 "params": {"textDocument": {"uri": "file:///nowhere.md", "version": 2}, "contentChanges": []}})
    bad = client.request("textDocument/hover", {"textDocument": {"uri": "file:///x.md"}})  # no position
    assert bad["error"]["code"] in (-32602, -32603) and "Traceback" not in json.dumps(bad)
    unknown = client.request("malone/nothing", {})
    assert unknown["error"]["code"] == -32601
    uri = (sample_repo / ENTRY).as_uri()
    text = planted(sample_repo)
    client.open(uri, text)
    client.change(uri, 2, {"range": {"start": {"line": 10 ** 6, "character": 0},
                                     "end": {"line": -1, "character": 10 ** 9}}, "text": "\uD83D"})
    client.change(uri, 3, {"text": text})
    assert shown(text, client.diagnostics(uri, 3)) == oracle(sample_repo, text)
    logs = [m["params"]["message"] for m in client.seen if m.get("method") == "window/logMessage"]
    assert logs and all("Traceback" not in line and "Error:" not in line for line in logs)
    assert client.finish() == 0


def test_open_comments_are_found_as_check_finds_them(client, sample_repo):
    from conftest import git

    git(sample_repo, "init", "-q", "-b", "main")
    git(sample_repo, "config", "user.name", "Ana Ruiz")
    git(sample_repo, "config", "user.email", "ana.ruiz@example.org")
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "Library")
    made = run_cli("review", "comment", sample_repo / ENTRY, "--on", "lie awake", "--note", "Is this right?")
    assert made.returncode == 0, made.stderr
    client.initialize()
    text = clean_text(sample_repo)
    expected = oracle(sample_repo, text)
    assert [rule for _, _, rule, _, _ in expected] == ["open-comment"]
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    assert shown(text, client.diagnostics(uri, 1)) == expected
    moved = text.replace("Many new parents lie awake", "Lying awake is common; many new parents lie awake")
    client.change(uri, 2, {"text": moved})
    assert shown(moved, client.diagnostics(uri, 2)) == oracle(sample_repo, moved)
    assert client.finish() == 0


def test_entries_made_and_deleted_on_disk_keep_the_ids_current(client, sample_repo):
    client.initialize(workspace={"didChangeWatchedFiles": {"dynamicRegistration": True}})
    registration = client.wait_for(lambda m: m.get("method") == "client/registerCapability")
    client.send({"jsonrpc": "2.0", "id": registration["id"], "result": None})
    (watch,) = registration["params"]["registrations"]
    assert watch["method"] == "workspace/didChangeWatchedFiles"
    uri = (sample_repo / ENTRY).as_uri()
    text = clean_text(sample_repo)
    client.open(uri, text)
    assert client.diagnostics(uri, 1) == []
    first = sample_repo / "entries" / "sleep" / "a-first.md"  # before the open entry in path order
    first.write_text(text.replace("### Q: People say", "### Q: Friends say"), encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": first.as_uri(), "type": 1}]})
    found = client.diagnostics(uri, 1)
    assert [d["code"] for d in found] == ["duplicate-id"] and "entries/sleep/a-first.md" in found[0]["message"]
    assert shown(text, found) == oracle(sample_repo, text)
    first.unlink()
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": first.as_uri(), "type": 3}]})
    assert client.diagnostics(uri, 1) == [] == oracle(sample_repo, text)
    assert client.finish() == 0


def test_pygls_is_loaded_only_by_the_lsp_command():
    import subprocess
    import sys

    from test_cli import cli_env

    probe = ("import sys, editor.cli; from editor.cli.table import parse_args; parse_args(['check', '.']); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=cli_env(), timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr


@pytest.mark.parametrize("formats", [["markdown", "plaintext"], ["plaintext"]])
def test_hover_quotes_the_writer_s_words_without_making_markup_of_them(client, sample_repo, formats):
    client.initialize(textDocument={"hover": {"contentFormat": formats}})
    text = clean_text(sample_repo).replace("module=mood&section=anxiety", "module=*mood*<b>&section=anxiety")
    uri = (sample_repo / ENTRY).as_uri()
    client.open(uri, text)
    (found,) = client.diagnostics(uri, 1)
    hover = client.result("textDocument/hover", {"textDocument": {"uri": uri}, "position": found["range"]["start"]})
    value = hover["contents"]["value"]
    if formats[0] == "markdown":
        assert hover["contents"]["kind"] == "markdown" and "\\*mood\\*\\<b\\>" in value and "<b>" not in value
    else:
        assert hover["contents"]["kind"] == "plaintext" and "*mood*<b>" in value and "\\" not in value
    assert client.finish() == 0
