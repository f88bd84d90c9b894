# The public checks of max_shift_reason, which grader.check("max_shift_reason") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
from feedback import answered_choice

OK_FORMAT = False
name = "max_shift_reason"
CHOICES = ("a", "b", "c", "d")


@test_case(name="max_shift_reason: one of the choices", points=1)
def a_choice(max_shift_reason):
    """One of "a" to "d"."""
    answered_choice(name, max_shift_reason, CHOICES)
