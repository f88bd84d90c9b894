"""Hypothesis settings for the fuzz suite: a short profile for `make test`, a long campaign for `make fuzz`.

- fuzz (loaded here unless another profile was chosen): few examples, the same ones on every run
  (derandomize), so that `make test` stays deterministic and adds well under a minute.
- campaign: `pytest tests/fuzz --hypothesis-profile=campaign` (what `make fuzz` runs): many more examples,
  new ones on every run.

Both: no deadline (a sandbox start or a time limit hit takes seconds, and the machine may be shared: the tests
bound time themselves), no example database and hypothesis's other files in the temporary folder (nothing is
written into the checkout; print_blob shows how to replay a failure), and two health checks off: generating
notebooks, zip archives and frames draws much data (data_too_large) and takes time (too_slow), by design.
"""

import os
import tempfile

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), f"backprop-fuzz-hypothesis-{os.getuid()}"))
SHORT, CAMPAIGN = "fuzz", "campaign"
COMMON = {"deadline": None, "database": None, "print_blob": True,
          "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

settings.register_profile(SHORT, max_examples=60, derandomize=True, **COMMON)
settings.register_profile(CAMPAIGN, max_examples=3000, **COMMON)
if settings.get_current_profile_name() == "default":  # pytest --hypothesis-profile=... chose none
    settings.load_profile(SHORT)
