-- layer: intermediate
-- parameters: ac_well_known_logons VARCHAR[], ac_command_shells VARCHAR[]
-- A process the system starts in a person's session: its parent runs as the machine (in a
-- well-known session, or, not in the window, 9 in 10 of its fleet runs are there), and is not a
-- command shell (models/command-shells.ts: a shell's children run in its own session, so one in a
-- person's session is that session's command, whatever the fleet's copies of the shell run as). COM servers,
-- start-up, scheduled tasks: the system working for the session (context_window_features.sql's
-- delegated_events), or a COM activation one of the session's processes asked for
-- (context_window_tree.sql's activation_links). others_nearby: the system's other starts in that
-- session within 30 s either side.
CREATE OR REPLACE TEMP TABLE context_system_starts AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
parent_links AS NOT MATERIALIZED (SELECT * FROM context_parent_links)
SELECT e.alert_id, e.event_id, e.ts, e.logon_id, e.parent_name, e.process_id,
       count(*) OVER (PARTITION BY e.alert_id, e.logon_id ORDER BY e.ts RANGE BETWEEN INTERVAL 30 SECOND PRECEDING AND INTERVAL 30 SECOND FOLLOWING) - 1 AS others_nearby
FROM window_events e
LEFT JOIN parent_links pl USING (alert_id, event_id)
LEFT JOIN baseline_process bp ON bp.as_of = e.ts::DATE AND bp.process_name = e.parent_name
WHERE CASE WHEN pl.event_id IS NOT NULL THEN coalesce(list_contains(getvariable('ac_well_known_logons'), pl.parent_logon_id), false)
           ELSE coalesce(bp.machine_events >= 0.9 * bp.events, false) END
  AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), false)
  AND NOT coalesce(list_contains(getvariable('ac_command_shells'), e.parent_name), false);
