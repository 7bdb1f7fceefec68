-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_passes INTEGER
-- The process events of every alert's process windows (context_alert_jobs.sql), once per event
-- however many windows hold it, with the columns context needs and the event's rarity
-- (score/process_rarity.sql), read from the stored day once for all of context's passes. `pass` is
-- the pass of the event's host (ac_host_pass, macros/scoring.sql, as assembleContextInPasses splits
-- the alerts), and the rows are stored in pass order, so that a pass reads its own rows and skips the
-- others' (context_window_keys.sql, context_event_features.sql): at 10,000 hosts each of 18 passes
-- read the whole staged day twice (12 s a pass).
CREATE OR REPLACE TEMP TABLE context_day_events AS
WITH windows AS (SELECT * FROM context_alert_windows), -- context_alert_windows.sql
-- each event of the windows once, in one scan of the events (a join on the host, cut to the
-- windows; an event in several windows is one row: its copies are equal rows)
events AS (
  SELECT DISTINCT p.event_id, p.ts, p.host, p.user_name, p.logon_id, p.process_id, p.parent_process_id,
         p.command_line, p.image, p.parent_image, coalesce(p.process_name, '') AS process_name, coalesce(p.parent_name, '') AS parent_name
  FROM windows w JOIN process_events p ON p.host = w.host AND p.ts BETWEEN w.win_start AND w.win_end
  WHERE p.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
)
SELECT ac_host_pass(e.host, getvariable('ac_passes')) AS pass, e.*,
       r.template, r.template_hosts, r.pair_hosts, r.fleet_hosts, r.host_days, r.history_days,
       r.host_history_days, r.host_is_new
FROM events e
LEFT JOIN (SELECT event_id, template, template_hosts, pair_hosts, fleet_hosts, host_days, history_days, host_history_days, host_is_new
           FROM process_rarity WHERE day BETWEEN getvariable('ac_span_lo')::DATE AND getvariable('ac_span_hi')::DATE) r USING (event_id)
ORDER BY pass;
