#!/usr/bin/env bash
# The service, page and ops tests on PostgreSQL: a throwaway cluster (Debian's `postgresql` package) on a
# free loopback port, run as the `postgres` user when started as root, removed at the end whatever happens.
#
#   scripts/postgres_tests.sh [pytest arguments]
#
# The tests reach it through MOTCUA_TEST_DATABASE_URL (see tests/conftest.py); each pytest worker gets its
# own database. Tests about SQLite itself are marked `sqlite_only` and skipped. The full suite runs on
# SQLite through `python3 run.py test`, as always.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL chưa được cài: apt-get install -y postgresql" >&2
  exit 1
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cluster=$(mktemp -d /tmp/motcua-postgres.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$cluster"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log"
# Durability is not what these tests measure: fsync off keeps the cluster quick on a small machine.
"${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') trên 127.0.0.1:$port"

export MOTCUA_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/motcua_test"
# pg_dump and pg_restore of the same version as the server, for the backup tests.
export PATH="$bin:$PATH"
# These make their own SQLite databases (a CLI run on a scratch file, a read-only folder, the file lock):
# on PostgreSQL they would only run again on SQLite. tests/ops/test_postgres_commands.py and
# test_instance_postgres.py are their PostgreSQL counterparts.
python3 run.py test tests/services tests/web tests/ops \
  --ignore=tests/web/test_cli.py --ignore=tests/web/test_storage_failure.py \
  --ignore=tests/ops/test_commands.py --ignore=tests/ops/test_instance.py "$@"
