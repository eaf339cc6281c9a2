"""The in-app link targets offered to writers (editor.content.link_choices): every one is valid."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.content.config import Module, Registry
from editor.content.link_choices import LinkChoice, LinkChoices, build_link, build_target, link_text
from editor.content.links import parse_in_app
from editor.content.markdown import parse_body
from editor.content.repository import Repository

SAMPLE = Path(__file__).resolve().parents[1] / "sample_content"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Repository.open(SAMPLE).registry


def every_choice(choices: LinkChoices) -> list[LinkChoice]:
    found = [LinkChoice(tab) for tab in choices.tabs]
    for module in choices.modules:
        found.append(LinkChoice("modules", module.slug))
        found.extend(LinkChoice("modules", module.slug, section) for section in module.sections)
    return found


def the_link(markdown: str):
    links = parse_body(markdown).links
    assert len(links) == 1 and links[0].kind == "inline" and links[0].span == (0, len(markdown)), markdown
    return links[0]


def test_lists_the_sample_registry(registry):
    choices = LinkChoices(registry)
    assert choices.tabs == ["home", "modules", "chat", "journal", "profile"]
    assert [m.slug for m in choices.modules] == list(registry.modules)
    sleep = choices.module("sleep")
    assert sleep.title == "Sleep" and sleep.sections == ("night-feeds", "rest-tips")
    assert len(every_choice(choices)) == 5 + 9 + sum(len(m.sections) for m in registry.modules.values())


def test_every_link_built_from_the_sample_registry_is_valid(registry):
    choices = LinkChoices(registry)
    for choice in every_choice(choices):
        assert choices.is_valid(choice)
        parsed = parse_in_app(choice.target, registry)
        assert parsed.ok, (choice, parsed.problems)
        assert (parsed.tab, parsed.module, parsed.section) == (choice.tab, choice.module, choice.section)
        link = the_link(build_link(choices.default_text(choice), choice.target))
        assert link.target == choice.target and parse_in_app(link.target, registry).ok
    for offer in choices.offers():
        assert parse_in_app(offer.target, registry).ok
    assert {o.choice for o in choices.offers()} == set(every_choice(choices))


def test_invalid_choices_are_refused(registry):
    choices = LinkChoices(registry)
    for choice in (LinkChoice("nowhere"), LinkChoice("home", "sleep"), LinkChoice("modules", "slep"),
                   LinkChoice("modules", "sleep", "nap-time"), LinkChoice("modules", None, "rest-tips")):
        assert not choices.is_valid(choice)


def test_search_by_title(registry):
    choices = LinkChoices(registry)
    assert [m.slug for m in choices.search("sleep")] == ["sleep"]
    assert [m.slug for m in choices.search("anx")] == ["mood"]
    assert choices.search("recovering birth")[0].slug == "birth-recovery"
    assert [m.slug for m in choices.search("s")][:2] == ["social-support", "sleep"]  # titles that start with it
    assert choices.search("nothing like it") == []


def test_unreachable_entries_of_a_broken_registry_are_not_offered():
    registry = Registry(tabs=["home", "my tab", "a&b", "home"], modules={
        "sleep": Module("sleep", "Sleep", ["rest tips", "ok", "x#y"]),
        "bad slug": Module("bad slug", "Bad"), "x&tab=home": Module("x&tab=home", "Sneaky")})
    choices = LinkChoices(registry)
    assert choices.tabs == ["home"] and choices.modules == []  # no modules tab: no module can be opened
    registry.tabs.append("modules")
    choices = LinkChoices(registry)
    assert [m.slug for m in choices.modules] == ["sleep"] and choices.module("sleep").sections == ("ok",)
    assert LinkChoices(None).tabs == [] and LinkChoices(None).offers() == []


def test_link_text_from_a_selection():
    assert link_text("  Tap\u2029here ") == "Tap here"
    assert link_text("[Read more](?tab=home)") == "Read more"  # a whole link selected: retarget it
    assert build_link("Tap here", "?tab=home") == "[Tap here](?tab=home)"
    assert build_link("*Rest* tips", "?tab=home") == "[*Rest* tips](?tab=home)"  # formatting kept
    assert build_link("a ] b", "?tab=home") == r"[a \] b](?tab=home)"


_slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)?", fullmatch=True)


@st.composite
def registries_and_choices(draw):
    tabs = draw(st.lists(_slugs, min_size=1, max_size=5, unique=True))
    if draw(st.booleans()):
        tabs.append("modules")
    modules = {}
    for slug in draw(st.lists(_slugs, max_size=6, unique=True)):
        title = draw(st.text(min_size=1, max_size=30))
        sections = draw(st.lists(st.from_regex(r"[A-Za-z0-9]+([_-][A-Za-z0-9]+)?", fullmatch=True), max_size=4))
        modules[slug] = Module(slug, title, sections)
    registry = Registry(tabs=tabs, modules=modules)
    choices = LinkChoices(registry)
    options = every_choice(choices)
    choice = draw(st.sampled_from(options))
    text = draw(st.text(max_size=40))
    return registry, choices, choice, text


@settings(max_examples=300, deadline=None)
@given(registries_and_choices())
def test_any_choice_builds_a_valid_link(case):
    registry, choices, choice, text = case
    assert choices.is_valid(choice)
    target = build_target(choice.tab, choice.module, choice.section)
    assert parse_in_app(target, registry).ok
    text = link_text(text) or choices.default_text(choice)
    if not text.strip():
        return  # a title of white space only: the dialog asks for text
    link = the_link(build_link(text, target))
    assert link.target == target
    assert parse_in_app(link.target, registry).ok


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(str.strip))
def test_any_text_stays_one_link(text):
    markdown = build_link(link_text(text) or "x", "?tab=modules&module=sleep")
    assert the_link(markdown).target == "?tab=modules&module=sleep"
