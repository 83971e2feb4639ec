# test/lib/cluster.bash: a throw-away PostgreSQL cluster for the test scripts
# (test/upgrade/run, test/dump_restore/run). Source it, then call cluster_start.
#
#   cluster_start           initdb + start in a fresh mktemp directory; exports PGHOST (the
#                           private socket directory), PGPORT, PGUSER=postgres, PGDATABASE
#   cluster_pg_ctl_stop     stop the server (before replacing retention.so under it)
#   cluster_pg_ctl_start    start it again
#   cluster_stop            stop the server and delete the directory (also run on EXIT)
#   as_pg CMD...            run CMD as the cluster's owner (postgres when we are root)
#
# The server listens on a unix socket in its own directory only (listen_addresses=''),
# so the port never collides with another server; PGPORT picks it (default 5651).
# Needs: PG_BINDIR (the server's bin directory) set by the caller.

CLUSTER_DIR=
CLUSTER_OWNER=

as_pg() {
    if [[ $CLUSTER_OWNER == postgres && $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cluster_start() {
    CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/retention-cluster.XXXXXX")
    if [[ $(id -u) -eq 0 ]]; then
        # initdb refuses to run as root
        CLUSTER_OWNER=postgres
        chown postgres: "$CLUSTER_DIR"
    else
        CLUSTER_OWNER=$(id -un)
    fi
    chmod 700 "$CLUSTER_DIR"
    export PGHOST=$CLUSTER_DIR PGPORT=${PGPORT:-5651} PGUSER=postgres PGDATABASE=postgres
    unset PGSERVICE PGPASSWORD PGHOSTADDR
    as_pg "$PG_BINDIR/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 || {
        cat "$CLUSTER_DIR/initdb.log" >&2
        return 1
    }
    cluster_pg_ctl_start
}

cluster_pg_ctl_start() {
    as_pg "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $CLUSTER_DIR -p $PGPORT -c fsync=off -c max_connections=20" \
        start >/dev/null || {
        tail -20 "$CLUSTER_DIR/server.log" >&2
        return 1
    }
}

cluster_pg_ctl_stop() {
    as_pg "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null
}

cluster_stop() {
    [[ -n $CLUSTER_DIR && -d $CLUSTER_DIR ]] || return 0
    if [[ -f $CLUSTER_DIR/data/postmaster.pid ]]; then
        as_pg "$PG_BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=
}
