"""Check many web addresses at once: each distinct address once per run, a bounded number of
requests overall and per host, answers from the cache where they are fresh.

"Distinct" is by the address requested (``request_url``): ``/café``, ``/caf%C3%A9`` and
``/café#part`` are one request, and each spelling gets the answer under its own name."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import replace
from urllib.parse import urlsplit

from editor.web.address import request_url
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
        self.requested: list[str] = []  # addresses actually fetched this run (not from the cache), as written

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        address = request_url(url)  # the host as asked for (IDNA), or "" for an address check_url refuses
        host = (urlsplit(address).hostname or "") if address is not None else ""
        with self._guard:
            if host not in self._host_locks:
                self._host_locks[host] = threading.BoundedSemaphore(self.per_host)
            return self._host_locks[host]

    def _check(self, url: str) -> LinkStatus:
        with self._host_slot(url):
            with self._guard:
                self.requested.append(url)
            return check_url(url, self.options)

    def check(self, urls: Iterable[str], progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> dict[str, LinkStatus]:
        """The status of each address in ``urls``, keyed and named as written there. When
        ``cancelled()`` (asked every 100 ms) says so, requests not started are dropped, those in
        flight are left to end on their own, and LinkCheckCancelled is raised at once."""
        distinct = list(dict.fromkeys(urls))
        results: dict[str, LinkStatus] = {}
        to_fetch: dict[str, list[str]] = {}  # address requested (or, when none can be, as written) -> spellings
        for url in distinct:
            cached = self.cache.get(url) if self.cache is not None else None
            if cached is not None:
                results[url] = cached
            else:
                to_fetch.setdefault(request_url(url) or url, []).append(url)
        done = len(results)
        if progress is not None:
            progress(done, len(distinct))
        if to_fetch:
            pool = ThreadPoolExecutor(max_workers=min(self.overall, len(to_fetch)))
            finished = False
            try:
                futures = {pool.submit(self._check, spellings[0]): spellings for spellings in to_fetch.values()}
                pending = set(futures)
                while pending:
                    if cancelled is not None and cancelled():
                        raise LinkCheckCancelled(f"cancelled after {done} of {len(distinct)} web addresses")
                    ready, pending = wait(pending, timeout=0.1 if cancelled is not None else None,
                                          return_when=FIRST_COMPLETED)
                    for future in ready:
                        status = future.result()
                        if self.cache is not None:
                            self.cache.put(status)
                        for url in futures[future]:
                            results[url] = status if url == status.url else replace(status, url=url)
                        done += len(futures[future])
                        if progress is not None:
                            progress(done, len(distinct))
                finished = True
            finally:
                pool.shutdown(wait=finished, cancel_futures=not finished)
                if self.cache is not None:
                    self.cache.save()  # what was fetched before a cancel is kept
            return results
        if self.cache is not None:
            self.cache.save()
        return results


class LinkCheckCancelled(Exception):
    """Check Web Links was cancelled."""
