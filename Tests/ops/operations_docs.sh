#!/usr/bin/env bash
# docs/operations.md as a script: install into a prefix, run by name from another folder, first start
# from the command line, a lost-password link, SQLite backup, restore and its check, PostgreSQL
# pg_dump/pg_restore (when MAMORI_TEST_DATABASE_URL is set), and the systemd unit checked with
# systemd-analyze verify (when available). Paths of the docs are replaced by temporary ones:
# /usr/local -> $prefix, /var/lib/mamori -> $data, /backup -> $backup.
# Usage: Tests/ops/operations_docs.sh .build/debug/mamori
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d /tmp/mamori-ops-docs.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/usr/local data=$work/var/lib/mamori backup=$work/backup
step() { printf -- '--- %s\n' "$*"; }
unset DATABASE_URL MAMORI_DATA_DIR MAMORI_RESOURCES_DIR MAMORI_PUBLIC_URL
export MAMORI_LOG_LEVEL=warning

step "Installing"
install -D -m 755 "$binary" "$prefix/bin/mamori"
mkdir -p "$prefix/share/mamori" && cp -r "$repo/Resources" "$prefix/share/mamori/"
export PATH=$prefix/bin:$PATH
mkdir -p "$work/home" && cd "$work/home"

step "The command line refuses a missing database"
set +e; mamori org list --data-dir "$data" 2>"$work/err"; status=$?; set -e
[ "$status" = 2 ] && grep -q "no Mamori database at $data/mamori.sqlite" "$work/err"
[ ! -e "$data" ]

step "First start from the command line"
export MAMORI_DATA_DIR=$data
mamori migrate | grep '^Applied ' >/dev/null
[ "$(stat -c %a "$data")" = 700 ] && [ "$(stat -c %a "$data/mamori.sqlite")" = 600 ]
mamori org create aoba-seimitsu "あおば精密工業株式会社"
mamori user create --org aoba-seimitsu --email yamashita@aoba.example --role admin --operator | grep 'password link: http://' >/dev/null
mamori org list --format json | grep 'aoba-seimitsu' >/dev/null
mamori user list --org aoba-seimitsu | grep yamashita@aoba.example >/dev/null
MAMORI_PUBLIC_URL=https://mamori.example.co.jp mamori user link --email yamashita@aoba.example \
  | grep '^password link: https://mamori.example.co.jp/set-password/' >/dev/null
set +e; mamori migrate --revert >/dev/null 2>&1; status=$?; set -e
[ "$status" = 2 ]

step "SQLite backup (Backup and restore)"
if command -v sqlite3 >/dev/null; then
  mkdir -p "$data/evidence" && printf 'evidence' > "$data/evidence/kept-file"
  (
    set -eu
    umask 077
    stamp=$(date +%F-%H%M)
    mkdir -p "$backup/mamori-$stamp"
    sqlite3 "$data/mamori.sqlite" ".backup '$backup/mamori-$stamp/mamori.sqlite'"
    tar -C "$data" -cf "$backup/mamori-$stamp/evidence.tar" evidence
    [ "$(sqlite3 "$backup/mamori-$stamp/mamori.sqlite" 'PRAGMA integrity_check')" = ok ]
  )
  saved=$(ls -d "$backup"/mamori-*)
  step "SQLite restore and its check"
  mv "$data" "$data.before-restore"
  install -d -m 0700 "$data"
  install -m 0600 "$saved/mamori.sqlite" "$data/mamori.sqlite"
  tar -C "$data" -xf "$saved/evidence.tar"
  mamori audit verify | grep intact >/dev/null
  mamori org list | grep aoba-seimitsu >/dev/null
  missing=$(sqlite3 "$data/mamori.sqlite" 'SELECT storage_key FROM assessment_evidence' |
    while read -r key; do [ -f "$data/evidence/$key" ] || echo "missing: $key"; done)
  [ -z "$missing" ] && [ -f "$data/evidence/kept-file" ]
else
  echo "sqlite3 not installed: SQLite backup skipped"
fi

step "PostgreSQL: pg_dump and pg_restore"
if [ -n "${MAMORI_TEST_DATABASE_URL:-}" ] && command -v pg_dump >/dev/null && command -v psql >/dev/null; then
  base=$MAMORI_TEST_DATABASE_URL
  export PGOPTIONS=--client-min-messages=warning
  name=mamori_docs_$$
  psql -q "$base" -c "DROP DATABASE IF EXISTS $name" -c "DROP DATABASE IF EXISTS ${name}_r" -c "CREATE DATABASE $name" -c "CREATE DATABASE ${name}_r"
  export DATABASE_URL=${base%/*}/$name
  mamori migrate >/dev/null
  mamori org create kobe-kikai "神戸機械株式会社" >/dev/null
  pg_dump --format=custom --file="$work/mamori.dump" "$DATABASE_URL"
  pg_restore --list "$work/mamori.dump" >/dev/null
  export DATABASE_URL=${base%/*}/${name}_r
  pg_restore --no-owner --dbname="$DATABASE_URL" "$work/mamori.dump"
  mamori audit verify | grep intact >/dev/null
  mamori org list | grep kobe-kikai >/dev/null
  unset DATABASE_URL
  psql -q "$base" -c "DROP DATABASE $name" -c "DROP DATABASE ${name}_r"
else
  echo "no MAMORI_TEST_DATABASE_URL or PostgreSQL client: skipped"
fi

step "The systemd unit"
unit=$work/mamori@.service
awk '/^# \/etc\/systemd\/system\/mamori@.service/{on=1} on&&/^```/{exit} on' "$repo/docs/operations.md" \
  | sed "s#/usr/local/bin/mamori#$prefix/bin/mamori#; s#^EnvironmentFile=.*#EnvironmentFile=-$work/mamori.env#" > "$unit"
grep -q '^StateDirectory=mamori' "$unit" && grep -q '^EnvironmentFile=' "$unit" && ! grep -q '^Environment=' "$unit"
if command -v systemd-analyze >/dev/null; then
  cp "$unit" "$work/mamori@8081.service"
  # verify fails on a User= that does not exist on this machine; the docs create it with useradd.
  id mamori >/dev/null 2>&1 || sed -i 's/^User=mamori/User=root/; s/^Group=mamori/Group=root/' "$work/mamori@8081.service"
  SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$work/mamori@8081.service"
else
  echo "systemd-analyze not installed: unit checked for its settings only"
fi
step "docs/operations.md: all commands ran"
