"""Bound work done in this process (the trusted side) by wall time, with SIGALRM."""

import contextlib
import signal
import threading
import time

RETRY_SECONDS = 0.05  # after a limit's exception, how soon it is raised again if something swallowed it


@contextlib.contextmanager
def time_limit(seconds, error=TimeoutError):
    """
    Raise `error` in the block after `seconds` of wall time (work done here, outside any sandbox).

    Inputs:
    - seconds: the budget; error: the exception class raised when it runs out.

    A limit already running that ends sooner is kept (limits nest); only the main thread can take
    signals, so elsewhere the block runs unbounded. Python code is stopped between two bytecodes, so a
    single long call into C (a huge matrix product) ends first: batch.py's watchdog bounds that.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    seconds = max(seconds, 1e-3)
    outer = signal.getitimer(signal.ITIMER_REAL)[0]
    if outer and outer <= seconds:
        yield
        return

    state = {"done": False}

    def expire(signum, frame):
        if state["done"]:
            return
        # Again soon, in case this one is swallowed: raised in a garbage collector's callback or a __del__,
        # an exception is only printed as "unraisable", and the block would run on unbounded.
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        raise error(f"took more than {seconds:g} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        state["done"] = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # the outer limit goes on with what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))


def ran_out(error, started, seconds):
    """
    Whether an exception raised in a time_limit block means its time ran out.

    The limit's TimeoutError, raised inside C code (the parser), can surface as another error (CPython:
    "SystemError: AST constructor recursion depth mismatch"): the clock tells.

    Inputs:
    - error: the exception; started: time.monotonic() when the block began; seconds: its limit.

    Returns:
    - a bool.
    """
    return isinstance(error, TimeoutError) or time.monotonic() - started >= seconds
