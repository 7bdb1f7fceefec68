-- Baseline snapshots for every as_of day in [day_from, day_to], on the coordinator: each counts
-- the aggregated days of the window_days before it (point in time). DuckDB joins each as_of to
-- its window by a range; here each day is paired with every as_of day of the run (arrayJoin),
-- kept where the window holds it, and counted by as_of: equi-joins only. agg_days is
-- one row per day, read whole from the shards before it is spread (18.16 cannot spread inside a
-- Distributed read: see baseline_process_state.sql).
-- fleet_hosts: the distinct hosts with process events in the window, which are the hosts of
-- baseline_host_template (every process event has a template), counted across the shards.
INSERT INTO baseline_runs
SELECT as_of, (SELECT window_days FROM ac_params), ifNull(history_days, 0), ifNull(fleet_hosts, 0),
       first_day, last_day, (SELECT burst_quantile FROM ac_params)
FROM (
  SELECT as_of, history_days, first_day, last_day
  FROM (
    SELECT day_from + arrayJoin(range(toUInt32(day_to - day_from + 1))) AS as_of FROM ac_params
  )
  ANY LEFT JOIN (
    SELECT as_of, count() AS history_days, min(day) AS first_day, max(day) AS last_day
    FROM (
      SELECT day, (SELECT day_from FROM ac_params) + arrayJoin(range(toUInt32((SELECT day_to FROM ac_params) - (SELECT day_from FROM ac_params) + 1))) AS as_of
      FROM (
        SELECT day FROM agg_days
        WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
          AND day < (SELECT day_to FROM ac_params)
      )
    )
    WHERE day >= as_of - (SELECT window_days FROM ac_params) AND day < as_of
    GROUP BY as_of
  ) USING as_of
)
ANY LEFT JOIN (
  SELECT as_of, uniqExact(host) AS fleet_hosts
  FROM baseline_host_template
  WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
  GROUP BY as_of
) USING as_of;
