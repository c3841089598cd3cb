#!/usr/bin/env bash
# The production smoke test: PostgreSQL-backed gunicorn (2 workers) behind nginx (TLS) on loopback, with
# Redis, a db_worker and an SMTP sink; then deploy/smoke/journey.py drives a new user's first day over
# HTTPS, stopping Redis and the mail server part-way. Needs nginx and openssl (installed if missing),
# PostgreSQL on 127.0.0.1:5432 and redis-server on the PATH.  Usage: bash deploy/smoke/run.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d /tmp/flasky-smoke.XXXXXX)
chmod 755 "$WORK"  # nginx workers (not root) read the static files from here
HTTPS_PORT=${SMOKE_HTTPS_PORT:-8443}
APP_PORT=${SMOKE_APP_PORT:-8091}
REDIS_PORT=${SMOKE_REDIS_PORT:-6391}
SMTP_PORT=${SMOKE_SMTP_PORT:-2591}
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/smtp.pid" ] && kill "$(cat "$WORK/smtp.pid")" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

for tool in nginx openssl redis-server; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl redis-server >/dev/null
  fi
done

export DEBUG=0
SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$HTTPS_PORT
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/flasky_smoke
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export TASKS_BACKEND=database
export EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_HOST=127.0.0.1 EMAIL_PORT=$SMTP_PORT EMAIL_TIMEOUT=5
export SITE_URL=https://127.0.0.1:$HTTPS_PORT
export USE_X_FORWARDED_PROTO=1 TRUSTED_PROXY_COUNT=1
export STATIC_ROOT=$WORK/static MEDIA_ROOT=$WORK/media
export FLASKY_NOTIFICATION_ROUND_SECONDS=2 FLASKY_EMAIL_RETRY_DELAYS=3,5,10
export DJANGO_USER_PASSWORD=smoke-test-password-2026
export LOG_FORMAT=json

echo "Smoke test in $WORK"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS flasky_smoke" -c "CREATE DATABASE flasky_smoke"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile "$WORK/redis.log"

"$PY" manage.py deploy -v 0
"$PY" manage.py adduser other@example.com other --noinput

start_smtp() {
  "$PY" -m flasky_project.smtp_sink --port "$SMTP_PORT" --maildir "$WORK/mail" >> "$WORK/smtp.log" 2>&1 &
  echo $! > "$WORK/smtp.pid"
}
start_smtp
WEB_CONCURRENCY=2 GUNICORN_BIND=127.0.0.1:$APP_PORT "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py \
  flasky_project.wsgi > "$WORK/gunicorn.log" 2>&1 &
PIDS+=("$!")
"$PY" manage.py db_worker --queue-name "*" --interval 0.5 --no-startup-delay > "$WORK/worker.log" 2>&1 &
PIDS+=("$!")

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
# The site's nginx configuration, pointed at this run's ports, files and certificate.
sed -e "s#server 127.0.0.1:8000#server 127.0.0.1:$APP_PORT#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e "/listen \[::\]:443 ssl http2;/d" -e "/listen 80;/d" -e "/listen \[::\]:80;/d" \
    -e "s#/etc/letsencrypt/live/flasky.example.com/fullchain.pem#$WORK/cert.pem#" \
    -e "s#/etc/letsencrypt/live/flasky.example.com/privkey.pem#$WORK/key.pem#" \
    -e "s#/srv/flasky/static/#$WORK/static/#" -e "s#/srv/flasky/media/#$WORK/media/#" \
    -e "s#server_name flasky.example.com;#server_name 127.0.0.1;#" \
    deploy/nginx/flasky.conf | awk 'BEGIN{skip=0} /^server \{/ && !seen++ {skip=1} skip && /^\}/ {skip=0; next} !skip' > "$WORK/site.conf"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/nginx-body; proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi; uwsgi_temp_path $WORK/nginx-uwsgi; scgi_temp_path $WORK/nginx-scgi;
  include $WORK/site.conf;
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"

for _ in $(seq 1 60); do
  curl -ksf "https://127.0.0.1:$HTTPS_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

"$PY" deploy/smoke/journey.py --base "https://127.0.0.1:$HTTPS_PORT" --maildir "$WORK/mail" \
  --redis-stop "redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true" \
  --redis-start "redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile $WORK/redis.log && sleep 0.5" \
  --smtp-stop "kill \$(cat $WORK/smtp.pid); sleep 0.5" \
  --smtp-start "$PY -m flasky_project.smtp_sink --port $SMTP_PORT --maildir $WORK/mail >> $WORK/smtp.log 2>&1 & echo \$! > $WORK/smtp.pid; sleep 1"

# Nothing the journey did may have produced a server error in the logs.
if grep -E '"status": 5[0-9][0-9]|Traceback' "$WORK/gunicorn.log"; then
  echo "The web server logged errors during the journey" >&2
  exit 1
fi
echo "Smoke test passed."
