#!/bin/bash
# Creates the platform's databases on the first start of the PostgreSQL container
# (the official image runs /docker-entrypoint-initdb.d/* only when the data directory is empty).
#
#   centrale_veille, centrale_accompagnement, centrale_formation, centrale_notifications,
#   centrale_portail
#       one database per service: a service never reads another service's tables;
#   temporal, temporal_visibility
#       Temporal's persistence and visibility stores (the temporal container runs with
#       SKIP_DB_CREATE=true and only installs or upgrades their schemas).
#
# All belong to $POSTGRES_USER. Safe to run again by hand: existing databases are kept.
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/init-databases.sh
set -eo pipefail

DATABASES="
  centrale_veille
  centrale_accompagnement
  centrale_formation
  centrale_notifications
  centrale_portail
  temporal
  temporal_visibility
"

for db in $DATABASES; do
  echo "init-databases: ensuring database $db"
  # \gexec runs the generated CREATE DATABASE only when the database does not exist yet.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
       --set db="$db" --set owner="$POSTGRES_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
SQL
done
