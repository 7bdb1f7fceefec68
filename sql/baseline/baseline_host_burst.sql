-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE, ac_burst_quantile DOUBLE
-- Each host's usual burstiness: the ac_burst_quantile quantile (default 0.99) of distinct processes
-- started per active minute, merged from the per-day minute histograms, as of each day.
DELETE FROM baseline_host_burst WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_host_burst
WITH merged AS (
  SELECT w.as_of, a.host, a.distinct_processes, sum(a.minutes) AS minutes
  FROM baseline_windows w JOIN agg_minute_daily a ON a.day >= w.window_start AND a.day < w.as_of
  GROUP BY ALL
),
cumulative AS (
  SELECT *, sum(minutes) OVER (PARTITION BY as_of, host ORDER BY distinct_processes) AS at_or_below,
         sum(minutes) OVER (PARTITION BY as_of, host) AS active_minutes
  FROM merged
)
SELECT as_of, host, any_value(active_minutes),
       -- the smallest k with at least q of the active minutes at or below it
       min(distinct_processes) FILTER (WHERE at_or_below >= getvariable('ac_burst_quantile') * active_minutes),
       max(distinct_processes)
FROM cumulative
GROUP BY as_of, host;
