"""The preview's look: calm, app-like, readable at phone width.

``APP_CSS`` styles the standalone page (``malone-editor render``, a real browser); ``preview_css``
the editor's preview, a QTextBrowser, which understands a subset of CSS (no border-radius, no
padding on inline elements, no font-size on headings, which the preview therefore draws as
paragraphs of class ``h1``...``h6``). Both use the app's one type scale, ``TYPE_SCALE``, made
larger by ``LARGE_TEXT`` for readers who set large text on their phone.
"""
from __future__ import annotations

from dataclasses import dataclass

#: the app's type scale, in px: body and lead of one family, the question and headings a step up
TYPE_SCALE = {"body": 16, "lead": 18, "question": 20, "heading": 18, "small": 13}
LINE_HEIGHT = 1.45
LARGE_TEXT = 1.3  # the app's large-text setting scales every size by this

LIGHT = {"page": "#fffdf9", "text": "#24313d", "heading": "#2f4a5c", "question": "#253d4d", "muted": "#6b7b88",
         "web": "#2a6f97", "button": "#2f7d5b", "button_text": "#ffffff", "button_note": "#dcefe6",
         "broken_bg": "#fdeaea", "broken": "#9b1c1c", "placeholder_bg": "#f1f1f1", "placeholder": "#555555",
         "code_bg": "#f3f3f3", "quote": "#44535f", "bar": "#5b7f95", "bar_text": "#ffffff", "desk": "#e3e8ec",
         "bezel": "#1f262d"}
DARK = {"page": "#14191e", "text": "#e3e8ec", "heading": "#c9d9e4", "question": "#e8f0f5", "muted": "#98a6b1",
        "web": "#7cc0e8", "button": "#3f9a73", "button_text": "#ffffff", "button_note": "#d6efe3",
        "broken_bg": "#4a1f22", "broken": "#ffb4b4", "placeholder_bg": "#262d33", "placeholder": "#c0c8ce",
        "code_bg": "#242b31", "quote": "#b5c1ca", "bar": "#2d4250", "bar_text": "#e8f0f5", "desk": "#2a3036",
        "bezel": "#05070a"}


@dataclass(frozen=True)
class PreviewLook:
    """How the app is set on the reader's phone: large text or not, dark or light."""
    large: bool = False
    dark: bool = False

    @property
    def colours(self) -> dict[str, str]:
        return DARK if self.dark else LIGHT

    def size(self, role: str) -> int:
        """A size of the type scale, in px, for this look."""
        return round(TYPE_SCALE[role] * (LARGE_TEXT if self.large else 1))


def preview_css(look: PreviewLook = PreviewLook()) -> str:
    """The preview's stylesheet, in the CSS QTextBrowser understands."""
    c, s = look.colours, look.size
    line = f"line-height: {round(LINE_HEIGHT * 100)}%;"
    heading = f"font-weight: 700; color: {c['heading']}; font-size: {s('heading')}px; line-height: 130%;"
    return f"""
body {{ color: {c['text']}; background-color: {c['page']}; font-size: {s('body')}px; }}
td.page {{ color: {c['text']}; font-size: {s('body')}px; }}
td.app-bar {{ color: {c['bar_text']}; font-size: {s('body')}px; font-weight: 600; }}
p, li, blockquote {{ {line} }}
p.h1, p.h2 {{ {heading} font-size: {s('question')}px; margin-top: 18px; margin-bottom: 6px; }}
p.h3, p.h4, p.h5, p.h6 {{ {heading} margin-top: 16px; margin-bottom: 4px; }}
p.question {{ color: {c['question']}; font-size: {s('question')}px; margin-top: 8px; margin-bottom: 10px; }}
p.answer-lead {{ font-size: {s('lead')}px; }}
a.web-link {{ color: {c['web']}; }}
span.domain {{ color: {c['muted']}; font-size: {s('small')}px; }}
a.app-link {{ background-color: {c['button']}; color: {c['button_text']}; font-weight: 600; text-decoration: none; }}
span.app-target {{ background-color: {c['button']}; color: {c['button_note']}; font-weight: 400; }}
a.broken {{ background-color: {c['broken_bg']}; color: {c['broken']}; text-decoration: line-through; }}
span.broken {{ background-color: {c['page']}; color: {c['broken']}; font-weight: 600; font-size: {s('small')}px; }}
span.image-placeholder {{ background-color: {c['placeholder_bg']}; color: {c['placeholder']}; font-size: {s('small')}px; }}
blockquote {{ color: {c['quote']}; }}
code {{ background-color: {c['code_bg']}; }}
"""


APP_CSS = f"""
body {{ margin: 0; background: #eef1f4; font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #24313d; }}
.phone {{ max-width: 390px; margin: 16px auto; background: #fffdf9; border-radius: 18px; overflow: hidden;
         box-shadow: 0 2px 12px rgba(0,0,0,0.12); }}
.app-bar {{ background: #5b7f95; color: #fff; padding: 12px 18px; font-weight: 600; letter-spacing: 0.02em; }}
.entry {{ padding: 8px 20px 24px; line-height: {LINE_HEIGHT}; font-size: {TYPE_SCALE['body']}px; }}
h1, h2, h3, h4 {{ color: #2f4a5c; line-height: 1.3; }}
h1, h2 {{ font-size: {TYPE_SCALE['question']}px; }}
h3, h4 {{ font-size: {TYPE_SCALE['heading']}px; margin: 20px 0 6px; }}
.question {{ font-size: {TYPE_SCALE['question']}px; color: #253d4d; margin: 14px 0 10px; }}
.answer-lead {{ font-size: {TYPE_SCALE['lead']}px; }}
a.web-link {{ color: #2a6f97; }}
.domain {{ color: #6b7b88; font-size: {TYPE_SCALE['small']}px; }}
a.app-link {{ display: inline-block; background: #2f7d5b; color: #fff; border-radius: 18px; padding: 4px 14px;
             text-decoration: none; font-weight: 600; }}
a.app-link .app-target {{ color: #dcefe6; font-weight: 400; }}
a.app-link.broken {{ background: #fdeaea; color: #9b1c1c; border: 1px solid #e3a0a0; text-decoration: line-through; }}
.app-target.broken {{ color: #9b1c1c; font-weight: 600; font-size: {TYPE_SCALE['small']}px; }}
.image-placeholder {{ display: inline-block; background: #f1f1f1; color: #555; padding: 4px 8px; border-radius: 6px;
                     font-size: {TYPE_SCALE['small']}px; }}
blockquote {{ border-left: 3px solid #c9d6df; margin: 8px 0; padding: 2px 12px; color: #44535f; }}
code {{ background: #f3f3f3; padding: 1px 4px; border-radius: 4px; }}
"""
