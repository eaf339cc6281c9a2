"""Nothing remote is ever fetched: the HTML renderer, `malone-editor render` and the editor's live
preview, against a local server on 127.0.0.1 that records every request it gets."""
from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import ROOT, entry_text  # noqa: E402
from linkserver import LinkServer  # noqa: E402


def hostile_body(base: str) -> str:
    """Every way Markdown or raw HTML could ask a renderer to load something, all aimed at ``base``."""
    return f"""\
### Q: Is this safe?

A: It should be. ![chart]({base}/md-image.png) and ![ref][pic]

[pic]: {base}/ref-image.png

<img src="{base}/raw-img.png" onerror="fetch('{base}/onerror')">

<link rel="stylesheet" href="{base}/style.css">

<iframe src="{base}/frame.html"></iframe>

<style>@import url("{base}/import.css"); body {{ background: url({base}/style-bg.png) }}</style>

<p style="background-image: url({base}/inline-bg.png)">styled</p>

<object data="{base}/object.swf"></object> <embed src="{base}/embed.swf"> <video src="{base}/video.mp4"></video>

<audio src="{base}/audio.mp3"></audio> <source src="{base}/source.mp4"> <script src="{base}/script.js"></script>

<svg><image href="{base}/svg-image.png"/></svg> <base href="{base}/base/">
<meta http-equiv="refresh" content="0;url={base}/refresh">

<a href="{base}/plain-link">a plain web link</a> and [a Markdown link]({base}/md-link)
"""


#: raw HTML that a renderer without escaping would load from; the preview widget must refuse all of it
RAW_PAGE = """\
<html><head><link rel="stylesheet" href="{base}/style.css"><style>@import url("{base}/import.css");</style></head>
<body style="background-image: url({base}/body-bg.png)"><img src="{base}/raw-img.png">
<p style="background-image: url({base}/inline-bg.png)">x</p><iframe src="{base}/frame.html"></iframe>
<img src="file://{local}"><table background="{base}/table-bg.png"><tr><td>t</td></tr></table></body></html>
"""


@pytest.fixture
def server():
    with LinkServer() as running:
        yield running


def test_rendered_html_loads_nothing(server):
    from editor.render.html import RenderOptions, html_document, render_body

    body = render_body(hostile_body(server.base), RenderOptions(anchors=True))
    page = html_document(body, "Is this safe?")
    for tag in ("img", "link", "iframe", "style", "object", "embed", "video", "audio", "source", "script", "svg",
                "base", "meta"):
        assert not re.search(f"<{tag}[\\s>]", body, re.IGNORECASE), tag
    assert not re.search(r"<[a-z][^>]*\s(src|style|background|data)=", body, re.IGNORECASE)  # as text, escaped, it is fine
    head = page.split("<body>")[0]
    assert "default-src 'none'" in head and "img-src 'none'" in head and server.base not in head
    # only the two links stay links, and a link is inert until a person clicks it and agrees
    assert sorted(re.findall(r'href="([^"]+)"', page)) == [f"{server.base}/md-link"]
    assert server.requests == []


def test_render_command_fetches_nothing(server, tmp_path):
    from conftest import RepoBuilder
    from test_cli import run_cli

    repo = RepoBuilder(tmp_path / "content")
    path = repo.entry("sleep/hostile.md", entry_text(hostile_body(server.base)))
    for args in ((path,), (path, "--fragment")):
        result = run_cli("render", *args)
        assert result.returncode == 0, result.stderr
        assert "Is this safe?" in result.stdout
        assert not re.search(r"<(img|link|iframe|object|embed|video|audio|source|script)[\s>]", result.stdout, re.IGNORECASE)
    assert server.requests == []


def test_preview_widget_refuses_every_resource(qtbot, server, tmp_path):
    """Defence in depth: even raw HTML handed straight to the preview widget loads nothing, neither
    from the network nor from a local file."""
    from editor.ui.preview import PreviewBrowser

    secret = tmp_path / "secret.png"
    secret.write_bytes((ROOT / "docs" / "screenshot.png").read_bytes())
    browser = PreviewBrowser()
    qtbot.addWidget(browser)
    browser.resize(400, 600)
    browser.show()
    browser.setHtml(RAW_PAGE.format(base=server.base, local=secret))
    qtbot.waitUntil(lambda: browser.document().size().height() > 0)
    browser.viewport().repaint()  # layout and painting ask for every image
    asked = set(browser.refused)
    assert {f"{server.base}/raw-img.png", f"{server.base}/inline-bg.png", f"{server.base}/table-bg.png"} <= asked
    assert f"file://{secret}" in asked
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    for url in asked:  # what the page holds for each is the blank answer, never the file's picture
        held = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        assert not isinstance(held, QImage) or (held.width(), held.height()) == (1, 1), url
    assert server.requests == []


def test_live_preview_in_the_editor_fetches_nothing(qtbot, server, tmp_path, monkeypatch):
    import shutil

    from test_ui import make_window, open_and_wait, type_at_end

    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    library = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", library)
    (library / "entries/sleep/hostile.md").write_text(entry_text(hostile_body(server.base)), encoding="utf-8")
    window = make_window(qtbot, library)
    try:
        open_and_wait(qtbot, window, "entries/sleep/hostile.md")
        qtbot.waitUntil(lambda: "a plain web link" in window.preview.browser.toPlainText(), timeout=10000)
        type_at_end(qtbot, window, f"\n![typed]({server.base}/typed.png) <img src=\"{server.base}/typed-raw.png\">\n")
        qtbot.waitUntil(lambda: "typed-raw.png" in window.preview.browser.toPlainText(), timeout=10000)
        window.preview.browser.viewport().repaint()
        assert not any(server.base in url for url in window.preview.browser.refused)  # not even asked for
        assert server.requests == []
    finally:
        window.session.discard_changes()
        window.close()
        window.session.tasks.wait(10000)
