# The public checks of max_shift_reason, which grader.check("max_shift_reason") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
from feedback import answered

OK_FORMAT = False
name = "max_shift_reason"
CHOICES = ("a", "b", "c", "d")


def choice(value):
    """The answer, checked to be one of the letters, in lower case ("(b)" and "B" are read as "b")."""
    letter = answered(name, value, str).strip().strip("()").strip().lower()
    assert letter in CHOICES, f"{name} should be one of {', '.join(map(repr, CHOICES))}; it is {value!r}."
    return letter


@test_case(name="max_shift_reason: one of the choices", points=1)
def a_choice(max_shift_reason):
    """One of "a" to "d"."""
    choice(max_shift_reason)
