# The public checks of dead_unit_gradient, which grader.check("dead_unit_gradient") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import math
from feedback import answered

OK_FORMAT = False
name = "dead_unit_gradient"


@test_case(name="dead_unit_gradient: a number", points=1)
def a_number(dead_unit_gradient):
    """A finite number (int or float)."""
    value = answered(name, dead_unit_gradient, (int, float))
    assert math.isfinite(value), f"{name} should be a finite number; it is {value!r}."
