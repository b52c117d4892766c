# A throwaway PostgreSQL 15 cluster for the benchmarks (sourced; run as root, like .ci/run):
# start_postgres PORT [extra server options] starts it in a temporary folder, sets DATABASE_URL and
# stops and removes it when the script exits (after the caller's own `cleanup`, if it defines one).
PG_BIN=/usr/lib/postgresql/15/bin

start_postgres() {
  local port=$1
  shift
  pg_work=$(mktemp -d)
  chown postgres "$pg_work"
  trap 'type cleanup >/dev/null 2>&1 && cleanup;
        su postgres -c "$PG_BIN/pg_ctl -D $pg_work/data -m fast stop" >/dev/null 2>&1 || true;
        rm -rf "$pg_work"' EXIT
  su postgres -c "$PG_BIN/initdb -D $pg_work/data -A trust -U postgres" >/dev/null
  su postgres -c "$PG_BIN/pg_ctl -D $pg_work/data -l $pg_work/log -w start \
    -o '-p $port -k $pg_work -c listen_addresses=127.0.0.1 $*'" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}
