-- States large enough (over 49,152 keys, 2^16 slots) to switch to batched,
-- prefetched rows (src/order_stats_state.h, PendingRows), against plain SQL:
-- integer and long text keys, the lines variant, parallel merging of large
-- states, several large groups.  The final function runs with rows still
-- pending (200,000 rows is not a multiple of the batch plus the switch point).
SET TimeZone = 'UTC';
CREATE TABLE large_lines AS
    SELECT i AS line_id,
           (i::int8 * 48271) % 70001 AS customer,
           'customer-with-a-long-key-' || ((i::int8 * 48271) % 70001) AS customer_text,
           (i::int8 * 16807) % 90001 AS order_id,
           'order-with-a-long-key-' || ((i::int8 * 16807) % 90001) AS order_text,
           timestamptz '2024-01-01' + ((i::int8 * 7919) % 1000000) * interval '1 minute' AS ordered_at,
           ((i * 37) % 10000) / 100.0 AS amount
    FROM generate_series(1, 200000) i;
ANALYZE large_lines;

CREATE FUNCTION large_check(customer_expr text, order_expr text) RETURNS TABLE (ok_customers bool, ok_orders bool, ok_repeat bool, ok_revenue bool, ok_first bool, ok_last bool)
LANGUAGE plpgsql AS $$
DECLARE s order_stats;
BEGIN
    IF order_expr IS NULL THEN
        EXECUTE format('SELECT order_stats(%s, ordered_at, amount) FROM large_lines', customer_expr) INTO s;
        RETURN QUERY EXECUTE format($q$
            SELECT customers($1) = count(*), orders($1) = sum(n), repeat_customers($1) = count(*) FILTER (WHERE n >= 2),
                   revenue($1)::text = sum(r)::text, first_order_at($1) = min(f), last_order_at($1) = max(l)
            FROM (SELECT %s AS c, count(*) n, sum(amount) r, min(ordered_at) f, max(ordered_at) l
                  FROM large_lines GROUP BY 1) q$q$, customer_expr) USING s;
    ELSE
        EXECUTE format('SELECT order_stats(%s, ordered_at, amount, %s) FROM large_lines', customer_expr, order_expr) INTO s;
        RETURN QUERY EXECUTE format($q$
            WITH o AS (SELECT %2$s AS k, min(ordered_at) t FROM large_lines GROUP BY 1),
                 c AS (SELECT %1$s AS c, count(DISTINCT %2$s) n FROM large_lines GROUP BY 1)
            SELECT customers($1) = (SELECT count(*) FROM c), orders($1) = (SELECT count(*) FROM o),
                   repeat_customers($1) = (SELECT count(*) FROM c WHERE n >= 2),
                   revenue($1)::text = (SELECT sum(amount)::text FROM large_lines),
                   first_order_at($1) = (SELECT min(t) FROM o), last_order_at($1) = (SELECT max(t) FROM o)$q$,
            customer_expr, order_expr) USING s;
    END IF;
END $$;

-- sizes: 70,001 customers and 90,001 orders, so both tables pass 2^16 slots
SELECT count(DISTINCT customer) AS customers, count(DISTINCT order_id) AS orders FROM large_lines;
SELECT * FROM large_check('customer', NULL);
SELECT * FROM large_check('customer_text', NULL);
SELECT * FROM large_check('customer', 'order_id');
SELECT * FROM large_check('customer_text', 'order_text');
SELECT * FROM large_check('customer', 'order_text');

-- parallel: large partial states are flushed, flattened and merged
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT * FROM large_check('customer_text', 'order_text');
SELECT * FROM large_check('customer', NULL);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- several large groups at once (hash aggregation keeps them all in memory)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE customers(s) = n_customers AND orders(s) = n_rows
                          AND revenue(s)::text = rev) AS groups_equal
FROM (SELECT line_id % 2 AS g, order_stats(customer, ordered_at, amount) AS s
      FROM large_lines GROUP BY 1) e
JOIN (SELECT line_id % 2 AS g, count(DISTINCT customer) AS n_customers, count(*) AS n_rows,
             sum(amount)::text AS rev
      FROM large_lines GROUP BY 1) p USING (g);
