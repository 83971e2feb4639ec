-- The state is bounded by retention.max_state_memory: exceeding it is an ERROR
-- with SQLSTATE 54000 naming the setting, and the session stays usable.
-- (the setting exists once the library is loaded, by any of its functions)
SELECT customers(order_stats(1, now(), 1.0));
SHOW retention.max_state_memory;
SET retention.max_state_memory = '64kB';
SELECT customers(order_stats(i, now(), 1.0)) FROM generate_series(1, 100000) i;
SELECT sqlstate_of($$SELECT customers(order_stats(i, now(), 1.0, i)) FROM generate_series(1, 100000) i$$);
SELECT sqlstate_of($$SELECT customers(order_stats(repeat('x', 200) || i, now(), 1.0)) FROM generate_series(1, 100000) i$$);
-- small states still fit
SELECT customers(order_stats(i, now(), 1.0)) FROM generate_series(1, 500) i;
SELECT 1 AS still_usable;
RESET retention.max_state_memory;
SELECT customers(order_stats(i, now(), 1.0)) FROM generate_series(1, 100000) i;
-- the setting is validated
SET retention.max_state_memory = '1kB';
SET retention.max_state_memory = 'lots';
-- and unknown retention.* settings are refused (the prefix is reserved)
SET retention.no_such_setting = 1;
-- A long aggregate honours statement_timeout (the backend answers afterwards):
-- 10^8 rows streamed into one state that keeps growing.
SET statement_timeout = '300ms';
SELECT customers(order_stats(a::int8 * 100000 + b, now(), 1.0))
FROM generate_series(1, 10000) a, generate_series(1, 10000) b;
RESET statement_timeout;
SELECT 2 AS still_usable;
