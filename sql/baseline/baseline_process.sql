-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Process names across the fleet, as of each day in the range.
DELETE FROM baseline_process WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_process
SELECT w.as_of, a.process_name, count(DISTINCT a.host), sum(a.events), sum(a.machine_events)
FROM baseline_windows w JOIN agg_process_daily a ON a.day >= w.window_start AND a.day < w.as_of
GROUP BY w.as_of, a.process_name;
