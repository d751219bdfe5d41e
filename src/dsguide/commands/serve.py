"""`dsguide serve`: build, serve on localhost, rebuild when content or templates change, reload the page.

Live reload is added only to what this server sends (a small script that long-polls for a new
build); the files in the output folder stay exactly what `build` writes.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from ..discover import site_root_files
from ..pipeline import build_site, load_site
from .build import add_common, output_dir, print_report

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
        if self.path.startswith(RELOAD_PATH):
            since = int(self.path.partition("since=")[2] or 0)
            body = str(self.state.wait_for_change(since)).encode()
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


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("serve", help="build, serve locally and rebuild on change",
                                   description=__doc__)
    add_common(parser)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: site.yaml 'output')")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    return parser


def snapshot(config_path: Path, roots: list[Path]) -> dict[Path, float]:
    files = [config_path, *roots]
    return {p: p.stat().st_mtime for p in files if p.exists()}


def rebuild(args: argparse.Namespace, state: BuildState) -> Path | None:
    base_url = f"http://{args.host}:{args.port}/"
    site, report = load_site(args.config, include_drafts=args.drafts, base_url=base_url)
    result = None
    if site is not None and not report.has_errors(args.strict):
        result, build_report = build_site(site, output_dir(args, site.config.root, site.config.output))
        report.extend(build_report.diagnostics)
    print_report(report, args)
    if result is None:
        print("build failed; still serving the previous site", file=sys.stderr)
        return None
    print(result.summary(), flush=True)
    state.bump()
    return result.out_dir


def run(args: argparse.Namespace) -> int:
    state = BuildState()
    out = rebuild(args, state)
    if out is None:
        return 1
    server = http.server.ThreadingHTTPServer((args.host, args.port),
                                             functools.partial(Handler, directory=str(out)))
    Handler.state = state
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out} at http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    site, _ = load_site(args.config)
    roots = site_root_files(site.config) if site else []
    seen = snapshot(args.config, roots)
    try:
        while True:
            time.sleep(0.5)
            if site is not None:
                roots = site_root_files(site.config)
            now = snapshot(args.config, roots)
            if now != seen:
                seen = now
                rebuild(args, state)
    except KeyboardInterrupt:
        server.shutdown()
        return 0
