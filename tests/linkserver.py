"""A local web server for link tests: every behaviour a link checker meets, on 127.0.0.1 only."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, code: int, headers: dict | None = None, body: bytes = b"") -> None:
        self._leave()  # no longer in flight once the answer goes out: the client may ask again at once
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> None:
        server = self.server
        path = self.path.split("?")[0]
        with server.lock:
            server.requests.append((self.command, path, self.headers.get("User-Agent", "")))
            server.counts[path] = server.counts.get(path, 0) + 1
            count = server.counts[path]
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        self._in = True
        try:
            return self._answer(path, count)
        finally:
            self._leave()

    def _leave(self) -> None:
        if getattr(self, "_in", False):
            self._in = False
            with self.server.lock:
                self.server.in_flight -= 1

    def _answer(self, path: str, count: int) -> None:
        server = self.server
        if server.latency:
            server.closing.wait(server.latency)  # simulated latency; ends at once when the server stops
        if path.startswith("/ok"):
            return self._send(200, {"Content-Type": "text/html"}, b"<p>ok</p>")
        if path == "/moved":
            return self._send(301, {"Location": "/ok-new"})
        if path == "/found":
            return self._send(302, {"Location": "/ok"})
        if path == "/loop-a":
            return self._send(302, {"Location": "/loop-b"})
        if path == "/loop-b":
            return self._send(302, {"Location": "/loop-a"})
        if path.startswith("/chain"):
            step = int(path[6:] or 0)
            return self._send(302, {"Location": f"/chain{step + 1}"})
        if path == "/missing":
            return self._send(404)
        if path == "/gone":
            return self._send(410)
        if path == "/busy":  # 429 twice, then fine
            return self._send(429, {"Retry-After": "0"}) if count <= 2 else self._send(200)
        if path == "/unavailable":
            return self._send(503, {"Retry-After": "0"}) if count <= 1 else self._send(200)
        if path == "/error":
            return self._send(500)
        if path == "/forbidden":
            return self._send(403)
        if path == "/challenge":
            return self._send(403, {"Content-Type": "text/html"}, b"<title>Just a moment...</title>")
        if path == "/no-head":
            return self._send(405) if self.command == "HEAD" else self._send(200)
        if path == "/slow":
            server.closing.wait(server.slow_seconds)
            return self._send(200)
        if path == "/drop":
            self.connection.close()
            self.close_connection = True
            return None
        return self._send(404)

    do_GET = _route
    do_HEAD = _route


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog of 5 drops bursts of connections


class LinkServer:
    def __init__(self, host: str = "127.0.0.1", latency: float = 0.0, slow_seconds: float = 2.0):
        self.httpd = _Server((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.lock = threading.Lock()
        self.httpd.requests = []
        self.httpd.counts = {}
        self.httpd.closing = threading.Event()
        self.httpd.in_flight = 0
        self.httpd.most_in_flight = 0
        self.httpd.latency = latency
        self.httpd.slow_seconds = slow_seconds
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        return self.httpd.requests

    def __enter__(self) -> "LinkServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
