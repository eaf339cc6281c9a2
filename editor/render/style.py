"""The preview's look: calm, app-like, readable at phone width."""

APP_CSS = """
body { margin: 0; background: #eef1f4; font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #24313d; }
.phone { max-width: 390px; margin: 16px auto; background: #fffdf9; border-radius: 18px; overflow: hidden;
         box-shadow: 0 2px 12px rgba(0,0,0,0.12); }
.app-bar { background: #5b7f95; color: #fff; padding: 12px 18px; font-weight: 600; letter-spacing: 0.02em; }
.entry { padding: 8px 20px 24px; line-height: 1.55; font-size: 16px; }
h1, h2, h3, h4 { color: #2f4a5c; line-height: 1.3; }
h3 { font-size: 17px; margin: 20px 0 6px; }
.question { font-size: 21px; color: #253d4d; margin: 14px 0 10px; }
.answer-lead { font-size: 16.5px; }
a.web-link { color: #2a6f97; }
.domain { color: #6b7b88; font-size: 13px; }
a.app-link { display: inline-block; background: #e6f0ec; color: #1f5c45; border: 1px solid #a9cbbd;
             border-radius: 16px; padding: 2px 12px; text-decoration: none; font-weight: 600; }
a.app-link.broken { background: #fdeaea; color: #9b1c1c; border-color: #e3a0a0; text-decoration: line-through; }
.app-target { color: #4d6b5e; font-size: 13px; }
.app-target.broken { color: #9b1c1c; font-weight: 600; }
.image-placeholder { display: inline-block; background: #f1f1f1; color: #555; padding: 4px 8px; border-radius: 6px;
                     font-size: 13px; }
blockquote { border-left: 3px solid #c9d6df; margin: 8px 0; padding: 2px 12px; color: #44535f; }
code { background: #f3f3f3; padding: 1px 4px; border-radius: 4px; }
"""
