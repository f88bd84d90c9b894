"""Tests for backprop.sandbox.deadline: work on the trusted side stopped by wall time."""

import signal
import time

import pytest

from backprop.sandbox.deadline import time_limit


def test_a_loop_is_stopped_at_the_limit_with_the_chosen_error():
    """Does a Python loop stop after the limit, raising the error class asked for, and is the alarm cleared after?"""
    started = time.monotonic()
    with pytest.raises(LookupError):
        with time_limit(0.2, LookupError):
            while True:
                pass
    assert time.monotonic() - started < 2 and signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_limits_nest_the_sooner_one_wins_and_the_outer_one_goes_on():
    """Inside a limit, does a longer inner limit keep the outer one, and a shorter one end first with the outer
    re-armed after it?"""
    with pytest.raises(TimeoutError):
        with time_limit(0.3):
            with time_limit(30):
                while True:
                    pass
    with pytest.raises(TimeoutError):
        with time_limit(0.5):
            with pytest.raises(LookupError):
                with time_limit(0.1, LookupError):
                    while True:
                        pass
            assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.5
            while True:
                pass

