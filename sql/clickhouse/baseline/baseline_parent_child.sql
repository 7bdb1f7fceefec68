-- Parent -> child pairs across the fleet as of each day, on the coordinator: every shard's states merged.
INSERT INTO baseline_parent_child
SELECT as_of, parent_name, process_name, uniqExactMerge(hosts), sum(events), sum(host_days)
FROM baseline_parent_child_state
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, parent_name, process_name;
