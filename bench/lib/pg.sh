# Sourced by bench scripts: a throwaway or persistent PostgreSQL from Debian's binaries,
# standing in for "an external server" on the same machine.
#   pg_start DIR PORT   initialises DIR if needed, starts the server (with PG_SERVER_OPTS, e.g.
#                       "-c shared_buffers=12GB", when given), exports PG_URL
#   pg_stop DIR
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

pg_as_owner() {
  # PostgreSQL refuses to run as root; the Debian package's postgres user owns the data.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local dir=$1 port=$2
  [ -x "$PG_BIN/postgres" ] || { echo "error: PostgreSQL server binaries not found (PG_BIN=$PG_BIN); apt-get install postgresql" >&2; return 1; }
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 12GB
maintenance_work_mem = 1GB
work_mem = 16MB
max_wal_size = 16GB
checkpoint_timeout = 30min
# A benchmark server: bulk loads into new/truncated tables may skip WAL.
wal_level = minimal
max_wal_senders = 0
max_parallel_maintenance_workers = 2
unix_socket_directories = '$dir'
CONF
  fi
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -o "-p $port ${PG_SERVER_OPTS:-}" -l "$dir/server.log" -w -t 120 start >/dev/null
  fi
  port=$(sed -n 4p "$dir/postmaster.pid")
  export PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

pg_stop() {
  local dir=$1
  [ -f "$dir/postmaster.pid" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
}
