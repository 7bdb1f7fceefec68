-- Process names as of each day, each shard's share: its daily rows spread over the as_of days
-- whose window holds them (see baseline_host_template.sql), the hosts kept as a uniqExact state.
-- (18.16 cannot run this spreading inside a query over a Distributed table: a scalar subquery in
-- its SELECT list breaks the remote column names. So each shard runs it on its local rows.)
INSERT INTO baseline_process_state_local
SELECT as_of, process_name, uniqExactState(host), sum(events), sum(machine_events)
FROM (
  SELECT day + 1 + arrayJoin(range((SELECT window_days FROM ac_params))) AS as_of, host, process_name, events, machine_events
  FROM agg_process_daily_local
  WHERE day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
    AND day < (SELECT day_to FROM ac_params)
)
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, process_name;
