"""Check many web addresses at once: each distinct address once per run, a bounded number of
requests overall and per host, answers from the cache where they are fresh."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import urlsplit

from editor.web.cache import LinkCache
from editor.web.fetch import LinkStatus, Options, check_url

OVERALL = 48  # requests in flight at once, all hosts together
PER_HOST = 6  # and to any one host, to be polite


class LinkChecker:
    def __init__(self, options: Options | None = None, cache: LinkCache | None = None, overall: int = OVERALL,
                 per_host: int = PER_HOST):
        self.options = options or Options()
        self.cache = cache
        self.overall = overall
        self.per_host = per_host
        self._host_locks: dict[str, threading.BoundedSemaphore] = {}
        self._guard = threading.Lock()
        self.requested: list[str] = []  # addresses actually fetched this run (not from the cache)

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            if host not in self._host_locks:
                self._host_locks[host] = threading.BoundedSemaphore(self.per_host)
            return self._host_locks[host]

    def _check(self, url: str) -> LinkStatus:
        with self._host_slot(url):
            with self._guard:
                self.requested.append(url)
            return check_url(url, self.options)

    def check(self, urls: Iterable[str], progress: Callable[[int, int], None] | None = None) -> dict[str, LinkStatus]:
        distinct = list(dict.fromkeys(urls))
        results: dict[str, LinkStatus] = {}
        to_fetch = []
        for url in distinct:
            cached = self.cache.get(url) if self.cache is not None else None
            if cached is not None:
                results[url] = cached
            else:
                to_fetch.append(url)
        done = len(results)
        if progress is not None:
            progress(done, len(distinct))
        if to_fetch:
            with ThreadPoolExecutor(max_workers=min(self.overall, len(to_fetch))) as pool:
                futures = {pool.submit(self._check, url): url for url in to_fetch}
                for future in as_completed(futures):
                    status = future.result()
                    results[status.url] = status
                    if self.cache is not None:
                        self.cache.put(status)
                    done += 1
                    if progress is not None:
                        progress(done, len(distinct))
        if self.cache is not None:
            self.cache.save()
        return results
