"""`dsguide serve`: build, serve on localhost, rebuild when content or templates change, reload the page.

The preview is built into a temporary folder (removed when serve stops) with localhost links, so the
real build in site.yaml's `output` is never touched; --out keeps the preview in a folder of your choice.
Live reload is added only to what this server sends (a small script that long-polls for a new
build); the files in the output folder stay exactly what `build` writes. What serve adds to each
page it sends: when the last rebuild failed, an overlay naming each error's path:line:col and
message (the page behind it is the last good build), until a rebuild succeeds; on a draft note, a
banner saying so. Drafts are built by default (--no-drafts hides them, as the published site
does), and nothing is cached by the browser, so a CSS edit shows on the next reload.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..cache import manifest_path
from ..cli import ExitCode
from ..config import load_config
from ..diagnostics import Diagnostic, Report, error, printable
from ..discover import MARKDOWN_SUFFIXES, site_root_files
from ..front_matter import split_front_matter
from ..model import ContentFile
from ..pipeline import build_site, load_site
from ..schema import SLUG_RE
from ..write import lock_file, overlapped
from . import build as build_command
from .build import add_common

RELOAD_PATH = "/__dsguide/reload"
RELOAD_SCRIPT = (
    "<script>(function(v){function poll(){fetch('%s?since='+v).then(function(r){return r.text()})"
    ".then(function(n){if(n!==v){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,2000)})}"
    "poll()})('%s')</script>"
)


OVERLAY_STYLE = ("position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;margin:0;"
                 "padding:1rem 1.25rem;background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;"
                 "white-space:pre-wrap;box-shadow:0 2px 12px rgba(0,0,0,.5)")
BANNER_STYLE = ("position:sticky;top:0;z-index:2147483646;margin:0;padding:.5rem 1rem;background:#fff3bf;"
                "color:#3d2c00;border-bottom:2px solid #e8b100;font:600 15px/1.4 system-ui,sans-serif;"
                "text-align:center")


class BuildState:
    """The number of the last build, and the errors of the last one if it failed.

    Reload requests wait for the number to change: a failed build changes it too, so open pages
    reload to show the errors, and reload again when a fixed build clears them."""

    def __init__(self) -> None:
        self.version = 0
        self.problems: tuple[Diagnostic, ...] = ()
        self.changed = threading.Condition()

    def bump(self) -> None:
        """A build succeeded: a new site, no errors."""
        self.update(())

    def fail(self, problems: list[Diagnostic]) -> None:
        """A build failed: the old site stays, and every page shows these errors."""
        self.update(tuple(problems))

    def update(self, problems: tuple[Diagnostic, ...]) -> None:
        with self.changed:
            self.version += 1
            self.problems = problems
            self.changed.notify_all()

    def wait_for_change(self, since: int, timeout: float = 25.0) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout=timeout)
            return self.version


def overlay_html(problems: tuple[Diagnostic, ...]) -> str:
    """The error overlay: every error of the failed build, as `path:line:col: message (hint)`."""
    if not problems:
        return ""
    lines = "\n".join(html.escape(d.format_text()) for d in problems)
    count = f"{len(problems)} error{'s' * (len(problems) != 1)}"
    return (f'<div id="dsguide-build-errors" role="alert" style="{OVERLAY_STYLE}"><strong>Build failed: {count}. '
            f"This page is the last good build; it reloads when you fix them.</strong>\n{lines}</div>")


def draft_banner(title: str, *, shown: bool) -> str:
    """The banner on a draft note's page; with --no-drafts, on the 404 page served in its place."""
    why = ("is not on the published site until it says draft: false (serve --no-drafts hides drafts)" if shown
           else "is a draft, left out by --no-drafts: serve without it to see the page")
    return (f'<p id="dsguide-draft-banner" role="note" style="{BANNER_STYLE}">Draft: \u201c{html.escape(title)}'
            f"\u201d {why}</p>")


def draft_title(content_dir: Path, url_path: str) -> str | None:
    """The title of the draft note that `url_path` (/notes/<slug>/) shows, or None when it is no draft."""
    parts = [p for p in url_path.split("/") if p]
    if len(parts) != 2 or parts[0] != "notes" or not SLUG_RE.match(parts[1]):
        return None
    path = next((p for p in sorted((content_dir / "notes").glob(f"{parts[1]}.*"))  # as discover finds them
                 if p.suffix.lower() in MARKDOWN_SUFFIXES), content_dir / "notes" / f"{parts[1]}.md")
    try:
        document, _ = split_front_matter(ContentFile("note", parts[1], parts[1], path), path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    meta = document.meta.value if document is not None else {}
    return str(meta.get("title") or parts[1]) if meta.get("draft") is True else None


class Handler(http.server.SimpleHTTPRequestHandler):
    state: BuildState
    content_dir: Path | None = None  # where draft notes are looked up, for the banner
    drafts_shown = True  # False with --no-drafts: a draft's URL is then a 404 that says why

    def log_message(self, format: str, *args: object) -> None:  # keep the terminal for build output
        pass

    def end_headers(self) -> None:
        """Every response, pages, CSS and scripts alike: the browser must ask again (serve is for editing)."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_page(self, status: int, page: str) -> None:
        """An HTML page with what serve adds: the reload script, the error overlay, the draft banner."""
        script = RELOAD_SCRIPT % (RELOAD_PATH, self.state.version)
        added = overlay_html(self.state.problems) + script
        title = draft_title(self.content_dir, urlsplit(self.path).path) if self.content_dir else None
        if title is not None:
            banner = draft_banner(title, shown=self.drafts_shown)
            page = re.sub(r"(<body\b[^>]*>)", lambda m: m[1] + banner, page, count=1)
        body = page.replace("</body>", added + "</body>", 1).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

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
            self.send_page(200, path.read_text(encoding="utf-8"))
            return
        if not path.exists():
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():  # with the overlay too: a note that failed to build is a 404
                self.send_page(404, not_found.read_text(encoding="utf-8"))
                return
            if self.state.problems:  # no build has succeeded yet: a bare page to carry the overlay
                self.send_page(503, "<!doctype html><html lang=\"en\"><title>Build failed</title><body></body></html>")
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
    parser: argparse.ArgumentParser = subparsers.add_parser("serve", help="build, serve locally and rebuild on change",
                                   description=__doc__)
    add_common(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="build the preview into this folder and keep it (default: a temporary folder, "
                        "removed on exit; never site.yaml 'output', which serve leaves alone)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; "
                        "IPv6 such as ::1 works too)")
    parser.add_argument("--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--no-drafts", dest="drafts", action="store_false",
                        help="leave draft notes out, as the published site does (serve shows them by default, "
                        "with a banner)")
    parser.set_defaults(drafts=True)
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


def print_report(report: Report, args: argparse.Namespace) -> None:
    """What `rebuild` prints a report with: as build prints it, and handed to `args.on_report` (set by
    `rebuild_and_show`) so a failed build's errors reach the browser."""
    build_command.print_report(report, args)
    if (listener := getattr(args, "on_report", None)) is not None:
        listener(report)


def rebuild_and_show(args: argparse.Namespace, state: BuildState, out: Path, base_url: str) -> Path | None:
    """`rebuild`, and when it fails, put its errors in front of every page the browser loads."""
    reports: list[Report] = []
    args.on_report = reports.append
    result = rebuild(args, state, out, base_url)
    if result is None:
        last = reports[-1] if reports else Report()
        problems = last.diagnostics if args.strict else last.errors  # with --strict, warnings fail it too
        state.fail(problems or [error("dsguide serve", 0, 0, "rebuild-failed",
                                      "the rebuild failed; the terminal running dsguide serve says why")])
    return result


def rebuild(args: argparse.Namespace, state: BuildState, out: Path, base_url: str) -> Path | None:
    """One build into `out`, incremental through the build cache. Any failure, expected or not, leaves the
    previous site served (None)."""
    reloaded: list[bool] = []

    def reload_now() -> None:
        state.bump()
        reloaded.append(True)

    try:
        site, report = load_site(args.config, include_drafts=args.drafts, base_url=base_url, use_cache=True)
        result = None
        if site is not None and not report.has_errors(args.strict):
            # through the build cache: only pages whose inputs changed are rendered again; in this process,
            # since forking workers beside the server's threads is not safe. Changed pages are published
            # (and the browser reloaded) before Pagefind refreshes the search index.
            result, build_report = build_site(site, out, jobs=1, use_cache=True, pages_first=reload_now)
            report.extend(build_report.diagnostics)
        print_report(report, args)
    except Exception as exc:  # a template raising, a file that is not UTF-8: keep serving and watching
        first_line = (str(exc).splitlines() or [""])[0]
        print(f"rebuild failed: {type(exc).__name__}" + (f": {printable(first_line)}" if first_line else ""),
              file=sys.stderr)
        result = None
    if result is None:
        print("build failed; still serving the previous site", file=sys.stderr, flush=True)
        return None
    print(result.summary(), flush=True)
    if not reloaded:
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
        if rebuild_and_show(args, state, out, base_url) is None and config is None:
            return ExitCode.USAGE  # no site.yaml to watch: nothing to wait for
        server.RequestHandlerClass = functools.partial(Handler, directory=str(out))
        Handler.state = state
        Handler.content_dir = config.content_dir if config is not None else None
        Handler.drafts_shown = args.drafts
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
                    rebuild_and_show(args, state, out, base_url)
        except KeyboardInterrupt:
            server.shutdown()
            return ExitCode.OK
    finally:
        server.server_close()
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
        if args.out is None:  # the temporary preview is this session's alone: so are its lock and cache entry
            shutil.rmtree(out, ignore_errors=True)
            with contextlib.suppress(OSError):
                lock_file(out).unlink(missing_ok=True)
                if config is not None:
                    manifest_path(config, out).unlink(missing_ok=True)
