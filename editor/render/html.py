"""Entry to HTML, looking like the app: the question as a title, the answer, in-app links as
buttons named after their real destination, web links with their domain.

It renders the document model (``editor.content.markdown``): the same parse, and each link's
target as the checks read it, so a link the checks call broken is struck through here and one
they pass is not.

Safe by construction: raw HTML is shown as text, as the app shows it (comments, which are notes
for writers, are not shown); a link with an unsafe target (``javascript:``, ``vbscript:``,
``file:``, ``data:``) is shown as its text, not a link; and images become a labelled placeholder,
so nothing remote is ever fetched.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from editor.content.config import Registry
from editor.content.entry import Entry
from editor.content.links import host_of, is_in_app, parse_in_app
from editor.render.style import APP_CSS

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass
class RenderOptions:
    registry: Registry | None = None
    app_name: str = "Malone"
    line_offset: int = 1  # file line of the body's first line, for data-line attributes
    anchors: bool = False  # add <a name="L12"></a> before each top-level block (scroll sync in the preview)


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    """The renderer of the project's parser, with the app's links, images and raw HTML."""
    from editor.content.positions import parser

    md = parser()  # first: it imports markdown-it whole, one thread at a time
    from markdown_it.renderer import RendererHTML

    renderer = RendererHTML(md)
    for name, rule in (("link_open", _link_open), ("link_close", _link_close), ("image", _image),
                       ("html_inline", _raw_html), ("html_block", _raw_html)):
        renderer.rules[name] = rule.__get__(renderer)
    for name in ("text_special", "definition"):
        renderer.rules[name] = md.renderer.rules[name]
    return renderer


def _raw_html(self, tokens, idx, options, env):
    content = tokens[idx].content
    if _ONLY_COMMENTS.fullmatch(content):
        return ""  # notes for writers
    shown = html.escape(_COMMENTS.sub("", content))
    return f"<p>{shown}</p>\n" if tokens[idx].type == "html_block" else shown


_COMMENTS = re.compile(r"<!--(?:(?!-->).)*-->", re.S)
_ONLY_COMMENTS = re.compile(r"\s*(?:<!--(?:(?!-->).)*-->\s*)+", re.S)
_UNSAFE = ("javascript:", "vbscript:", "file:", "data:")


def _attrs_with_line(token, env) -> None:
    if token.map is not None and token.nesting in (0, 1) and token.level == 0 and token.type != "inline":
        token.attrSet("data-line", str(env["options"].line_offset + token.map[0]))


def _with_anchors(html_text: str) -> str:
    """Qt's rich text ignores data attributes; named anchors let the preview scroll to a line."""
    return re.sub(r'<(\w+)([^>]*?) data-line="(\d+)"', lambda m: f'<a name="L{m.group(3)}"></a><{m.group(1)}{m.group(2)}',
                  html_text)


def _link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    link = token.meta.get("link")
    href = (link.target if link is not None else token.attrGet("href") or "").strip()
    stack = env.setdefault("link_stack", [])
    if re.sub(r"[\s\x00-\x1f]", "", href).lower().startswith(_UNSAFE):
        stack.append(("blocked", "", False))
        return '<span class="blocked-link" title="not a link: unsafe target">'
    if is_in_app(href):
        target = parse_in_app(href, env["options"].registry)
        label = destination_label(target, env["options"].registry)
        stack.append(("app", label, target.ok))
        cls = "app-link" if target.ok else "app-link broken"
        pad = "&#160;" if target.ok else ""  # a button's inner margin: Qt's rich text has no padding inline
        return f'<a class="{cls}" href="app:{html.escape(href, quote=True)}" title="{html.escape(label, quote=True)}">{pad}'
    stack.append(("web", host_of(href), True))
    return f'<a class="web-link" href="{html.escape(href, quote=True)}">'


def _link_close(self, tokens, idx, options, env):
    kind, label, ok = env.get("link_stack", [("web", "", True)]).pop() if env.get("link_stack") else ("web", "", True)
    if kind == "blocked":
        return "</span>"
    if kind == "app":
        if ok:  # one button: the writer's words and where it leads, named as the app names it
            return f'<span class="app-target"> ({html.escape(label)})&#160;</span></a>'
        return f'</a><span class="app-target broken"> (broken link: {html.escape(label)})</span>'
    return f'</a><span class="domain"> ({html.escape(label)})</span>' if label else "</a>"


def _image(self, tokens, idx, options, env):
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    link = token.meta.get("link")
    src = link.target if link is not None else token.attrGet("src") or ""
    where = host_of(src) or "local file"
    return f'<span class="image-placeholder">[image: {html.escape(alt or "no description")} \u2014 {html.escape(where)}]</span>'


def destination_label(target, registry: Registry | None) -> str:
    """What an in-app link opens, named as the app names it, or why it is broken."""
    if not target.ok:
        return target.problems[0].message
    if target.module:
        module = registry.modules.get(target.module) if registry is not None else None
        title = module.title if module else target.module
        if target.section:
            return f"{title} \u203a {target.section.replace('-', ' ').capitalize()}"
        return title
    return f"{(target.tab or '').capitalize()} tab"


def render_body(body: str, options: RenderOptions) -> str:
    from editor.content.markdown import parse_body

    renderer = _renderer()
    env = {"options": options}
    tokens = parse_body(body).tokens  # a parse of its own: the prefixes are taken off its tokens
    _strip_prefixes(tokens)
    for token in tokens:
        _attrs_with_line(token, env)
    from editor.content.positions import parser

    rendered = renderer.render(tokens, parser().options, env)
    return _with_anchors(rendered) if options.anchors else rendered


def _strip_prefixes(tokens) -> None:
    """Show the question and answer as the app does: without the 'Q:' and 'A:' markers."""
    seen_question = False
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0:
            continue
        opener = tokens[index - 1]
        if opener.type == "heading_open" and not seen_question and token.content.lstrip().startswith("Q:"):
            _strip_first_text(token, "Q:")
            opener.attrSet("class", "question")
            seen_question = True
        elif opener.type == "paragraph_open" and seen_question:
            if token.content.lstrip().startswith("A:"):
                _strip_first_text(token, "A:")
            opener.attrSet("class", "answer-lead")
            return


def _strip_first_text(token, prefix: str) -> None:
    for child in token.children or []:
        if child.type == "text":
            stripped = child.content.lstrip()
            if stripped.startswith(prefix):
                child.content = stripped[len(prefix):].lstrip()
            return


def render_entry(entry: Entry, registry: Registry | None = None, app_name: str = "Malone") -> str:
    return render_body(entry.body, RenderOptions(registry, app_name, entry.body_first_line))


def html_document(body_html: str, title: str, app_name: str = "Malone") -> str:
    """A standalone page: no scripts, no remote resources, a content security policy that forbids both."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} \u2014 {html.escape(app_name)}</title>
<style>{APP_CSS}</style>
</head>
<body>
<div class="phone">
<div class="app-bar">{html.escape(app_name)}</div>
<article class="entry">
{body_html}</article>
</div>
</body>
</html>
"""
