-- parameters: ac_from DATE, ac_to DATE
-- Template prevalence across the fleet and familiarity per host, as of each day in the range.
DELETE FROM baseline_host_template WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_host_template
SELECT w.as_of, a.host, a.template, count(DISTINCT a.day), sum(a.events), min(a.first_ts)
FROM baseline_windows w JOIN agg_template_daily a ON a.day >= w.window_start AND a.day < w.as_of
GROUP BY w.as_of, a.host, a.template;

DELETE FROM baseline_template WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_template
SELECT as_of, template, count(*) AS hosts, sum(days) AS host_days, sum(events), min(first_seen)
FROM baseline_host_template
WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to')
GROUP BY as_of, template;
