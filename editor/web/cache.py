"""The link cache: healthy answers are reused for a while (a day by default), so a second run
sends no request for links that worked. Broken ones are always asked again: they may be fixed.

Answers are kept under the address requested (``request_url``), so every spelling of one address
(``/café``, ``/caf%C3%A9``, ``/café#part``) shares one; each is handed out under the name asked for.
For a plain ASCII address without a fragment that is the address itself, as in caches written before."""
from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from editor.content.atomic import write_atomically
from editor.resources import user_cache_dir
from editor.web.address import request_url
from editor.web.fetch import LinkStatus

DEFAULT_TTL = 24 * 3600.0


def default_cache_dir() -> Path:
    return user_cache_dir()


class LinkCache:
    def __init__(self, folder: Path | None, ttl: float = DEFAULT_TTL):
        self.file = (folder or default_cache_dir()) / "links.json"
        self.ttl = ttl
        self.entries: dict[str, dict] = {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == 1:
                self.entries = data.get("links", {})
        except (OSError, ValueError):
            self.entries = {}  # no cache yet, or a damaged one: start afresh

    def get(self, url: str) -> LinkStatus | None:
        entry = self.entries.get(_key(url))
        if not entry or time.time() - entry.get("checked_at", 0) > self.ttl:
            return None
        try:
            status = LinkStatus(**entry)
        except TypeError:
            return None
        if not status.healthy:
            return None
        return status if status.url == url else replace(status, url=url)

    def put(self, status: LinkStatus) -> None:
        self.entries[_key(status.url)] = status.to_json()

    def save(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        now = time.time()
        fresh = {url: e for url, e in self.entries.items() if now - e.get("checked_at", 0) <= self.ttl}
        write_atomically(self.file, json.dumps({"version": 1, "links": fresh}).encode("utf-8"), durable=False)


def _key(url: str) -> str:
    return request_url(url) or url
