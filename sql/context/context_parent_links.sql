-- layer: intermediate
-- parameters: none
-- Each event of the alerts' windows (context_window_keys.sql) whose parent (context_event_features.sql)
-- is in the same alert's window, with both sessions and the parent's start: the links the alert's
-- process tree (context_window_tree.sql), the system's starts (context_system_starts.sql) and a
-- session's entry (context_session_entries.sql) follow.
CREATE OR REPLACE TEMP TABLE context_parent_links AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys)
SELECT e.alert_id, e.event_id, f.parent_event_id, e.logon_id, q.logon_id AS parent_logon_id, q.ts AS parent_ts
FROM window_events e
JOIN context_event_features f USING (event_id)
JOIN window_events q ON q.alert_id = e.alert_id AND q.event_id = f.parent_event_id;
