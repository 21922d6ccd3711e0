# The two commands: `make demo` and `make test`. Only python3 (3.11+) and make are needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install lint clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py collectstatic --noinput -v0
	@echo "Open http://127.0.0.1:8000/chat/ (login demo / demo) and http://127.0.0.1:8000/simulator/"
	DEBUG=$${DEBUG:-true} $(VENV)/bin/daphne -b 127.0.0.1 -p 8000 clinicbot.asgi:application

# Four test workers (pytest-xdist) on this 2-core machine: the extra ones fill the time the others
# wait on a browser, a subprocess or a timeout. A file's tests stay on one worker (`--dist loadfile`),
# so a module's live server and Chromium start once. (`loadgroup` with xdist_group marks did
# nothing since pytest 9: xdist 3.8 writes the group into a node id pytest no longer reads.)
# TEST_WORKERS=0 runs in this process (for pdb).
# Bytecode is cached in .venv/pycache even where the environment says PYTHONDONTWRITEBYTECODE (this
# machine does): without it every worker, live server and manage.py subprocess compiles the project
# and pytest re-rewrites every test module's asserts, ~30 s of CPU a run.
TEST_WORKERS ?= 4
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 test-db.sqlite3 staticfiles
