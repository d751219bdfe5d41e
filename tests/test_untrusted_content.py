"""Hostile content: every field a contributor controls must stay inert text in every output format.

Content arrives by pull request and is semi-trusted. Each test builds a small inline site whose
front matter and bodies are full of markup, script, URL-scheme, XML and Jinja payloads, then reads
the built files the way a browser, a feed reader or a JSON consumer would: HTML through html5lib
(the WHATWG parsing algorithm browsers use), XML through xml.etree, JSON through json. A clean
"twin" site with the same files and plain text supplies the baseline of what the site itself emits
(its own script tags, element names and attribute names).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cbor2
import html5lib
import pytest
from conftest import MINIMAL_CONFIG, build, note, run_cli, serve, write_site
from conftest import SOURCE as SOURCE_TEXT

from dsguide.front_matter import split_front_matter
from dsguide.markdown import make_markdown, parse_document, render_html
from dsguide.model import ContentFile
from dsguide.pipeline import load_site

# --- payloads ---------------------------------------------------------------------------------

# For front-matter text fields: a JSON-LD breakout, an event handler, a CDATA end, a bare ampersand,
# Jinja expressions and statements, an HTML comment opener and both quote kinds. 94 characters, so it
# fits a note title (limit 120).
FIELD = "</script><img src=x onerror=alert(1)> ]]> & {{ 7*7 }} {% raw %} {{ ''.__class__ }} <!-- \"q\" 'a'"
# For Markdown inline text (no brackets or pipes, which would change the Markdown structure).
INLINE = "<img src=x onerror=alert(1)> </script><script>alert(1)</script> {{ 7*7 }} {% raw %} & \"q\""
# For wikilink labels (which may not contain [, ], | or a newline).
LABEL = "<img src=x onerror=alert(1)> \"><svg onload=alert(1)> {{ 7*7 }}"
# A source URL that passes the http(s) check but tries to leave its attribute.
SOURCE_URL = 'https://x.example/"><script>alert(1)</script>'

# Extra Markdown only the hostile site has: raw HTML blocks, inline HTML, Jinja, and near-miss link schemes
# that `dsguide check` does not flag (no browser would run them either) so the build goes ahead and the
# renderer alone has to keep them inert. The obfuscations check does flag are in DISGUISED_DANGEROUS_LINKS.
HOSTILE_EXTRAS = """\
<script>alert(1)</script>

<div onmouseover="alert(1)">raw block</div>

<iframe src="javascript:alert(1)"></iframe>

<svg onload=alert(1)><a xlink:href="javascript:alert(1)">s</a></svg>

<style>body{background:url(javascript:alert(1))}</style>

<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">

<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>

<details open ontoggle=alert(1)>x</details>

Inline <b onclick="alert(1)">bold</b> and <a href="javascript:alert(1)">html link</a> and
<img src="x" onerror="alert(1)"> and <!-- comment --> and <![CDATA[ ]]> and <?php echo 1; ?>.

[tab](java&#x09;script:alert(1)) [newline](java&NewLine;script:alert(1))
[percent](java%73cript:alert(1)) [backslash](\\javascript:alert(1)) [nul](&#0;javascript:alert(1))
[link text javascript:alert(1)](https://ok.example/)

{{ 7*7 }} {% raw %} {{ ''.__class__.__mro__ }} {% endraw %} {% include "base.html" %} {# comment #}
"""

SYNONYMS = {"hostile": '    - [burnout, "</script><img src=x onerror=alert(1)>"]\n',
            "clean": "    - [burnout, exhaustion]\n"}


def y(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def note_a_body(inline: str, label: str, info: str, extras: str) -> str:
    title_attr = inline.replace('"', '\\"')
    return f"""\
Intro {inline} about burnout.

## First {inline}

Some [[b|{label}]] and [[b#Heading two|{label}]] and [[b]] words.[^n] Also [^m] in brackets.

### Second {inline}

[{inline}](https://ok.example/path "{title_attr}") and ![{inline}](https://img.example/a.png "{title_attr}")
and <https://ok.example/auto> and [a reference][ref].

### Third {inline}

#### Fourth {inline}

| {inline} | b |
|:--|--:|
| `{inline}` | cell |

```{info}
{inline}
```

[ref]: https://ok.example/ref "{title_attr}"
[^n]: Footnote {inline}
[^m]: Footnote {inline} with [a link](https://ok.example/fn).

{extras}
"""


def site_files(hostile: bool) -> dict[str, str]:
    """The same five documents either full of payloads or in plain words."""
    text = FIELD if hostile else "Plain words"
    inline = INLINE if hostile else "plain words"
    label = LABEL if hostile else "plain label"
    info = '"><img src=x onerror=alert(1)>' if hostile else "python"
    url = SOURCE_URL if hostile else "https://x.example/essay"
    extras = HOSTILE_EXTRAS if hostile else "Nothing more: **strong** and *em* words."
    sources = f"[{{source: essay, section: {y(text)}}}]"
    return {
        "notes/a.md": note(y(text), note_a_body(inline, label, info, extras), summary=y(text),
                           tags="[javascript, onerror, script-alert-1]", audience="[ic]", sources=sources,
                           updated="2024-01-02"),
        "notes/b.md": note(y("B " + text), f"## Heading two\n\nSee [[a]] on burnout. {inline}\n",
                           summary=y(text), tags="[javascript]", audience="[ic]"),
        "sources/essay.md": (f"---\ntitle: {y(text)}\nauthor: {y(text)}\npublished: 2023-05-01\n"
                             f"url: {y(url)}\nformat: essay\nsections: [{y(text)}, Start]\n---\n"
                             f"Our summary: {inline} burnout.\n"),
        "paths/p.md": (f"---\ntitle: {y(text)}\nsummary: {y(text)}\naudience: [ic]\nsteps:\n"
                       f"  - {{note: a, why: {y(text)}}}\n  - {{note: b, why: {y(text)}}}\n---\n"
                       f"Path intro {inline} burnout.\n"),
        "pages/about.md": f"---\ntitle: {y(text)}\nsummary: {y(text)}\n---\nAbout {inline} burnout.\n",
    }


def config(kind: str) -> str:
    return MINIMAL_CONFIG + "search:\n  synonyms:\n" + SYNONYMS[kind]


# --- reading the output -----------------------------------------------------------------------

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "background", "cite",
                            "xlink:href", "srcset", "ping", "manifest", "codebase", "longdesc"})
SCRIPTLIKE = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "svg", "math", "style",
                        "base", "form", "button", "details", "template", "noscript", "portal"})


def parse_html(text: str):
    """The document as a browser builds it (html5lib implements the WHATWG parser)."""
    return html5lib.parse(text, namespaceHTMLElements=False)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def elements(doc) -> Iterator:
    return (el for el in doc.iter() if isinstance(el.tag, str))


def visible_text(doc) -> str:
    """Every text node outside <script>/<style>, as the browser decodes it."""
    parts: list[str] = []
    for el in elements(doc):
        if local(el.tag) not in ("script", "style") and el.text:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    return " ".join(parts)


def normalise_url(value: str) -> str:
    """A URL as a browser reads its scheme: ASCII whitespace and C0 controls removed, case folded."""
    return re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value)).lower()


def script_signatures(doc) -> list[tuple[str, str]]:
    return [(el.get("type", ""), el.get("src", "")) for el in elements(doc) if local(el.tag) == "script"]


def html_problems(text: str) -> list[str]:
    """Anything in an HTML document or fragment that could run script."""
    doc = parse_html(text)
    problems: list[str] = []
    for el in elements(doc):
        name = local(el.tag)
        for attr, value in el.attrib.items():
            attr_name = local(attr).lower()
            if re.fullmatch(r"on\w+", attr_name):
                problems.append(f"<{name} {attr}={value!r}>: event-handler attribute")
            if (attr_name in URL_ATTRIBUTES or attr.lower() == "xlink:href") and \
                    normalise_url(value).startswith(UNSAFE_SCHEMES):
                problems.append(f"<{name} {attr}={value!r}>: unsafe URL")
            if name == "meta" and attr_name == "content" and "url=javascript" in normalise_url(value):
                problems.append(f"<meta content={value!r}>: refresh to script")
        if name == "img" and el.get("src") == "x":
            problems.append("<img src=x>: an element from the content")
    return problems


def jsonld_blocks(doc) -> list[str]:
    return [el.text or "" for el in elements(doc)
            if local(el.tag) == "script" and el.get("type") == "application/ld+json"]


def read_pagefind(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(b"pagefind_dcd")
    body = raw[len(b"pagefind_dcd"):]
    return json.loads(body) if path.suffix == ".pf_fragment" else cbor2.loads(body)


def html_files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*.html")) if "pagefind" not in p.parts}


# --- the two builds ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def twin_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(hostile output, clean output): the same site, with payloads and with plain words."""
    outputs = []
    for kind in ("hostile", "clean"):
        root = tmp_path_factory.mktemp(f"{kind}-site")
        config_path = write_site(root / "site", site_files(kind == "hostile"), config=config(kind))
        build(config_path, root / "public")
        outputs.append(root / "public")
    return outputs[0], outputs[1]


@pytest.fixture(scope="module")
def hostile(twin_builds: tuple[Path, Path]) -> Path:
    return twin_builds[0]


def test_the_hostile_site_passes_check_so_rendering_is_what_is_tested(tmp_path: Path, capsys) -> None:
    config_path = write_site(tmp_path, site_files(True), config=config("hostile"))
    code, out, _ = run_cli(capsys, "check", "--config", config_path, "--format", "json")
    assert code == 0, out
    assert json.loads(out)["errors"] == 0


def test_pages_carry_only_the_sites_own_scripts(twin_builds: tuple[Path, Path]) -> None:
    hostile_out, clean_out = twin_builds
    hostile_pages, clean_pages = html_files(hostile_out), html_files(clean_out)
    assert hostile_pages.keys() == clean_pages.keys()
    assert "notes/a/index.html" in hostile_pages and "search/index.html" in hostile_pages
    for name, text in hostile_pages.items():
        clean = clean_pages[name]
        assert script_signatures(parse_html(text)) == script_signatures(parse_html(clean)), name
        # the raw markup too, in case a parser disagreement hides an opening tag
        assert len(re.findall(r"<script\b", text, re.I)) == len(re.findall(r"<script\b", clean, re.I)), name
        assert len(re.findall(r"</script", text, re.I)) == len(re.findall(r"</script", clean, re.I)), name


def test_no_event_handlers_or_script_urls_anywhere(hostile: Path) -> None:
    problems = {name: found for name, text in html_files(hostile).items() if (found := html_problems(text))}
    assert problems == {}


def test_content_adds_no_element_or_attribute_the_site_does_not_emit(twin_builds: tuple[Path, Path]) -> None:
    hostile_out, clean_out = twin_builds

    def vocabulary(out: Path) -> tuple[set[str], set[str]]:
        tags, attrs = set(), set()
        for text in html_files(out).values():
            for el in elements(parse_html(text)):
                tags.add(local(el.tag))
                attrs.update(local(a) for a in el.attrib)
        return tags, attrs

    hostile_tags, hostile_attrs = vocabulary(hostile_out)
    clean_tags, clean_attrs = vocabulary(clean_out)
    assert hostile_tags - clean_tags == set()
    assert hostile_attrs - clean_attrs == set()
    # the site's own script tags, search forms, <noscript> and <details> (contents, search filters) are in the
    # clean twin too; nothing else is
    assert hostile_tags & SCRIPTLIKE == {"script", "button", "form", "noscript", "details"}


def test_every_field_is_shown_as_literal_text(hostile: Path) -> None:
    def text_of(url: str) -> str:
        return visible_text(parse_html((hostile / url / "index.html").read_text(encoding="utf-8")))

    note_a = text_of("notes/a")
    assert note_a.count(FIELD) >= 4  # h1, summary, source title and author, section name
    assert "B " + FIELD in note_a  # wikilink text, backlink, related card, path navigation
    assert LABEL in note_a  # wikilink labels
    assert INLINE in note_a  # body text, headings, table, code, footnotes
    assert "<script>alert(1)</script>" in note_a and '<div onmouseover="alert(1)">raw block</div>' in note_a
    assert "{{ 7*7 }}" in note_a and "{% raw %}" in note_a and "{% include \"base.html\" %}" in note_a
    toc = parse_html((hostile / "notes/a/index.html").read_text(encoding="utf-8")).find(".//nav[@class='toc']")
    assert toc is not None and INLINE in " ".join(toc.itertext())  # heading text in the table of contents
    source = text_of("sources/essay")
    assert source.count(FIELD) >= 3 and SOURCE_URL in source  # title, author, section; URL as text
    path = text_of("paths/p")
    assert path.count(FIELD) >= 4 and INLINE in path  # title, summary, each step's why; body
    about = text_of("about")
    assert about.count(FIELD) >= 2 and INLINE in about  # title, summary; body
    for url in ("", "notes", "tags/javascript", "audiences/ic", "topics/hiring"):  # cards and listings
        assert FIELD in text_of(url), url


def test_source_url_stays_inside_its_href(hostile: Path) -> None:
    doc = parse_html((hostile / "sources/essay/index.html").read_text(encoding="utf-8"))
    links = [el for el in elements(doc) if local(el.tag) == "a" and el.get("href", "").startswith("https://x.")]
    assert [(a.get("href"), a.text) for a in links] == [(SOURCE_URL, SOURCE_URL)]


def test_jinja_in_content_is_never_evaluated(hostile: Path) -> None:
    for path in [*hostile.rglob("*.html"), hostile / "feed.xml", hostile / "notes.json"]:
        if "pagefind" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "49" not in text, path  # 7*7
        assert not re.search(r"class (?:'|&#39;|&#x27;)str", text), path  # ''.__class__
    feed = (hostile / "feed.xml").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in feed and "{% raw %}" in feed


def test_json_ld_parses_and_cannot_close_its_script(hostile: Path) -> None:
    for url in ("notes/a", "notes/b"):
        raw = (hostile / url / "index.html").read_text(encoding="utf-8")
        blocks = jsonld_blocks(parse_html(raw))
        assert len(blocks) == 2, url  # the article and its breadcrumbs
        for block in blocks:
            assert "</script" not in block.lower() and "<!--" not in block and "<" not in block
        article, trail = sorted((json.loads(b) for b in blocks), key=lambda d: d["@type"])
        assert article["headline"] == (FIELD if url == "notes/a" else "B " + FIELD)
        assert article["description"] == FIELD
        assert trail["itemListElement"][-1]["name"] == article["headline"]
        # the blocks html5lib found are the whole script elements: nothing leaked out of them
        assert raw.count('<script type="application/ld+json">') == 2


def test_feed_sitemap_and_notes_json_parse_and_keep_the_text(hostile: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(hostile / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert sorted(e.findtext(f"{atom}title") for e in entries) == sorted([FIELD, "B " + FIELD])
    assert {e.findtext(f"{atom}summary") for e in entries} == {FIELD}
    assert [child.tag.removeprefix(atom) for child in entries[0]] == [
        "title", "id", "link", "updated", "author", "summary", "category"]
    sitemap = ET.parse(hostile / "sitemap.xml").getroot()
    locs = [el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(re.fullmatch(r"https://tiny\.example\.org/[a-z0-9/.-]*", loc or "") for loc in locs)
    records = json.loads((hostile / "notes.json").read_text(encoding="utf-8"))
    assert {r["slug"]: r["title"] for r in records} == {"a": FIELD, "b": "B " + FIELD}
    assert records[0]["sources"] == [{"source": "essay", "section": FIELD}]
    assert records[0]["tags"] == ["javascript", "onerror", "script-alert-1"]


def test_search_synonyms_attribute_and_hidden_terms_stay_data(hostile: Path) -> None:
    doc = parse_html((hostile / "notes/a/index.html").read_text(encoding="utf-8"))
    highlight = [el for el in elements(doc) if local(el.tag) == "script" and el.get("data-synonyms")]
    assert len(highlight) == 1
    assert json.loads(highlight[0].get("data-synonyms")) == [["burnout", "</script><img src=x onerror=alert(1)>"]]
    hidden = [" ".join(el.itertext()) for el in elements(doc) if el.get("class") == "synonyms"]
    assert any("</script><img src=x onerror=alert(1)>" in h for h in hidden)  # shown (hidden) as text


def test_pagefind_records_only_text_and_the_sites_own_meta(hostile: Path) -> None:
    fragments = [read_pagefind(p) for p in (hostile / "pagefind" / "fragment").glob("*.pf_fragment")]
    assert fragments
    by_url = {f["url"]: f for f in fragments}
    for fragment in fragments:
        assert set(fragment["meta"]) <= {"title", "summary", "image", "image_alt"}, fragment["url"]
        assert not normalise_url(fragment["meta"].get("image", "")).startswith(UNSAFE_SCHEMES)
    assert by_url["/notes/a/"]["meta"]["title"] == FIELD
    assert by_url["/notes/a/"]["meta"]["image"] == "https://img.example/a.png"
    names = {read_pagefind(p)[0] for p in (hostile / "pagefind" / "filter").glob("*.pf_filter")}
    assert names == {"kind", "topic", "tag", "evidence", "audience", "source"}


def test_pagefind_filter_values_hold_no_markup(hostile: Path) -> None:
    """Pagefind UI (pagefind-ui.js) inserts each filter value into its label as HTML, so the values in the
    index must not parse as markup; what a browser builds from them must be text only."""
    markup = {}
    for path in (hostile / "pagefind" / "filter").glob("*.pf_filter"):
        name, values = read_pagefind(path)
        for value, _pages in values:
            fragment = html5lib.parseFragment(value, namespaceHTMLElements=False)
            if any(isinstance(el.tag, str) for el in fragment.iter() if el is not fragment):
                markup[name] = value
    assert markup == {}


@pytest.mark.parametrize(("files", "code"), [
    ({"notes/a.md": note(tags='["<script>"]')}, "bad-slug"),
    ({"notes/a.md": note(tags="['x\" onclick=\"alert(1)']")}, "bad-slug"),
    ({"notes/a.md": note(tags="['javascript:alert(1)']")}, "bad-slug"),
    ({"notes/a.md": note(related="['../../etc']")}, "bad-slug"),
    ({"notes/a.md": note(sources="[{source: '<img src=x>'}]")}, "bad-slug"),
    ({"sources/essay.md": SOURCE_TEXT.replace("url: null", "url: 'javascript:alert(1)'")}, "bad-url"),
    ({"sources/essay.md": SOURCE_TEXT.replace("url: null", "url: ' https://x.example/'")}, "bad-url"),
    ({"sources/essay.md": SOURCE_TEXT.replace("url: null", "url: 'data:text/html,hi'")}, "bad-url"),
    ({"sources/essay.md": SOURCE_TEXT.replace("url: null", "url: '//evil.example/'")}, "bad-url"),
])
def test_check_refuses_markup_in_slug_and_url_fields(files: dict[str, str], code: str, tmp_path: Path,
                                                     capsys) -> None:
    config_path = write_site(tmp_path / "site", files)
    exit_code, out, _ = run_cli(capsys, "check", "--config", config_path, "--format", "json")
    assert exit_code == 1
    assert code in [d["code"] for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]


# --- control characters in XML ---------------------------------------------------------------

@pytest.mark.parametrize("escape", [r"\x01", r"\0", r"\e", r"\uFFFE"])
def test_control_characters_in_titles_are_refused_before_they_break_the_feed(escape: str, tmp_path: Path) -> None:
    config_path = write_site(tmp_path / "site", {
        "notes/a.md": note(f'"Bell {escape} title"', "See [[b]].", summary=f'"Summary {escape} here"'),
        "notes/b.md": note("B", "See [[a]]."),
    })
    _, report = load_site(config_path)
    assert {d.code for d in report.errors} == {"bad-character"}  # check refuses them, naming the field
    assert [d.line for d in report.errors] == [2, 3]


# --- link schemes: check refuses them, and the renderer drops them anyway ---------------------

FLAGGED_LINKS = [
    "[a](javascript:alert(1))",
    "[a](JAVASCRIPT:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](  javascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](javascript:alert(1) \"title\")",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "[r]\n\n[r]:   <javascript:alert(1)>",
    "![chart](javascript:alert(1))",
    "[a](data:text/html,<script>alert(1)</script>)",
    "![chart](data:image/svg+xml,<svg onload=alert(1)>)",
    "<data:text/html,hi>",
    "[a](vbscript:msgbox(1))",
    "<vbscript:msgbox(1)>",
    "[a](file:///etc/passwd)",
    "> - [a](javascript:alert(1))",
    "| h |\n|---|\n| [a](javascript:alert(1)) |",
    "Claim.[^1]\n\n[^1]: [a](javascript:alert(1))",
    "## [a](javascript:alert(1))",
]

# Obfuscated spellings the renderer decodes to a dangerous scheme (and then drops): check reports them too.
DISGUISED_DANGEROUS_LINKS = [
    "[a](&#106;avascript:alert(1))",
    "[a](&#x6A;avascript:alert(1))",
    "[a](javascript&colon;alert(1))",
    "[a](javascript\\:alert(1))",
    "![chart](&#106;avascript:alert(1))",
    "[a][r]\n\n[r]: &#106;avascript:alert(1)",
]

# Spellings that end up as harmless relative URLs (the scheme is percent-encoded or broken).
HARMLESS_LOOKALIKES = [
    "[a](java&#x09;script:alert(1))",
    "[a](java&NewLine;script:alert(1))",
    "[a](java%73cript:alert(1))",
    "[a](\\javascript:alert(1))",
    "[a](&#0;javascript:alert(1))",
    "[a](<java script:alert(1)>)",
]


def _render(tmp_path: Path, body: str, resolve: Callable | None = None) -> tuple[str, list]:
    path = tmp_path / "content" / "notes" / "x.md"
    doc, _ = split_front_matter(ContentFile("note", "x", "content/notes/x.md", path), f"---\ntitle: T\n---\n{body}\n")
    assert doc is not None
    md = make_markdown()
    parsed, problems = parse_document(md, doc)
    return render_html(md, parsed, resolve or (lambda target, anchor, label: None)), problems


def _note_with(body: str) -> dict[str, str]:
    return {"notes/a.md": note("A", f"Before [[b]].\n\n{body}\n\nAfter."), "notes/b.md": note("B", "See [[a]].")}


@pytest.mark.parametrize("body", FLAGGED_LINKS)
def test_check_reports_unsafe_link_schemes_and_build_refuses_them(body: str, tmp_path: Path, capsys) -> None:
    config_path = write_site(tmp_path / "site", _note_with(body))
    code, out, _ = run_cli(capsys, "check", "--config", config_path, "--format", "json")
    found = [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]
    assert code == 1
    assert [d["code"] for d in found] == ["unsafe-link"]
    file_lines = (tmp_path / "site/content/notes/a.md").read_text(encoding="utf-8").splitlines()
    scheme = re.search(r"(javascript|vbscript|data|file):", found[0]["message"], re.I)
    assert scheme and scheme[1].lower() in file_lines[found[0]["line"] - 1].lower()
    out_dir = tmp_path / "public"
    code, _, err = run_cli(capsys, "build", "--config", config_path, "--out", out_dir)
    assert code == 1 and "unsafe-link" in err
    assert not out_dir.exists()
    assert not (tmp_path / ".public.staging").exists()


@pytest.mark.parametrize("body", DISGUISED_DANGEROUS_LINKS)
def test_check_reports_obfuscated_unsafe_links(body: str, tmp_path: Path, capsys) -> None:
    config_path = write_site(tmp_path / "site", _note_with(body))
    code, out, _ = run_cli(capsys, "check", "--config", config_path, "--format", "json")
    assert code == 1
    assert "unsafe-link" in [d["code"] for d in json.loads(out)["diagnostics"]]


@pytest.mark.parametrize("body", FLAGGED_LINKS + DISGUISED_DANGEROUS_LINKS + HARMLESS_LOOKALIKES)
def test_renderer_never_emits_a_script_url_even_without_check(body: str, tmp_path: Path) -> None:
    html_out, _ = _render(tmp_path, body)
    assert html_problems(html_out) == []
    for el in elements(parse_html(html_out)):
        for attr in ("href", "src"):
            value = el.get(attr)
            if value is not None:
                assert not normalise_url(value).startswith(UNSAFE_SCHEMES), (body, value)


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Inline <b onclick=alert(1)>b</b> <a href=\"javascript:alert(1)\">x</a> <svg/onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<!-- x --><![CDATA[ ]]><?php ?>",
    "## <img src=x onerror=alert(1)> heading\n\n### </script><script>alert(1)</script>",
    "Claim.[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "Claim[^x\"onmouseover=\"alert(1)].\n\n[^x\"onmouseover=\"alert(1)]: <b>foot</b>",
    "[<img src=x onerror=alert(1)>](https://ok.example \"t\\\" onclick=\\\"alert(1)\")",
    "![<img src=x onerror=alert(1)>](https://img.example/a.png \"t\\\" onload=\\\"alert(1)\")",
    "```\"><img src=x onerror=alert(1)>\n</script><script>alert(1)</script>\n```",
    "| <b onclick=alert(1)>h</b> |\n|:-:|\n| `</script>` |",
    "[[b|<img src=x onerror=alert(1)>]] [[b#x\" onclick=\"alert(1)|y]] [[b|x\" onclick=\"alert(1)]]",
    "[[nowhere|<img src=x onerror=alert(1)>]]",
])
def test_renderer_shows_markup_in_bodies_as_text(body: str, tmp_path: Path) -> None:
    def resolve(target: str, anchor: str | None, label: str | None) -> tuple[str, str] | None:
        if target != "b":
            return None
        return f"/notes/b/#{anchor}" if anchor else "/notes/b/", label or "<script>alert(1)</script>"

    html_out, _ = _render(tmp_path, body, resolve)
    assert html_problems(html_out) == []
    tags = Counter(local(el.tag) for el in elements(parse_html(html_out)))
    assert not set(tags) & SCRIPTLIKE, tags


# --- in a real browser ------------------------------------------------------------------------

def flag(field: str) -> str:
    return f"<img src=x onerror=\"window.__xss=(window.__xss||'')+'{field};'\">"


# True once an element matching the selector shows a flag's markup as text: the hostile value reached the
# page, escaped. (Were it parsed as HTML, its text would be gone.)
SHOWS_HOSTILE_TEXT = """selector => [...document.querySelectorAll(selector)]
    .some(el => el.textContent.includes('<img src=x onerror='))"""
# A control image with a broken address, added last: once its error handler has run, the error of any
# broken image the page itself made (a flag parsed as HTML) has had its turn to fire too.
CONTROL_IMAGE_ERRORED = """() => new Promise(done => {
    const img = new Image();
    img.onerror = () => done(true);
    img.src = 'x?control=' + Date.now();
    document.body.append(img);
})"""


def settled_flags(page: Any) -> list[str]:
    """The flags that fired on the page, read after a control image's error handler has run."""
    assert page.evaluate(CONTROL_IMAGE_ERRORED) is True
    return page.evaluate("(window.__xss || '').split(';')")


@pytest.mark.browser
def test_no_field_runs_script_in_the_browser(tmp_path: Path) -> None:
    from browser import chromium_browser

    files = {
        "notes/a.md": note(y("Burnout " + flag("note-title")), f"## Burnout {flag('heading')}\n\n"
                           f"Burnout body {flag('body')} [[b|{flag('wikilink-label')}]].",
                           summary=y("Burnout " + flag("note-summary")), tags="[burnout]",
                           sources=f"[{{source: essay, section: {y(flag('section'))}}}]"),
        "notes/b.md": note("Burnout b", "Burnout again. See [[a]].", tags="[burnout]"),
        "sources/essay.md": (f"---\ntitle: {y('Essay ' + flag('source-title'))}\n"
                             f"author: {y(flag('source-author'))}\npublished: null\nurl: null\nformat: essay\n"
                             f"sections: [{y(flag('section'))}]\n---\nBurnout summary.\n"),
        "paths/p.md": (f"---\ntitle: {y('Burnout ' + flag('path-title'))}\nsummary: {y(flag('path-summary'))}\n"
                       f"audience: [ic]\nsteps:\n  - {{note: a, why: {y(flag('why'))}}}\n"
                       f"  - {{note: b, why: burnout}}\n---\nBurnout path.\n"),
        "pages/about.md": f"---\ntitle: {y('Burnout ' + flag('page-title'))}\n---\nBurnout page.\n",
    }
    config_path = write_site(tmp_path / "site", files)
    build(config_path, tmp_path / "public")
    server, url = serve(tmp_path / "public")
    try:
        with chromium_browser() as browser:
            page = browser.new_page()
            fired: list[str] = []
            visited: list[str] = []
            for visit in ("notes/a/", "notes/b/", "sources/essay/", "paths/p/", "about/", "notes/", "tags/burnout/"):
                page.goto(f"{url}/{visit}")
                page.wait_for_function(SHOWS_HOSTILE_TEXT, arg="main")  # the page did render a hostile value
                fired += settled_flags(page)
                visited.append(visit)
            page.goto(f"{url}/search/?q=burnout")
            page.wait_for_selector("#search[data-state=ready]")  # results and filter panel drawn
            page.evaluate("() => { document.getElementById('search-facets').open = true; }")
            page.wait_for_selector("#facet-groups input[name=source]")
            fired += settled_flags(page)
            visited.append("search")
    finally:
        server.shutdown()
        server.server_close()
    assert len(visited) == 8, visited
    assert [f for f in fired if f] == []


@pytest.mark.browser
def test_a_source_title_with_markup_characters_reads_as_text_in_the_filter_and_still_filters(tmp_path: Path) -> None:
    """The index holds filter values HTML-escaped (search.py); the search page's label shows the title as written,
    and choosing it narrows the results to the notes that cite that source."""
    from browser import chromium_browser

    title = "Q&A: <teams> & trust"
    files = {
        "notes/a.md": note("Burnout a", "Burnout here. See [[b]].", sources="[{source: odd}]"),
        "notes/b.md": note("Burnout b", "Burnout again. See [[a]]."),
        "sources/odd.md": SOURCE_TEXT.replace("title: An essay", f"title: {y(title)}"),
    }
    config_path = write_site(tmp_path / "site", files)
    build(config_path, tmp_path / "public")
    server, url = serve(tmp_path / "public")
    try:
        with chromium_browser() as browser:
            page = browser.new_page()
            page.goto(f"{url}/search/?q=burnout")
            page.wait_for_selector("#search[data-state=ready]")
            page.evaluate("() => { document.getElementById('search-facets').open = true; }")
            # the label reads as the title was written
            label = page.locator("#facet-groups label", has_text="teams")
            assert " ".join(label.inner_text().split()) == f"{title} (1)"
            label.click()
            page.wait_for_function("() => location.search.includes('source=q-a-teams-trust')")
            page.wait_for_selector("#search[data-state=ready]")
            titles = page.locator("#search-results .result-title").all_inner_texts()
            assert titles == ["Burnout a"]
    finally:
        server.shutdown()
        server.server_close()
