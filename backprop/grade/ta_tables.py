"""CSV files a TA writes by hand or saves from a spreadsheet (a roster, overrides.csv): read alike.

UTF-8 (a BOM is fine: Excel's "CSV UTF-8" writes one); comma, semicolon or tab separated, whichever the header
line uses most (Excel in many European locales saves with semicolons); every problem raised as the caller's
error class, naming the file and the line.
"""

import csv
import io
import pathlib

MAX_BYTES = 20_000_000  # a roster of 100,000 students is a few MB


def read_text(path, *, error, what, max_bytes=MAX_BYTES):
    """
    The text of a TA's CSV file.

    Inputs:
    - path: the file; error: the exception class to raise; what: what the file is, for messages ("roster").
    - max_bytes: the largest file read.

    Returns:
    - the text, without a BOM.

    Raises error naming the file (and the line where the text stops being UTF-8).
    """
    path = pathlib.Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as failure:
        raise error(f"{path}: cannot be read ({failure.strerror or failure})") from None
    if len(data) > max_bytes:
        raise error(f"{path}: larger than {max_bytes // 1_000_000} MB, which no {what} is")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        line = data[:failure.start].count(b"\n") + 1
        raise error(f"{path}, line {line}: not UTF-8 text (in Excel, save it as \"CSV UTF-8\")") from None


def read_rows(text, *, error, source):
    """
    The lines of a TA's CSV text, with their line numbers.

    Inputs:
    - text: the CSV's text; error: the exception class to raise; source: the file's name, for messages.

    Returns:
    - (the header's cells, or [] for an empty text; an iterator of (line number, cells) for the later lines).
      A line number is the file's line where the row starts (right where a quoted cell holds line breaks).
      Iterating raises error at a line that is not CSV (a quote never closed, text after a closing quote).
    """
    text = text.removeprefix("\ufeff")
    delimiter = max((",", ";", "\t"), key=text.split("\n", 1)[0].count)  # ties go to the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def parsed():
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as failure:
            raise error(f"{source}, line {reader.line_num}: not a CSV line ({failure})") from None

    rows = parsed()
    first = next(rows, None)
    return (first[1] if first else []), rows
