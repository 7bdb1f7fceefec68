-- Successful logons per host (which user from which source) as of each day, on each shard.
INSERT INTO baseline_host_logon_local
SELECT as_of, host, user_name, source, uniqExact(day), sum(events)
FROM (
  SELECT day + 1 + arrayJoin(range((SELECT window_days FROM ac_params))) AS as_of, day, host, user_name, source, events
  FROM agg_logon_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
    AND outcome != 'failure'
)
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, host, user_name, source;
