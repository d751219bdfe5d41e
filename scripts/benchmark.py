#!/usr/bin/env python3
"""Time and measure dsguide on the repository's content and on a generated large site.

Prints numbers; asserts nothing (targets live here, not in timed tests):
  - check on the repository content: well under a second
  - build of 1,000 generated notes: a few seconds, peak memory in the low hundreds of MB

usage: python3 scripts/benchmark.py [--notes 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from dsguide.graph import health_warnings
from dsguide.pipeline import build_site, load_site

REPO = Path(__file__).resolve().parents[1]
BASE = ("manager team hiring interview candidate trust stakeholder burnout meeting calendar model data "
        "budget roadmap feedback career growth mentor delegate review project analysis deadline").split()
# a Zipf-like vocabulary: a few very common words and a long tail, as in real prose
WORDS = BASE + [f"{a}{b}" for a in BASE for b in ("ing", "er", "ful", "less", "ship", "ism", "ive")]
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]


def generate_site(root: Path, count: int, seed: int = 7) -> Path:
    """A site with `count` notes of ~300 words, each linking three others."""
    rng = random.Random(seed)
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "sources" / "bench.md").write_text(
        "---\ntitle: Benchmark source\nauthor: null\npublished: null\nurl: null\nformat: essay\n---\n"
        "A generated source.\n", encoding="utf-8")
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    config = config.replace("output: public", f"output: public\ntemplates: {REPO / 'templates'}\n"
                            f"static: {REPO / 'static'}")
    (root / "site.yaml").write_text(config, encoding="utf-8")
    source = "bench"
    notes = root / "content" / "notes"
    notes.mkdir(parents=True)
    topics = ["hiring", "trust", "burnout", "ic-vs-manager"]
    for i in range(count):
        links = " ".join(f"[[note-{rng.randrange(count)}]]" for _ in range(3))
        paragraphs = "\n\n".join(" ".join(rng.choices(WORDS, WEIGHTS, k=60)) + "." for _ in range(5))
        (notes / f"note-{i}.md").write_text(
            f"---\ntitle: Generated note {i}\nsummary: A generated note for the benchmark.\n"
            f"topics: [{rng.choice(topics)}]\ntags: [tag-{i % 40}]\nsources: [{{source: {source}}}]\n---\n"
            f"## Why it holds\n\n{paragraphs}\n\n## Try this week\n\nSee {links}.\n", encoding="utf-8")
    return root / "site.yaml"


def timed(label: str, repeat: int, action) -> None:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    print(f"{label:<44} median {statistics.median(seconds):7.3f} s   min {min(seconds):7.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    def check_repo() -> None:
        site, _ = load_site(REPO / "site.yaml")
        health_warnings(site)

    timed("check, repository content", args.repeat, check_repo)
    with tempfile.TemporaryDirectory() as tmp:
        timed("build, repository content", args.repeat,
              lambda: build_site(load_site(REPO / "site.yaml")[0], Path(tmp) / "repo-public"))
        pages = sum(1 for _ in (Path(tmp) / "repo-public").rglob("*.html"))
        print(f"{'  pages written':<44} {pages}")
        config = generate_site(Path(tmp) / "large", args.notes)
        timed(f"check, {args.notes} generated notes", args.repeat, lambda: load_site(config))
        timed(f"build, {args.notes} generated notes", 1,
              lambda: build_site(load_site(config)[0], Path(tmp) / "large-public"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (this process)':<44} {peak_mb:7.1f} MB")
    print(f"{'peak memory (pagefind, largest child)':<44} "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:7.1f} MB")


if __name__ == "__main__":
    main()
