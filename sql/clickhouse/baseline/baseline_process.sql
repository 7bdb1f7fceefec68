-- Process names across the fleet as of each day, on the coordinator: every shard's states merged.
INSERT INTO baseline_process
SELECT as_of, process_name, uniqExactMerge(hosts), sum(events), sum(machine_events)
FROM baseline_process_state
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, process_name;
