-- layer: intermediate
-- parameters: ac_pass INTEGER
-- The process events of every alert's window (context_alert_windows.sql: the alerts of this
-- pass), once per alert and event, with the columns context judges by: the command
-- line, the image and the other texts stay in context_day_events.sql, once per event, until
-- context_candidates.sql shows them (at 10,000 hosts the windows hold 7.3 M alert-event pairs of
-- 3.2 M events). The process jobs share one window (windows.process_*): the span of their windows
-- is read, and each job keeps its own window's events in context_candidates.sql. Read from this
-- pass's rows of the windows' events (context_day_events.sql).
CREATE OR REPLACE TEMP TABLE context_window_keys AS
WITH windows AS (SELECT * FROM context_alert_windows WHERE pass = getvariable('ac_pass')) -- context_alert_windows.sql
SELECT w.alert_id, p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.process_id, p.parent_process_id,
       p.process_name, p.parent_name
FROM windows w
JOIN context_day_events p ON p.host = w.host AND p.ts BETWEEN w.win_start AND w.win_end
WHERE p.pass = getvariable('ac_pass');
