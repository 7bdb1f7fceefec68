-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Template prevalence across the fleet, as of each day in the range, from the hosts' familiarity
-- (baseline_host_template, baseline_host_template.sql, run first).
DELETE FROM baseline_template WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_template
SELECT as_of, template, count(*) AS hosts, sum(days) AS host_days, sum(events), min(first_seen)
FROM baseline_host_template
WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to')
GROUP BY as_of, template;
