"""The places an in-app link may lead, from modules.yaml, and the link text for a choice.

The Insert Link dialog and the completion after ``](?`` offer only what is listed here, and every
target listed here is checked with ``parse_in_app`` against the same registry before it is offered:
a tab, module or section that modules.yaml names but no link could reach (a slug with a space or an
``&`` in it, a module when there is no ``modules`` tab) is left out. So a link built from a choice
is always one the module-link check accepts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from editor.content.config import Registry
from editor.content.links import parse_in_app

MODULES_TAB = "modules"
# what may stand in a link destination as typed, unescaped and unencoded, and reach the app as typed
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9._~-]+$")
_ESCAPED = re.compile(r"([\\\[\]`<])")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LinkChoice:
    """A place in the app: a tab, a module of the modules tab, or a section of a module."""

    tab: str
    module: str | None = None
    section: str | None = None

    @property
    def target(self) -> str:
        return build_target(self.tab, self.module, self.section)


@dataclass(frozen=True)
class ModuleChoice:
    slug: str
    title: str
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Offer:
    """One completion: what the writer reads, what is matched as they type, and the choice."""

    label: str
    keywords: str
    choice: LinkChoice

    @property
    def target(self) -> str:
        return self.choice.target


def build_target(tab: str, module: str | None = None, section: str | None = None) -> str:
    """``?tab=TAB``, ``?tab=TAB&module=SLUG`` or ``?tab=TAB&module=SLUG&section=ID``."""
    target = f"?tab={tab}"
    if module is not None:
        target += f"&module={module}"
        if section is not None:
            target += f"&section={section}"
    return target


def _reachable(registry: Registry, target: str, *values: str) -> bool:
    return all(_SAFE_VALUE.match(v) for v in values) and parse_in_app(target, registry).ok


class LinkChoices:
    """The valid targets of one registry: its tabs, its modules (by title) and their sections."""

    def __init__(self, registry: Registry | None):
        self.registry = registry or Registry()
        registry = self.registry
        self.tabs: list[str] = [t for t in dict.fromkeys(registry.tabs) if _reachable(registry, build_target(t), t)]
        self.modules: list[ModuleChoice] = []
        if MODULES_TAB in self.tabs:
            for slug, module in registry.modules.items():
                if not _reachable(registry, build_target(MODULES_TAB, slug), slug):
                    continue
                sections = tuple(s for s in dict.fromkeys(module.sections)
                                 if _reachable(registry, build_target(MODULES_TAB, slug, s), s))
                title = _SPACE.sub(" ", module.title).strip() or slug
                self.modules.append(ModuleChoice(slug, title, sections))
        self._by_slug = {m.slug: m for m in self.modules}

    def module(self, slug: str | None) -> ModuleChoice | None:
        return self._by_slug.get(slug) if slug is not None else None

    def is_valid(self, choice: LinkChoice) -> bool:
        """Whether ``choice`` is one of the targets offered here (and so a valid link)."""
        if choice.tab not in self.tabs:
            return False
        if choice.module is None:
            return choice.section is None
        module = self.module(choice.module)
        if choice.tab != MODULES_TAB or module is None:
            return False
        return choice.section is None or choice.section in module.sections

    def search(self, query: str) -> list[ModuleChoice]:
        """Modules whose title (or slug) contains every word of ``query``, case ignored; titles that
        start with the query first, then those with a word that does, then the rest, each in the
        order of modules.yaml."""
        words = query.lower().split()
        if not words:
            return list(self.modules)
        found = []
        for number, module in enumerate(self.modules):
            haystack = f"{module.title} {module.slug}".lower()
            if not all(w in haystack for w in words):
                continue
            title = module.title.lower()
            if title.startswith(query.strip().lower()):
                rank = 0
            elif any(part.startswith(words[0]) for part in re.split(r"[\s\-]+", haystack)):
                rank = 1
            else:
                rank = 2
            found.append((rank, number, module))
        return [module for _, _, module in sorted(found, key=lambda item: item[:2])]

    def offers(self) -> list[Offer]:
        """Every valid target, for completion: modules by title (each followed by its sections),
        then the tabs."""
        offers = []
        for module in self.modules:
            choice = LinkChoice(MODULES_TAB, module.slug)
            offers.append(Offer(f"{module.title}  \u2014  {choice.target[1:]}",
                                f"{module.title} {module.slug} {choice.target[1:]}", choice))
            for section in module.sections:
                choice = LinkChoice(MODULES_TAB, module.slug, section)
                offers.append(Offer(f"{module.title} \u203a {humanise(section)}  \u2014  {choice.target[1:]}",
                                    f"{module.title} {humanise(section)} {module.slug} {section} {choice.target[1:]}",
                                    choice))
        for tab in self.tabs:
            choice = LinkChoice(tab)
            offers.append(Offer(f"{humanise(tab)} tab  \u2014  {choice.target[1:]}",
                                f"{humanise(tab)} tab {choice.target[1:]}", choice))
        return offers

    def default_text(self, choice: LinkChoice) -> str:
        """The link text when the writer gives none: the module's title, else the tab's name."""
        module = self.module(choice.module)
        return module.title if module is not None else humanise(choice.tab)


def humanise(slug: str) -> str:
    """``rest-tips`` -> ``Rest tips``."""
    words = slug.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def link_text(selection: str) -> str:
    """The text of a link from a selection: an existing link's text when a whole link is selected
    (to retarget it), white space (line breaks too) as single spaces."""
    text = selection.replace("\u2029", "\n").replace("\u2028", "\n")
    whole = _single_link(text.strip())
    if whole is not None:
        text = whole
    return _SPACE.sub(" ", text).strip()


def build_link(text: str, target: str) -> str:
    """``[text](target)``; the text as given when Markdown reads it as exactly that one link, else
    with the characters that could end or hide the brackets escaped."""
    text = _SPACE.sub(" ", text).strip()
    link = f"[{text}]({target})"
    if _single_link(link, target) is None:
        escaped = _ESCAPED.sub(r"\\\1", text)
        link = f"[{escaped}]({target})"
    return link


def _single_link(markdown: str, target: str | None = None) -> str | None:
    """The link text as written when ``markdown`` is one inline link and nothing else (to
    ``target`` when given), else None."""
    if not markdown.startswith("[") or not markdown.endswith(")"):
        return None
    from editor.content.markdown import parse_body  # markdown-it is loaded when a link is built

    links = parse_body(markdown).links
    if len(links) != 1:
        return None
    link = links[0]
    if link.kind != "inline" or link.span != (0, len(markdown)) or (target is not None and link.target != target):
        return None
    start, end = link.text_span
    return markdown[start:end]
