-- layer: intermediate
-- parameters: ac_from DATE, ac_to DATE
-- Successful logons per host: which user from which source, as of each day in the range.
DELETE FROM baseline_host_logon WHERE as_of BETWEEN getvariable('ac_from') AND getvariable('ac_to');
INSERT INTO baseline_host_logon
SELECT w.as_of, a.host, a.user_name, a.source, count(DISTINCT a.day), sum(a.events)
FROM baseline_windows w JOIN agg_logon_daily a ON a.day >= w.window_start AND a.day < w.as_of
WHERE a.outcome <> 'failure'
GROUP BY w.as_of, a.host, a.user_name, a.source;
