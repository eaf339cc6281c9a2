"""The Link Health model and the link index behind it (Qt-free): every target with its status
and uses, broken first; module and text filters; what links here; statuses from a fetch or the
link cache; and the index reading again only the files that changed, from a cache on disk too."""
from __future__ import annotations

import os
import time

from conftest import entry_text
from editor.checks import link_health, link_index
from editor.checks.link_index import ExtractCache, LinkIndex, refresh
from editor.content.index import build_index
from editor.content.repository import Repository
from editor.web.fetch import LinkStatus

BODY = """\
### Q: How can I rest?

A: Rest when you can.

See [sleep tips](?tab=modules&module=sleep&section=nope) and [more](?tab=modules&module=sleep).

Evidence: [a study](https://example.org/study) and [mail us](mailto:help@example.org).
"""

OTHER = """\
### Q: Where do I find groups?

A: [Groups](?tab=modules&module=social-support&section=local-groups) and [rest](?tab=modules&module=sleep).
Also [broken](?tab=modules&module=slep) and [journal](?tab=journal).
"""


def make(repo):
    repo.entry("sleep/rest.md", entry_text(BODY, id="rest", sources="\n  - https://example.org/evidence"))
    repo.entry("social-support/groups.md", entry_text(OTHER, id="groups", module="social-support"))
    return repo.root


def model_of(root, statuses=None, cached=None, index=None):
    repository = Repository.open(root)
    index = index or refresh(None, root, repository.paths)
    rows = build_index(root, repository.paths)
    questions = {r.path: (r.question, r.module) for r in rows}
    return link_health.build(index, repository.registry, questions, statuses, cached)


def row(model, target):
    return next(r for r in model.rows if r.target == target)


def test_every_target_with_status_and_uses_broken_first(repo):
    model = model_of(make(repo))
    statuses = [r.status for r in model.rows]
    assert statuses == sorted(statuses, key=link_health.ORDER.__getitem__)
    assert {r.target for r in model.rows if r.status == "broken"} == {
        "?tab=modules&module=sleep&section=nope", "?tab=modules&module=slep"}
    assert "no section 'nope'" in row(model, "?tab=modules&module=sleep&section=nope").detail
    sleep = row(model, "?tab=modules&module=sleep")
    assert sleep.status == "ok" and sleep.module == "sleep" and sleep.entries == 2
    # the line of the link in the file (frontmatter lines count) and its column
    use = next(u for u in sleep.uses if u.path == "entries/sleep/rest.md")
    text = (repo.root / use.path).read_text().splitlines()
    assert text[use.line - 1][use.column - 1:].startswith("?tab=modules&module=sleep)")
    assert use.question == "How can I rest?"
    web = row(model, "https://example.org/study")
    assert web.kind == "web" and web.status == "unchecked" and "Check Web Links" in web.detail
    evidence = row(model, "https://example.org/evidence")
    assert [u.where for u in evidence.uses] == ["sources"]
    assert row(model, "mailto:help@example.org").status == "ok"


def test_filter_by_module_and_by_text(repo):
    model = model_of(make(repo))
    sleep = model.filtered("sleep")
    # in-app links that open the module, from any entry; web links of the module's own entries
    assert {r.target for r in sleep} == {"?tab=modules&module=sleep&section=nope", "?tab=modules&module=sleep",
                                         "https://example.org/study", "https://example.org/evidence",
                                         "mailto:help@example.org"}
    assert {u.path for u in row(model, "?tab=modules&module=sleep").uses} == {"entries/sleep/rest.md",
                                                                               "entries/social-support/groups.md"}
    assert {r.target for r in model.filtered("social-support")} == {
        "?tab=modules&module=social-support&section=local-groups"}
    assert {r.target for r in model.filtered(None, "GROUPS")} >= {"?tab=journal", "?tab=modules&module=slep"}
    assert [r.target for r in model.filtered(None, "study")] == ["https://example.org/study"]
    assert model.filtered("sleep", "no such thing") == []


def test_what_links_here_lists_entries_with_counts(repo):
    model = model_of(make(repo))
    found = model.backlinks("sleep")
    assert found.title == "Sleep and rest" and found.members == 1
    assert [(path, len(links)) for path, _, links in found.entries] == [("entries/sleep/rest.md", 2),
                                                                         ("entries/social-support/groups.md", 1)]
    assert found.links == 3 and found.broken == 1
    assert model.backlinks("slep").entries[0][0] == "entries/social-support/groups.md"  # a broken slug too
    assert model.backlinks("feeding").entries == []


def test_web_statuses_from_a_fetch_or_the_cache(repo):
    root = make(repo)
    gone = LinkStatus("https://example.org/study", "broken", 404, message="Page not found (404)")
    fine = LinkStatus("https://example.org/evidence", "ok", 200)
    model = model_of(root, {gone.url: gone}, {fine.url: fine}.get)
    assert (row(model, gone.url).status, row(model, gone.url).detail) == ("broken", "Page not found (404)")
    assert row(model, fine.url).status == "ok" and row(model, fine.url).fetched
    assert model.rows[0].status == "broken"


def test_the_index_reads_only_what_changed(repo, monkeypatch):
    root = make(repo)
    paths = Repository.open(root).paths
    past = time.time() - 60
    for path in paths:
        os.utime(root / path, (past, past))
    first = refresh(None, root, paths)
    assert first.parsed == 2
    again = refresh(first, root, paths)
    assert again.parsed == 0 and again.files == first.files
    # an edit that keeps the size and puts the time back is seen: its change time moved (as git sees it)
    target = root / "entries/sleep/rest.md"
    target.write_text(target.read_text().replace("section=nope", "section=nap!"))
    os.utime(target, (past, past))
    seen = refresh(first, root, paths, only=["entries/sleep/rest.md"])
    assert seen.parsed == 1 and any(u.target.endswith("section=nap!") for u in seen.uses("entries/sleep/rest.md"))
    fresh = refresh(None, root, paths)
    assert any(u.target.endswith("section=nap!") for u in fresh.uses("entries/sleep/rest.md"))
    # a text as typed in the editor is read instead of the file
    typed = refresh(fresh, root, paths, only=["entries/sleep/rest.md"],
                    texts={"entries/sleep/rest.md": entry_text("### Q: Hi?\n\nA: [x](?tab=chat)\n")})
    assert [u.target for u in typed.uses("entries/sleep/rest.md")] == ["?tab=chat"]
    assert typed.uses("entries/social-support/groups.md") == fresh.uses("entries/social-support/groups.md")


def test_a_file_written_just_now_is_looked_at_again(repo):
    root = make(repo)
    paths = Repository.open(root).paths
    first = refresh(None, root, paths)
    assert all(record.stamp is None for record in first.files.values())  # racy: written this very second
    target = root / "entries/sleep/rest.md"
    target.write_text(target.read_text().replace("section=nope", "section=nap!"))
    assert any(u.target.endswith("nap!") for u in refresh(first, root, paths).uses("entries/sleep/rest.md"))


def test_the_cache_on_disk_spares_the_parse(repo, tmp_path):
    root = make(repo)
    paths = Repository.open(root).paths
    first = refresh(None, root, paths, ExtractCache(root, tmp_path))
    assert first.parsed == 2 and (tmp_path / "links").is_dir()
    second = refresh(None, root, paths, ExtractCache(root, tmp_path))
    assert (second.parsed, second.from_cache) == (0, 2)
    assert {p: r.uses for p, r in second.files.items()} == {p: r.uses for p, r in first.files.items()}
    # a damaged cache is ignored, never trusted
    for file in (tmp_path / "links").iterdir():
        file.write_text('{"fingerprint": "x", "files": {"a": [[1, 2]]}}')
    assert refresh(None, root, paths, ExtractCache(root, tmp_path)).parsed == 2


def test_parsing_in_worker_processes_gives_the_same_links(repo, monkeypatch):
    root = make(repo)
    for number in range(6):
        repo.entry(f"sleep/more-{number}.md", entry_text(BODY, id=f"more-{number}"))
    paths = Repository.open(root).paths
    one = refresh(None, root, paths, jobs=1)
    monkeypatch.setattr(link_index, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(link_index, "CHUNK", 3)
    many = refresh(None, root, paths, jobs=2)
    assert {p: r.uses for p, r in many.files.items()} == {p: r.uses for p, r in one.files.items()}
    assert len(many.files) == 8


def test_a_link_outside_the_repository_is_not_read(repo, tmp_path):
    root = make(repo)
    outside = tmp_path / "secret.md"
    outside.write_text(entry_text("### Q: x?\n\nA: [x](?tab=chat)\n"))
    (root / "entries/sleep/link.md").symlink_to(outside)
    index = refresh(None, root, ["entries/sleep/link.md"])
    assert index.uses("entries/sleep/link.md") == ()


def test_malformed_web_addresses_are_listed_broken(repo):
    repo.entry("sleep/bad.md", entry_text("### Q: x?\n\nA: [a](<https://exa mple.org>) [b](htps://nhs.uk)\n",
                                          sources="\n  - https://bad host.example/"))
    model = model_of(repo.root)
    assert {r.target: r.status for r in model.rows} == {"https://exa mple.org": "broken", "htps://nhs.uk": "broken",
                                                        "https://bad host.example/": "broken"}


def test_empty_index(repo):
    model = link_health.build(LinkIndex(), Repository.open(repo.root).registry, {})
    assert model.rows == [] and model.counts()["broken"] == 0


def test_a_new_window_trusts_only_unchanged_size_time_and_inode(repo, tmp_path):
    root = make(repo)
    paths = Repository.open(root).paths
    past = time.time() - 60
    for path in paths:
        os.utime(root / path, (past, past))
    refresh(None, root, paths, ExtractCache(root, tmp_path))
    again = refresh(None, root, paths, ExtractCache(root, tmp_path))
    assert (again.parsed, again.from_cache) == (0, 2)
    target = root / "entries/sleep/rest.md"
    target.write_text(target.read_text().replace("section=nope", "section=changed"))
    os.utime(target, (past, past))  # the same time, but not the same size
    third = refresh(None, root, paths, ExtractCache(root, tmp_path))
    assert third.parsed == 1
    assert any(u.target.endswith("section=changed") for u in third.uses("entries/sleep/rest.md"))


def test_a_refresh_stops_when_cancelled(repo):
    import pytest

    root = make(repo)
    with pytest.raises(link_index.LinkIndexCancelled):
        refresh(None, root, Repository.open(root).paths, cancelled=lambda: True)
