-- Parent -> child process name pairs per host and day for [day_from, day_to], on each shard.
INSERT INTO agg_parent_child_daily_local
SELECT day, host, ifNull(parent_name, '') AS parent, ifNull(process_name, '') AS child, count()
FROM process_events_local
WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY day, host, parent, child;
