# Homework on backpropagation: author (solutions/<name>.ipynb) -> generate (assignment/<name>/, autograder/<name>/)
# -> grade. ASSIGNMENT=<name> (or several, space-separated) limits assign, grade, gradescope and mutants to those
# assignments; without it they act on every assignment. Tool variables can be overridden:
# make test PYTHON_BOOTSTRAP=python3.11 PYTEST_ARGS=-x; make fuzz FUZZ_ARGS=-x
# make grade SUBMISSIONS=~/class/hw3 RESULTS=~/class/hw3-results ROSTER=~/class/roster.csv JOBS=8 GRADE_ARGS="--call-timeout 20"

PYTHON_BOOTSTRAP ?= python3
VENV ?= .venv
PYTHON ?= $(VENV)/bin/python
PIP ?= $(VENV)/bin/pip
PYTEST_ARGS ?=
FUZZ_ARGS ?=
ASSIGNMENT ?=
NAME ?=
SUBMISSIONS ?= tests/fixtures/submissions
RESULTS ?= results
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
GRADE_ARGS ?=
ROSTER ?=
COPIES ?= 5
QUESTION ?=
STAMP := $(VENV)/.installed
ASSIGNMENTS = $(foreach a,$(ASSIGNMENT),--assignment $(a))
LAB = $(firstword $(ASSIGNMENT) $(basename $(notdir $(wildcard solutions/*.ipynb))))
LAB_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv grade assign check-generated new-assignment handout lab gradescope samples test fuzz benchmark mutants clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PIP) install --quiet --requirement requirements.txt
	$(PYTHON) -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned requirements (done by every target that needs it)

grade: $(STAMP) ## Grade SUBMISSIONS (a class folder, or a part of one: merged) into RESULTS/<name>/, ROSTER optional
	$(PYTHON) -m backprop.grade $(SUBMISSIONS) --results $(RESULTS) --jobs $(JOBS) $(ASSIGNMENTS) \
		$(if $(ROSTER),--roster $(ROSTER)) $(GRADE_ARGS)

assign: $(STAMP) ## Regenerate assignment/<name>/ and autograder/<name>/ from each master solutions/<name>.ipynb
	$(PYTHON) -m backprop.generate $(ASSIGNMENTS)

check-generated: $(STAMP) ## Fail if a generated file is stale against its master
	$(PYTHON) -m backprop.generate --check $(ASSIGNMENTS)

new-assignment: $(STAMP) ## Scaffold solutions/NAME.ipynb: a function question, a short answer, their tests
	$(PYTHON) -m backprop.generate.scaffold $(NAME)

handout: check-generated ## Write results/handout/<name>.zip, the folder to give students (ASSIGNMENT, or every one)
	$(PYTHON) -m backprop.generate.handout $(ASSIGNMENTS)

lab: $(STAMP) ## Open a copy of the student notebook (ASSIGNMENT, default the first) in JupyterLab, in results/lab/
	rm -rf results/lab/$(LAB) && mkdir -p results/lab && cp -R assignment/$(LAB) results/lab/$(LAB)
	cd results/lab/$(LAB) && $(abspath $(VENV))/bin/jupyter lab $(LAB_ARGS) $(LAB).ipynb

gradescope: check-generated ## Build autograder/<name>/autograder.zip for Gradescope (setup.sh, run_autograder, tests)
	$(PYTHON) -m backprop.gradescope build $(ASSIGNMENTS)

samples: $(STAMP) ## Rebuild the sample submissions in tests/fixtures (and of the fixture course) from their sources
	$(PYTHON) tests/fixtures/build_samples.py
	$(PYTHON) tests/fixtures/course/build_samples.py

test: $(STAMP) ## Run the framework's test suite
	$(PYTHON) -m pytest $(PYTEST_ARGS)

fuzz: $(STAMP) ## Fuzzing campaign (minutes): random files, values, frames, notebooks; prints inputs tried per property
	$(PYTHON) -m pytest tests/fuzz --hypothesis-profile=campaign --hypothesis-show-statistics $(FUZZ_ARGS)

benchmark: $(STAMP) ## Cost per file of make grade (wall, core-s, CPU) vs starting python+numpy and an otter run loop (COPIES per sample)
	$(PYTHON) benchmarks/grade_throughput.py --copies $(COPIES)

mutants: $(STAMP) ## Mutation report of the tests into results/mutants/<name>.md: mutants killed by all, by public checks
	$(PYTHON) -m backprop.mutants --jobs $(JOBS) $(ASSIGNMENTS) $(foreach q,$(QUESTION),--question $(q))

clean: ## Remove the venv, caches, the default results folder and the Gradescope zips
	rm -rf $(VENV) .pytest_cache results autograder/*/autograder.zip
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
