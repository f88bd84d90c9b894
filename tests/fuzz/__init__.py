"""The fuzz suite (hypothesis): random files, values, frames and notebooks thrown at the reader, codec and grader.

A package, unlike the other test folders, so that its conftest.py (the settings profiles) is imported as
fuzz.conftest and its modules as fuzz.test_*: a second top-level `conftest` module would replace the one the
other tests import their paths from, and test_codec.py here would collide with tests/sandbox/test_codec.py.
"""
