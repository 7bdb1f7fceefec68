-- Template prevalence across the fleet as of each day, on the coordinator from every shard's
-- baseline_host_template: a host is on one shard, so counting its rows counts hosts exactly.
INSERT INTO baseline_template
SELECT as_of, template, count(), sum(days), sum(events), min(first_seen_us)
FROM baseline_host_template
WHERE as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
GROUP BY as_of, template;
