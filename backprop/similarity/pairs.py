"""
The pairs of submissions whose code is unusually alike, most alike first.

Each entry is fingerprinted once (fingerprints.fingerprint). The k-grams two entries share are counted for every
pair at once, as the product of the entry-by-k-gram incidence matrix with its transpose (scipy.sparse): an inverted
index, in compiled code, where comparing 500,000 pairs one by one in Python would take minutes. Only the flagged
pairs are compared with copydetect's compare_files, for the regions the page highlights. For a class of 1000
(benchmarks/similarity_precision.py) nearly all the time is pygments tokenizing each entry once.
"""

import dataclasses
import itertools

import numpy as np
import scipy.sparse
from copydetect import compare_files

from .fingerprints import boilerplate_hashes, fingerprint

# Measured on tests/fixtures/similarity (15 independent solutions, 10 planted copies of 10 of them, the skeleton
# as boilerplate; benchmarks/similarity_precision.py) at k = 16: planted copies score 0.843 to 1.000, pairs of
# independent solutions at most 0.426 (two plain CS231n-style solutions; without the skeleton excluded, 0.49).
# 0.65 is in the middle of that gap: precision and recall are 1.0 from 0.43 to 0.84. In a class of hundreds, the
# most alike of many plain solutions comes closer to the copies than in 15, hence the middle, not just above 0.426.
DEFAULT_THRESHOLD = 0.65
# Fewer shared k-grams than this is no evidence, however large a fraction of the code it is: the four layer
# functions written the plain way are 147 k-grams (student15 of the fixtures, who wrote only those), and 117 of
# them are in another plain solution written independently. Planted copies share 485 to 844.
MIN_SHARED_KGRAMS = 150


@dataclasses.dataclass(frozen=True)
class Pair:
    """
    Two submissions whose code is unusually alike.

    - a, b: the entries' names (a < b); student_a, student_b: their students.
    - similarity: 0..1, the share of the k-grams the two have in common (1.0 for byte-identical files).
    - identical: whether the two files are byte-identical (same sha256).
    - code_a, code_b: the two codes; spans_a, spans_b: (start, end) character ranges of each code that the other
      has too (skeleton excluded), for the page.
    """

    a: str
    b: str
    student_a: str
    student_b: str
    similarity: float
    identical: bool
    code_a: str
    code_b: str
    spans_a: tuple = ()
    spans_b: tuple = ()


def shared_kgram_counts(hash_sets):
    """
    How many k-grams each pair of sets has in common, for every pair at once.

    Inputs:
    - hash_sets: a list of n sets of k-gram hashes (ints).

    Returns:
    - rows, columns, counts: arrays for the pairs (rows[i] < columns[i]) that share at least one k-gram.
    """
    sizes = np.array([len(hashes) for hashes in hash_sets])
    every_hash = np.fromiter(itertools.chain.from_iterable(hash_sets), dtype=np.int64, count=int(sizes.sum()))
    _, column_of = np.unique(every_hash, return_inverse=True)
    row_of = np.repeat(np.arange(len(hash_sets)), sizes)
    incidence = scipy.sparse.csr_matrix((np.ones(len(every_hash), dtype=np.int32), (row_of, column_of)),
                                        shape=(len(hash_sets), int(column_of.max(initial=-1)) + 1))
    shared = scipy.sparse.triu(incidence @ incidence.T, k=1).tocoo()
    return shared.row, shared.col, shared.data


def similarity_of(shared, size_a, size_b):
    """
    The similarity of two codes from their k-gram counts: shared / max(size_a, size_b).

    That is the smaller of the two overlap fractions (the share of a's k-grams that b has, and of b's that a
    has). The larger would call a submission that holds one or two functions a copy of every complete one that
    solves them the same way: its few k-grams are all somewhere in a class of 1000. With the smaller, a copy must
    be most of both files; padding a copy with as much unrelated code again halves it (a known limit).

    Inputs:
    - shared: the number of k-grams in common; size_a, size_b: each code's number of k-grams (numbers or arrays).

    Returns:
    - the similarity, 0..1.
    """
    return shared / np.maximum(np.maximum(size_a, size_b), 1)


def spans(slices):
    """copydetect's 2 x n array of slice starts and ends as a tuple of (start, end) pairs of ints."""
    if len(slices) == 0 or len(slices[0]) == 0:
        return ()
    return tuple((int(start), int(end)) for start, end in zip(slices[0], slices[1]))


def similar_pairs(entries, *, boilerplate="", threshold=DEFAULT_THRESHOLD, shown=None):
    """
    The pairs of entries whose code is unusually alike, most similar first.

    Byte-identical files (same sha256) are a pair at similarity 1.0 when their code has at least MIN_SHARED_KGRAMS
    k-grams of its own (beyond the boilerplate: two untouched skeletons are no copy). Other pairs are flagged
    when they share at least MIN_SHARED_KGRAMS k-grams of normalized code outside the boilerplate and their
    similarity (similarity_of) is at least threshold. Two entries of one student are never a pair, two students
    are one pair at most (their two most alike files), and entries with empty code are only compared by their
    bytes.

    Inputs:
    - entries: Entry objects (names should be unique).
    - boilerplate: the skeleton's code (the student notebook's definition cells with their stubs): its k-grams
      are no sign of copying.
    - threshold: the similarity from which a pair is flagged, 0..1.
    - shown: how many of the most similar pairs get their shared regions (spans_a, spans_b) for a side-by-side
      page (None: every pair). Finding them costs more than flagging: a class of many near-identical files has
      thousands of pairs.

    Returns:
    - a list of Pair, by decreasing similarity, then by names.
    """
    entries = list(entries)
    found = {}  # (i, j) with i < j -> (similarity, identical)
    by_bytes = {}
    for index, entry in enumerate(entries):
        by_bytes.setdefault(entry.sha256, []).append(index)
    skeleton = boilerplate_hashes(boilerplate)
    prints = {index: fingerprint(entry.code, boilerplate_hashes=skeleton)
              for index, entry in enumerate(entries) if entry.code.strip()}
    for same in by_bytes.values():
        # the same bytes, with code of their own: an untouched skeleton (or one short answer in it) handed in by
        # two students is the same file without anyone copying
        if same[0] not in prints or len(prints[same[0]].hashes) < MIN_SHARED_KGRAMS:
            continue
        for i, j in itertools.combinations(same, 2):
            if entries[i].student != entries[j].student:
                found[i, j] = (1.0, True)
    compared = [index for index, print_ in prints.items() if print_.hashes]
    if compared:
        sizes = np.array([len(prints[index].hashes) for index in compared])
        rows, columns, shared = shared_kgram_counts([{int(value) for value in prints[index].hashes}
                                                     for index in compared])
        similarity = similarity_of(shared, sizes[rows], sizes[columns])
        for row, column, value, count in zip(rows, columns, similarity, shared):
            i, j = compared[row], compared[column]
            if (value >= threshold and count >= MIN_SHARED_KGRAMS and (i, j) not in found
                    and entries[i].student != entries[j].student):
                found[i, j] = (float(value), False)

    best = {}  # one pair per two students (a student's notebook and its export would repeat it): the most alike
    for (i, j), (value, identical) in sorted(found.items(), key=lambda item: (-item[1][0], not item[1][1],
                                                                              entries[item[0][0]].name,
                                                                              entries[item[0][1]].name)):
        best.setdefault(frozenset((entries[i].student, entries[j].student)), ((i, j), (value, identical)))
    pairs = []
    for (i, j), (value, identical) in best.values():
        first, second = sorted((i, j), key=lambda index: entries[index].name)
        pairs.append(Pair(entries[first].name, entries[second].name, entries[first].student,
                          entries[second].student, value, identical, entries[first].code, entries[second].code))
    pairs.sort(key=lambda pair: (-pair.similarity, pair.a, pair.b))
    index = {entry.name: number for number, entry in enumerate(entries)}
    for number, pair in enumerate(pairs[:shown]):  # where the code is shared: only for the pairs shown side by side
        if pair.identical:  # the whole code is
            whole = ((0, len(pair.code_a)),)
            pairs[number] = dataclasses.replace(pair, spans_a=whole, spans_b=whole)
        else:
            _, _, slices = compare_files(prints[index[pair.a]], prints[index[pair.b]])
            pairs[number] = dataclasses.replace(pair, spans_a=spans(slices[0]), spans_b=spans(slices[1]))
    return pairs
