-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Parent -> child pairs across the fleet, as of each day in the range.
DELETE FROM baseline_parent_child WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_parent_child
SELECT w.as_of, a.parent_name, a.process_name, count(DISTINCT a.host), sum(a.events), count(*) AS host_days
FROM baseline_windows w JOIN agg_parent_child_daily a ON a.day >= w.window_start AND a.day < w.as_of
GROUP BY w.as_of, a.parent_name, a.process_name;
