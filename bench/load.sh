#!/usr/bin/env bash
# Load a benchmark database: bash bench/load.sh POSTS [DATABASE]  (e.g. 1000000 flasky_bench_1m)
# 10,000 users, 50 follows each, POSTS posts and as many comments, on PostgreSQL at 127.0.0.1:5432.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
POSTS=${1:?how many posts}
DB=${2:-flasky_bench_$POSTS}
PY=${PYTHON:-.venv/bin/python}
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
"$PY" manage.py migrate -v 0
start=$(date +%s)
"$PY" manage.py fakedata --users 10000 --follows-per-user 50 --posts "$POSTS" --comments "$POSTS" --seed 42 | tr '\r' '\n' | grep created
echo "Loaded $DB in $(( $(date +%s) - start )) s"
