# The backprop homework: author (solutions/) -> generate (assignment/, autograder/) -> grade.
# Tool variables can be overridden: make test PYTHON_BOOTSTRAP=python3.11 PYTEST_ARGS=-x; make fuzz FUZZ_ARGS=-x
# make grade SUBMISSIONS=~/class/hw3 RESULTS=~/class/hw3-results JOBS=8 GRADE_ARGS="--call-timeout 20"

PYTHON_BOOTSTRAP ?= python3
VENV ?= .venv
PYTHON ?= $(VENV)/bin/python
PIP ?= $(VENV)/bin/pip
PYTEST_ARGS ?=
FUZZ_ARGS ?=
MASTER ?= solutions/two_layer_net.ipynb
SUBMISSIONS ?= tests/fixtures/submissions
RESULTS ?= results
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
GRADE_ARGS ?=
COPIES ?= 5
GRADESCOPE_ZIP ?= autograder/autograder.zip
QUESTION ?=
EQUIVALENT ?= solutions/two_layer_net.equivalent_mutants.json
MUTANTS_OUT ?= results/mutants.md
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv grade assign check-generated gradescope samples test fuzz benchmark mutants clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PIP) install --quiet --requirement requirements.txt
	$(PYTHON) -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned requirements (done by every target that needs it)

grade: $(STAMP) ## Grade every .ipynb/.zip in SUBMISSIONS (default: the samples) into RESULTS
	$(PYTHON) -m backprop.grade $(SUBMISSIONS) --results $(RESULTS) --jobs $(JOBS) $(GRADE_ARGS)

assign: $(STAMP) ## Regenerate assignment/ and autograder/ from the master notebook
	$(PYTHON) -m backprop.generate --master $(MASTER)

check-generated: $(STAMP) ## Fail if assignment/ or autograder/ is stale against the master
	$(PYTHON) -m backprop.generate --check --master $(MASTER)

gradescope: check-generated ## Build autograder/autograder.zip for Gradescope (setup.sh, run_autograder, hidden tests)
	$(PYTHON) -m backprop.gradescope build --output $(GRADESCOPE_ZIP)

samples: $(STAMP) ## Rebuild the sample submissions in tests/fixtures from their sources
	$(PYTHON) tests/fixtures/build_samples.py

test: $(STAMP) ## Run the framework's test suite
	$(PYTHON) -m pytest $(PYTEST_ARGS)

fuzz: $(STAMP) ## Fuzzing campaign (minutes): random files, values, frames, notebooks; prints inputs tried per property
	$(PYTHON) -m pytest tests/fuzz --hypothesis-profile=campaign --hypothesis-show-statistics $(FUZZ_ARGS)

benchmark: $(STAMP) ## Grading throughput: make grade vs a sequential otter run loop (COPIES per sample)
	$(PYTHON) benchmarks/grade_throughput.py --copies $(COPIES)

mutants: $(STAMP) ## Mutation report of the tests: mutants of the reference, killed by all and by public checks
	$(PYTHON) -m backprop.mutants --jobs $(JOBS) --output $(MUTANTS_OUT) --equivalent $(EQUIVALENT) $(foreach q,$(QUESTION),--question $(q))

clean: ## Remove the venv, caches, the default results folder and the Gradescope zip
	rm -rf $(VENV) .pytest_cache results $(GRADESCOPE_ZIP)
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
