#!/usr/bin/env bash
# Makes a local PostgreSQL available for memos' tests: installs the Debian package when missing,
# starts the cluster, and creates the test role (allowed to create databases, CHECKPOINT and read the
# server's settings, for the erasure test) and database. Idempotent; safe to run every time.
#
#   scripts/postgres.sh            ensure it is up, print the JDBC URL
#   scripts/postgres.sh stop       stop the cluster again
#
# Environment: MEMOS_PG_DB (memos_test), MEMOS_PG_USER (memos), MEMOS_PG_PASSWORD (memos), MEMOS_PG_PORT (5432).
set -euo pipefail

db=${MEMOS_PG_DB:-memos_test}
user=${MEMOS_PG_USER:-memos}
password=${MEMOS_PG_PASSWORD:-memos}
port=${MEMOS_PG_PORT:-5432}

log() { printf '[postgres] %s\n' "$*" >&2; }
# shellcheck source=debian.sh
. "$(dirname "$0")/debian.sh"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi
}

install_if_missing() {
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    return
  fi
  apt_install PostgreSQL postgresql
}

cluster() {
  pg_lsclusters -h | awk -v p="$port" '$3 == p { print $1, $2, $4; exit }'
}

start() {
  install_if_missing
  read -r version name status < <(cluster) || true
  if [ -z "${version:-}" ]; then
    version=$(pg_lsclusters -h | awk '{ print $1; exit }')
    log "no cluster on port $port; creating one (PostgreSQL $version)"
    pg_createcluster -p "$port" "$version" memos >/dev/null
    read -r version name status < <(cluster)
  fi
  if [ "$status" != online ]; then
    log "starting cluster $version/$name on port $port"
    pg_ctlcluster "$version" "$name" start
  fi
  for _ in $(seq 1 30); do
    as_postgres "psql -p $port -qAtc 'select 1'" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! as_postgres "psql -p $port -qAtc \"select 1 from pg_roles where rolname = '$user'\"" | grep -q 1; then
    log "creating role $user"
    as_postgres "psql -p $port -qc \"create role $user login password '$password'\""
  fi
  # PostgresErasureIT creates a database of its own, flushes the server's buffers to its files
  # (CHECKPOINT) and finds those files (data_directory) to scan them after an erasure.
  as_postgres "psql -p $port -qc \"alter role $user createdb\""
  for granted in pg_checkpoint pg_read_all_settings; do
    if as_postgres "psql -p $port -qAtc \"select 1 from pg_roles where rolname = '$granted'\"" | grep -q 1; then
      as_postgres "psql -p $port -qc \"grant $granted to $user\"" >/dev/null
    fi
  done
  if ! as_postgres "psql -p $port -qAtc \"select 1 from pg_database where datname = '$db'\"" | grep -q 1; then
    log "creating database $db"
    as_postgres "createdb -p $port -O $user $db"
  fi
  echo "jdbc:postgresql://127.0.0.1:$port/$db"
}

stop() {
  read -r version name status < <(cluster) || true
  [ -n "${version:-}" ] && [ "$status" = online ] && pg_ctlcluster "$version" "$name" stop
  true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
