"""
One flagged pair as a self-contained HTML page: the two codes side by side, what they share highlighted.

Everything from a submission (file names, student ids, code) is hostile: it is escaped (copydetect's
highlight_overlap escapes with markupsafe; the rest with html.escape), so "</pre><script>" in a comment shows as
text. The page has no script and loads nothing; its Content-Security-Policy forbids both besides.
"""

import html

import numpy as np
from copydetect.utils import highlight_overlap

MARK_START = '<mark>'
MARK_END = '</mark>'
STYLE = """
body { font-family: sans-serif; margin: 1.5em; }
.sides { display: flex; gap: 1em; }
.side { flex: 1; min-width: 0; }
pre { background: #f6f6f6; padding: .8em; overflow-x: auto; font-size: 12px; line-height: 1.35; }
mark { background: #ffd54f; }
"""


def highlighted(code, spans):
    """
    A code as escaped HTML with the given character ranges in <mark>.

    Inputs:
    - code: the source; spans: (start, end) ranges of it, in order.

    Returns:
    - HTML text for a <pre>.
    """
    if not spans:
        return html.escape(code)
    slices = np.array(spans, dtype=int).T
    text, _ = highlight_overlap(code, slices, MARK_START, MARK_END, escape_html=True)
    return text


def shared_fraction(code, spans):
    """The fraction of a code's characters inside the highlighted ranges."""
    return sum(end - start for start, end in spans) / len(code) if code else 0.0


def side(name, student, code, spans):
    """One column of the page: the name, the student, the share highlighted and the highlighted code."""
    return (f'<div class="side"><h2>{html.escape(name)}</h2>'
            f"<p>student {html.escape(student)}; {shared_fraction(code, spans):.0%} of the characters highlighted</p>"
            f"<pre><code>{highlighted(code, spans)}</code></pre></div>")


def pair_html(pair, *, title=""):
    """
    A page showing a pair's two codes side by side, the regions they share highlighted, and their similarity.

    Inputs:
    - pair: a Pair (from similar_pairs).
    - title: the page's title (escaped); default "a and b".

    Returns:
    - the page as a string (UTF-8 HTML, self-contained).
    """
    title = title or f"{pair.a} and {pair.b}"
    verdict = ("the two files are byte-identical" if pair.identical
               else f"similarity {pair.similarity:.3f}: the share of normalized code (names, comments, strings and "
                    f"layout ignored, the skeleton excluded) the two have in common")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(verdict)}.</p>"
            f'<div class="sides">{side(pair.a, pair.student_a, pair.code_a, pair.spans_a)}'
            f"{side(pair.b, pair.student_b, pair.code_b, pair.spans_b)}</div></body></html>\n")
