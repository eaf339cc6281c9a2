"""``check --format github`` and ``--format sarif`` (issue 19, first part): the same findings as
``--format json``, in the words GitHub's runner and SARIF 2.1.0 readers expect."""
from __future__ import annotations

import json
import re

import jsonschema

from editor.cli import main
from editor.cli.ci_formats import github_lines, sarif
from editor.findings import Finding

# what SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) requires of the parts written here: a log has a
# version and runs; a run a tool with a driver that has a name; a result a message with text; a
# region's lines and columns start at 1; a level is one of four; a fix has artifact changes, each
# with a location and replacements that each have a deleted region
_REGION = {"type": "object", "properties": {k: {"type": "integer", "minimum": 1} for k in
                                            ("startLine", "startColumn", "endLine", "endColumn")},
           "required": ["startLine"]}
_LOCATION = {"type": "object", "required": ["uri"], "properties": {"uri": {"type": "string", "minLength": 1}}}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_TEXT = {"type": "object", "required": ["text"]}
_REPLACEMENT = {"type": "object", "required": ["deletedRegion"],
                "properties": {"deletedRegion": _REGION, "insertedContent": _TEXT}}
_CHANGE = {"type": "object", "required": ["artifactLocation", "replacements"],
           "properties": {"artifactLocation": _LOCATION,
                          "replacements": {"type": "array", "minItems": 1, "items": _REPLACEMENT}}}
_FIX = {"type": "object", "required": ["artifactChanges"],
        "properties": {"artifactChanges": {"type": "array", "minItems": 1, "items": _CHANGE}}}
_PHYSICAL = {"type": "object", "required": ["artifactLocation", "region"],
             "properties": {"artifactLocation": _LOCATION, "region": _REGION}}
_RESULT = {"type": "object", "required": ["message", "ruleId", "locations"],
           "properties": {"level": _LEVEL, "message": _TEXT, "ruleIndex": {"type": "integer", "minimum": 0},
                          "locations": {"type": "array", "items": {
                              "type": "object", "required": ["physicalLocation"],
                              "properties": {"physicalLocation": _PHYSICAL}}},
                          "fixes": {"type": "array", "items": _FIX}}}
_RULE = {"type": "object", "required": ["id"],
         "properties": {"id": {"type": "string"}, "helpUri": {"type": "string", "pattern": "^https://"},
                        "shortDescription": _TEXT, "help": _TEXT,
                        "defaultConfiguration": {"type": "object", "properties": {"level": _LEVEL}}}}
_DRIVER = {"type": "object", "required": ["name"],
           "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": _RULE}}}
_RUN = {"type": "object", "required": ["tool", "results"],
        "properties": {"tool": {"type": "object", "required": ["driver"], "properties": {"driver": _DRIVER}},
                       "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                       "results": {"type": "array", "items": _RESULT}}}
SARIF_PARTS = {"type": "object", "required": ["version", "runs"],
               "properties": {"version": {"const": "2.1.0"}, "$schema": {"type": "string"},
                              "runs": {"type": "array", "minItems": 1, "maxItems": 1, "items": _RUN}}}


def findings_as(sample_repo, capsys, kind: str):
    code = main(["check", str(sample_repo), "--no-cache", "--format", kind])
    out = capsys.readouterr().out
    return code, out


def test_sarif_holds_every_finding_with_its_rule_level_region_and_fix(sample_repo, capsys):
    (sample_repo / "entries/sleep/grief.md").write_text(
        "---\nid: grief\nmodule: sleep\nstatus: draft\n---\n### Q: How do I sleep after a loss?\n\n"
        "A: When someone close to you committed suicide, sleep can feel far away.\n", encoding="utf-8")
    code, out = findings_as(sample_repo, capsys, "json")
    expected = json.loads(out)["findings"]
    sarif_code, out = findings_as(sample_repo, capsys, "sarif")
    log = json.loads(out)
    jsonschema.validate(log, SARIF_PARTS)
    assert sarif_code == code == 1 and expected
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(expected)
    for finding, result in zip(expected, run["results"]):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding["rule"]
        assert result["level"] == levels[finding["severity"]] and result["message"]["text"] == finding["message"]
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uri"] == finding["path"]
        assert place["region"] == {"startLine": finding["line"], "startColumn": finding["column"],
                                   "endLine": finding["end_line"], "endColumn": finding["end_column"]}
        if finding.get("suggestion") is not None:
            change = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
            assert change["insertedContent"]["text"] == finding["suggestion"] and change["deletedRegion"] == place["region"]
        else:
            assert "fixes" not in result
    sourced = [r for r in rules if "helpUri" in r]  # a language rule names the guidance it follows
    assert {"crisis-resource-required"} <= {r["id"] for r in rules}
    assert sourced and all(r["helpUri"].startswith("https://") for r in sourced)


_COMMAND = re.compile(r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
                      r"title=([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    """As GitHub's runner reads a command back (the escapes of @actions/core, undone)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def test_github_annotations_are_the_findings_one_line_each(sample_repo, capsys):
    _, out = findings_as(sample_repo, capsys, "json")
    expected = json.loads(out)["findings"]
    _, out = findings_as(sample_repo, capsys, "github")
    lines = out.splitlines()
    assert len(lines) == len(expected)
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for finding, line in zip(expected, lines):
        kind, path, *numbers, title, message = _COMMAND.match(line).groups()
        assert kind == kinds[finding["severity"]] and _unescape(path) == finding["path"] and title == finding["rule"]
        assert [int(n) for n in numbers] == [finding["line"], finding["column"], finding["end_line"],
                                             finding["end_column"]]
        hint = f" (suggestion: {finding['suggestion']})" if finding.get("suggestion") else ""
        assert _unescape(message) == finding["message"] + hint


def test_a_message_or_path_with_command_characters_survives_the_escaping():
    odd = Finding("entries/a,b:c%.md", 2, 3, 2, 9, "tone", "r", "warning", "50% of\nparents: 'a, b'", "x:y")
    (line,) = github_lines([odd])
    kind, path, *_, title, message = _COMMAND.match(line).groups()
    assert (kind, _unescape(path), title) == ("warning", odd.path, "r")
    assert _unescape(message) == "50% of\nparents: 'a, b' (suggestion: x:y)" and "\n" not in line
    log = sarif([odd])
    jsonschema.validate(log, SARIF_PARTS)
    assert log["runs"][0]["results"][0]["level"] == "warning"
