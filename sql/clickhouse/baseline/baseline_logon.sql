-- Successful logons fleet-wide as of each day, on the coordinator from every shard's per-host rows.
INSERT INTO baseline_logon
SELECT as_of, user_name, source, count(), sum(events)
FROM baseline_host_logon
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, user_name, source;
