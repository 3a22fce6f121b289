# Sourced by bin/cluster: the replicated database of `bin/cluster up --db-replicas N`. One etcd on
# loopback and N+1 PostgreSQL 15 nodes (Debian's binaries), each under its own Patroni, with its
# own port and data directory under --data-dir. Patroni keeps one synchronous standby
# (synchronous_mode), so a commit acknowledged to a client is on two nodes, and fails over to it;
# not strict: while no standby is attached (the seconds after a failover) the primary acknowledges alone.
#
# Ports: node i (0..N) serves PostgreSQL on db_port+i and Patroni's REST API on db_port+20+i;
# etcd listens on db_port+40 (clients) and db_port+41 (peers).
# Needs: $run_dir, $logs, $data_dir, $db_port, $db_replicas, $timeout; alive, live_pid, port_open,
# await, log and die from bin/cluster.

PATRONI_PG_BIN=${PATRONI_PG_BIN:-/usr/lib/postgresql/15/bin}

patroni_nodes() { seq 0 "$db_replicas"; }
patroni_pg_port() { echo $((db_port + $1)); }
patroni_rest_port() { echo $((db_port + 20 + $1)); }
patroni_etcd_port() { echo $((db_port + 40)); }
patroni_dir() { echo "$data_dir/patroni/node-$1"; }

# pgjdbc's multi-host URL over every node; each pool of the service adds its targetServerType.
patroni_url() {
  local hosts="" i
  for i in $(patroni_nodes); do hosts+="${hosts:+,}127.0.0.1:$(patroni_pg_port "$i")"; done
  echo "jdbc:postgresql://$hosts/postgres?user=postgres"
}

patroni_check_installed() {
  command -v etcd > /dev/null || die "etcd is not installed (apt-get install etcd-server)"
  command -v patroni > /dev/null || die "patroni is not installed (apt-get install patroni)"
  [ -x "$PATRONI_PG_BIN/postgres" ] || die "PostgreSQL 15 is not installed in $PATRONI_PG_BIN (apt-get install postgresql-15)"
}

patroni_etcd_healthy() { curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$1/health" 2>/dev/null; }

patroni_start_etcd() {
  alive "$run_dir/etcd.pid" && return 0
  local client peer
  client=$(patroni_etcd_port) peer=$((client + 1))
  port_open "$client" && die "port $client (etcd) is taken; choose another --db-port"
  mkdir -p "$data_dir/etcd"
  log "starting etcd on 127.0.0.1:$client"
  setsid etcd --name images-etcd --data-dir "$data_dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "images-etcd=http://127.0.0.1:$peer" \
    >> "$logs/etcd.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/etcd.pid"
  await "etcd" "$run_dir/etcd.pid" patroni_etcd_healthy "$client"
}

# Writes node $1's Patroni configuration. ttl 10 s, loop 1 s: a dead primary's leader key expires
# within 10 s and a standby is promoted in the loop after (docs/DEPLOY.md has the measured window).
patroni_config() {
  local i=$1 dir
  dir=$(patroni_dir "$i")
  cat <<YAML
scope: images
name: node-$i
restapi:
  listen: 127.0.0.1:$(patroni_rest_port "$i")
  connect_address: 127.0.0.1:$(patroni_rest_port "$i")
etcd3:
  hosts: 127.0.0.1:$(patroni_etcd_port)
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 16777216
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
        shared_buffers: 128MB
        synchronous_commit: "on"
        hot_standby_feedback: "on"
        # A standby promoted while it retries its dead primary's stream ends recovery only after
        # this wait (default 5 s): FailoverIT saw PostgreSQL take writes 5 s after Patroni's promote.
        wal_retrieve_retry_interval: 1s
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - auth: trust
postgresql:
  listen: 127.0.0.1:$(patroni_pg_port "$i")
  connect_address: 127.0.0.1:$(patroni_pg_port "$i")
  data_dir: $dir/data
  bin_dir: $PATRONI_PG_BIN
  pgpass: $dir/pgpass
  authentication:
    superuser: {username: postgres, password: postgres}
    replication: {username: postgres, password: postgres}
    rewind: {username: postgres, password: postgres}
  parameters:
    unix_socket_directories: $dir
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
YAML
}

patroni_start_node() {
  local i=$1 dir
  alive "$run_dir/patroni-$i.pid" && return 0
  port_open "$(patroni_pg_port "$i")" && die "port $(patroni_pg_port "$i") is taken; choose another --db-port"
  dir=$(patroni_dir "$i")
  mkdir -p "$dir"
  chmod 755 "$data_dir" "$data_dir/patroni"
  chmod 700 "$dir"
  patroni_config "$i" > "$dir/patroni.yml"
  [ "$(id -u)" != 0 ] || chown -R postgres: "$dir"
  local run=(patroni "$dir/patroni.yml")
  # PostgreSQL refuses to run as root: Patroni then runs as the Debian package's postgres user.
  # setpriv and setsid exec, so the pid file holds Patroni's own pid (a drill may kill -9 it).
  [ "$(id -u)" != 0 ] || run=(setpriv --reuid=postgres --regid=postgres --init-groups -- "${run[@]}")
  log "starting PostgreSQL node $i under Patroni on port $(patroni_pg_port "$i")"
  (cd "$dir" && exec setsid "${run[@]}") >> "$logs/patroni-$i.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/patroni-$i.pid"
}

# Patroni's REST API: 200 from /primary on the leader, from /replica on a streaming standby, from
# /sync on the synchronous standby.
patroni_answers() { curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$(patroni_rest_port "$1")/$2" 2>/dev/null; }

patroni_has_primary() {
  local i
  for i in $(patroni_nodes); do patroni_answers "$i" primary && return 0; done
  return 1
}

patroni_whole() {
  local i primaries=0 replicas=0 sync=0
  for i in $(patroni_nodes); do
    if patroni_answers "$i" primary; then primaries=$((primaries + 1))
    elif patroni_answers "$i" replica; then
      replicas=$((replicas + 1))
      patroni_answers "$i" sync && sync=$((sync + 1))
    fi
  done
  [ "$primaries" = 1 ] && [ "$replicas" = "$db_replicas" ] && { [ "$db_replicas" = 0 ] || [ "$sync" -ge 1 ]; }
}

patroni_up() {
  patroni_check_installed
  [ "$(id -u)" != 0 ] || command -v setpriv > /dev/null || die "setpriv is needed to run PostgreSQL as postgres"
  data_dir=$(mkdir -p "$data_dir" && cd "$data_dir" && pwd)
  patroni_start_etcd
  local i
  if ! patroni_has_primary; then
    # The first node bootstraps the cluster alone; the others then clone it with pg_basebackup.
    patroni_start_node 0
    await "the primary" "" patroni_has_primary
  fi
  for i in $(patroni_nodes); do patroni_start_node "$i"; done
  await "the replicated database (1 primary, $db_replicas streaming, 1 synchronous)" "" patroni_whole
}

patroni_down() {
  local i pid pids=()
  for i in $(patroni_nodes); do
    if pid=$(live_pid "$run_dir/patroni-$i.pid"); then pids+=("$pid"); kill -TERM "$pid" 2>/dev/null || true; fi
  done
  [ ${#pids[@]} -eq 0 ] || log "stopping ${#pids[@]} Patroni node(s); each stops its PostgreSQL"
  local deadline=$((SECONDS + 60))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for i in $(patroni_nodes); do
    # A node whose Patroni was killed (a failover drill) may have left its PostgreSQL running.
    local postmaster
    postmaster=$(head -1 "$(patroni_dir "$i")/data/postmaster.pid" 2>/dev/null) \
      && kill -0 "$postmaster" 2>/dev/null && kill -QUIT "$postmaster" 2>/dev/null || true
    rm -f "$run_dir/patroni-$i.pid"
  done
  if pid=$(live_pid "$run_dir/etcd.pid"); then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  fi
  rm -f "$run_dir/etcd.pid"
}

patroni_status() { # exits 1 unless every node runs
  local ok=0 i
  if pid=$(live_pid "$run_dir/etcd.pid"); then echo "etcd        pid $pid  port $(patroni_etcd_port)  up"
  else echo "etcd        port $(patroni_etcd_port)  DOWN"; ok=1; fi
  for i in $(patroni_nodes); do alive "$run_dir/patroni-$i.pid" || { echo "patroni $i   DOWN"; ok=1; }; done
  patronictl -c "$(patroni_dir 0)/patroni.yml" list 2>&1 || ok=1
  patroni_whole || ok=1
  return $ok
}
