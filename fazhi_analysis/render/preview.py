"""`fazhi preview`: one page served on localhost, rebuilt whenever its data changes and reloaded in the
browser, as Quarto's `preview` does for a document.

- The page is the leadership HTML `fazhi report` writes, byte for byte: no script, its Content-Security-
  Policy unchanged. The browser opens the server's own wrapper page, the only response with a script: it
  shows the page in a frame, listens for builds (Server-Sent Events, `/events`), reloads the frame on a
  new build keeping the scroll position, and shows a problem in the data above the last good page.
- Changes are noticed by watchfiles (the OS's file events, grouped while an editor or Excel is still
  saving), so nothing polls; a build runs on the caller's warm kernel, one at a time, on one thread.
- Only 127.0.0.1 is served, and only fixed paths: `/`, `/page.html`, `/events`, `/status`.
"""

import json
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import partial
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..wording import say

HOST = "127.0.0.1"
HEARTBEAT_S = 15.0  # an SSE comment now and then, so a proxy or the browser keeps the stream open
STEP_MS = 30  # watchfiles: changes are handed over once none came for this long
WATCH_TICK_MS = 200  # how often the watch and the build loop look at the stop flag
WATCH_READY_S = 5.0
WATCHED_SUFFIXES = (".csv", ".xlsx", ".txt")


@dataclass(frozen=True)
class BuildState:
    """What the wrapper page shows: `version` counts good builds (the frame reloads when it grows)."""

    serial: int = 0  # every published state, so a listener knows it has seen the latest
    version: int = 0
    state: str = "building"  # building | ok | error
    message: str = ""
    seconds: float = 0.0


class PreviewServer:
    """The HTTP side: holds the latest good page and the build state, and tells every open browser."""

    def __init__(self, title: str, port: int = 0, host: str = HOST):
        self.title = title
        self._html = b""
        self._state = BuildState(message=say("preview.first_build"))
        self._changed = threading.Condition()
        self._stopping = False
        self.httpd = ThreadingHTTPServer((host, port), partial(_Handler, self))
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="fazhi-preview-http", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "PreviewServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def building(self) -> None:
        self._publish(state="building", message=say("preview.building"))

    def built(self, html: bytes, seconds: float) -> None:
        with self._changed:
            self._html = html
        self._publish(version=self._state.version + 1, state="ok", seconds=seconds,
                      message=say("preview.built", time=time.strftime("%H:%M:%S"), seconds=f"{seconds:.1f}"))

    def failed(self, message: str) -> None:
        self._publish(state="error", message=message)

    def _publish(self, **changes) -> None:
        with self._changed:
            self._state = replace(self._state, serial=self._state.serial + 1, **changes)
            self._changed.notify_all()

    def current(self) -> tuple[BuildState, bytes]:
        with self._changed:
            return self._state, self._html

    def wait_for(self, seen_serial: int, timeout_s: float) -> BuildState | None:
        """The state once it is newer than `seen_serial`, or None on timeout or when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or self._state.serial > seen_serial, timeout_s)
            if self._stopping or self._state.serial <= seen_serial:
                return None
            return self._state


class _Handler(BaseHTTPRequestHandler):
    server_version = "fazhi-preview"

    def __init__(self, preview: PreviewServer, *args, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args) -> None:  # noqa: A002 — the stdlib's name; requests are not logged
        pass

    def do_GET(self) -> None:  # noqa: N802 — the stdlib's name
        route = self.path.split("?", 1)[0]
        if route == "/":
            nonce = secrets.token_urlsafe(16)
            self._send(200, "text/html; charset=utf-8", wrapper_page(self.preview.title, nonce).encode("utf-8"),
                       {"Content-Security-Policy": f"default-src 'none'; script-src 'nonce-{nonce}'; "
                                                   "connect-src 'self'; frame-src 'self'; style-src 'unsafe-inline'"})
        elif route == "/page.html":
            state, html = self.preview.current()
            body = html or say("preview.no_page_yet").encode("utf-8")
            self._send(200, "text/html; charset=utf-8", body)
        elif route == "/status":
            state, _ = self.preview.current()
            self._send(200, "application/json", json.dumps(asdict(state), ensure_ascii=False).encode("utf-8"))
        elif route == "/events":
            self._events()
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found")

    def _send(self, code: int, kind: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-Sent Events: the current state at once, then every new one, until the browser goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state, _ = self.preview.current()
        seen = -1
        try:
            while True:
                if state is not None and state.serial > seen:
                    data = json.dumps(asdict(state), ensure_ascii=False)
                    self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                    seen = state.serial
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                state = self.preview.wait_for(seen, HEARTBEAT_S)
                if state is None and self.preview.stopping:
                    return
        except (BrokenPipeError, ConnectionResetError):
            return


WRAPPER_SCRIPT = """
const frame = document.getElementById('page');
const status = document.getElementById('status');
let shown = -1;
const source = new EventSource('/events');
source.addEventListener('build', (event) => {
  const s = JSON.parse(event.data);
  status.textContent = s.message;
  status.className = s.state;
  if (s.state === 'ok' && s.version !== shown) {
    shown = s.version;
    const y = frame.contentWindow ? frame.contentWindow.scrollY : 0;
    frame.onload = () => { if (y) frame.contentWindow.scrollTo(0, y); };
    frame.src = '/page.html?v=' + s.version;
  }
});
source.onerror = () => { status.textContent = STOPPED; status.className = 'error'; };
"""


def wrapper_page(title: str, nonce: str) -> str:
    """The page the browser opens: a status line above the built page in a frame, and the reload script."""
    script = f"const STOPPED = {json.dumps(say('preview.stopped'), ensure_ascii=False)};" + WRAPPER_SCRIPT
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(say("preview.title", title=title))}</title>
<style>
html, body {{ margin: 0; height: 100%; }}
body {{ display: flex; flex-direction: column; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }}
#status {{ padding: .35em .8em; font-size: 14px; background: #f3efe9; color: #333; white-space: pre-wrap; }}
#status.building {{ background: #fff6d6; }}
#status.error {{ background: #fbe3e0; color: #8c1c13; }}
#page {{ flex: 1; border: 0; width: 100%; }}
</style></head>
<body><div id="status" class="building" role="status">{escape(say("preview.first_build"))}</div>
<iframe id="page" title="{escape(title)}"></iframe>
<script nonce="{nonce}">{script}</script></body></html>
"""


def relevant(change, path: str) -> bool:
    """A data file, a workbook or a raw report: not a lock, a temporary file of an atomic write, or Excel's
    owner file (~$名称.xlsx)."""
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith((".", "~$"))


def _watch_into(directory: Path, stop: threading.Event, changes: "queue.Queue[set]", ready: threading.Event) -> None:
    """On its own thread: every group of relevant changes under `directory` into `changes`, until `stop`.
    `ready` is set once the OS watch is in place (watchfiles yields an empty set on its first timeout)."""
    from watchfiles import watch

    for found in watch(directory, watch_filter=relevant, stop_event=stop, step=STEP_MS, rust_timeout=WATCH_TICK_MS,
                       yield_on_timeout=True, raise_interrupt=False):
        ready.set()
        if found:
            changes.put(found)


def serve(server: PreviewServer, rebuild: Callable[[], tuple[bytes | None, str]], directory: Path,
          stop: threading.Event) -> None:
    """Watch `directory`, build once, then once after every group of changes (saves during a build are
    covered by one more build): `rebuild()` returns (the page's HTML, "") or (None, what is wrong, in
    words). Builds run on the calling thread (the kernel is not shared between threads); the watch is in
    place before the first build, so a save made while it runs is not missed."""
    changes: queue.Queue[set] = queue.Queue()
    ready = threading.Event()
    threading.Thread(target=_watch_into, args=(directory, stop, changes, ready), name="fazhi-preview-watch",
                     daemon=True).start()
    ready.wait(WATCH_READY_S)
    _build(server, rebuild)
    while not stop.is_set():
        try:
            changes.get(timeout=WATCH_TICK_MS / 1000)
        except queue.Empty:
            continue
        while not changes.empty():
            changes.get_nowait()
        _build(server, rebuild)


def _build(server: PreviewServer, rebuild: Callable[[], tuple[bytes | None, str]]) -> None:
    server.building()
    started = time.perf_counter()
    html, problem = rebuild()
    if html is None:
        server.failed(problem)
    else:
        server.built(html, time.perf_counter() - started)
