-- layer: intermediate
-- parameters: ac_passes INTEGER
-- Each alert's process window (context_alert_jobs.sql: the process jobs share windows.process_*, so
-- the span of their windows), with the pass of its host (ac_host_pass, macros/scoring.sql). Read by
-- context_day_events.sql (every alert's) and context_window_keys.sql (one pass's).
CREATE OR REPLACE TEMP TABLE context_alert_windows AS
SELECT alert_id, any_value(host) AS host, min(win_start) AS win_start, max(win_end) AS win_end,
       ac_host_pass(any_value(host), getvariable('ac_passes')) AS pass
FROM context_alert_jobs
WHERE category IN ('UnusualProcess', 'SupplementalProcess', 'UnusualMultiProcess')
GROUP BY alert_id;
