#!/usr/bin/env bash
# The production smoke test, scaled out on loopback: two web machines (two gunicorns, 2 workers each, with
# working directories of their own and no shared disk) behind nginx (TLS), one db_worker, PostgreSQL with a
# real streaming replica (a second cluster made with pg_basebackup), Redis, an S3 server for the uploads
# (moto's standalone server) and an SMTP sink. deploy/smoke/journey.py then drives a new user's first day
# over HTTPS, across both machines, stopping Redis, the replica, the mail server and one web machine
# part-way. Needs nginx and openssl (installed if missing), PostgreSQL on 127.0.0.1:5432 with its server
# binaries (initdb, pg_basebackup, pg_ctl) and redis-server.  Usage: bash deploy/smoke/run.sh
#
# The primary must accept replication connections from 127.0.0.1: if pg_hba.conf has no such line, this
# script appends "host replication all 127.0.0.1/32 trust" to it and reloads the server (once; idempotent).
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d /tmp/flasky-smoke.XXXXXX)
chmod 755 "$WORK"  # nginx workers (not root) read the static files from here
HTTPS_PORT=${SMOKE_HTTPS_PORT:-8443}
APP_PORT=${SMOKE_APP_PORT:-8091}
APP_PORT_B=${SMOKE_APP_PORT_B:-8092}
REDIS_PORT=${SMOKE_REDIS_PORT:-6391}
SMTP_PORT=${SMOKE_SMTP_PORT:-2591}
S3_PORT=${SMOKE_S3_PORT:-9101}
REPLICA_PORT=${SMOKE_REPLICA_PORT:-5433}
DB_NAME=${SMOKE_DB_NAME:-flasky_smoke}
PGBIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -1)
PIDS=()
STARTED=$(date +%s)

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/smtp.pid" ] && kill "$(cat "$WORK/smtp.pid")" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  [ -f "$WORK/replica/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/replica" stop -m immediate >/dev/null 2>&1 || true
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
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB_NAME
export DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB_NAME
export FLASKY_READ_YOUR_WRITES_SECONDS=5 FLASKY_REPLICA_RETRY_SECONDS=2
export MEDIA_STORAGE=s3 AWS_STORAGE_BUCKET_NAME=flasky-smoke AWS_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_S3_REGION_NAME=us-east-1 AWS_ACCESS_KEY_ID=smoke AWS_SECRET_ACCESS_KEY=smoke-secret
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export TASKS_BACKEND=database
export EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_HOST=127.0.0.1 EMAIL_PORT=$SMTP_PORT EMAIL_TIMEOUT=5
export SITE_URL=https://127.0.0.1:$HTTPS_PORT
export USE_X_FORWARDED_PROTO=1 TRUSTED_PROXY_COUNT=1
# Each web machine has a folder of its own (its working directory, static files and a MEDIA_ROOT that must
# stay empty: uploads go to the S3 server).
mkdir -p "$WORK/web-a/media" "$WORK/web-b/media"
export STATIC_ROOT=$WORK/web-a/static MEDIA_ROOT=$WORK/web-a/media
export FLASKY_NOTIFICATION_ROUND_SECONDS=2 FLASKY_EMAIL_RETRY_DELAYS=3,5,10
export DJANGO_USER_PASSWORD=smoke-test-password-2026
export LOG_FORMAT=json

echo "Smoke test in $WORK"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME" -c "CREATE DATABASE $DB_NAME"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile "$WORK/redis.log"

# The S3 server, and the bucket the uploads go to.
"$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT" > "$WORK/s3.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$S3_PORT/moto-api/" >/dev/null 2>&1 && break; sleep 0.5; done
"$PY" -c "import boto3; boto3.client('s3', endpoint_url='$AWS_S3_ENDPOINT_URL', region_name='us-east-1',
  aws_access_key_id='smoke', aws_secret_access_key='smoke-secret').create_bucket(Bucket='$AWS_STORAGE_BUCKET_NAME')"

# The streaming replica: a copy of the primary cluster made with pg_basebackup, started as a hot standby.
primary() { psql -h 127.0.0.1 -U postgres -Atq -c "$1"; }
case "$(primary "SHOW wal_level")" in replica|logical) ;; *)
  echo "The primary needs wal_level=replica (ALTER SYSTEM SET wal_level = replica; then restart it)" >&2; exit 1;; esac
if [ "$(primary "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)
      AND auth_method = 'trust' AND (address IS NULL OR address = '127.0.0.1')")" = 0 ]; then
  echo "host replication all 127.0.0.1/32 trust  # added by flasky's deploy/smoke/run.sh" >> "$(primary "SHOW hba_file")"
  primary "SELECT pg_reload_conf()" >/dev/null
  sleep 0.5
fi
install -d -o postgres -m 700 "$WORK/replica" && install -d -o postgres -m 755 "$WORK/pg"
runuser -u postgres -- "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$WORK/replica" -R -X stream -c fast
cat > "$WORK/replica/postgresql.conf" <<PGCONF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '$WORK/pg'
hot_standby = on
shared_buffers = 32MB
PGCONF
# A standby needs at least the primary's values of these.
for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
  echo "$setting = $(primary "SHOW $setting")" >> "$WORK/replica/postgresql.conf"
done
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$WORK/replica/pg_hba.conf"
: > "$WORK/replica/pg_ident.conf"
chown postgres: "$WORK/replica/postgresql.conf" "$WORK/replica/pg_hba.conf" "$WORK/replica/pg_ident.conf"
REPLICA_START="runuser -u postgres -- $PGBIN/pg_ctl -D $WORK/replica -l $WORK/pg/replica.log -w start >/dev/null"
REPLICA_STOP="runuser -u postgres -- $PGBIN/pg_ctl -D $WORK/replica -w stop -m fast >/dev/null"
eval "$REPLICA_START"
replica() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atq -c "$1"; }
[ "$(replica "SELECT pg_is_in_recovery()")" = t ] || { echo "The replica is not a standby" >&2; exit 1; }

"$PY" manage.py deploy -v 0
STATIC_ROOT=$WORK/web-b/static "$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py adduser other@example.com other --noinput
"$PY" manage.py adduser limited@example.com limited --noinput
for _ in $(seq 1 60); do
  [ "$(replica "SELECT count(*) FROM pg_database WHERE datname = '$DB_NAME'" 2>/dev/null)" = 1 ] && break
  sleep 0.5
done

start_smtp() {
  "$PY" -m flasky_project.smtp_sink --port "$SMTP_PORT" --maildir "$WORK/mail" >> "$WORK/smtp.log" 2>&1 &
  echo $! > "$WORK/smtp.pid"
}
start_smtp
# The two web machines: each its own working directory, static files and (unused) media folder.
start_web() {  # name port
  (cd "$WORK/web-$1" && STATIC_ROOT=$WORK/web-$1/static MEDIA_ROOT=$WORK/web-$1/media WEB_CONCURRENCY=2 \
    GUNICORN_BIND=127.0.0.1:$2 exec "$ROOT/.venv/bin/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py" \
    --pythonpath "$ROOT" flasky_project.wsgi) > "$WORK/gunicorn-$1.log" 2>&1 &
  PIDS+=("$!")
  echo "$!" > "$WORK/web-$1.pid"
}
start_web a "$APP_PORT"
start_web b "$APP_PORT_B"
"$PY" manage.py db_worker --queue-name "*" --interval 0.5 --no-startup-delay > "$WORK/worker.log" 2>&1 &
PIDS+=("$!")

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
# The site's nginx configuration, pointed at this run's ports, files and certificate, balancing between the
# two web machines. For the journey, a request with "X-Smoke-Backend: a" (or b) goes to that machine only,
# and every response says which machine answered (X-Smoke-Upstream).
sed -e "s#server 127.0.0.1:8000 fail_timeout=0;#server 127.0.0.1:$APP_PORT fail_timeout=0; server 127.0.0.1:$APP_PORT_B fail_timeout=0;#" \
    -e "s#proxy_pass http://flasky;#proxy_pass http://\$smoke_upstream; add_header X-Smoke-Upstream \$upstream_addr always;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e "/listen \[::\]:443 ssl http2;/d" -e "/listen 80;/d" -e "/listen \[::\]:80;/d" \
    -e "s#/etc/letsencrypt/live/flasky.example.com/fullchain.pem#$WORK/cert.pem#" \
    -e "s#/etc/letsencrypt/live/flasky.example.com/privkey.pem#$WORK/key.pem#" \
    -e "s#/srv/flasky/static/#$WORK/web-a/static/#" -e "s#/srv/flasky/media/#$WORK/web-a/media/#" \
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
  map \$http_x_smoke_backend \$smoke_upstream { default flasky; a flasky_a; b flasky_b; }
  upstream flasky_a { server 127.0.0.1:$APP_PORT; }
  upstream flasky_b { server 127.0.0.1:$APP_PORT_B; }
  include $WORK/site.conf;
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"

for port in "$APP_PORT" "$APP_PORT_B"; do
  for _ in $(seq 1 60); do
    curl -sf -H "X-Forwarded-Proto: https" "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
done

"$PY" deploy/smoke/journey.py --base "https://127.0.0.1:$HTTPS_PORT" --maildir "$WORK/mail" \
  --redis-stop "redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true" \
  --redis-start "redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile $WORK/redis.log && sleep 0.5" \
  --smtp-stop "kill \$(cat $WORK/smtp.pid); sleep 0.5" \
  --smtp-start "$PY -m flasky_project.smtp_sink --port $SMTP_PORT --maildir $WORK/mail >> $WORK/smtp.log 2>&1 & echo \$! > $WORK/smtp.pid; sleep 1" \
  --replica-pause "psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -Atq -c 'SELECT pg_wal_replay_pause()' >/dev/null" \
  --replica-resume "psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -Atq -c 'SELECT pg_wal_replay_resume()' >/dev/null" \
  --replica-stop "$REPLICA_STOP" --replica-start "$REPLICA_START" \
  --web-a-stop "kill -TERM \$(cat $WORK/web-a.pid); while kill -0 \$(cat $WORK/web-a.pid) 2>/dev/null; do sleep 0.2; done" \
  --web-a "127.0.0.1:$APP_PORT" --web-b "127.0.0.1:$APP_PORT_B"

# Nothing the journey did may have produced a server error in the logs.
if grep -E '"status": 5[0-9][0-9]|Traceback' "$WORK/gunicorn-a.log" "$WORK/gunicorn-b.log"; then
  echo "The web servers logged errors during the journey" >&2
  exit 1
fi
# The replica's outage was noticed, and logged, by the web machines.
if ! grep -q "replica_0 is unreachable" "$WORK/gunicorn-a.log" "$WORK/gunicorn-b.log"; then
  echo "No web machine logged the replica's outage" >&2
  exit 1
fi
# No upload touched a web machine's disk.
if [ -n "$(find "$WORK/web-a/media" "$WORK/web-b/media" -type f)" ]; then
  echo "Uploads were written to a web machine's disk:" >&2
  find "$WORK/web-a/media" "$WORK/web-b/media" -type f >&2
  exit 1
fi
echo "Smoke test passed in $(($(date +%s) - STARTED)) s."
