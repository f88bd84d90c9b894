"""Precision and recall of backprop.similarity on the fixture class, and its time for a class of 1000.

What it measures:
- the k table: for several k-gram lengths k, the similarity of the least similar planted copy and of the most
  similar pair of independent solutions in tests/fixtures/similarity, with the skeleton as boilerplate and
  without it. The threshold must fall in the gap between the two; k is chosen where the gap is widest.
- the threshold table, at the package's k and MIN_SHARED_KGRAMS: for each threshold, the pairs flagged, the
  planted copies found (true positives), the independent pairs flagged (false positives), precision and recall.
  The planted pairs are {copyNN_of_studentMM, studentMM}; every other pair is independent.
- the time of similar_pairs on a synthetic class of N entries (default 1000, about 500,000 pairs): each entry
  takes each function from one of the fixture's complete solutions, at random, so most pairs share k-grams (the
  worst case for the inverted index) and some share most of their code (flagged, compared with compare_files).
  The time is split into fingerprinting (pygments' tokenizer, once per entry) and the rest.
The numbers are printed, nothing is asserted; timings are of this (shared, noisy) machine.

Run from the repository root:
    .venv/bin/python benchmarks/similarity_precision.py [--entries N] [--seed S]
"""

import argparse
import hashlib
import pathlib
import random
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backprop.similarity import DEFAULT_THRESHOLD, Entry, similar_pairs  # noqa: E402
from backprop.similarity import fingerprints, pairs  # noqa: E402
from tests.fixtures.similarity.fixture_class import HERE, boilerplate, fixture_class  # noqa: E402

THRESHOLDS = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
KGRAMS = [8, 10, 12, 14, 16, 20, 25]


def all_similarities(entries, skeleton):
    """The similarity of every pair that shares a k-gram, as a dict {frozenset of names: similarity}."""
    kept = pairs.MIN_SHARED_KGRAMS
    pairs.MIN_SHARED_KGRAMS = 0
    try:
        return {frozenset((pair.a, pair.b)): pair.similarity
                for pair in similar_pairs(entries, boilerplate=skeleton, threshold=0.0) if not pair.identical}
    finally:
        pairs.MIN_SHARED_KGRAMS = kept


def gap(entries, planted, skeleton):
    """The least similar planted copy and the most similar independent pair."""
    found = all_similarities(entries, skeleton)
    least_copy = min(found.get(pair, 0.0) for pair in planted)
    independent = max((value, sorted(pair)) for pair, value in found.items() if pair not in planted)
    return least_copy, independent


def k_table(entries, planted):
    """Print, for each k, the gap between copies and independent pairs, with and without the skeleton."""
    kept = fingerprints.KGRAM
    print(f"{'k':>3} | {'skeleton excluded: copies >=':>28} {'independent <=':>14} {'gap':>6} | "
          f"{'no boilerplate: copies >=':>25} {'independent <=':>14}  most alike independent pair")
    try:
        for k in KGRAMS:
            fingerprints.KGRAM = k
            least, (most, names) = gap(entries, planted, boilerplate())
            least_bare, (most_bare, _) = gap(entries, planted, "")
            print(f"{k:>3} | {least:>28.3f} {most:>14.3f} {least - most:>6.3f} | {least_bare:>25.3f} "
                  f"{most_bare:>14.3f}  {' & '.join(names)}")
    finally:
        fingerprints.KGRAM = kept


def threshold_table(entries, planted):
    """Print precision and recall on the fixture class for each threshold."""
    print(f"{'threshold':>9} {'flagged':>7} {'copies found':>12} {'independent flagged':>19} {'precision':>9} "
          f"{'recall':>6}")
    for threshold in sorted(set(THRESHOLDS + [DEFAULT_THRESHOLD])):
        flagged = {frozenset((pair.a, pair.b)) for pair in similar_pairs(entries, boilerplate=boilerplate(),
                                                                         threshold=threshold)}
        true = len(flagged & planted)
        precision = true / len(flagged) if flagged else 1.0
        mark = "  <- DEFAULT_THRESHOLD" if threshold == DEFAULT_THRESHOLD else ""
        print(f"{threshold:>9.2f} {len(flagged):>7} {true:>6} of {len(planted):<3} {len(flagged) - true:>19} "
              f"{precision:>9.3f} {true / len(planted):>6.3f}{mark}")


def functions_of(text):
    """The top-level chunks of a fixture file, by the name they define ('' for the import)."""
    chunks = re.split(r"\n(?=\S)", text.strip("\n"))
    named = {}
    for chunk in chunks:
        match = re.match(r"(?:def\s+(\w+)|(\w+)\s*=)", chunk)
        if match:
            named[match.group(1) or match.group(2)] = chunk
    return named


def synthetic_class(count, seed):
    """count entries, each function taken from a random complete fixture solution (helpers come along)."""
    rng = random.Random(seed)
    solutions = [functions_of(path.read_text()) for path in sorted((HERE / "independent").glob("*.py"))
                 if "NotImplementedError" not in path.read_text()]
    order = list(functions_of(boilerplate()))  # the notebook's order of the functions and answers
    entries = []
    for index in range(count):
        parts = ["import numpy as np"]
        for name in order:
            source = rng.choice([solution for solution in solutions if name in solution])
            helpers = [chunk for other, chunk in source.items() if other not in order]
            parts.extend(helpers + [source[name]])
        parts.append(f"seed = {index}")  # no two entries byte-identical
        code = "\n\n".join(dict.fromkeys(parts)) + "\n"
        entries.append(Entry(name=f"synthetic{index:04d}.ipynb", student=f"s{index:04d}",
                             sha256=hashlib.sha256(code.encode()).hexdigest(), code=code))
    return entries


def timing(count, seed):
    """Print the time of similar_pairs on a synthetic class of count entries."""
    entries = synthetic_class(count, seed)
    started = time.perf_counter()
    skeleton = fingerprints.boilerplate_hashes(boilerplate())
    for entry in entries:
        fingerprints.fingerprint(entry.code, boilerplate_hashes=skeleton)
    fingerprinting = time.perf_counter() - started
    started = time.perf_counter()
    flagged = similar_pairs(entries, boilerplate=boilerplate())
    total = time.perf_counter() - started
    print(f"{count} entries ({count * (count - 1) // 2} pairs): similar_pairs took {total:.1f} s, of which "
          f"fingerprinting about {fingerprinting:.1f} s (timed apart, {1000 * fingerprinting / count:.1f} ms per "
          f"entry); {len(flagged)} pairs flagged (entries mix the same 14 solutions, so many share most code)")


def main():
    """Print the k table, the threshold table and the timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000, help="entries of the synthetic class (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic class")
    arguments = parser.parse_args()
    entries, planted = fixture_class()
    print(f"fixture class: {len(entries)} entries, {len(planted)} planted copies, "
          f"{len(entries) * (len(entries) - 1) // 2 - len(planted)} independent pairs; "
          f"k = {fingerprints.KGRAM}, MIN_SHARED_KGRAMS = {pairs.MIN_SHARED_KGRAMS}\n")
    k_table(entries, planted)
    print()
    threshold_table(entries, planted)
    print()
    timing(arguments.entries, arguments.seed)


if __name__ == "__main__":
    main()
