"""The preview page's HTML looks like the app (issue 16, item 7), checked without a window: one
type scale, headings the rich-text widget will size, in-app links as one button named after the
module, large text and dark, and still inert."""
from __future__ import annotations

import re

from editor.content.config import Module, Registry
from editor.render.style import APP_CSS, LARGE_TEXT, TYPE_SCALE, PreviewLook, preview_css
from editor.ui.preview import render_for_preview

REGISTRY = Registry(["home", "modules", "journal"],
                    {"self-care": Module("self-care", "Self-Care", ["small-moments"])})
TEXT = ("---\nid: x\n---\n### Q: How can I rest?\n\nA: Little and often.\n\nMore words here.\n\n### Later\n\n"
        "[Tap here](?tab=modules&module=self-care&section=small-moments) or [Journal](?tab=journal) or "
        "[bad](?tab=modules&module=nope).\n")


def page(look=PreviewLook()):
    return render_for_preview(TEXT, "entries/x.md", REGISTRY, "Malone", look)[0]


def _px(css: str, selector: str) -> int:
    rule = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", css).group(1)
    return int(re.findall(r"font-size: (\d+)px", rule)[-1])


def test_one_type_scale_body_lead_and_headings():
    assert TYPE_SCALE["body"] == 16 and TYPE_SCALE["lead"] == 18 and TYPE_SCALE["question"] == 20
    css = preview_css()
    assert _px(css, "td.page") == 16 and _px(css, "p.answer-lead") == 18
    assert _px(css, "p.question") == 20 and _px(css, "p.h3") == 18
    assert "line-height: 145%" in css
    assert "font-size: 16px" in APP_CSS and "font-size: 18px" in APP_CSS and "line-height: 1.45" in APP_CSS


def test_headings_are_paragraphs_the_widget_sizes_by_the_stylesheet():
    html = page()
    assert "<h3" not in html and "</h3>" not in html
    assert '<p class="h3 question">How can I rest?</p>' in html and '<p class="h3">Later</p>' in html
    assert '<p class="answer-lead">Little and often.</p>' in html


def test_in_app_links_are_one_button_with_the_module_title_and_section():
    html = page()
    button = re.search(r'<a class="app-link" href="app:\?tab=modules&amp;module=self-care[^"]*"[^>]*>(.*?)</a>',
                       html).group(1)
    assert "Tap here" in button and '<span class="app-target"> (Self-Care \u203a Small moments)' in button
    assert button.startswith("&#160;") and button.endswith("&#160;</span>")  # the button's inner margins
    assert "(Journal tab)&#160;</span></a>" in html
    css = preview_css()
    assert re.search(r"a\.app-link \{ background-color: #2f7d5b; color: #ffffff;", css)
    assert "span.app-target { background-color: #2f7d5b" in css
    assert "border-radius: 18px" in APP_CSS  # rounded where the page is shown in a real browser


def test_broken_links_keep_their_struck_through_explanation():
    html = page()
    assert ('<a class="app-link broken" href="app:?tab=modules&amp;module=nope" title="No module &#x27;nope&#x27; in '
            'modules.yaml">bad</a><span class="app-target broken"> (broken link: No module') in html
    assert "text-decoration: line-through" in preview_css().split("a.broken")[1].split("}")[0]


def test_large_text_scales_every_size():
    large = preview_css(PreviewLook(large=True))
    for selector, role in (("td.page", "body"), ("p.answer-lead", "lead"), ("p.question", "question"),
                           ("p.h3", "heading"), ("span.domain", "small")):
        assert _px(large, selector) == round(TYPE_SCALE[role] * LARGE_TEXT)
    assert "font-size: 21px" in page(PreviewLook(large=True))


def test_dark_is_light_text_on_a_dark_page():
    light, dark = page(), page(PreviewLook(dark=True))
    assert 'bgcolor="#fffdf9"' in light and 'bgcolor="#14191e"' in dark and "#fffdf9" not in dark
    assert "td.page { color: #e3e8ec;" in dark


def test_the_page_is_still_inert():
    for look in (PreviewLook(), PreviewLook(True, True)):
        html = page(look)
        assert "<script" not in html and "<img" not in html and "url(" not in html and "@import" not in html
        assert "http" not in html
