#!/bin/sh
# Container entry point. "web" (default): deploy (retrying while the database starts), then gunicorn.
# "worker": a task worker. Anything else is run as a command (e.g. "python manage.py adduser ...").
set -e
case "${1:-web}" in
  web)
    until python manage.py deploy; do
      echo "Deploy command failed, retrying in 5 secs..."
      sleep 5
    done
    exec gunicorn -c deploy/gunicorn.conf.py --bind "0.0.0.0:${PORT:-8000}" flasky_project.wsgi
    ;;
  worker)
    until python manage.py migrate --check >/dev/null 2>&1; do
      echo "Waiting for the database to be migrated..."
      sleep 5
    done
    exec python manage.py db_worker --queue-name "*" --interval 1
    ;;
  *)
    exec "$@"
    ;;
esac
