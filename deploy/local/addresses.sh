#!/usr/bin/env bash
MACHINE=${CENTRALE_MACHINE_STATE:-/var/lib/centrale-dev}
MAILBOX=$(cat "$MACHINE/mailbox.where" 2>/dev/null || echo .run/mailbox)
# Where everything answers once `make up` is done.
cat <<TXT

La Centrale des Marchés Solidaires tourne :

  portail          http://127.0.0.1:8000   (comptes de démonstration : .run/demo-accounts.txt)
  veille           http://127.0.0.1:8001   (API : /docs, /openapi.json)
  accompagnement   http://127.0.0.1:8002   (API : /docs, /openapi.json)
  formation        http://127.0.0.1:8003   (API : /docs, /openapi.json)
  notifications    http://127.0.0.1:8004   (API : /docs, /openapi.json)
  Temporal         127.0.0.1:7233          (interface web : http://127.0.0.1:8233)
  RabbitMQ         127.0.0.1:5672          (gestion : http://127.0.0.1:15672, utilisateur centrale)
  PostgreSQL       127.0.0.1:5432          (bases centrale_<service>, rôle centrale)
  SMTP (puits)     127.0.0.1:1025          (courriels reçus : $MAILBOX, Maildir)
  Prometheus       http://127.0.0.1:9090   (métriques de chaque processus, alertes : /alerts)

  Secrets de la machine : $MACHINE/secrets.env (lien .run/secrets.env) — jeton de service pour essayer l'API :
    make token
  Journaux : .run/logs/     Arrêt : make down
TXT
