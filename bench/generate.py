"""A deterministic synthetic site: N notes valid for dsguide, and the same notes as a Hugo site.

Each note has 400–800 words in paragraphs under 2–4 headings, a bulleted list, 3–6 wikilinks to
other notes, 1–2 topics, 1–4 tags (Zipf-distributed, so some are common and many rare), 1–2
audiences and a source. The same seed gives the same bytes, so runs are comparable.

    python -m bench.generate --notes 1000 --out /tmp/bench-1k          # dsguide site
    python -m bench.generate --notes 1000 --out /tmp/bench-1k --hugo    # plus hugo/ beside it
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOPICS = ("ic-vs-manager", "trust", "burnout", "hiring")
AUDIENCES = ("ic", "aspiring-manager", "new-manager", "director", "hiring-manager", "job-seeker")
SYLLABLES = ("ba be bi bo da de di do fa fe fi ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe pi "
             "po ra re ri ro sa se si so ta te ti to va ve vi vo za ze zi zo").split()
DOMAIN = ("manager team hiring interview candidate trust stakeholder burnout meeting calendar model data "
          "budget roadmap feedback career growth mentor delegate review project analysis deadline offer "
          "salary portfolio question metric pipeline experiment dashboard director promotion").split()
FILLER = "the a of to and in that is for it with as on be at by this we from or an".split()


@dataclass(frozen=True)
class SyntheticNote:
    slug: str
    title: str
    summary: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    audience: tuple[str, ...]
    source: str
    body: str  # Markdown with [[wikilinks]]

    def markdown_links(self, base: str) -> str:
        """The body with wikilinks as ordinary Markdown links (for Hugo)."""
        import re

        return re.sub(r"\[\[([a-z0-9-]+)\]\]", lambda m: f"[{m[1].replace('-', ' ')}]({base}notes/{m[1]}/)",
                      self.body)


def vocabulary(rng: random.Random, size: int = 4000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf weights: a few very common, a long tail of rare ones."""
    words = list(DOMAIN)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words, [1 / (rank + 1) ** 1.05 for rank in range(len(words))]


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    picked = rng.choices(words, weights, k=rng.randint(8, 16))
    mixed = [w if rng.random() < 0.6 else rng.choice(FILLER) for w in picked]
    return mixed[0].capitalize() + " " + " ".join(mixed[1:]) + "."


def make_notes(count: int, seed: int = 7) -> list[SyntheticNote]:
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    tag_pool = [f"tag-{i}" for i in range(max(20, count // 20))]
    tag_weights = [1 / (rank + 1) for rank in range(len(tag_pool))]
    slugs = [f"note-{i:05d}" for i in range(count)]
    notes = []
    for index, slug in enumerate(slugs):
        target_words = rng.randint(400, 800)
        parts: list[str] = []
        written = 0
        headings = rng.randint(2, 4)
        links = [rng.choice(slugs) for _ in range(rng.randint(3, 6))]
        links = [s for s in links if s != slug] or [slugs[(index + 1) % count]]
        for section in range(headings):
            parts.append(f"## {' '.join(rng.choices(words[:300], k=3)).capitalize()} {section + 1}")
            for _ in range(2):
                text = " ".join(sentence(rng, words, weights) for _ in range(rng.randint(3, 6)))
                if links and rng.random() < 0.7:
                    text += f" See [[{links.pop()}]] for more."
                parts.append(text)
                written += len(text.split())
            if section == 0:
                parts.append("\n".join(f"- {sentence(rng, words, weights)}" for _ in range(rng.randint(3, 5))))
            if written >= target_words:
                break
        while written < target_words:
            text = " ".join(sentence(rng, words, weights) for _ in range(5))
            parts.append(text)
            written += len(text.split())
        if links:
            parts.append("Related: " + ", ".join(f"[[{s}]]" for s in links) + ".")
        title = " ".join(rng.choices(words[:500], k=rng.randint(3, 6))).capitalize() + f" {index}"
        notes.append(SyntheticNote(
            slug=slug,
            title=title,
            summary=sentence(rng, words, weights),
            topics=tuple(sorted(set(rng.sample(TOPICS, rng.randint(1, 2))))),
            tags=tuple(sorted(set(rng.choices(tag_pool, tag_weights, k=rng.randint(1, 4))))),
            audience=tuple(sorted(set(rng.sample(AUDIENCES, rng.randint(1, 2))))),
            source=f"source-{rng.randrange(max(5, count // 200)):03d}",
            body="\n\n".join(parts) + "\n",
        ))
    return notes


def front_matter(note: SyntheticNote) -> str:
    return (f"---\ntitle: {note.title}\nsummary: {note.summary}\ntopics: [{', '.join(note.topics)}]\n"
            f"tags: [{', '.join(note.tags)}]\naudience: [{', '.join(note.audience)}]\n"
            f"sources:\n  - source: {note.source}\n---\n")


def write_dsguide_site(root: Path, notes: list[SyntheticNote]) -> Path:
    """A dsguide site in `root` using the repository's templates and static files; returns site.yaml."""
    (root / "content" / "notes").mkdir(parents=True, exist_ok=True)
    (root / "content" / "sources").mkdir(parents=True, exist_ok=True)
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    config = config.replace("output: public", f"output: public\ntemplates: {REPO / 'templates'}\n"
                            f"static: {REPO / 'static'}", 1)
    (root / "site.yaml").write_text(config, encoding="utf-8")
    for source in sorted({n.source for n in notes}):
        (root / "content" / "sources" / f"{source}.md").write_text(
            f"---\ntitle: Synthetic essay {source}\nauthor: null\npublished: null\nurl: null\nformat: essay\n---\n"
            "A generated source for the benchmark.\n", encoding="utf-8")
    for note in notes:
        (root / "content" / "notes" / f"{note.slug}.md").write_text(front_matter(note) + note.body, encoding="utf-8")
    return root / "site.yaml"


HUGO_CONFIG = """baseURL = "https://bench.example.org/"
title = "bench"
disableKinds = ["RSS"]
[pagination]
pagerSize = 50
[taxonomies]
topic = "topics"
tag = "tags"
audience = "audience"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}"
                             "</title></head><body><main data-pagefind-body>{{ block \"main\" . }}{{ end }}</main>"
                             "</body></html>\n"),
    "_default/single.html": ("{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}"
                             "<ul>{{ range .GetTerms \"topics\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}"
                             "</a></li>{{ end }}{{ range .GetTerms \"tags\" }}<li><a href=\"{{ .RelPermalink }}\">"
                             "{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}\n"),
    "_default/list.html": ("{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\""
                           "{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>"
                           "{{ template \"_internal/pagination.html\" . }}{{ end }}\n"),
    "_default/terms.html": ("{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a "
                            "href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>"
                            "{{ end }}\n"),
    "index.html": ("{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 8 .Site.RegularPages }}<li>"
                   "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n"),
}


def write_hugo_site(root: Path, notes: list[SyntheticNote]) -> Path:
    """The same notes as a Hugo site (topic, tag and audience pages, paginated lists); returns its folder."""
    (root / "content" / "notes").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    for note in notes:
        (root / "content" / "notes" / f"{note.slug}.md").write_text(
            front_matter(note).replace("sources:\n  - source:", "source:") + note.markdown_links("/"),
            encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hugo", action="store_true", help="also write the Hugo site into OUT/hugo")
    args = parser.parse_args()
    notes = make_notes(args.notes, args.seed)
    print(write_dsguide_site(args.out / "dsguide", notes))
    if args.hugo:
        print(write_hugo_site(args.out / "hugo", notes))


if __name__ == "__main__":
    main()
