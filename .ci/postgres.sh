# A throw-away PostgreSQL cluster for the tests: `source .ci/postgres.sh; pg_start; trap pg_stop EXIT`.
# Uses Debian's server binaries (package `postgresql`), a fresh temporary directory for the data and the
# unix socket (under $TMPDIR: the clone may sit in a folder the postgres user cannot enter) and a free port;
# as root the server runs as the `postgres` user, since PostgreSQL refuses to run as root.  Exports WORKBENCH_TEST_POSTGRES_URL for tests/core/store.

pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ]; then
    echo "Installing Debian package: postgresql"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/workbench-pg.XXXXXX")
  mkdir -p "$PG_DIR/sock"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  PG_PORT=$("${PYTHON:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PG_AS=("${as[@]}")
  PG_BIN="$bin"
  _pg "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  _pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-k $PG_DIR/sock -p $PG_PORT -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null
  _pg "$bin/createdb" -h "$PG_DIR/sock" -p "$PG_PORT" -U postgres workbench_test
  export WORKBENCH_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/workbench_test?host=$PG_DIR/sock&port=$PG_PORT"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $PG_DIR/sock port $PG_PORT"
}

# Run a server program as the cluster's owner, from / (the clone's folder may be closed to that user).
_pg() { (cd / && "${PG_AS[@]}" "$@"); }

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    _pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
