-- Template familiarity per host as of each day in [day_from, day_to], on each shard from its own
-- hosts' daily rows (a host's rows all live on its shard). Each daily row is spread to the as_of
-- days whose window holds it (see baseline_runs.sql).
INSERT INTO baseline_host_template_local
SELECT as_of, host, template, uniqExact(day), sum(events), min(first_ts_us)
FROM (
  SELECT day + 1 + arrayJoin(range((SELECT window_days FROM ac_params))) AS as_of, day, host, template, events, first_ts_us
  FROM agg_template_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
)
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, host, template;
