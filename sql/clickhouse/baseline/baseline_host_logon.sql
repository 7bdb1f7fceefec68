-- Successful logons per host (which user from which source) as of each day, on each shard.
INSERT INTO baseline_host_logon_local
SELECT as_of, host, user_name, source, uniqExact(day), sum(events)
FROM (
  SELECT (SELECT day_from FROM ac_params) + arrayJoin(range(toUInt32((SELECT day_to FROM ac_params) - (SELECT day_from FROM ac_params) + 1))) AS as_of, day, host, user_name, source, events
  FROM agg_logon_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
    AND outcome != 'failure'
)
WHERE day >= as_of - (SELECT window_days FROM ac_params) AND day < as_of
GROUP BY as_of, host, user_name, source;
