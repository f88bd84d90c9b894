# The public checks of wrong_row_value, which grader.check("wrong_row_value") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import answered

OK_FORMAT = False
name = "wrong_row_value"


def numbers(value):
    """The answer as a float array, checked to be finite numbers (a list, a tuple or an array)."""
    answered(name, value, (list, tuple, np.ndarray))
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{name} should hold numbers only, e.g. [0.5, -0.25] (a list of rows for a matrix).") from None
    assert array.size > 0 and np.all(np.isfinite(array)), f"{name} should hold finite numbers; it is {value!r}."
    return array


@test_case(name="wrong_row_value: a list of numbers", points=1)
def a_list(wrong_row_value):
    """Finite numbers, as a list, a tuple or an array."""
    numbers(wrong_row_value)
