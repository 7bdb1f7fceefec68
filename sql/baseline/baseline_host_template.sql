-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Template familiarity per host, as of each day in the range: the days and events of each
-- template on each host in the baseline window (baseline_windows, baseline_windows.sql).
DELETE FROM baseline_host_template WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_host_template
SELECT w.as_of, a.host, a.template, count(DISTINCT a.day), sum(a.events), min(a.first_ts)
FROM baseline_windows w JOIN agg_template_daily a ON a.day >= w.window_start AND a.day < w.as_of
GROUP BY w.as_of, a.host, a.template;
