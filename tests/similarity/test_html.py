"""Tests for backprop.similarity.html: the side-by-side page of a pair."""

import html.parser

from backprop.similarity import Pair, Entry, pair_html, similar_pairs
from tests.fixtures.similarity.fixture_class import HERE, boilerplate, entry_of, fixture_class

HOSTILE_NAME = '<img src=x onerror=alert("name")>.ipynb'


class Tags(html.parser.HTMLParser):
    """Every start tag of a page, and the text of the page."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parsed(page):
    """The start tags and the text of a page."""
    tags = Tags()
    tags.feed(page)
    return tags.tags, "".join(tags.text)


def hostile_pair():
    """A flagged pair of hostile code under a hostile name (the same file handed in by two students)."""
    code = (HERE / "unit" / "hostile.py").read_text()
    return Pair(HOSTILE_NAME, "b.ipynb", "</td><script>", "2", 1.0, True, code, code, ((0, len(code)),),
                ((0, len(code)),))


def test_hostile_names_and_code_render_as_text():
    """Do a file name with <img onerror> and code with </script> and <img> in comments show as text, not markup?"""
    page = pair_html(hostile_pair())
    tags, text = parsed(page)
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert HOSTILE_NAME in text and '# </script><script>alert("comment")</script>' in text
    assert "</pre></code><img src=x onerror=alert(2)> & <b>bold</b>" in text and "</td><script>" in text


def test_shared_regions_are_highlighted_and_the_similarity_stated():
    """Does a copy's page mark the shared code on both sides, and state the similarity?"""
    entries, _ = fixture_class()
    pair = next(pair for pair in similar_pairs(entries, boilerplate=boilerplate())
                if pair.a == "copy04_of_student09.py")
    page = pair_html(pair, title="a copy?")
    tags, text = parsed(page)
    assert f"similarity {pair.similarity:.3f}" in text and "<title>a copy?</title>" in page
    assert tags.count("mark") >= 2 and pair.spans_a and pair.spans_b
    for code, spans in ((pair.code_a, pair.spans_a), (pair.code_b, pair.spans_b)):
        marked = "".join(code[start:end] for start, end in spans)
        assert 'np.einsum("ij,jk->ik", x, W)' in marked and len(marked) < len(code)


def test_a_pair_of_identical_files_says_so():
    """Does the page of byte-identical files say they are byte-identical?"""
    entry = entry_of(HERE / "independent" / "student07.py")
    [pair] = similar_pairs([entry, Entry("copy.py", "other", entry.sha256, entry.code)], boilerplate=boilerplate())
    assert "byte-identical" in parsed(pair_html(pair))[1]
