"""A small Language Server Protocol client for the tests: ``malone-editor lsp`` as a process, spoken
to in JSON-RPC with Content-Length framing, written here rather than borrowed from pygls, so the
server is tested against the protocol and not against the library it is built on. Every wait has a
timeout; nothing sleeps."""
from __future__ import annotations

import json
import queue
import subprocess
import threading
import time

from test_cli import cli_command, cli_env

TIMEOUT = 60.0


class ServerGone(AssertionError):
    pass


class Client:
    def __init__(self, cwd=None):
        self.process = subprocess.Popen([*cli_command(), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=cli_env(), cwd=cwd)
        self._incoming: queue.Queue = queue.Queue()
        self.inbox: list[dict] = []  # what arrived and was not yet taken by a wait
        self.seen: list[dict] = []  # everything that arrived, in order
        self.stderr = b""
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        self._stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_reader.start()

    # ---- the wire -------------------------------------------------------------------------------

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self._incoming.put(None)
                    return
                if line == b"\r\n":
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = stream.read(length)
            self._incoming.put(json.loads(body.decode("utf-8")))

    def _drain_stderr(self) -> None:
        self.stderr = self.process.stderr.read()

    def send_raw(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    # ---- messages -------------------------------------------------------------------------------

    def notify(self, method: str, params: dict | None = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, **({"params": params} if params is not None else {})})

    def request_id(self, method: str, params: dict | None = None) -> int:
        self._next += 1
        self.send({"jsonrpc": "2.0", "id": self._next, "method": method,
                   **({"params": params} if params is not None else {})})
        return self._next

    def request(self, method: str, params: dict | None = None, timeout: float = TIMEOUT) -> dict:
        """The whole response (``result`` or ``error``) to a request."""
        number = self.request_id(method, params)
        return self.wait_for(lambda m: m.get("id") == number and "method" not in m, timeout)

    def result(self, method: str, params: dict | None = None):
        response = self.request(method, params)
        assert "error" not in response, response
        return response["result"]

    def wait_for(self, wanted, timeout: float = TIMEOUT) -> dict:
        """The first message ``wanted`` accepts (already arrived, or arriving within ``timeout``)."""
        for message in self.inbox:
            if wanted(message):
                self.inbox.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no such message within {timeout} s; got {self.inbox[-5:]}")
            try:
                message = self._incoming.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                raise ServerGone(f"the server ended (status {self.process.wait(TIMEOUT)}): {self.stderr[-2000:]!r}")
            self.seen.append(message)
            if wanted(message):
                return message
            self.inbox.append(message)

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = TIMEOUT) -> list[dict]:
        """The next diagnostics published for ``uri`` (for ``version``, when given)."""
        message = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri
                                and (version is None or m["params"].get("version") == version), timeout)
        return message["params"]["diagnostics"]

    def published(self, uri: str) -> list[dict]:
        """Every publishDiagnostics seen for ``uri`` so far."""
        return [m["params"] for m in self.seen
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]

    # ---- the session ----------------------------------------------------------------------------

    def initialize(self, encodings: list[str] | None = None, **capabilities) -> dict:
        general = {"positionEncodings": encodings} if encodings is not None else {}
        result = self.result("initialize", {"processId": None, "rootUri": None,
                                            "capabilities": {"general": general, **capabilities}})
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                              "version": version, "text": text}})

    def change(self, uri: str, version: int, *changes: dict) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": list(changes)})

    def finish(self) -> int:
        """``shutdown`` then ``exit``: the exit status."""
        assert self.result("shutdown") is None
        self.notify("exit")
        status = self.process.wait(timeout=TIMEOUT)
        self._stderr_reader.join(TIMEOUT)
        return status

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        self._stderr_reader.join(TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
