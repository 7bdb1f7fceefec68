-- Parent -> child pairs as of each day, each shard's share, the hosts as a uniqExact state
-- (host_days: one daily row per host and day).
INSERT INTO baseline_parent_child_state_local
SELECT as_of, parent_name, process_name, uniqExactState(host), sum(events), count()
FROM (
  SELECT (SELECT day_from FROM ac_params) + arrayJoin(range(toUInt32((SELECT day_to FROM ac_params) - (SELECT day_from FROM ac_params) + 1))) AS as_of, day, host, parent_name, process_name, events
  FROM agg_parent_child_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
)
WHERE day >= as_of - (SELECT window_days FROM ac_params) AND day < as_of
GROUP BY as_of, parent_name, process_name;
