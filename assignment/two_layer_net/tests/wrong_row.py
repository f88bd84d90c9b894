# The public checks of wrong_row, which grader.check("wrong_row") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
from feedback import answered_choice

OK_FORMAT = False
name = "wrong_row"
CHOICES = ("a", "b", "c", "d", "e")


@test_case(name="wrong_row: one of the choices", points=1)
def a_choice(wrong_row):
    """One of "a" to "e"."""
    answered_choice(name, wrong_row, CHOICES)
