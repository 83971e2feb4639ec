-- test/lib/orders.sql: the generated orders of test/dump_restore and test/upgrade
-- (included with \ir; psql variable n_orders = the number of rows).
-- Deterministic: every 23rd customer, every 31st time and every 17th amount is NULL;
-- customers as int, text and uuid; times as timestamptz, timestamp (UTC wall clock) and
-- date; order keys 0..96.
CREATE TABLE orders AS
SELECT g AS id,
       CASE WHEN g % 23 <> 0 THEN g * g % 331 END AS cust_int,
       CASE WHEN g % 23 <> 0 THEN 'c' || (g::bigint * g * g % 283) END AS cust_text,
       CASE WHEN g % 23 <> 0 THEN md5((g * g % 257)::text)::uuid END AS cust_uuid,
       CASE WHEN g % 31 <> 0 THEN timestamptz '2023-01-01 00:00:00+00'
                                  + (g * 7919 % 500) * interval '1 day'
                                  + (g * 3637 % 86400) * interval '1 second' END AS at_tz,
       CASE WHEN g % 17 <> 0 THEN round((g * 7907 % 100000) / 100.0, 2) END AS amount,
       g % 97 AS order_key
FROM generate_series(1, :n_orders) g;
ALTER TABLE orders ADD COLUMN at_ts timestamp, ADD COLUMN at_date date;
UPDATE orders SET at_ts = at_tz AT TIME ZONE 'UTC', at_date = (at_tz AT TIME ZONE 'UTC')::date;
