"""Link checking at scale: 500 distinct healthy addresses on local servers that answer after
100 ms, checked one at a time (the baseline) and then as `check --online` does; then a second run
within the cache's lifetime, which must send no request.

    python -m benchmarks.links
"""
from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from linkserver import LinkServer  # noqa: E402

from editor.web.cache import LinkCache  # noqa: E402
from editor.web.checker import LinkChecker  # noqa: E402
from editor.web.fetch import Options  # noqa: E402

HOSTS = 10  # 127.0.0.1 to 127.0.0.10: every one is this machine's loopback
PER_HOST = 50


def _serve(bases, counts, stop) -> None:
    """In a process of its own, as a real web server would be: the client's threads do not
    compete with the server's for one interpreter."""
    servers = [LinkServer(f"127.0.0.{n}", latency=0.1) for n in range(1, HOSTS + 1)]
    for server in servers:
        server.__enter__()
    bases.extend([server.base for server in servers])
    while not stop.wait(0.05):
        counts.value = sum(len(server.requests) for server in servers)
    for server in servers:
        server.__exit__(None, None, None)


def main() -> None:
    manager = multiprocessing.Manager()
    bases, counts, stop = manager.list(), manager.Value("i", 0), manager.Event()
    process = multiprocessing.Process(target=_serve, args=(bases, counts, stop), daemon=True)
    process.start()
    while len(bases) < HOSTS:
        time.sleep(0.05)
    try:
        urls = [f"{base}/ok{i}" for base in bases for i in range(PER_HOST)]
        options = Options(timeout=5.0)
        start = time.perf_counter()
        LinkChecker(options, None, overall=1, per_host=1).check(urls)
        one_at_a_time = time.perf_counter() - start
        cache_dir = Path(tempfile.mkdtemp(prefix="malone-links-"))
        start = time.perf_counter()
        results = LinkChecker(options, LinkCache(cache_dir)).check(urls)
        concurrent = time.perf_counter() - start
        assert all(r.state == "ok" for r in results.values())
        time.sleep(0.2)  # let the server's request count settle
        before = counts.value
        start = time.perf_counter()
        again = LinkChecker(options, LinkCache(cache_dir))
        again.check(urls)
        cached = time.perf_counter() - start
        time.sleep(0.2)
        sent = counts.value - before + len(again.requested)
    finally:
        stop.set()
        process.join(5)
    print(f"{'figure':<52}{'value':>9}{'baseline':>11}{'ratio':>8}{'goal':>9}")
    print(f"{'500 healthy URLs, 100 ms latency, concurrent':<52}{concurrent:>8.2f}s{one_at_a_time:>10.2f}s"
          f"{concurrent / one_at_a_time:>8.3f}{'<= 0.1':>9}")
    print(f"{'second run within the TTL: requests sent':<52}{sent:>9}{'':>11}{'':>8}{'0':>9}  ({cached:.2f}s)")


if __name__ == "__main__":
    main()
