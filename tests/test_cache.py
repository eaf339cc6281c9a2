"""The check cache: a second run checks only what changed, and never hides a finding that a
change to the rules, the schemas, the module registry or the date brings."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from conftest import GOOD_BODY, entry_text
from editor.checks import cache as cache_module
from editor.checks import runner
from editor.checks.cache import CheckCache
from editor.content import schemas
from editor.content.entry import body_hash
from editor.content.repository import Repository

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def checked(monkeypatch):
    """Paths check_entry ran on, per call of ``run``."""
    seen: list[str] = []
    real = runner.check_entry

    def counting(entry, ctx):
        seen.append(entry.path)
        return real(entry, ctx)

    monkeypatch.setattr(runner, "check_entry", counting)
    return seen


def run(root, cache_dir, today=TODAY, paths=None, jobs=1):
    cache = CheckCache(root, today, True, cache_dir)
    return runner.check_repository(Repository.open(root), paths, today=today, jobs=jobs, cache=cache).findings


def test_second_run_checks_only_the_changed_entry_and_reports_the_same(sample_repo, tmp_path, checked):
    cold = run(sample_repo, tmp_path / "cache")
    assert len(checked) == len(Repository.open(sample_repo).paths) and cold
    checked.clear()
    assert run(sample_repo, tmp_path / "cache") == cold and checked == []

    target = sample_repo / "entries/sleep/sharing-night-feeds.md"
    target.write_bytes(target.read_bytes().replace(b"A: ", b"A: You must cheer up. ", 1))
    warm = run(sample_repo, tmp_path / "cache")
    assert checked == ["entries/sleep/sharing-night-feeds.md"]
    fresh = runner.check_repository(Repository.open(sample_repo), today=TODAY, jobs=1).findings
    assert warm == fresh and len(warm) > len(cold)


def test_a_changed_rule_in_tone_yaml_changes_findings_of_unchanged_entries(repo, tmp_path):
    repo.entry("sleep/rest.md", entry_text(GOOD_BODY.replace("hard,", "hard, so cheer up,")))
    assert "dismissive-phrases" in {f.rule for f in run(repo.root, tmp_path / "c")}
    repo.write("tone.yaml", "disable: [dismissive-phrases]\n")
    assert "dismissive-phrases" not in {f.rule for f in run(repo.root, tmp_path / "c")}


def test_a_module_removed_from_modules_yaml_breaks_links_of_unchanged_entries(repo, tmp_path):
    repo.entry("sleep/rest.md", entry_text())
    assert run(repo.root, tmp_path / "c") == []
    text = (repo.root / "modules.yaml").read_text()
    repo.write("modules.yaml", text.replace("  - slug: sleep\n    title: Sleep and rest\n", ""))
    rules = {f.rule for f in run(repo.root, tmp_path / "c")}
    assert "unknown-module" in rules


def test_a_changed_schema_changes_findings_of_unchanged_entries(repo, tmp_path, monkeypatch):
    copy = tmp_path / "schemas"
    shutil.copytree(schemas.schemas_dir(), copy)
    monkeypatch.setattr(schemas, "schemas_dir", lambda: copy)
    schemas.validator.cache_clear()
    repo.entry("sleep/rest.md", entry_text())
    assert run(repo.root, tmp_path / "c") == []
    schema_file = copy / "entry.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["required"] = [*schema.get("required", []), "audience"]
    schema_file.write_text(json.dumps(schema))
    schemas.validator.cache_clear()
    try:
        assert "missing-field" in {f.rule for f in run(repo.root, tmp_path / "c")}
    finally:
        schemas.validator.cache_clear()


def test_a_review_that_falls_due_is_reported_on_the_day(repo, tmp_path):
    review = (f"\n  reviewer: ana.ruiz@example.org\n  reviewed_on: 2026-06-01\n  next_review: 2027-01-10\n"
              f"  body_sha256: {body_hash(GOOD_BODY)}")
    repo.entry("sleep/rest.md", entry_text(status="approved", review=review))
    assert run(repo.root, tmp_path / "c", today=dt.date(2027, 1, 1)) == []
    assert "review-overdue" in {f.rule for f in run(repo.root, tmp_path / "c", today=dt.date(2027, 1, 11))}


def test_duplicate_ids_are_found_between_a_cached_and_a_changed_entry(repo, tmp_path):
    repo.entry("sleep/rest.md", entry_text())
    repo.entry("sleep/naps.md", entry_text(id="naps"))
    assert run(repo.root, tmp_path / "c") == []
    repo.entry("sleep/naps.md", entry_text(id="rest-tips"))
    assert [f.path for f in run(repo.root, tmp_path / "c") if f.rule == "duplicate-id"] == ["entries/sleep/rest.md"]


def test_a_damaged_or_unwritable_cache_is_ignored(repo, tmp_path, checked):
    repo.entry("sleep/rest.md", entry_text(GOOD_BODY + "\nYou must cheer up.\n"))
    first = run(repo.root, tmp_path / "c")
    files = list((tmp_path / "c" / "checks").iterdir())  # the cache file and its journal
    assert files
    for file in files:
        file.write_text('{"fingerprint": "x", "entries": {"' + "0" * 40 + '": [[["bad"]], null]}')
    checked.clear()
    assert run(repo.root, tmp_path / "c") == first and checked == ["entries/sleep/rest.md"]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert run(repo.root, blocker) == first


def test_one_edit_is_journalled_and_the_file_is_written_whole_when_the_journal_grows(repo, tmp_path, checked,
                                                                                      monkeypatch):
    monkeypatch.setattr(cache_module, "JOURNAL_SMALL", 2)
    for number in range(30):
        repo.entry(f"sleep/e{number}.md", entry_text(id=f"e{number}"))
    run(repo.root, tmp_path / "c")
    (whole,) = (tmp_path / "c" / "checks").glob("*.marshal")
    journal = whole.with_suffix(".journal")
    assert not journal.exists()
    written = whole.read_bytes()
    repo.entry("sleep/e1.md", entry_text(id="e1").replace("Broken sleep", "Broken rest"))
    checked.clear()
    run(repo.root, tmp_path / "c")
    assert checked == ["entries/sleep/e1.md"] and whole.read_bytes() == written  # one line in the journal
    assert len(journal.read_text().splitlines()) == 2
    checked.clear()
    assert run(repo.root, tmp_path / "c") == [] and checked == []  # the journal is read back
    with open(journal, "ab") as stream:
        stream.write(b'["cut short')  # a crash in the middle of a line
    assert run(repo.root, tmp_path / "c") == [] and checked == []
    for number in (2, 3, 4):  # the journal grows past a tenth of the cache (and JOURNAL_SMALL): written whole
        repo.entry(f"sleep/e{number}.md", entry_text(id=f"e{number}").replace("Broken sleep", "Broken rest"))
        run(repo.root, tmp_path / "c")
    assert not journal.exists() and whole.read_bytes() != written
    checked.clear()
    assert run(repo.root, tmp_path / "c") == [] and checked == []


def test_checking_some_paths_keeps_the_cache_of_the_others(repo, tmp_path, checked):
    repo.entry("sleep/rest.md", entry_text())
    repo.entry("sleep/naps.md", entry_text(id="naps"))
    run(repo.root, tmp_path / "c")
    run(repo.root, tmp_path / "c", paths=["entries/sleep/naps.md"])
    checked.clear()
    run(repo.root, tmp_path / "c")
    assert checked == []


def test_parallel_cold_run_fills_the_cache(sample_repo, tmp_path, monkeypatch, checked):
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 1)
    cold = run(sample_repo, tmp_path / "cache", jobs=2)
    checked.clear()
    assert run(sample_repo, tmp_path / "cache", jobs=2) == cold and checked == []


def test_cli_uses_the_cache_and_no_cache_ignores_it(sample_repo, tmp_path, capsys, checked):
    from editor.cli import main

    folder = str(tmp_path / "cache")
    main(["check", str(sample_repo), "--cache-dir", folder])
    first = capsys.readouterr().out
    checked.clear()
    main(["check", str(sample_repo), "--cache-dir", folder])
    assert capsys.readouterr().out == first and checked == []
    main(["check", str(sample_repo), "--cache-dir", folder, "--no-cache"])
    assert capsys.readouterr().out == first and checked


def test_an_entry_replaced_by_a_link_leading_outside_is_reported_not_served_from_the_cache(repo, tmp_path):
    text = entry_text()
    repo.entry("sleep/rest.md", text)
    assert run(repo.root, tmp_path / "c") == []
    outside = tmp_path / "outside.md"
    outside.write_text(text)  # the very same bytes, so the same cache key if it were read
    (repo.root / "entries/sleep/rest.md").unlink()
    (repo.root / "entries/sleep/rest.md").symlink_to(outside)
    assert [f.rule for f in run(repo.root, tmp_path / "c")] == ["symlink-outside"]


def test_settings_changed_between_the_check_and_the_fingerprint_never_store_findings_under_the_new_key(
        repo, tmp_path, monkeypatch):
    """The check reads modules.yaml without 'sleep'; before the cache is keyed, another window adds
    it back. The findings made without 'sleep' must not be served for the file that has it."""
    from editor.content import config

    repo.entry("sleep/rest.md", entry_text())
    with_sleep = (repo.root / "modules.yaml").read_text()
    repo.write("modules.yaml", with_sleep.replace("  - slug: sleep\n    title: Sleep and rest\n", ""))
    real = config.read_yaml_mapping

    def then_changed(path, name, *args, **kwargs):
        doc = real(path, name, *args, **kwargs)
        if name == "modules.yaml":
            path.write_text(with_sleep)  # changed on disk right after the check read it
        return doc

    monkeypatch.setattr(config, "read_yaml_mapping", then_changed)
    opened = Repository.open(repo.root)  # as the command line does: the repository first, then the cache
    cache = CheckCache(repo.root, TODAY, True, tmp_path / "c")
    first = runner.check_repository(opened, today=TODAY, jobs=1, cache=cache).findings
    assert "unknown-module" in {f.rule for f in first}
    monkeypatch.setattr(config, "read_yaml_mapping", real)
    assert "unknown-module" not in {f.rule for f in run(repo.root, tmp_path / "c")}
    assert run(repo.root, tmp_path / "c") == runner.check_repository(Repository.open(repo.root), today=TODAY,
                                                                     jobs=1).findings


def test_a_new_version_of_a_library_that_shapes_findings_starts_the_cache_afresh(repo, tmp_path, monkeypatch,
                                                                                  checked):
    from editor.checks import cache as cache_module

    repo.entry("sleep/rest.md", entry_text())
    run(repo.root, tmp_path / "c")
    checked.clear()
    run(repo.root, tmp_path / "c")
    assert checked == []  # cached
    versions = cache_module.library_versions()
    assert any(v.startswith("pyspellchecker=") for v in versions) and any(v.startswith("PyYAML=") for v in versions)
    changed = tuple(v.replace("pyspellchecker=", "pyspellchecker=99.") for v in versions)
    monkeypatch.setattr(cache_module, "library_versions", lambda: changed)
    run(repo.root, tmp_path / "c")
    assert checked == ["entries/sleep/rest.md"]  # a new word list: checked again


def test_every_kind_of_finding_survives_the_whole_file(tmp_path, checked, monkeypatch):
    """The labelled corpus (findings of every category, with and without suggestions, non-ASCII
    messages) written whole in the checked marshal file and read back: a second run checks
    nothing and finds the same. A value marshal could not keep would leave no file, and every
    later run would check everything."""
    from conftest import ROOT

    monkeypatch.setattr(cache_module, "JOURNAL_SMALL", 0)
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "sample_content", root)
    for folder in ("corpus", "corpus_heldout"):
        for kind in ("clean", "defects"):
            for file in (ROOT / "tests" / folder / kind).glob("*.md"):
                (root / "entries" / "sleep" / f"{folder}-{kind}-{file.name}").write_bytes(file.read_bytes())
    first = run(root, tmp_path / "c")
    assert len({f.category for f in first}) >= 5 and any(f.suggestion for f in first)
    (whole,) = (tmp_path / "c" / "checks").glob("*.marshal")
    assert not whole.with_suffix(".journal").exists()
    checked.clear()
    assert run(root, tmp_path / "c") == first and checked == []
