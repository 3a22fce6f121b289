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
    local huge=""
    pg_reserve_huge_pages "$dir" && huge="-c huge_pages=on"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -o "-p $port ${PG_SERVER_OPTS:-} $huge" -l "$dir/server.log" -w -t 120 start >/dev/null
  fi
  port=$(sed -n 4p "$dir/postmaster.pid")
  export PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

pg_stop() {
  local dir=$1
  [ -f "$dir/postmaster.pid" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
  pg_release_huge_pages "$dir"
}

pg_release_huge_pages() {
  local dir=$1
  if [ -f "$dir/huge-pages-before" ]; then
    cat "$dir/huge-pages-before" > /proc/sys/vm/nr_hugepages
    rm -f "$dir/huge-pages-before"
  fi
}

# Shared buffers in 2 MB pages, reserved for the server's start when run as root (and given back by
# pg_stop). With 4 kB pages every backend faulted in the page table entries of each buffer it
# touched: on a 2-core VM, pgbench with the gallery SQL and 13 GB of shared buffers ran at
# 3,500-4,700 tps, climbing as the tables filled, and at 24,000 tps with huge pages (2026-12-01);
# reading the catalog into the buffers took 71 s instead of 13 s. PG_HUGE_PAGES=off skips it.
pg_reserve_huge_pages() {
  local dir=$1 need have
  [ "${PG_HUGE_PAGES:-on}" = on ] && [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/nr_hugepages ] || return 1
  need=$(pg_as_owner "$PG_BIN/postgres" -D "$dir" ${PG_SERVER_OPTS:-} -C shared_memory_size_in_huge_pages 2>/dev/null) || return 1
  [ "$need" -gt 0 ] 2>/dev/null || return 1
  have=$(cat /proc/sys/vm/nr_hugepages)
  [ -f "$dir/huge-pages-before" ] || echo "$have" > "$dir/huge-pages-before"
  if [ "$have" -lt "$need" ]; then
    # Free pages come in 2 MB runs more easily once the page cache is dropped.
    sync; echo 3 > /proc/sys/vm/drop_caches
    echo "$need" > /proc/sys/vm/nr_hugepages
  fi
  if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt "$need" ]; then
    echo "note: only $(cat /proc/sys/vm/nr_hugepages) of $need huge pages could be reserved; PostgreSQL starts with 4 kB pages" >&2
    pg_release_huge_pages "$dir"
    return 1
  fi
}
