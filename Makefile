# The backprop homework: author (solutions/) -> generate (assignment/, autograder/) -> grade.
# Tool variables can be overridden: make test PYTHON_BOOTSTRAP=python3.11 PYTEST_ARGS=-x

PYTHON_BOOTSTRAP ?= python3
VENV ?= .venv
PYTHON ?= $(VENV)/bin/python
PIP ?= $(VENV)/bin/pip
PYTEST_ARGS ?=
MASTER ?= solutions/two_layer_net.ipynb
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv assign check-generated test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PIP) install --quiet --requirement requirements.txt
	$(PYTHON) -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned requirements (done by every target that needs it)

assign: $(STAMP) ## Regenerate assignment/ and autograder/ from the master notebook
	$(PYTHON) -m backprop.generate --master $(MASTER)

check-generated: $(STAMP) ## Fail if assignment/ or autograder/ is stale against the master
	$(PYTHON) -m backprop.generate --check --master $(MASTER)

test: $(STAMP) ## Run the framework's test suite
	$(PYTHON) -m pytest $(PYTEST_ARGS)

clean: ## Remove the venv and caches
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
