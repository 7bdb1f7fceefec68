-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_window_days INTEGER, ac_burst_quantile DOUBLE
-- Baseline snapshots for every as_of day in [ac_from, ac_to]: each merges the daily aggregates of
-- its window (baseline_windows, baseline_windows.sql), and nothing from as_of or later.
DELETE FROM baseline_runs WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_runs
SELECT w.as_of, getvariable('ac_window_days'), count(d.day), coalesce(max(d.hosts), 0),
       min(d.day), max(d.day), getvariable('ac_burst_quantile')
FROM baseline_windows w LEFT JOIN agg_days d ON d.day >= w.window_start AND d.day < w.as_of
GROUP BY w.as_of;
-- fleet_hosts: the distinct hosts seen in the window (replaces the per-day maximum above).
UPDATE baseline_runs r SET fleet_hosts = h.hosts
FROM (
  SELECT w.as_of, count(DISTINCT a.host) AS hosts
  FROM baseline_windows w JOIN agg_process_daily a ON a.day >= w.window_start AND a.day < w.as_of
  GROUP BY w.as_of
) h
WHERE r.as_of = h.as_of;
