"""The preview HTML: app-like, and inert whatever the Markdown says."""
from __future__ import annotations

from editor.content.config import Module, Registry
from editor.render.html import RenderOptions, html_document, render_body

REGISTRY = Registry(["home", "modules", "journal"],
                    {"sleep": Module("sleep", "Sleep and rest", ["night-feeds"])})


def render(body: str) -> str:
    return render_body(body, RenderOptions(REGISTRY, "Malone", 6))


def test_question_and_answer_markers_are_shown_as_the_app_does():
    html = render("### Q: How can I rest?\n\nA: Little and often.\n\nMore.\n")
    assert '<h3 class="question" data-line="6">How can I rest?</h3>' in html
    assert '<p class="answer-lead" data-line="8">Little and often.</p>' in html


def test_in_app_links_are_buttons_named_after_their_destination():
    html = render("[Tap here](?tab=modules&module=sleep&section=night-feeds) and [Journal](?tab=journal)")
    assert '<a class="app-link" href="app:?tab=modules&amp;module=sleep&amp;section=night-feeds"' in html
    assert "(Sleep and rest \u203a Night feeds)" in html and "(Journal tab)" in html


def test_broken_in_app_link_is_plainly_marked():
    html = render("[Tap here](?tab=modules&module=slep)")
    assert 'class="app-link broken"' in html and "broken link: No module &#x27;slep&#x27; in modules.yaml" in html


def test_web_links_show_their_domain():
    html = render("[study](https://pmc.ncbi.nlm.nih.gov/articles/PMC1/)")
    assert '<a class="web-link" href="https://pmc.ncbi.nlm.nih.gov/articles/PMC1/">study</a>' in html
    assert "(pmc.ncbi.nlm.nih.gov)" in html


def test_raw_html_scripts_and_unsafe_links_are_inert():
    html = render('<script>alert(1)</script>\n\n<img src="https://evil.example/x.png" onerror="x()">\n\n'
                  "[a](javascript:alert(1)) [b](data:text/html,hi) [c](file:///etc/passwd) [d](vbscript:x)\n")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    for scheme in ("javascript:", "data:", "file:", "vbscript:"):
        assert f'href="{scheme}' not in html


def test_images_become_placeholders_and_nothing_remote_is_loaded():
    html = render("![A chart of sleep](https://cdn.example.org/chart.png)")
    assert "<img" not in html and "[image: A chart of sleep \u2014 cdn.example.org]" in html
    page = html_document(html, "Title", "Malone")
    assert "img-src 'none'" in page and "<script" not in page and "http" not in page.split("<body>")[0].replace(
        "http-equiv", "")
