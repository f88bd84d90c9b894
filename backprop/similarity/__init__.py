"""Flag submissions whose code is unusually alike (copies), with copydetect's fingerprints.

- fingerprints: an Entry (one submission's code) and the k-gram fingerprints of normalized code.
- pairs: the pairs of entries whose fingerprints overlap most (DEFAULT_THRESHOLD, measured), fast for a class.
- html: one pair side by side, the shared code highlighted, as a self-contained page.
"""

from .fingerprints import Entry
from .html import pair_html
from .pairs import DEFAULT_THRESHOLD, MIN_SHARED_KGRAMS, Pair, similar_pairs

__all__ = ["DEFAULT_THRESHOLD", "MIN_SHARED_KGRAMS", "Entry", "Pair", "pair_html", "similar_pairs"]
