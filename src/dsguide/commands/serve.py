"""`dsguide serve`: build, serve on localhost, rebuild when content or templates change, reload the page.

The preview is built into a temporary folder (removed when serve stops) with localhost links, so the
real build in site.yaml's `output` is never touched; --out keeps the preview in a folder of your choice.
Live reload is added only to what this server sends (a small script that long-polls for a new
build); the files in the output folder stay exactly what `build` writes.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..cli import ExitCode
from ..config import load_config
from ..discover import site_root_files
from ..pipeline import build_site, load_site
from ..write import overlapped
from .build import add_common, print_report

RELOAD_PATH = "/__dsguide/reload"
RELOAD_SCRIPT = (
    "<script>(function(v){function poll(){fetch('%s?since='+v).then(function(r){return r.text()})"
    ".then(function(n){if(n!==v){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,2000)})}"
    "poll()})('%s')</script>"
)


class BuildState:
    """The number of the last successful build; reload requests wait for it to change."""

    def __init__(self) -> None:
        self.version = 0
        self.changed = threading.Condition()

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait_for_change(self, since: int, timeout: float = 25.0) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout=timeout)
            return self.version


class Handler(http.server.SimpleHTTPRequestHandler):
    state: BuildState

    def log_message(self, format: str, *args: object) -> None:  # keep the terminal for build output
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        if url.path == RELOAD_PATH:
            body = str(self.state.wait_for_change(since_version(url.query))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_text(encoding="utf-8")
            script = RELOAD_SCRIPT % (RELOAD_PATH, self.state.version)
            body = html.replace("</body>", script + "</body>", 1).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if not path.exists():
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():
                body = not_found.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()


def since_version(query: str) -> int:
    """The build number a reload request already has; anything malformed counts as 0 (reload now)."""
    try:
        return int(parse_qs(query).get("since", ["0"])[0])
    except ValueError:
        return 0


class Server(http.server.ThreadingHTTPServer):
    """A page closed while its reload request waits is normal, not an error worth a traceback."""

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class IPv6Server(Server):
    """ThreadingHTTPServer only speaks IPv4; this one listens on an IPv6 host such as ::1."""

    address_family = socket.AF_INET6


def port_number(text: str) -> int:
    """argparse type for --port, so a port out of range is a usage error (exit 2), not a traceback."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: '{text}'") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, got {port}")
    return port


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("serve", help="build, serve locally and rebuild on change",
                                   description=__doc__)
    add_common(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="build the preview into this folder and keep it (default: a temporary folder, "
                        "removed on exit; never site.yaml 'output', which serve leaves alone)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; "
                        "IPv6 such as ::1 works too)")
    parser.add_argument("--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)")
    return parser


def host_port(host: str, port: int) -> str:
    """host:port as in a URL: IPv6 addresses go in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def listen(host: str, port: int) -> Server | None:
    """Bind the server before building, so a busy port or bad host fails fast with one line (None)."""
    server_class = IPv6Server if ":" in host else Server
    try:
        return server_class((host, port), Handler)
    except (OSError, OverflowError, UnicodeError) as exc:  # busy port, unknown host, wrong family, bad name
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        print(f"dsguide serve: error: cannot listen on {host_port(host, port)}: {reason[:1].lower()}{reason[1:]}",
              file=sys.stderr)
        return None


def snapshot(config_path: Path, roots: list[Path]) -> dict[Path, float]:
    """Modification times of the watched files; one that vanishes meanwhile (an editor's swap file) is skipped."""
    times = {}
    for path in [config_path, *roots]:
        with contextlib.suppress(OSError):
            times[path] = path.stat().st_mtime
    return times


def rebuild(args: argparse.Namespace, state: BuildState, out: Path, base_url: str) -> Path | None:
    """One build into `out`. Any failure, expected or not, leaves the previous site served (None)."""
    try:
        site, report = load_site(args.config, include_drafts=args.drafts, base_url=base_url)
        result = None
        if site is not None and not report.has_errors(args.strict):
            result, build_report = build_site(site, out)
            report.extend(build_report.diagnostics)
        print_report(report, args)
    except Exception as exc:  # a template raising, a file that is not UTF-8: keep serving and watching
        first_line = (str(exc).splitlines() or [""])[0]
        print(f"rebuild failed: {type(exc).__name__}" + (f": {first_line}" if first_line else ""), file=sys.stderr)
        result = None
    if result is None:
        print("build failed; still serving the previous site", file=sys.stderr, flush=True)
        return None
    print(result.summary(), flush=True)
    state.bump()
    return result.out_dir


def _stop(signum: int, frame: object) -> None:
    """SIGTERM stops serve like Ctrl-C does, so the temporary folder is still removed."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    config, _ = load_config(args.config)  # problems are reported by the first build
    if args.out is not None and config is not None and (folder := overlapped(args.out, config.source_dirs)):
        print(f"dsguide serve: error: --out {args.out} overlaps {folder}, which serve watches; "
              "choose a folder outside it", file=sys.stderr)
        return ExitCode.USAGE
    server = listen(args.host, args.port)
    if server is None:
        return ExitCode.USAGE
    port = server.server_address[1]  # the real one when --port 0
    base_url = f"http://{host_port(args.host, port)}/"
    out = args.out if args.out is not None else Path(tempfile.mkdtemp(prefix="dsguide-serve-"))
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous_sigterm = signal.signal(signal.SIGTERM, _stop) if on_main_thread else None
    try:
        state = BuildState()
        if rebuild(args, state, out, base_url) is None:
            return ExitCode.FAILED if config is not None else ExitCode.USAGE
        server.RequestHandlerClass = functools.partial(Handler, directory=str(out))
        Handler.state = state
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"serving {out} at {base_url} (Ctrl-C stops)", flush=True)
        roots = site_root_files(config) if config else []
        seen = snapshot(args.config, roots)
        try:
            while True:
                time.sleep(0.5)
                if config is not None:
                    roots = site_root_files(config)
                now = snapshot(args.config, roots)
                if now != seen:
                    seen = now
                    rebuild(args, state, out, base_url)
        except KeyboardInterrupt:
            server.shutdown()
            return ExitCode.OK
    finally:
        server.server_close()
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
