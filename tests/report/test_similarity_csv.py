"""Tests for backprop.report.csv_table.similarity_csv: the CSV of flagged pairs."""

import csv
import io

from backprop.report.csv_table import similarity_csv
from backprop.similarity import Pair

PAIRS = [Pair("a.ipynb", "b.ipynb", "1", "2", 0.97, True, "", ""),  # identical files: written 1.000
         Pair("=HYPERLINK(\"x\").ipynb", "c, d.ipynb", "3", "4", 0.71249, False, "", "")]


def test_columns_are_a_b_similarity_with_three_decimals():
    """Is the header exactly a,b,similarity, identical pairs 1.000, others rounded to 3 decimals, in order?"""
    text = similarity_csv(PAIRS)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["a", "b", "similarity"]
    assert [row[2] for row in rows[1:]] == ["1.000", "0.712"]
    assert rows[1][:2] == ["a.ipynb", "b.ipynb"] and rows[2][1] == "c, d.ipynb"


def test_one_byte_order_mark_and_no_formula():
    """Does the text start with the BOM every CSV of the grader has, then its header, and is a name =HYPERLINK(...)
    no formula?"""
    text = similarity_csv(PAIRS)
    assert text.startswith("\ufeffa,b,similarity\n")
    assert list(csv.reader(io.StringIO(text[1:])))[2][0] == "'=HYPERLINK(\"x\").ipynb"


def test_no_pairs_is_the_header_alone():
    """Is an empty list of pairs a CSV with its header only?"""
    assert similarity_csv([]) == "\ufeffa,b,similarity\n"
