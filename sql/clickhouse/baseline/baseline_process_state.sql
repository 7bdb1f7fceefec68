-- Process names as of each day, each shard's share: its daily rows spread over the as_of days
-- whose window holds them (see baseline_host_template.sql), the hosts kept as a uniqExact state.
-- (18.16 cannot run this spreading inside a query over a Distributed table: a scalar subquery in
-- its SELECT list breaks the remote column names. So each shard runs it on its local rows.)
INSERT INTO baseline_process_state_local
SELECT as_of, process_name, uniqExactState(host), sum(events), sum(machine_events)
FROM (
  SELECT (SELECT day_from FROM ac_params) + arrayJoin(range(toUInt32((SELECT day_to FROM ac_params) - (SELECT day_from FROM ac_params) + 1))) AS as_of, day, host, process_name, events, machine_events
  FROM agg_process_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
)
WHERE day >= as_of - (SELECT window_days FROM ac_params) AND day < as_of
GROUP BY as_of, process_name;
