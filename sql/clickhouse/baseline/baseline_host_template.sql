-- Template familiarity per host as of each day in [day_from, day_to], on each shard from its own
-- hosts' daily rows (a host's rows all live on its shard). Each daily row is paired with every
-- as_of day of the run (arrayJoin: two for a nightly day, as_of and the next) and kept where that
-- as_of's window [as_of - window_days, as_of) holds it: DuckDB's range join, without a range join.
INSERT INTO baseline_host_template_local
SELECT as_of, host, template, uniqExact(day), sum(events), min(first_ts_us)
FROM (
  SELECT (SELECT day_from FROM ac_params) + arrayJoin(range(toUInt32((SELECT day_to FROM ac_params) - (SELECT day_from FROM ac_params) + 1))) AS as_of, day, host, template, events, first_ts_us
  FROM agg_template_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
)
WHERE day >= as_of - (SELECT window_days FROM ac_params) AND day < as_of
GROUP BY as_of, host, template;
