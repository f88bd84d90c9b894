"""The backprop homework framework: author -> generate -> student works -> grade.

- generate: the master notebook in solutions/ -> assignment/ and autograder/.
- checks: the test helpers shipped with the tests (feedback for everyone,
  trusted for the hidden tests only).
- sandbox: a confined process that runs student code; values cross as plain data.
- grade: submissions -> definition cells in a sandbox -> otter test files run here -> results.
- report: grades.csv, student feedback, Gradescope's results.json, the class report.
"""
