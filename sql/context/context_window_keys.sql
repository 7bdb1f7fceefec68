-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP
-- The process events of every alert job's window (context_alert_jobs, context_alert_jobs.sql)
-- for the process jobs, with the columns context needs, read in one pass over the windows' span
-- (ac_span_lo/hi, set from context_alert_jobs: events arrive day by day, so DuckDB skips the row
-- groups of other days); a second pass fetching them by event id read every command line of a
-- two-day span again. context_candidates.sql reads it.
CREATE OR REPLACE TEMP TABLE context_window_keys AS
SELECT j.alert_id, j.category, j.job, p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.process_id, p.parent_process_id,
       p.command_line, p.image, coalesce(p.process_name, '') AS process_name, coalesce(p.parent_name, '') AS parent_name
FROM context_alert_jobs j
JOIN process_events p ON p.host = j.host AND p.ts BETWEEN j.win_start AND j.win_end
WHERE j.category IN ('UnusualProcess', 'SupplementalProcess', 'UnusualMultiProcess')
  AND p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi');
