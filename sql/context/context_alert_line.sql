-- layer: intermediate
-- parameters: none
-- Each alert's process (depth 0), its parent (1) and its grandparent (2), by the window's parent
-- links (context_parent_links.sql): the processes whose start another host may have asked for
-- (context_remote_starts.sql: a service, WMI; context_remote_tasks.sql: a scheduled task).
CREATE OR REPLACE TEMP TABLE context_alert_line AS
SELECT alert_id, process_event_id AS event_id, 0 AS depth FROM context_alert_scope WHERE process_event_id IS NOT NULL
UNION ALL
SELECT s.alert_id, p1.parent_event_id, 1
FROM context_alert_scope s JOIN context_parent_links p1 ON p1.alert_id = s.alert_id AND p1.event_id = s.process_event_id
UNION ALL
SELECT s.alert_id, p2.parent_event_id, 2
FROM context_alert_scope s JOIN context_parent_links p1 ON p1.alert_id = s.alert_id AND p1.event_id = s.process_event_id
JOIN context_parent_links p2 ON p2.alert_id = p1.alert_id AND p2.event_id = p1.parent_event_id;
