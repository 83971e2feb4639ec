# bench/citus_scale.bash: sourced by test/citus/run once its cluster is up (see
# bench/citus_scale); coord, sql, ports, ok, not_ok, say, workdir and repo are in scope.

n_orders=$CITUS_SCALE_ORDERS
say "generating $n_orders orders on the coordinator (bench/generate.sql)"
t0=$(date +%s)
coord -v n_orders="$n_orders" -f "$repo/bench/generate.sql" >"$workdir/generate.log" 2>&1 ||
    { not_ok "generate the orders" "$(tail -n 20 "$workdir/generate.log")"; exit 1; }
say "distributing them by customer_id (32 shards)"
coord >"$workdir/distribute.log" 2>&1 <<'EOF' ||
SET citus.shard_count = 32;
CREATE TABLE orders_dist (LIKE orders);
SELECT create_distributed_table('orders_dist', 'customer_id');
INSERT INTO orders_dist SELECT * FROM orders;
VACUUM ANALYZE orders_dist;
EOF
    { not_ok "distribute the orders" "$(tail -n 20 "$workdir/distribute.log")"; exit 1; }
customers=$(coord -At -c "SELECT count(DISTINCT customer_id) FROM orders")
ok "data: $n_orders orders of $customers customers, loaded in $(($(date +%s) - t0)) s"

# Memory of a backend: VmHWM - RssShmem - RssFile of /proc/<pid>/status (kB), its
# private peak with the shared buffers it mapped left out.
peak_expr="(regexp_match(s, 'VmHWM:\s+(\d+)'))[1]::int8 - (regexp_match(s, 'RssShmem:\s+(\d+)'))[1]::int8 - (regexp_match(s, 'RssFile:\s+(\d+)'))[1]::int8"
# the workers' backends: close them all before a measured query, so that the query's
# connections are new ones
close_worker_backends() {
    local p
    for p in "${ports[@]:1}"; do
        sql "$p" -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" >/dev/null
    done
    sleep 0.5
}

# measure QUERY [SETTING]: one run in a fresh coordinator session, with new worker connections that
# the session keeps, after an untimed run; prints "ms|coordinator kB|largest worker
# backend kB|md5 of the result". The workers' backends are read from the same session
# (run_command_on_workers) while the query's connections are still open.
measure() {
    local q=$1 out
    coord -At -c "$q" >/dev/null 2>&1 || true
    close_worker_backends
    if ! out=$(coord -At -F '|' -v q="$q" -v peak="$peak_expr" -v smem="${CITUS_SCALE_STATE_MEMORY:-4GB}" \
                     -v pre="${2:-SET client_min_messages = warning}" 2>&1 <<'EOF'
SET retention.max_state_memory = :'smem';
:pre;
-- the single-node reference runs serial: a parallel worker's partial state of more than
-- about 8M customers would not flatten into one value (1 GB)
SET max_parallel_workers_per_gather = 0;
SET citus.max_cached_conns_per_worker = 64;
SELECT clock_timestamp() AS t0 \gset
SELECT md5(r::text) AS h FROM (:q) r(r) \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000) AS ms \gset
SELECT :peak AS kb FROM pg_read_file('/proc/self/status') s \gset
SELECT format('SELECT coalesce(max(%s), 0) FROM pg_stat_activity a, LATERAL pg_read_file(''/proc/'' || a.pid || ''/status'') s WHERE a.backend_type = ''client backend'' AND a.pid <> pg_backend_pid()', :'peak') AS wq \gset
SELECT max(result::int8) AS wkb FROM run_command_on_workers(:'wq') \gset
SELECT :ms, :kb, :wkb, :'h';
EOF
    ); then
        echo "ERROR|||$(tail -n 1 <<<"$out")"
        return
    fi
    tail -n 1 <<<"$out"
}

declare -A q_old q_new q_local
q_old[cohort]="SELECT cohort_agg(customer_id, ordered_at, 'month', amount) FROM orders_dist"
q_new[cohort]="SELECT cohort_matrix_sum(m) FROM (SELECT customer_id, cohort_agg(customer_id, ordered_at, 'month', amount) AS m FROM orders_dist GROUP BY customer_id) s"
q_local[cohort]="SELECT cohort_agg(customer_id, ordered_at, 'month', amount) FROM orders"
q_old[kpis]="SELECT order_stats(customer_id, ordered_at, amount) FROM orders_dist"
q_new[kpis]="SELECT order_stats_sum(s) FROM (SELECT customer_id, order_stats(customer_id, ordered_at, amount) AS s FROM orders_dist GROUP BY customer_id) q"
q_local[kpis]="SELECT order_stats(customer_id, ordered_at, amount) FROM orders"
q_old[revenue]="SELECT revenue_agg(customer_id, ordered_at, 'month', amount) FROM orders_dist"
q_new[revenue]="SELECT revenue_matrix_sum(m) FROM (SELECT customer_id, revenue_agg(customer_id, ordered_at, 'month', amount) AS m FROM orders_dist GROUP BY customer_id) s"
q_local[revenue]="SELECT revenue_agg(customer_id, ordered_at, 'month', amount) FROM orders"

mb() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.0f MB", k / 1024 }'; }
rows=()
for what in cohort kpis revenue; do
    say "$what: single node"
    IFS='|' read -r l_ms l_kb _ l_h <<<"$(measure "${q_local[$what]}")"
    rows+=("| $what | single node (plain table on the coordinator) | $l_ms | $(mb "$l_kb") | - |")
    say "$what: partial states combined on the coordinator"
    IFS='|' read -r o_ms o_kb o_w o_h <<<"$(measure "${q_old[$what]}")"
    o_label="\`${q_old[$what]%% FROM*}\` over the distributed table"
    if [[ $o_ms == ERROR && $o_h == *max_intermediate_result_size* ]]; then
        # the workers' partial states add up to more than Citus ships by default (1 GB)
        rows+=("| $what | $o_label | ERROR (with Citus defaults: the partial states shipped exceed \`citus.max_intermediate_result_size\`, 1 GB) | - | - |")
        say "$what: partial states again, with citus.max_intermediate_result_size = -1"
        IFS='|' read -r o_ms o_kb o_w o_h <<<"$(measure "${q_old[$what]}" "SET citus.max_intermediate_result_size = -1")"
        o_label="$o_label, \`citus.max_intermediate_result_size = -1\`"
    fi
    say "$what: per-customer values summed"
    IFS='|' read -r n_ms n_kb n_w n_h <<<"$(measure "${q_new[$what]}")"
    for form in o n; do
        h_var=${form}_h
        if [[ ${!h_var} == "$l_h" ]]; then
            ok "$what ($([[ $form == o ]] && echo partial states || echo per-customer sums)): equal to the single-node result"
        else
            not_ok "$what ($([[ $form == o ]] && echo partial states || echo per-customer sums)): differs from the single-node result (${!h_var})"
        fi
    done
    rows+=("| $what | $o_label | $o_ms | $(mb "$o_kb") | $(mb "$o_w") |")
    rows+=("| $what | per-customer values summed | $n_ms | $(mb "$n_kb") | $(mb "$n_w") |")
done

mkdir -p "$(dirname "$CITUS_SCALE_OUT")"
{
    echo "# Citus: the coordinator's memory with partial states and with per-customer sums"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), host: $(hostname -s), $(nproc) CPUs, $(free -g | awk '/^Mem:/ { print $2 }') GB RAM"
    echo "- cluster: Citus 13.2 (test/citus/run's): coordinator + 2 workers on this machine, shared_buffers 128MB each; retention $(coord -At -c "SELECT extversion FROM pg_extension WHERE extname = 'retention'"), commit $(git -C "$repo" rev-parse --short HEAD)"
    echo "- data: bench/generate.sql, $n_orders orders of $customers customers over 3 years; orders_dist distributed by customer_id, 32 shards; the same rows in a plain table on the coordinator"
    echo "- each query once after an untimed run, in a new coordinator session with new worker connections (kept open to be read); memory: VmHWM - RssShmem - RssFile of the backend at the end (its private peak), for the workers the largest of their backends"
    echo "- every result md5-compared with the single-node result (a serial plan); retention.max_state_memory = ${CITUS_SCALE_STATE_MEMORY:-4GB} in the measured sessions"
    echo
    echo "| report | form | ms | coordinator backend | largest worker backend |"
    echo "|---|---|--:|--:|--:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Queries:"
    echo
    for what in cohort kpis revenue; do
        echo "- \`${q_old[$what]}\`"
        echo "- \`${q_new[$what]}\`"
    done
    echo
    for form in old new; do
        if [[ $form == old ]]; then
            echo "EXPLAIN (VERBOSE, COSTS OFF) of cohort_agg over the table (partial states):"
            q=${q_old[cohort]}
        else
            echo "EXPLAIN (VERBOSE, COSTS OFF) of the per-customer cohort sum:"
            q=${q_new[cohort]}
        fi
        echo
        echo '```'
        coord -c "EXPLAIN (VERBOSE, COSTS OFF) $q" | sed -e 's/[[:space:]]*$//' | cut -c1-220
        echo '```'
        echo
    done
} >"$CITUS_SCALE_OUT"
cat "$CITUS_SCALE_OUT"
