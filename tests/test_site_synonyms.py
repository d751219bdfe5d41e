"""Search synonyms applied at index time (dsguide.synonyms): which words count, and where partners go."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dsguide.synonyms import Synonyms

GROUPS = (
    ("ic", "individual contributor"),
    ("ds", "data science", "data scientist"),
    ("ml", "machine learning"),
    ("em", "engineering manager"),
    ("1:1", "one-on-one", "one on one"),
)
SYNONYMS = Synonyms(GROUPS)


def hidden(html: str) -> list[str]:
    """The text of every hidden synonym element, in order."""
    return re.findall(r'<(?:span|p) hidden class="synonyms">([^<]*)</(?:span|p)>', html)


@pytest.mark.parametrize(("text", "found"), [
    ("An IC writes code.", ["ic"]),
    ("Two ICs and an individual contributor.", ["ic", "individual contributor"]),
    ("A topic, a pic, music.", []),                      # whole words only
    ("an ic in lowercase", []),                          # acronyms count only in capitals
    ("Pour 10 ml; use an em dash.", []),
    ("ML-based ranking", ["ml"]),                        # a hyphen ends a word
    ("Data Scientists and DATA SCIENCE", ["data scientist", "data science"]),
    ("weekly 1:1s", ["1:1"]),
    ("We met at 11:15 and at 1:10.", []),                # 1:1 inside other numbers is not 1:1
    ("one-on-ones, and one on one", ["one-on-one", "one on one"]),
    ("an individual\ncontributor", ["individual contributor"]),  # a line break inside the term
    ("the EM's calendar", ["em"]),
])
def test_terms_are_found_as_whole_words(text: str, found: list[str]) -> None:
    assert SYNONYMS.find(text) == found


def test_partners_are_the_other_terms_of_each_group() -> None:
    assert SYNONYMS.partners(["ic"]) == ["individual contributor"]
    assert SYNONYMS.partners(["data scientist"]) == ["ds", "data science"]
    assert SYNONYMS.partners(["ic", "individual contributor"]) == []  # both used already
    assert SYNONYMS.partners(["burnout"]) == []


def test_partners_sit_hidden_beside_the_words_they_stand_for() -> None:
    html = SYNONYMS.annotate_html("<p>Every IC needs a weekly one-on-one.</p>")
    assert html == ('<p>Every IC<span hidden class="synonyms"> ⟦individual contributor⟧</span> needs a weekly '
                    'one-on-one<span hidden class="synonyms"> ⟦1:1, one on one⟧</span>.</p>')


def test_acronym_partners_are_written_in_capitals() -> None:
    html = SYNONYMS.annotate_html("<p>Ask the engineering manager about machine learning.</p>")
    assert hidden(html) == [" ⟦EM⟧", " ⟦ML⟧"]


def test_heading_text_gets_its_partners_after_the_heading_not_inside_it() -> None:
    # Pagefind takes sub-result titles from heading text: partners inside would show there
    html = SYNONYMS.annotate_html('<h2 id="the-ic-track">The IC track</h2>\n<p>Stay technical.</p>')
    assert html.startswith('<h2 id="the-ic-track">The IC track</h2><p hidden class="synonyms">⟦individual '
                           "contributor⟧</p>")


def test_code_links_and_attributes() -> None:
    html = SYNONYMS.annotate_html('<p><code>ds.IC()</code> <a href="/notes/ic/" title="IC">an IC</a></p>'
                                  "<pre><code>ML = 1\n</code></pre>")
    assert "<code>ds.IC()</code>" in html and "<pre><code>ML = 1\n</code></pre>" in html  # code is code
    assert 'title="IC"' in html  # attributes are never touched
    assert hidden(html) == [" ⟦individual contributor⟧"]  # the link text is prose


def test_text_is_escaped_and_no_groups_change_nothing() -> None:
    assert Synonyms(()).annotate_html("<p>An IC &amp; a DS</p>") == "<p>An IC &amp; a DS</p>"
    html = Synonyms((("r&d", "research"),)).annotate_html("<p>research</p>")
    assert hidden(html) == [" ⟦r&amp;d⟧"]


def test_terms_inside_character_references_are_not_words() -> None:
    synonyms = Synonyms((("quot", "quote"), ("39", "thirty-nine"), ("amp", "amplifier")))
    html = "<p>She said &quot;hi&quot; &#39;twice&#39; &amp; left; a quote.</p>"
    assert synonyms.annotate_html(html) == ('<p>She said &quot;hi&quot; &#39;twice&#39; &amp; left; a quote'
                                            '<span hidden class="synonyms"> ⟦quot⟧</span>.</p>')


def test_the_built_fixture_note_carries_its_synonyms(built_fixture: Path) -> None:
    html = (built_fixture / "notes" / "rest-days" / "index.html").read_text(encoding="utf-8")
    assert 'individual contributor<span hidden class="synonyms"> ⟦IC⟧</span>' in html
    title = re.search(r'<h1 data-pagefind-meta="title">([^<]*)</h1>', html)
    summary = re.search(r'<p class="summary" data-pagefind-meta="summary">([^<]*)</p>', html)
    assert title and summary, "title and summary are plain text, without hidden synonyms"
