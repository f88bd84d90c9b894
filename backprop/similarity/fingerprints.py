"""
The fingerprints of a submission's code: copydetect's k-grams of the code with names, comments, strings and layout
normalized away, minus the k-grams of the skeleton the students started from.

copydetect (MIT) tokenizes with pygments and writes every name as V (F for a defined function), every string as S,
drops comments and whitespace, and keeps keywords, operators, numbers and builtins (range, len) as they are. So
renaming variables, rewording comments or docstrings and reformatting change nothing; a changed number (1e-5 for
1e-6) or operator does. Its k-grams are taken over that normalized text, so moving a whole function elsewhere
changes only the few k-grams that span its two ends.
"""

import dataclasses
import io

from copydetect import CodeFingerprint
from copydetect.utils import get_token_coverage

# k: the length of a k-gram, in characters of normalized code, where a statement such as "out = np.maximum(0, x)"
# is "V=V.V(0,V)" (10 characters). Measured on tests/fixtures/similarity (benchmarks/similarity_precision.py): the
# gap between the least similar planted copy and the most similar pair of independent solutions is widest from
# k = 14 to 20 (0.866 - 0.452 at 14, 0.843 - 0.426 at 16, 0.806 - 0.387 at 20; 0.877 - 0.515 at 10). Shorter
# k-grams match between any two solutions of the same short numpy functions; longer ones lose more of a copy to
# each changed line. 16 is the middle of that plateau.
KGRAM = 16
# Every k-gram is kept (window 1, copydetect's default: its noise and guarantee thresholds are equal). A window
# above 1 keeps the k-grams whose hash is the smallest of the window, and str hashes change from one Python
# process to the next (PYTHONHASHSEED): the similarities would change from run to run. Notebooks are short (a few
# thousand normalized characters), so keeping all of them costs little.
WINDOW = 1


@dataclasses.dataclass(frozen=True)
class Entry:
    """
    One submission, as similarity sees it.

    - name: the submission's file name (shown in the CSV and the page; hostile text, escaped where shown).
    - student: the id of the student who handed it in; two entries of one student are never paired.
    - sha256: the hash of the file's bytes; two byte-identical files are a pair whatever their code.
    - code: the Python source of the graded cells (the notebook's definition cells, in notebook order).
    """

    name: str
    student: str
    sha256: str
    code: str


def fingerprint(code, *, boilerplate_hashes=frozenset()):
    """
    The fingerprint of a piece of code: its normalized k-grams, without the boilerplate's.

    Boilerplate k-grams are removed here, not by CodeFingerprint's own boilerplate argument: copydetect 0.5.0
    intersects the k-gram list, which holds repeats, with numpy's intersect1d(assume_unique=True), and so also
    drops one occurrence of every k-gram a student repeats (tried: "x = a + 1" three times lost 6 of its 22
    positions). Removing them from its hash set and positions gives the same fingerprint without that loss.

    Inputs:
    - code: Python source.
    - boilerplate_hashes: the set of hashes of the skeleton's k-grams (see boilerplate_hashes()).

    Returns:
    - a copydetect CodeFingerprint: hashes, the set of the code's k-gram hashes; hash_idx, where each occurs in
      the normalized code; what compare_files needs to find the shared regions in the original code.
    """
    # the file name only tells copydetect the language, which is given; it is never opened (fp is given)
    found = CodeFingerprint("code.py", KGRAM, WINDOW, filter=True, language="python", fp=io.StringIO(code))
    if boilerplate_hashes:
        found.hashes = found.hashes - boilerplate_hashes
        found.hash_idx = {value: where for value, where in found.hash_idx.items() if value not in boilerplate_hashes}
        found.token_coverage = get_token_coverage(found.hash_idx, KGRAM, len(found.filtered_code))
    return found


def boilerplate_hashes(code):
    """
    The hashes of the k-grams of the skeleton's code: what every student starts from, no sign of copying.

    Inputs:
    - code: the skeleton's code (the student notebook's definition cells with their stubs), or "".

    Returns:
    - a frozenset of hashes (empty for no code).
    """
    return frozenset(fingerprint(code).hashes) if code.strip() else frozenset()
