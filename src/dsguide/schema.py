"""The shapes of site.yaml and of every front-matter kind, declared once.

The validator (`check_value`) and the JSON Schema export (`json_schema`) both read these
declarations, so editors, `dsguide check` and `dsguide build` can never disagree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, error
from .yamltext import KeyPath, LocatedYaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# characters XML 1.0 forbids (the feed and sitemap are XML) and HTML calls parse errors
FORBIDDEN_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
WEB_URL_RE = re.compile(r"^[hH][tT][tT][pP][sS]?://[^\s/?#]+\S*$")


SLUG_MAX = 60  # characters: file names and URLs stay readable


def slugify(title: str, max_len: int = SLUG_MAX) -> str:
    """Lowercase-hyphen slug of a title: "Isn't it 'fine'?" → 'isnt-it-fine'. Apostrophes vanish
    rather than split a word; long slugs are cut at a hyphen."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", text)).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len + 1].rsplit("-", 1)[0] if "-" in slug[:max_len + 1] else slug[:max_len]
    return slug.strip("-")



@dataclass(frozen=True)
class Text:
    """A plain string; `max_len` in characters."""

    max_len: int | None = None
    min_len: int = 1
    describe: str = "a string"


@dataclass(frozen=True)
class Slug:
    """Lowercase letters, digits and single hyphens. `vocabulary` names a site.yaml list it must be in."""

    vocabulary: str | None = None
    describe: str = "a slug (lowercase letters, digits, hyphens)"


@dataclass(frozen=True)
class WebUrl:
    """An absolute http(s) address: content is semi-trusted, and a `javascript:` URL must never become a link."""

    describe: str = "an http:// or https:// address"


@dataclass(frozen=True)
class Date:
    describe: str = "a date (YYYY-MM-DD)"


@dataclass(frozen=True)
class Bool:
    describe: str = "true or false"


@dataclass(frozen=True)
class Integer:
    """A whole number from `minimum` to `maximum`."""

    minimum: int
    maximum: int

    @property
    def describe(self) -> str:
        return f"a whole number from {self.minimum} to {self.maximum}"


@dataclass(frozen=True)
class Seconds:
    """A positive whole number of seconds."""

    describe: str = "a positive whole number of seconds"


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]

    @property
    def describe(self) -> str:
        return "one of " + ", ".join(self.options)


@dataclass(frozen=True)
class Nullable:
    inner: Any

    @property
    def describe(self) -> str:
        return f"{self.inner.describe} or null"


@dataclass(frozen=True)
class ListOf:
    item: Any
    min_items: int = 0
    max_items: int | None = None

    @property
    def describe(self) -> str:
        return "a list"


@dataclass(frozen=True)
class Field:
    name: str
    type: Any
    doc: str
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class Record:
    fields: tuple[Field, ...]
    describe: str = "a mapping"
    extra_allowed: bool = False

    def get(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


Vocabularies = dict[str, tuple[str, ...]]


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' when one option is close to `word`, else ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _iso_date(value: object) -> bool:
    """Whether `value` is a string that would be a date without its quotes."""
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value.strip())) and len(value.strip()) == 10
    except ValueError:
        return False


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a mapping", dt.date: "a date", dt.datetime: "a date and time"}.get(type(value), "a value")


def check_value(
    value: Any,
    kind: Any,
    *,
    path: str,
    doc: LocatedYaml,
    at: KeyPath,
    vocab: Vocabularies | None = None,
    label: str = "",
) -> list[Diagnostic]:
    """Every way `value` (found at key path `at` of `doc`) breaks `kind`, as diagnostics."""
    return _check(value, kind, _Place(path, doc, at, vocab or {}, label or ".".join(str(p) for p in at) or "document"))


@dataclass(frozen=True)
class _Place:
    """Where a value being checked sits: its file, its key path in the YAML, and the name it is shown by."""

    path: str
    doc: LocatedYaml
    at: KeyPath
    vocab: Vocabularies
    label: str

    def bad(self, code: str, message: str) -> list[Diagnostic]:
        return [error(self.path, *self.doc.where(self.at), code, message)]

    def wrong_type(self, kind: Any, value: Any) -> list[Diagnostic]:
        return self.bad("wrong-type", f"'{self.label}' must be {kind.describe}, not {_type_name(value)}")

    def inside(self, key: str | int, label: str) -> _Place:
        return _Place(self.path, self.doc, self.at + (key,), self.vocab, label)


def _check(value: Any, kind: Any, here: _Place) -> list[Diagnostic]:
    checker = _CHECKERS.get(type(kind))
    if checker is None:  # pragma: no cover - a programming error
        raise TypeError(f"unknown schema type {kind!r}")
    return checker(value, kind, here)


def _check_nullable(value: Any, kind: Nullable, here: _Place) -> list[Diagnostic]:
    return [] if value is None else _check(value, kind.inner, here)


def _check_record(value: Any, kind: Record, here: _Place) -> list[Diagnostic]:
    """Unknown keys, missing required fields, then each field's own value."""
    if not isinstance(value, dict):
        return here.wrong_type(kind, value)
    out: list[Diagnostic] = []
    names = [f.name for f in kind.fields]
    for key in value:
        if kind.get(str(key)) is None and not kind.extra_allowed:
            kline, kcol = here.doc.where(here.at + (str(key),), key=True)
            out.append(error(here.path, kline, kcol, "unknown-field",
                             f"unknown field '{key}'{did_you_mean(str(key), names)}"))
    for f in kind.fields:
        if f.name in value:
            out += _check(value[f.name], f.type, here.inside(f.name, f"{here.label}.{f.name}" if here.at else f.name))
        elif f.required:
            where = f"'{f.name}' in '{here.label}'" if here.at else f"'{f.name}'"
            out += here.bad("missing-field", f"missing required field {where}")
    return out


def _check_list(value: Any, kind: ListOf, here: _Place) -> list[Diagnostic]:
    if not isinstance(value, list):
        return here.bad("wrong-type", f"'{here.label}' must be a list, not {_type_name(value)}")
    out: list[Diagnostic] = []
    if len(value) < kind.min_items:
        out += here.bad("list-length", f"'{here.label}' needs at least {kind.min_items} item"
                        f"{'s' * (kind.min_items != 1)}, has {len(value)}")
    if kind.max_items is not None and len(value) > kind.max_items:
        out += here.bad("list-length", f"'{here.label}' allows at most {kind.max_items} items, has {len(value)}")
    for index, item in enumerate(value):
        out += _check(item, kind.item, here.inside(index, f"{here.label}[{index + 1}]"))
    return out


def _check_text(value: Any, kind: Text, here: _Place) -> list[Diagnostic]:
    if not isinstance(value, str):
        return here.wrong_type(kind, value)
    if len(value.strip()) < kind.min_len:
        return here.bad("empty-field", f"'{here.label}' must not be empty")
    if found := FORBIDDEN_CHAR_RE.search(value):
        return here.bad("bad-character", f"'{here.label}' contains the control character U+{ord(found[0]):04X}")
    if kind.max_len is not None and len(value) > kind.max_len:
        return here.bad("too-long", f"'{here.label}' is {len(value)} characters; the limit is {kind.max_len}")
    return []


VOCABULARY_NOUNS = {"topics": "topic", "audiences": "audience", "tags": "tag"}


def _check_slug(value: Any, kind: Slug, here: _Place) -> list[Diagnostic]:
    """A slug, and one of its vocabulary's when site.yaml declares that vocabulary."""
    if not isinstance(value, str):
        return here.wrong_type(kind, value)
    if kind.vocabulary and kind.vocabulary in here.vocab:
        allowed = here.vocab[kind.vocabulary]
        if value not in allowed:
            noun = VOCABULARY_NOUNS.get(kind.vocabulary, kind.vocabulary)
            return here.bad(f"unknown-{noun}", f"unknown {noun} '{value}'{did_you_mean(value, allowed)}")
    if not SLUG_RE.match(value):
        return here.bad("bad-slug", f"'{value}' in '{here.label}' is not a slug (use lowercase letters, digits "
                        "and hyphens)")
    return []


def _check_web_url(value: Any, kind: WebUrl, here: _Place) -> list[Diagnostic]:
    if not isinstance(value, str):
        return here.wrong_type(kind, value)
    if not WEB_URL_RE.match(value):
        return here.bad("bad-url", f"'{here.label}' must be {kind.describe}, not '{value}'")
    return []


def _check_date(value: Any, kind: Date, here: _Place) -> list[Diagnostic]:
    """A date, unquoted: a date and time, or a date YAML read as text because it was quoted, gets a hint."""
    if isinstance(value, dt.datetime):  # the JSON Schema's "format: date" refuses a time too
        return [error(here.path, *here.doc.where(here.at), "wrong-type",
                      f"'{here.label}' must be {kind.describe}, not a date and time",
                      f"drop the time: {value.date().isoformat()}")]
    if isinstance(value, dt.date):
        return []
    hint = "remove the quotes: YAML reads a quoted date as text" if _iso_date(value) else ""
    return [error(here.path, *here.doc.where(here.at), "wrong-type",
                  f"'{here.label}' must be {kind.describe}, not {_type_name(value)}", hint)]


def _check_bool(value: Any, kind: Bool, here: _Place) -> list[Diagnostic]:
    return [] if isinstance(value, bool) else here.wrong_type(kind, value)


def _check_seconds(value: Any, kind: Seconds, here: _Place) -> list[Diagnostic]:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return []
    shown = str(value) if isinstance(value, int) and not isinstance(value, bool) else _type_name(value)
    return here.bad("bad-value", f"'{here.label}' must be {kind.describe}, not {shown}")


def _check_integer(value: Any, kind: Integer, here: _Place) -> list[Diagnostic]:
    if not isinstance(value, int) or isinstance(value, bool):
        return here.wrong_type(kind, value)
    if not kind.minimum <= value <= kind.maximum:
        return here.bad("out-of-range", f"'{here.label}' must be {kind.describe}, not {value}")
    return []


def _check_choice(value: Any, kind: Choice, here: _Place) -> list[Diagnostic]:
    if isinstance(value, str) and value in kind.options:
        return []
    shown = f"'{value}'" if isinstance(value, str) else _type_name(value)
    hint = did_you_mean(value, kind.options) if isinstance(value, str) else ""
    return here.bad("bad-choice", f"'{here.label}' must be {kind.describe}, not {shown}{hint}")


_CHECKERS: dict[type, Callable[[Any, Any, _Place], list[Diagnostic]]] = {
    Nullable: _check_nullable, Record: _check_record, ListOf: _check_list, Text: _check_text, Slug: _check_slug,
    WebUrl: _check_web_url, Date: _check_date, Bool: _check_bool, Seconds: _check_seconds, Choice: _check_choice,
    Integer: _check_integer,
}


def json_schema(kind: Any, vocab: Vocabularies | None = None, doc: str = "") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) equivalent of a declaration."""
    vocab = vocab or {}
    out: dict[str, Any]
    if isinstance(kind, Nullable):
        inner = json_schema(kind.inner, vocab)
        out = {"anyOf": [inner, {"type": "null"}]}
    elif isinstance(kind, Record):
        out = {
            "type": "object",
            "properties": {f.name: json_schema(f.type, vocab, f.doc) for f in kind.fields},
            "required": [f.name for f in kind.fields if f.required],
            "additionalProperties": kind.extra_allowed,
        }
    elif isinstance(kind, ListOf):
        out = {"type": "array", "items": json_schema(kind.item, vocab), "minItems": kind.min_items}
        if kind.max_items is not None:
            out["maxItems"] = kind.max_items
    elif isinstance(kind, Text):
        out = {"type": "string", "minLength": kind.min_len, "pattern": r"\S"}
        if kind.max_len is not None:
            out["maxLength"] = kind.max_len
    elif isinstance(kind, Slug):
        out = {"type": "string", "pattern": SLUG_RE.pattern}
        if kind.vocabulary and vocab.get(kind.vocabulary):
            out["enum"] = list(vocab[kind.vocabulary])
    elif isinstance(kind, WebUrl):
        out = {"type": "string", "pattern": WEB_URL_RE.pattern}
    elif isinstance(kind, Date):
        # editors read an unquoted YAML date as a string; `check` also wants it unquoted (a real date)
        out = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif isinstance(kind, Integer):
        out = {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum}
    elif isinstance(kind, Bool):
        out = {"type": "boolean"}
    elif isinstance(kind, Seconds):
        out = {"type": "integer", "minimum": 1}
    elif isinstance(kind, Choice):
        out = {"enum": list(kind.options)}
    else:  # pragma: no cover
        raise TypeError(f"unknown schema type {kind!r}")
    if doc:
        out["description"] = doc
    return out


# --- front matter -----------------------------------------------------------------------------

SUMMARY_LIMIT = 240

SOURCE_REF = Record((
    Field("source", Slug(), "The id of a file in content/sources/.", required=True),
    Field("section", Text(), "Where in the essay the advice comes from (a section heading)."),
))

EVIDENCE_KINDS = ("anecdote", "practitioner-experience", "opinion", "survey", "research")
EVIDENCE_CONTEXT_LIMIT = 200

EVIDENCE = Record((
    Field("kind", Choice(EVIDENCE_KINDS),
          "What the advice rests on: one person's story (anecdote), a practitioner's accumulated experience, "
          "an argued opinion, a survey, or published research.", required=True),
    Field("context", Text(max_len=EVIDENCE_CONTEXT_LIMIT),
          "Whose experience, where and when, in plain text: role, kind of company, year.", required=True),
))

NOTE = Record((
    Field("title", Text(max_len=120), "The note's title, plain text.", required=True),
    Field("summary", Text(max_len=SUMMARY_LIMIT),
          "One or two sentences for cards, search results and the meta description.", required=True),
    Field("topics", ListOf(Slug("topics"), 0, 3),
          "0–3 topics from site.yaml, only where the note is really about them; [] when none fits.",
          required=True),
    Field("tags", ListOf(Slug("tags")), "Lowercase-hyphen tags; site.yaml may restrict them."),
    Field("audience", ListOf(Slug("audiences")), "Who the note is for, from site.yaml audiences."),
    Field("sources", ListOf(SOURCE_REF), "Essays the advice is drawn from."),
    Field("original", Bool(), "True for a synthesis or our own note; then `sources` may be empty.",
          default=False),
    Field("related", ListOf(Slug()), "Note slugs to show as related, before the computed ones."),
    Field("evidence", EVIDENCE, "What kind of evidence the sources give; required unless `original: true`."),
    Field("reviewed", Date(), "When the note was last checked against its cited section.", required=True),
    Field("updated", Date(), "When the note last changed in substance."),
    Field("draft", Bool(), "Drafts are built only with --drafts and are never indexed.", default=False),
))

SOURCE_FORMATS = ("essay", "newsletter", "thread", "blog-post", "q-and-a", "article", "book", "talk", "paper",
                  "software")

SOURCE = Record((
    Field("title", Text(), "The essay's title as published.", required=True),
    Field("author", Nullable(Text()), "The author's name, or null when the essay does not give one.",
          required=True),
    Field("published", Nullable(Date()), "Publication date, or null when unknown.", required=True),
    Field("url", Nullable(WebUrl()), "Where the essay was published, or null when unknown.", required=True),
    Field("format", Choice(SOURCE_FORMATS), "What kind of text the essay is.", required=True),
    Field("sections", ListOf(Text()), "The essay's section headings, in order."),
    Field("recommended_by", ListOf(Slug()),
          "For further reading: the ids of the sources that recommend or link this work. Such a record "
          "lists a work we point readers to; the further-reading page groups them by these sources."),
    Field("recommendation", Text(max_len=SUMMARY_LIMIT),
          "For further reading: one line, in our words, on why the recommending source points to this work."),
))

PATH_STEP = Record((
    Field("note", Slug(), "A note slug.", required=True),
    Field("why", Text(), "Why this note comes at this point of the path.", required=True),
))

READING_PATH = Record((
    Field("title", Text(), "The path's title.", required=True),
    Field("summary", Text(max_len=SUMMARY_LIMIT), "What the path gives its reader.", required=True),
    Field("audience", ListOf(Slug("audiences"), 1), "Who the path is for.", required=True),
    Field("steps", ListOf(PATH_STEP, 2), "The notes in reading order.", required=True),
))

PAGE = Record((
    Field("title", Text(), "The page title.", required=True),
    Field("summary", Text(max_len=SUMMARY_LIMIT), "Meta description."),
))

KIND_SCHEMAS: dict[str, Record] = {"note": NOTE, "source": SOURCE, "path": READING_PATH, "page": PAGE}


# --- site.yaml --------------------------------------------------------------------------------

TOPIC = Record((
    Field("slug", Slug(), "URL name of the topic.", required=True),
    Field("name", Text(), "Display name.", required=True),
    Field("description", Text(), "One line shown on the home and topic pages.", required=True),
    Field("keywords", ListOf(Text()), "Words `dsguide ingest` looks for to suggest this topic."),
))

AUDIENCE = Record((
    Field("slug", Slug(), "URL name of the audience.", required=True),
    Field("name", Text(), "Display name.", required=True),
    Field("description", Text(), "One line on who this is."),
))

TAG = Record((
    Field("slug", Slug(), "URL name of the tag, as notes write it.", required=True),
    Field("name", Text(), "Display name.", required=True),
    Field("description", Text(max_len=SUMMARY_LIMIT), "One line on what the tag covers, so two tags never overlap.",
          required=True),
))

NAV_ITEM = Record((
    Field("title", Text(), "Link text.", required=True),
    Field("url", Text(), "Site-relative URL, starting with /.", required=True),
))

SEARCH = Record((
    Field("synonyms", ListOf(ListOf(Text(), 2)), "Groups of terms that should find each other."),
    Field("pagefind_timeout", Seconds(), "Seconds Pagefind may take to index the site before the build fails.",
          default=120),
))

SITE = Record((
    Field("title", Text(), "Site title.", required=True),
    Field("description", Text(), "What the site is, in a sentence or two.", required=True),
    Field("base_url", WebUrl(), "The http(s) address the site is published at, without query or fragment.",
          required=True),
    Field("language", Text(), "BCP 47 language tag of the content.", default="en"),
    Field("repository", Nullable(WebUrl()), "Repository URL, for 'edit this page' links."),
    Field("edit_branch", Text(), "Branch that edit links point at.", default="main"),
    Field("output", Text(), "Output folder, relative to site.yaml.", default="public"),
    Field("templates", Text(), "Jinja2 templates folder, relative to site.yaml.", default="templates"),
    Field("static", Text(), "Folder of CSS, scripts and icons copied to /static/.", default="static"),
    Field("page_size", Integer(5, 1000), "Notes per page of a topic, tag, audience or all-notes list; "
          "longer lists continue at /topics/x/page/2/ and so on.", default=50),
    Field("topics", ListOf(TOPIC, 1), "The topic vocabulary.", required=True),
    Field("audiences", ListOf(AUDIENCE), "The audience vocabulary."),
    Field("tags", Nullable(ListOf(TAG)), "The tag vocabulary; null or absent allows any slug."),
    Field("review_after_months", Integer(1, 1200),
          "`check` warns about a note whose `reviewed` date is older than this many months.", default=12),
    Field("navigation", ListOf(NAV_ITEM), "Header links."),
    Field("search", SEARCH, "Search settings."),
))
