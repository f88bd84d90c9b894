# The public checks of gradient_check_bug, which grader.check("gradient_check_bug") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
from feedback import answered_choice

OK_FORMAT = False
name = "gradient_check_bug"
CHOICES = ("a", "b", "c", "d", "e")


@test_case(name="gradient_check_bug: one of the choices", points=1)
def a_choice(gradient_check_bug):
    """One of "a" to "e"."""
    answered_choice(name, gradient_check_bug, CHOICES)
