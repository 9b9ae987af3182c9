# The two commands a newcomer needs: `make up` (the platform with demo data) and `make test`.
# Everything they need is installed and started by deploy/local/infra.sh, and reused when
# already running.
SHELL := /bin/bash
SERVICES := veille accompagnement formation notifications portail
PY := .venv/bin/python
LOAD_ENV := set -a; . .run/centrale.env; set +a

.PHONY: up down test bench load infra migrate start demo status addresses token backup restore

up: infra migrate start demo addresses

infra:
	@bash deploy/local/infra.sh all

BUS_SERVICES := veille accompagnement formation notifications

# Database migrations, then the bus queues as quorum queues (classic ones of an older checkout
# are moved over: `make up` stops nothing, so run `make down` first if its bus processes run).
migrate: infra
	@$(LOAD_ENV); for s in $(SERVICES); do .venv/bin/$$s migrate | grep -v '^  ' || exit 1; done
	@$(LOAD_ENV); for s in $(BUS_SERVICES); do out=$$(.venv/bin/$$s queues) \
	  || { echo "$$out"; exit 1; }; echo "$$out" | head -n 1; done

start: migrate
	@echo "==> Démarrage des services (web, worker Temporal, bus)"
	@$(LOAD_ENV); $(PY) deploy/local/processes.py start

CPV_CODELIST := ../shared/samples/codelists/eforms-sdk_translations_code_fr.xml

demo: start
	@echo "==> Données de référence et de démonstration"
	@$(LOAD_ENV); if [ -f $(CPV_CODELIST) ]; then .venv/bin/veille cpv $(CPV_CODELIST); \
	  else echo "veille cpv : $(CPV_CODELIST) absent, codes CPV sans libellés"; fi
	@$(LOAD_ENV); .venv/bin/veille schedules && .venv/bin/notifications schedules \
	  && .venv/bin/accompagnement schedules
	@$(LOAD_ENV); for s in $(SERVICES); do .venv/bin/$$s demo || exit 1; done

addresses:
	@bash deploy/local/addresses.sh

status:
	@$(PY) deploy/local/processes.py status

down:
	@$(PY) deploy/local/processes.py stop-all
	@bash deploy/local/infra.sh stop-system

test:
	@bash deploy/local/infra.sh test
	@$(LOAD_ENV); $(PY) deploy/check_compose.py
	@$(LOAD_ENV); $(PY) -m pytest

bench: infra
	@$(LOAD_ENV); $(PY) -m bench

# Sustained load on the platform `make up` started: make load ARGS="--seconds 30 --rate 80"
load:
	@$(LOAD_ENV); $(PY) -m bench.load $(ARGS)

# pg_dump of every service's database (and the local Temporal's state) into .run/backups/<date>;
# make restore ARGS="--dry-run" | ARGS="--into-suffix _restauree" | ARGS="--replace --yes"
backup: infra
	@$(LOAD_ENV); $(PY) deploy/backup.py backup $(ARGS)

restore: infra
	@$(LOAD_ENV); $(PY) deploy/backup.py restore $(ARGS)

token:
	@$(LOAD_ENV); $(PY) -c "import os; from centrale.auth import service_token; \
	print(service_token(os.environ['CENTRALE_TOKEN_SECRET'], 'cli', ttl_s=3600))"
