# bench/lib.bash: what bench/run and bench/scale share (sourced, not run): the build into a
# private folder, the throwaway cluster, and a few helpers.
#
# The caller runs under `set -euo pipefail`, has set $repo (the tree to build and measure)
# and $bench_prog (its name, for messages), and calls, outside the cluster,
#   bench_workdir; bench_build; bench_cluster SCRIPT SETTING...
# (bench_cluster runs "$BASH SCRIPT --in-cluster WORKDIR" inside a throwaway cluster, prints
# the report the script names in WORKDIR/report, and exits with the script's status), and,
# inside (the script's second argument is WORKDIR),
#   bench_inside WORKDIR; ... bench_check_library WORKDIR
# and uses sql, say and human. At the end: the SQL text both scripts measure (the KPI tail of
# order_stats, the cohort table's digest and the tail of its plain SQL).

# (the caller sets repo and bench_prog; the SQL variables at the end are the caller's to use)
# shellcheck shell=bash disable=SC2034,SC2154

readonly PG_MAJOR=15
readonly PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config

say() { printf '==> %s\n' "$*" >&2; }

# psql, quiet, unaligned, stopping at the first error
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# human N: 1000000 -> 1M, 2500 -> 2.5k
human() { awk -v n="$1" 'BEGIN { if (n >= 1e6) { s = sprintf("%.1f", n / 1e6); sub(/\.0$/, "", s); print s "M" }
                                  else if (n >= 1e3) { s = sprintf("%.1f", n / 1e3); sub(/\.0$/, "", s); print s "k" }
                                  else print n }'; }

# bench_workdir: a private folder (bench_dir) for the build and the cluster's messages,
# removed on exit. Root only: pg_virtualenv -t.
bench_workdir() {
    [[ $(id -u) == 0 ]] || { echo "$bench_prog: run as root (pg_virtualenv -t)" >&2; exit 2; }
    bench_dir=$(mktemp -d -t retention-bench.XXXXXX)
    chmod 755 "$bench_dir"      # the server (user postgres) loads the library from here
    trap 'rm -rf "$bench_dir"' EXIT
}

# bench_build: make in $repo and make install DESTDIR=$bench_dir/inst (never into the
# system); on failure the log's tail and exit 2. Exports BENCH_BUILD: the commit built, and
# how many tracked files differed from it.
bench_build() {
    say "building the extension (make) and installing it into $bench_dir/inst"
    if ! { make -C "$repo" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" &&
           make -C "$repo" install PG_CONFIG="$PG_CONFIG" DESTDIR="$bench_dir/inst"; } \
            >"$bench_dir/build.log" 2>&1; then
        tail -40 "$bench_dir/build.log" >&2
        echo "$bench_prog: build failed" >&2
        exit 2
    fi
    local ndirty
    BENCH_BUILD="commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    ndirty=$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
    ((ndirty == 0)) || BENCH_BUILD+=" + uncommitted changes in $ndirty tracked files"
    export BENCH_BUILD
}

# bench_cluster SCRIPT SETTING...: a throwaway PostgreSQL cluster (pg_virtualenv -t: in a
# temporary folder even as root; existing clusters are never touched; dropped at the end)
# with the settings and extension_destdir = the private install, running
# "$BASH SCRIPT --in-cluster $bench_dir" (whose stdout goes to stderr: pg_virtualenv talks
# on stdout). Then prints the report file named in $bench_dir/report, if any, and exits with
# the script's status. A parallel pg_virtualenv may grab the port picked for ours before
# our server starts: then it tries again (3 times).
bench_cluster() {
    local script=$1 s rc attempt
    shift
    local -a opts=(-o "extension_destdir=$bench_dir/inst")
    for s in "$@"; do opts+=(-o "$s"); done
    unset PGPORT PGHOST PGHOSTADDR PGDATABASE PGUSER PGPASSWORD PGSERVICE PGSERVICEFILE PGOPTIONS
    for attempt in 1 2 3; do
        say "starting a throwaway cluster (pg_virtualenv -t ${opts[*]})"
        rc=0
        pg_virtualenv -t -v "$PG_MAJOR" -c '--locale=C.UTF-8' "${opts[@]}" \
            "$BASH" "$script" --in-cluster "$bench_dir" </dev/null >&2 || rc=$?
        if [[ -e $bench_dir/started ]]; then     # the benchmark ran: its status is the answer
            if [[ -e $bench_dir/report ]]; then cat "$(cat "$bench_dir/report")"; fi
            exit "$rc"
        fi
        echo "$bench_prog: the throwaway cluster did not start (attempt $attempt, exit $rc)" >&2
        ((rc > 128)) && exit "$rc"
        if ((attempt < 3)); then sleep 2; fi
    done
    exit 2
}

# bench_inside WORKDIR: inside the cluster (pg_virtualenv has set PGHOST, PGPORT, PGUSER,
# PGPASSWORD, PGDATABASE): say that the benchmark started, stop on INT and TERM (pg_virtualenv
# then drops the cluster), warnings only from the server.
bench_inside() {
    trap 'exit 130' INT
    trap 'exit 143' TERM
    touch "$1/started"
    export PGOPTIONS="-c client_min_messages=warning"
}

# bench_check_library WORKDIR: the library the server loads is the private build (from
# WORKDIR, through extension_destdir), not an installed one; else exit 2.
bench_check_library() {
    local lib
    lib=$(sql -c "SELECT customers(order_stats(1, now(), 1.0))" \
              -c "SELECT (regexp_match(pg_read_file('/proc/self/maps'), '\S*retention\.so'))[1]" | tail -1)
    if [[ $lib != "$1"/* ]]; then
        echo "$bench_prog: the server loaded $lib, not the build in $1" >&2
        exit 2
    fi
}

# ---------------------------------------------------------------------------------------
# SQL that bench/run and bench/scale both measure
# ---------------------------------------------------------------------------------------

# order_stats' KPIs, over a subquery whose order_stats value is s
kpis_ours_tail='customers(s), orders(s), repeat_customers(s), revenue(s), first_order_at(s), last_order_at(s)'

# The cohort table, monthly, with amounts. Every formulation ends in the same columns as
# cohort_table (cohort, period_offset, cohort_size, active, retention_rate,
# active_on_or_after, orders, revenue, cum_revenue_per_customer, complete), all its rows in
# order, and the result compared is cohort_digest over them: the row count, two sums to
# read, and the md5 of every row as text (revenue at scale 2, cum_revenue_per_customer
# rounded to 10 decimals: numeric scales, not values, may differ).
cohort_digest="count(*) AS cells, sum(orders) AS orders, sum(revenue) AS revenue, md5(string_agg((cohort, period_offset, cohort_size, active, retention_rate, active_on_or_after, orders, revenue::numeric(20,2), round(cum_revenue_per_customer, 10), complete)::text, ' ' ORDER BY cohort, period_offset)) AS md5"

# The plain SQL in two steps. First a CTE "cells": one row per non-empty cell, that is
# per (cohort, month m) with an order: active (customers), orders, revenue, and lasts, the
# customers of the cohort whose last month is m. Then cohort_plain_tail builds the table
# from it: cohort_size = active at m = cohort (every customer is active in their first
# month), the last month L = max(m), the grid of every cohort x month up to L
# (generate_series, so the empty cells are there) LEFT JOINed to the cells,
# active_on_or_after = the sum of lasts from m up to L, cum_revenue_per_customer = the
# running sum of revenue / cohort_size, complete = m < L (with the default observation
# end, the latest order, exactly the months before the last one are complete).
cohort_plain_tail="sizes AS (SELECT cohort, active AS cohort_size FROM cells WHERE m = cohort),
grid AS (SELECT s.cohort, s.cohort_size, g.m::date AS m, (g.k - 1)::int AS period_offset, g.m < l.last_month AS complete
         FROM sizes s, (SELECT max(m) AS last_month FROM cells) l,
              generate_series(s.cohort::timestamp, l.last_month::timestamp, interval '1 month') WITH ORDINALITY AS g(m, k))
SELECT g.cohort, g.period_offset, g.cohort_size, coalesce(c.active, 0) AS active,
       coalesce(c.active, 0)::float8 / g.cohort_size AS retention_rate,
       sum(coalesce(c.lasts, 0)) OVER (PARTITION BY g.cohort ORDER BY g.m DESC)::int8 AS active_on_or_after,
       coalesce(c.orders, 0) AS orders, coalesce(c.revenue, 0) AS revenue,
       sum(coalesce(c.revenue, 0)) OVER (PARTITION BY g.cohort ORDER BY g.m) / g.cohort_size AS cum_revenue_per_customer,
       g.complete
FROM grid g LEFT JOIN cells c ON c.cohort = g.cohort AND c.m = g.m"
