"""The backprop homework framework: author -> generate -> student works -> grade.

- generate: the master notebook in solutions/ -> assignment/ and autograder/.
- checks: the test helpers shipped with the tests (feedback for everyone,
  trusted for the hidden tests only).
- grade: run the otter test files against a notebook's functions.
"""
